import Foundation
import Testing
import ZoneCastTestSupport
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastSQLite
@testable import ZoneCastStore

@Suite("OperationsStore contract")
struct OperationsStoreSuite {
    func store(_ kind: StoreKind) async throws -> any AppStore {
        try await kind.make()
    }

    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("given documents of two kinds, then they read back by id and by group, oldest first, and a save replaces", arguments: StoreKind.available)
    func documents(kind: StoreKind) async throws {
        let s = try await store(kind)
        let v1 = PatrolVisit(id: "v1", officer: "o", unit: .traffic, cycleID: "C1", zoneID: "Z1", startedAt: t0 + 600, endedAt: t0 + 1_500,
                             activities: PatrolActivities(communityContacts: 3), notes: "<b>hi</b>", loggedAt: t0 + 2_000)
        let v2 = PatrolVisit(id: "v2", officer: "o", unit: nil, cycleID: "C1", zoneID: "Z2", startedAt: t0, endedAt: t0 + 700,
                             activities: PatrolActivities(arrests: 1), notes: "", loggedAt: t0 + 2_000)
        let v3 = PatrolVisit(id: "v3", officer: "p", unit: nil, cycleID: "C2", zoneID: "Z1", startedAt: t0 + 5, endedAt: t0 + 700,
                             activities: PatrolActivities(), notes: "", loggedAt: t0 + 2_000)
        let d = Deployment(id: "v1", cycleID: "C1", zoneID: "Z1", units: [.traffic], assignedBy: "c", assignedAt: t0, reason: "start")
        for doc in [v1, v2, v3] { try await s.save(doc, audit: nil) }
        try await s.save(d, audit: nil)
        await #expect(try s.document(PatrolVisit.self, id: "v1") == v1)
        await #expect(try s.document(Deployment.self, id: "v1") == d)  // same id, another kind
        await #expect(try s.documents(PatrolVisit.self).map(\.id) == ["v2", "v3", "v1"])
        await #expect(try s.documents(PatrolVisit.self, group: "C1").map(\.id) == ["v2", "v1"])
        var changed = v2
        changed.notes = "corrected"
        try await s.save(changed, audit: nil)
        await #expect(try s.document(PatrolVisit.self, id: "v2")?.notes == "corrected")
        await #expect(try s.documents(PatrolVisit.self).count == 3)
        await #expect(try s.document(PatrolVisit.self, id: "missing") == nil)
    }

    @Test("given documents, then their fingerprint stays while nothing changes and moves when one is added or rewritten", arguments: StoreKind.available)
    func fingerprints(kind: StoreKind) async throws {
        let s = try await store(kind)
        let empty = try await s.documentsFingerprint(kind: PatrolVisit.kind, group: "C1")
        var v = PatrolVisit(id: "v1", officer: "o", unit: nil, cycleID: "C1", zoneID: "Z1", startedAt: t0, endedAt: t0 + 600,
                            activities: PatrolActivities(), notes: "", loggedAt: t0)
        try await s.save(v, audit: nil)
        let one = try await s.documentsFingerprint(kind: PatrolVisit.kind, group: "C1")
        #expect(one != empty)
        await #expect(try s.documentsFingerprint(kind: PatrolVisit.kind, group: "C1") == one)
        await #expect(try s.documentsFingerprint(kind: PatrolVisit.kind, group: "C2") == empty)
        v.notes = "corrected afterwards"
        try await s.save(v, audit: nil)
        await #expect(try s.documentsFingerprint(kind: PatrolVisit.kind, group: "C1") != one)
        await #expect(try s.documentsFingerprint(kind: PatrolVisit.kind, group: nil) == s.documentsFingerprint(kind: PatrolVisit.kind, group: "C1"))
    }

    @Test("given a tracked write, then it reports the fingerprints a reader sees just before and just after it, and lands with its audit entry",
          arguments: StoreKind.available)
    func trackedWrite(kind: StoreKind) async throws {
        // Given a cycle with one visit
        let s = try await store(kind)
        let v1 = PatrolVisit(id: "v1", officer: "o", unit: nil, cycleID: "C1", zoneID: "Z1", startedAt: t0, endedAt: t0 + 600,
                             activities: PatrolActivities(), notes: "", loggedAt: t0)
        try await s.save(v1, audit: nil)
        let before = try await s.documentsFingerprint(kind: PatrolVisit.kind, group: "C1")
        // When a second visit is saved with its audit entry, tracking the cycle's visits
        var v2 = v1
        v2.id = "v2"
        let draft = AuditDraft(at: t0 + 700, actor: "o", action: .logPatrol, subject: "v2", detail: "")
        let write = try await s.apply([.save(v2), .audit(draft)], tracking: PatrolVisit.kind, group: "C1")
        // Then the fingerprints bracket exactly this write, and both the visit and the entry landed
        #expect(write.before == before)
        #expect(write.after != before)
        await #expect(try s.documentsFingerprint(kind: PatrolVisit.kind, group: "C1") == write.after)
        await #expect(try s.documents(PatrolVisit.self, group: "C1").map(\.id) == ["v1", "v2"])
        await #expect(try s.latestAuditEntries(limit: 1).first?.subject == "v2")
        // And a tracked write elsewhere leaves this group's fingerprint alone
        var other = v1
        (other.id, other.cycleID) = ("v3", "C2")
        let elsewhere = try await s.apply([.save(other)], tracking: PatrolVisit.kind, group: "C2")
        #expect(elsewhere.before != elsewhere.after)
        await #expect(try s.documentsFingerprint(kind: PatrolVisit.kind, group: "C1") == write.after)
    }

    @Test("given audited changes, then entries chain from the genesis hash and the chain verifies", arguments: StoreKind.available)
    func auditChain(kind: StoreKind) async throws {
        let s = try await store(kind)
        await #expect(try s.verifyAuditChain().entriesChecked == 0)
        for i in 0..<25 {
            try await s.audit(AuditDraft(at: t0 + Double(i), actor: "analyst", action: .viewZones, subject: "C\(i)", detail: "shown \(i)"))
        }
        let entries = try await s.auditEntries(from: 1, limit: 100)
        #expect(entries.map(\.sequence) == Array(1...25))
        #expect(entries[0].previousHash == AuditChain.genesisHash)
        #expect(entries[1].previousHash == entries[0].hash)
        #expect(entries[3].at == t0 + 3)
        await #expect(try s.latestAuditEntries(limit: 2).map(\.sequence) == [25, 24])
        await #expect(try s.auditEntries(from: 24, limit: 10).map(\.sequence) == [24, 25])
        let verified = try await s.verifyAuditChain(pageSize: 7)  // pages must join up
        #expect(verified.isIntact && verified.entriesChecked == 25 && verified.headHash == entries.last!.hash)
    }

    @Test("given a change list with a document, a cycle and audit entries, then all of it lands together", arguments: StoreKind.available)
    func transactional(kind: StoreKind) async throws {
        let s = try await store(kind)
        let meeting = Meeting(id: "M1", title: "IRIS", scheduledAt: t0, cycleID: "C9", attendees: ["a", "b"], createdBy: "c", createdAt: t0)
        let cycle = CycleRecord(id: "C9", status: .approved, startsAt: t0, endsAt: t0 + 86_400, createdAt: t0, document: Data("{}".utf8))
        let appended = try await s.apply([.save(meeting), .saveCycle(cycle), .audit(AuditDraft(at: t0, actor: "c", action: .approveCycle, subject: "C9")),
                                    .audit(AuditDraft(at: t0, actor: "c", action: .updateMeeting, subject: "M1"))])
        #expect(appended.map(\.sequence) == [1, 2])
        #expect(appended[1].previousHash == appended[0].hash)
        await #expect(try s.document(Meeting.self, id: "M1") == meeting)
        await #expect(try s.cycle(id: "C9")?.status == .approved)
        await #expect(try s.verifyAuditChain().isIntact)
    }
}

@Suite("SQLite audit log")
struct SQLiteAuditLogTests {
    @Test("given audit entries in SQLite, then UPDATE and DELETE are refused by the database itself")
    func appendOnly() async throws {
        let s = try SQLiteIncidentStore()
        try await s.audit(AuditDraft(at: Date(timeIntervalSince1970: 1), actor: "a", action: .signIn, subject: "a"))
        #expect(throws: (any Error).self) { try s.executeForTesting("UPDATE audit_log SET actor = 'b'") }
        #expect(throws: (any Error).self) { try s.executeForTesting("DELETE FROM audit_log") }
        await #expect(try s.verifyAuditChain().isIntact)
    }

    @Test("given someone who drops the triggers and edits an entry in the file, then verification names the entry")
    func tamperingIsDetected() async throws {
        let s = try SQLiteIncidentStore()
        for i in 0..<5 { try await s.audit(AuditDraft(at: Date(timeIntervalSince1970: Double(i)), actor: "a", action: .viewZone, subject: "Z\(i)")) }
        try s.executeForTesting("DROP TRIGGER audit_log_no_update")
        try s.executeForTesting("UPDATE audit_log SET subject = 'nothing' WHERE sequence = 3")
        let result = try await s.verifyAuditChain()
        #expect(result.problem?.sequence == 3)
        #expect(result.entriesChecked == 2)
    }
}

@Suite("SQLite background checkpoints")
struct SQLiteCheckpointTests {
    @Test("given checkpoints moved to a background thread, when two threads append audit entries meanwhile, then every entry lands, the chain holds, the background checkpoints copy them into the database file and a reopened database has them all")
    func concurrentAppendsDuringCheckpoints() async throws {
        let dir = try TestDirectory.make("zonecast-ckpt")
        let path = dir.appendingPathComponent("c.sqlite").path
        let store = try SQLiteIncidentStore(path: path)
        let writesDone = LockedFlag()
        let checkpointedAfterWrites = DispatchSemaphore(value: 0)
        try store.checkpointInBackground(every: 0.02) { _ in
            if writesDone.isSet { checkpointedAfterWrites.signal() }
        }
        await withTaskGroup(of: Void.self) { group in
            for k in 0..<(2) {
                group.addTask {
                    for i in 0..<400 {
                        _ = try? await store.audit(AuditDraft(at: Date(timeIntervalSince1970: Double(i)), actor: "t\(k)", action: .viewZones, subject: "C\(i)"))
                    }
                }
            }
        }
        let verified = try await store.verifyAuditChain()
        #expect(verified.isIntact && verified.entriesChecked == 800)
        // The writer no longer checkpoints (wal_autocheckpoint = 0): only the background thread moves the entries from
        // the WAL into the database file. Wait for one of its checkpoints that began after the last write, then read
        // the database file alone (a copy without its WAL): with the checkpointer off, it holds none of the entries.
        // The first checkpoint to finish after the flag is set may have begun before the last writes (it then copies
        // only part of them); checkpoints run one after another, so the second one began after the flag was set.
        writesDone.set()
        for n in 1...2 {
            #expect(checkpointedAfterWrites.wait(timeout: .now() + 30) == .success, "no background checkpoint \(n) within 30 s")
        }
        let fileOnly = dir.appendingPathComponent("file-only.sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: fileOnly)
        await #expect(try SQLiteIncidentStore(path: fileOnly).auditEntries(from: 1, limit: 1_000).count == 800)
        let reopened = try SQLiteIncidentStore(path: path)
        await #expect(try reopened.auditEntries(from: 1, limit: 1_000).count == 800)
    }
}

/// A flag set once by one thread and read by another.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
