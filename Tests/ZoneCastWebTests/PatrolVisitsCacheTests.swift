import Foundation
import Testing
import ZoneCastOperations
import ZoneCastStore
@testable import ZoneCastWeb

@Suite("Patrol visits cache")
struct PatrolVisitsCacheTests {
    func visit(_ id: String, minutesAfter m: Double) -> PatrolVisit {
        let t = Date(timeIntervalSince1970: 1_700_000_000 + m * 60)
        return PatrolVisit(id: id, officer: "o", unit: nil, cycleID: "C1", zoneID: "Z1", startedAt: t, endedAt: t + 600,
                           activities: PatrolActivities(communityContacts: 1), notes: "", loggedAt: t)
    }

    func draft(_ id: String) -> AuditDraft { AuditDraft(at: Date(timeIntervalSince1970: 1_700_000_000), actor: "o", action: .logPatrol, subject: id) }

    @Test("given cached visits, when this process saves one, then the cache has it without a re-read; when another writer saves one, then the next read sees it too")
    func writeThroughAndOutsideWriters() async throws {
        let store = InMemoryIncidentStore()
        let cache = PatrolVisitsCache()
        try await store.save(visit("a", minutesAfter: 0), audit: nil)
        await #expect(try cache.visits(cycleID: "C1", store: store).map(\.id) == ["a"])
        try await cache.save(visit("b", minutesAfter: 30), audit: draft("b"), store: store)
        await #expect(try cache.visits(cycleID: "C1", store: store).map(\.id) == ["a", "b"])
        #expect(try await store.latestAuditEntries(limit: 1).first?.subject == "b")
        // Another process (or a path that bypasses the cache) writes: the fingerprint differs and the cache reloads.
        try await store.save(visit("c", minutesAfter: 60), audit: nil)
        await #expect(try cache.visits(cycleID: "C1", store: store).map(\.id) == ["a", "b", "c"])
        // A rewrite of an existing visit with other content is seen as well.
        var changed = visit("a", minutesAfter: 0)
        changed.notes = "amended by the sergeant"
        try await store.save(changed, audit: nil)
        await #expect(try cache.visits(cycleID: "C1", store: store).first?.notes == "amended by the sergeant")
    }

    @Test("given visits grouped by zone, when this process saves visits in and out of order, then the groups follow and match a regrouping of the cycle")
    func groupsFollowSaves() async throws {
        let store = InMemoryIncidentStore()
        let cache = PatrolVisitsCache()
        func visit(_ id: String, zone: String, minutesAfter m: Double) -> PatrolVisit {
            var v = self.visit(id, minutesAfter: m)
            v.zoneID = zone
            return v
        }
        try await store.save(visit("a", zone: "Z1", minutesAfter: 0), audit: nil)
        try await store.save(visit("b", zone: "Z2", minutesAfter: 10), audit: nil)
        await #expect(try cache.visitsByZone(cycleID: "C1", store: store).mapValues { $0.map(\.id) } == ["Z1": ["a"], "Z2": ["b"]])
        try await cache.save(visit("c", zone: "Z1", minutesAfter: 30), audit: draft("c"), store: store)
        try await cache.save(visit("d", zone: "Z1", minutesAfter: 5), audit: draft("d"), store: store)
        try await cache.save(visit("e", zone: "outside", minutesAfter: 40), audit: draft("e"), store: store)
        let grouped = try await cache.visitsByZone(cycleID: "C1", store: store)
        #expect(grouped.mapValues { $0.map(\.id) } == ["Z1": ["a", "d", "c"], "Z2": ["b"], "outside": ["e"]])
        #expect(grouped.mapValues { $0.map(\.id) } == Dictionary(grouping: try await store.documents(PatrolVisit.self, group: "C1"), by: \.zoneID).mapValues { $0.map(\.id) })
    }
}

@Suite("Patrol visits cache: concurrent saves")
struct PatrolVisitsCacheConcurrencyTests {
    func visit(_ id: String, minutesAfter m: Double) -> PatrolVisit {
        let t = Date(timeIntervalSince1970: 1_700_000_000 + m * 60)
        return PatrolVisit(id: id, officer: "o", unit: nil, cycleID: "C1", zoneID: m.truncatingRemainder(dividingBy: 2) == 0 ? "Z1" : "Z2",
                           startedAt: t, endedAt: t + 600, activities: PatrolActivities(communityContacts: 1), notes: "", loggedAt: t)
    }

    @Test("given a cached cycle, when 200 visits are saved at once (replies in any order), then the cache equals the store without a reload")
    func concurrentSavesChain() async throws {
        let store = CountingReadsStore(InMemoryIncidentStore())
        let cache = PatrolVisitsCache()
        try await store.save(visit("seed", minutesAfter: 0), audit: nil)
        #expect(try await cache.visits(cycleID: "C1", store: store).count == 1)
        let reads = store.documentReads
        try await withThrowingTaskGroup(of: Void.self) { group in
            for k in 1...200 {
                group.addTask {
                    let v = visit("v\(k)", minutesAfter: Double(k))
                    try await cache.save(v, audit: AuditDraft(at: v.startedAt, actor: "o", action: .logPatrol, subject: v.id), store: store)
                }
            }
            try await group.waitForAll()
        }
        let cached = try await cache.visits(cycleID: "C1", store: store)
        let stored = try await store.documents(PatrolVisit.self, group: "C1")
        #expect(cached.map(\.id) == stored.map(\.id) && cached.count == 201)
        #expect(try await cache.visitsByZone(cycleID: "C1", store: store).mapValues { $0.map(\.id) }
                == Dictionary(grouping: stored, by: \.zoneID).mapValues { $0.map(\.id) })
        // The cache followed the saves: only the test's own read above went to the store for the documents.
        #expect(store.documentReads == reads + 1)
    }

    @Test("given a correction saved through the cache, when read, then the visit is replaced, not doubled")
    func correctionReplaces() async throws {
        let store = InMemoryIncidentStore()
        let cache = PatrolVisitsCache()
        let first = visit("a", minutesAfter: 0)
        try await cache.save(first, audit: AuditDraft(at: first.startedAt, actor: "o", action: .logPatrol, subject: "a"), store: store)
        _ = try await cache.visits(cycleID: "C1", store: store)
        var corrected = first
        corrected.notes = "corrected"
        corrected.zoneID = "Z2"
        try await cache.save(corrected, audit: AuditDraft(at: first.startedAt, actor: "o", action: .logPatrol, subject: "a"), store: store)
        let cached = try await cache.visits(cycleID: "C1", store: store)
        #expect(cached.map(\.notes) == ["corrected"])
        #expect(try await cache.visitsByZone(cycleID: "C1", store: store).mapValues { $0.map(\.id) } == ["Z2": ["a"]])
    }
}

/// Counts the document-list reads that reach the store (a cache reload), passing everything else through.
final class CountingReadsStore: OperationsStore, @unchecked Sendable {
    let base: InMemoryIncidentStore
    private let lock = NSLock()
    private var reads = 0
    var documentReads: Int { lock.withLock { reads } }

    init(_ base: InMemoryIncidentStore) { self.base = base }

    func apply(_ changes: [StoreChange]) async throws -> [AuditEntry] { try await base.apply(changes) }
    func apply(_ changes: [StoreChange], tracking kind: String, group: String?) async throws -> TrackedWrite {
        // Pauses of 0-3 turns after the write send the replies of concurrent saves back in another order than the writes.
        let write = try await base.apply(changes, tracking: kind, group: group)
        for _ in 0..<((Int(write.before.dropFirst()) ?? 0) * 7 % 4) { await Task.yield() }
        return write
    }
    func document(kind: String, id: String) async throws -> DocumentData? { try await base.document(kind: kind, id: id) }
    func documents(kind: String, group: String?) async throws -> [DocumentData] {
        lock.withLock { reads += 1 }
        return try await base.documents(kind: kind, group: group)
    }
    func documentsFingerprint(kind: String, group: String?) async throws -> String { try await base.documentsFingerprint(kind: kind, group: group) }
    func auditEntries(from sequence: Int64, limit: Int) async throws -> [AuditEntry] { try await base.auditEntries(from: sequence, limit: limit) }
    func latestAuditEntries(limit: Int) async throws -> [AuditEntry] { try await base.latestAuditEntries(limit: limit) }
    func auditKeying() async throws -> AuditKeying { try await base.auditKeying() }
}
