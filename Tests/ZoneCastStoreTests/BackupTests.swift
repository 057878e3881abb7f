import Foundation
import Testing
import ZoneCastTestSupport
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastSQLite
@testable import ZoneCastStore
import ZoneCastCore

@Suite("SQLite backup and restore")
struct BackupTests {
    func tempPath(_ name: String) throws -> String {
        let dir = try TestDirectory.make("zonecast-backup")
        return dir.appendingPathComponent(name).path
    }

    @Test("given a store with incidents, quarantine, cycles, accounts, documents and audit entries, when backed up online and restored, then every table is identical and the audit chain verifies")
    func roundTrip() async throws {
        let path = try tempPath("live.sqlite")
        let store = try SQLiteIncidentStore(path: path)
        try await store.setJurisdiction(testJurisdiction)
        _ = try await store.importBatch(batchInfo(), weights: .cambridgeDefaults, clock: batchClock) { w in
            var c = ImportCounts()
            for k in 0..<50 {
                let i = makeIncident("r\(k)", daysAfter: Double(k), metersEast: Double(k * 40))
                await c.count(try await w.accept(i, fingerprint: fingerprint(i.rawRow), lineNumber: k + 2))
            }
            let bad = QuarantinedRow(batchID: 0, lineNumber: 60, source: "test", reason: .missingCoordinates, field: "lat", value: "", message: "no coordinates", rawRow: "x,,")
            await c.count(try await w.quarantine(bad, fingerprint: fingerprint(bad.rawRow)))
            return c
        }
        try await store.saveCycle(CycleRecord(id: "C1", status: .approved, startsAt: Date(timeIntervalSince1970: 1_600_000_000), endsAt: Date(timeIntervalSince1970: 1_600_345_600),
                                        createdAt: Date(timeIntervalSince1970: 1_599_990_000), document: Data("{\"x\":1}".utf8)))
        try await store.addAccount(Account(username: "ana", displayName: "Ana", role: .analyst, units: [.traffic], passwordHash: "h", mustChangePassword: false, createdAt: Date(timeIntervalSince1970: 1)))
        for i in 0..<20 {
            try await store.save(Notice(id: "N\(i)", createdAt: Date(timeIntervalSince1970: Double(i)), audience: .analyst, text: "n\(i)", link: nil),
                           audit: AuditDraft(at: Date(timeIntervalSince1970: Double(i)), actor: "ana", action: .viewZones, subject: "C1"))
        }
        let backup = try tempPath("backup.sqlite")
        try store.backup(to: backup)
        #expect(throws: StoreError.self) { try store.backup(to: backup) }  // never overwrites

        // The live database changes after the backup; the restore brings back the snapshot.
        try await store.audit(AuditDraft(at: Date(), actor: "later", action: .signIn, subject: "later"))
        let snapshot = try SQLiteIncidentStore(path: backup).tableDump()
        let restored = try tempPath("restored.sqlite")
        try SQLiteIncidentStore.restore(from: backup, to: restored)
        let r = try SQLiteIncidentStore(path: restored)
        let dump = try r.tableDump()
        #expect(dump.keys.sorted() == snapshot.keys.sorted())
        for (table, rows) in snapshot { #expect(dump[table] == rows, "table \(table) differs after restore") }
        #expect(dump["incident"]?.count == 50 && dump["quarantine"]?.count == 1 && dump["audit_log"]?.count == 20)
        await #expect(try r.verifyAuditChain().isIntact)
        await #expect(try r.summary().incidents == 50)
    }

    @Test("given a file that is not a ZoneCast database or is damaged, then restore refuses it and names the problem")
    func refusesBadBackups() async throws {
        let junk = try tempPath("junk.sqlite")
        try Data("this is not sqlite".utf8).write(to: URL(fileURLWithPath: junk))
        #expect(throws: StoreError.self) { try SQLiteIncidentStore.restore(from: junk, to: try tempPath("t.sqlite")) }
        let other = try tempPath("other.sqlite")
        let q = try SQLiteIncidentStore(path: other)
        try q.executeForTesting("DROP TABLE audit_log")
        do {
            try SQLiteIncidentStore.restore(from: other, to: try tempPath("t2.sqlite"))
            Issue.record("a database without the audit log was restored")
        } catch let e as StoreError {
            #expect("\(e)".contains("audit_log"))
        }
        #expect(throws: StoreError.self) { try SQLiteIncidentStore.restore(from: try tempPath("missing.sqlite"), to: try tempPath("t3.sqlite")) }
    }
}
