import Foundation
import Testing
import ZoneCastTestSupport
import ZoneCastOperations
import ZoneCastSQLite
@testable import ZoneCastStore

/// `restore` checks what it copies in and where it copies it; database files are private to their owner.
@Suite("SQLite restore safety and file permissions")
struct RestoreSafetyTests {
    static let key = try! AuditKey(bytes: Array(repeating: 7, count: 32))

    func tempPath(_ name: String) throws -> String {
        let dir = try TestDirectory.make("zonecast-restore")
        return dir.appendingPathComponent(name).path
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// A keyed database with a few audit entries, and its backup.
    func backedUp() async throws -> (live: SQLiteIncidentStore, backup: String) {
        let live = try SQLiteIncidentStore(path: try tempPath("live.sqlite"), auditKey: Self.key)
        for i in 0..<4 { try await live.audit(AuditDraft(at: Date(timeIntervalSince1970: Double(i)), actor: "ana", action: .viewZone, subject: "C1/Z\(i)")) }
        let backup = try tempPath("backup.sqlite")
        try live.backup(to: backup)
        return (live, backup)
    }

    func tamper(_ path: String, _ sql: String) throws {
        try SQLiteIncidentStore(path: path).executeForTesting(sql)
    }

    @Test("given a backup whose audit entry was edited, then restore refuses it naming the entry; allowed explicitly, it restores and reports the break")
    func brokenChainIsRefused() async throws {
        let (_, backup) = try await backedUp()
        try tamper(backup, "DROP TRIGGER audit_log_no_update")
        try tamper(backup, "UPDATE audit_log SET actor = 'nobody' WHERE sequence = 2")
        try tamper(backup, "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")
        let target = try tempPath("restored.sqlite")
        let error = #expect(throws: StoreError.self) { try SQLiteIncidentStore.restore(from: backup, to: target, auditKey: Self.key) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("broken at entry 2"))
        let check = try SQLiteIncidentStore.restore(from: backup, to: target, auditKey: Self.key, allowBrokenAudit: true)
        #expect(check.chain.problem?.sequence == 2)
    }

    @Test("given a backup without the append-only triggers, then restore refuses it; allowed explicitly, the restored database has the triggers again and refuses DELETE")
    func missingTriggersAreRefusedAndRecreated() async throws {
        let (_, backup) = try await backedUp()
        try tamper(backup, "DROP TRIGGER audit_log_no_delete")
        let target = try tempPath("restored.sqlite")
        let error = #expect(throws: StoreError.self) { try SQLiteIncidentStore.restore(from: backup, to: target, auditKey: Self.key) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("audit_log_no_delete"))
        let check = try SQLiteIncidentStore.restore(from: backup, to: target, auditKey: Self.key, allowBrokenAudit: true)
        #expect(check.missingTriggers == ["audit_log_no_delete"] && check.chain.isIntact)
        let restored = try SQLiteIncidentStore(path: target, auditKey: Self.key)
        let refused = #expect(throws: (any Error).self) { try restored.executeForTesting("DELETE FROM audit_log") }
        #expect("\(refused.map { "\($0)" } ?? "")".contains("append-only"))
        await #expect(try restored.verifyAuditChain().entriesChecked == 4)
    }

    @Test("given a store (as a running server) holding the database open, then restore into it is refused and the data is untouched; once closed, the restore goes through")
    func restoreRefusedWhileOpen() async throws {
        let (live, backup) = try await backedUp()
        let path = try #require(live.path)
        try await live.audit(AuditDraft(at: Date(timeIntervalSince1970: 99), actor: "later", action: .signIn, subject: "later"))
        let error = #expect(throws: StoreError.self) { try SQLiteIncidentStore.restore(from: backup, to: path, auditKey: Self.key) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("open in another process"))
        await #expect(try live.verifyAuditChain().entriesChecked == 5)
        let idle = try tempPath("idle.sqlite")
        _ = try SQLiteIncidentStore(path: idle, auditKey: Self.key)   // opened and closed again
        try SQLiteIncidentStore.restore(from: backup, to: idle, auditKey: Self.key)
        await #expect(try SQLiteIncidentStore(path: idle, auditKey: Self.key).verifyAuditChain().entriesChecked == 4)
    }

    @Test("given new databases, backups and restores, then each file (and the WAL and shared-memory files) is readable by its owner only")
    func filesArePrivate() async throws {
        let (live, backup) = try await backedUp()
        let path = try #require(live.path)
        for file in [path, path + "-wal", path + "-shm", backup] where FileManager.default.fileExists(atPath: file) {
            #expect(try mode(file) == 0o600, "\(file)")
        }
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        let restored = try tempPath("restored.sqlite")
        try SQLiteIncidentStore.restore(from: backup, to: restored, auditKey: Self.key)
        #expect(try mode(restored) == 0o600)
    }
}
