import Foundation
import Testing
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastSQLite
@testable import ZoneCastStore

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var instant = ContinuousClock.now
    var now: ContinuousClock.Instant { lock.lock(); defer { lock.unlock() }; return instant }
    func advance(_ d: Duration) { lock.lock(); instant += d; lock.unlock() }
}

@Suite("Recent reads store")
struct RecentReadsStoreTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func account(_ name: String, disabled: Bool = false) -> Account {
        Account(username: name, displayName: name, role: .officer, passwordHash: "x", mustChangePassword: false, createdAt: t0, disabled: disabled)
    }

    func visit(_ id: String) -> PatrolVisit {
        PatrolVisit(id: id, officer: "o", unit: nil, cycleID: "C1", zoneID: "Z1", startedAt: t0, endedAt: t0 + 600, activities: PatrolActivities(), notes: "", loggedAt: t0)
    }

    @Test("given reads through the cache, when another process changes the database, then the change shows once the reads are older than maxAge, not before")
    func otherWritersAreSeenWithinMaxAge() async throws {
        let base = try SQLiteIncidentStore()
        let clock = ManualClock()
        let store = RecentReadsStore(base, maxAge: .milliseconds(250), now: { clock.now })
        try await base.addAccount(account("o"))
        try await base.save(visit("a"), audit: nil)
        let fingerprint = try await store.documentsFingerprint(kind: PatrolVisit.kind, group: "C1")
        #expect(try await store.account(username: "o")?.disabled == false)
        #expect(try await store.documents(kind: PatrolVisit.kind, group: "C1").count == 1)
        // Another process (the base directly) disables the account and logs a visit.
        try await base.updateAccount(account("o", disabled: true))
        try await base.save(visit("b"), audit: nil)
        clock.advance(.milliseconds(200))
        #expect(try await store.account(username: "o")?.disabled == false)
        #expect(try await store.documentsFingerprint(kind: PatrolVisit.kind, group: "C1") == fingerprint)
        #expect(try await store.documents(kind: PatrolVisit.kind, group: "C1").count == 1)
        clock.advance(.milliseconds(60))
        #expect(try await store.account(username: "o")?.disabled == true)
        #expect(try await store.documentsFingerprint(kind: PatrolVisit.kind, group: "C1") != fingerprint)
        #expect(try await store.documents(kind: PatrolVisit.kind, group: "C1").count == 2)
    }

    @Test("given cached reads, when this store writes, then its own change is read back at once; an audit entry forgets nothing")
    func ownWritesAreSeenAtOnce() async throws {
        let base = try SQLiteIncidentStore()
        let clock = ManualClock()
        let store = RecentReadsStore(base, now: { clock.now })
        try await store.addAccount(account("o"))
        #expect(try await store.account(username: "o")?.disabled == false)
        try await store.updateAccount(account("o", disabled: true))
        #expect(try await store.account(username: "o")?.disabled == true)
        #expect(try await store.documents(kind: PatrolVisit.kind, group: "C1").isEmpty)
        try await store.save(visit("a"), audit: AuditDraft(at: t0, actor: "o", action: .logPatrol, subject: "a"))
        #expect(try await store.documents(kind: PatrolVisit.kind, group: "C1").map(\.id) == ["a"])
        #expect(try await store.document(kind: PatrolVisit.kind, id: "a") != nil)
        // An audit-only change keeps the cached reads (page views audit every request).
        let version = try await store.dataVersion()
        try await store.audit(AuditDraft(at: t0, actor: "o", action: .viewZones, subject: "C1"))
        #expect(try await store.dataVersion() == version)
        #expect(try await store.verifyAuditChain().isIntact)
    }

    @Test("given a cycle in force, then it is reused only while in force at the instant asked; none in force is always asked again")
    func cycleInForce() async throws {
        let base = InMemoryIncidentStore()
        let clock = ManualClock()
        let store = RecentReadsStore(base, now: { clock.now })
        let record = CycleRecord(id: "C1", status: .approved, startsAt: t0, endsAt: t0 + 3_600, createdAt: t0, document: Data("{}".utf8))
        #expect(try await store.cycleInForce(at: t0) == nil)
        try await base.saveCycle(record)
        #expect(try await store.cycleInForce(at: t0)?.id == "C1")
        #expect(try await store.cycleInForce(at: t0 + 3_600) == nil)
    }
}
