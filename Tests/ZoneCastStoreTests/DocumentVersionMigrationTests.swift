import Foundation
import Testing
import ZoneCastTestSupport
import ZoneCastOperations
import ZoneCastSQLite
import ZoneCastStore

@Suite("Document versions (migration v5)")
struct DocumentVersionMigrationTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func visit(_ id: String, cycle: String) -> PatrolVisit {
        PatrolVisit(id: id, officer: "o", unit: nil, cycleID: cycle, zoneID: "Z1", startedAt: t0, endedAt: t0 + 600,
                    activities: PatrolActivities(), notes: "", loggedAt: t0)
    }

    @Test("given a database from before v5 with documents, when it is opened, then each group gets a version and later writes move it")
    func upgradeFromV4() async throws {
        let dir = try TestDirectory.make("zonecast-v5")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        // Given: documents in two cycles, and the schema taken back to v4 (what an older ZoneCast left).
        do {
            let store = try SQLiteIncidentStore(path: path)
            try await store.save(visit("a", cycle: "C1"), audit: nil)
            try await store.save(visit("b", cycle: "C1"), audit: nil)
            try await store.save(visit("c", cycle: "C2"), audit: nil)
            try await store.executeForTesting("""
                DROP TRIGGER document_version_insert; DROP TRIGGER document_version_update; DROP TRIGGER document_version_delete;
                DROP TABLE document_version; DELETE FROM grdb_migrations WHERE identifier = 'v5-document-versions'
                """)
        }
        // When
        let store = try SQLiteIncidentStore(path: path)
        // Then
        #expect(try await store.appliedMigrations().contains("v5-document-versions"))
        let c1 = try await store.documentsFingerprint(kind: PatrolVisit.kind, group: "C1")
        let c2 = try await store.documentsFingerprint(kind: PatrolVisit.kind, group: "C2")
        #expect(c1 == "v1" && c2 == "v1")
        #expect(try await store.documentsFingerprint(kind: PatrolVisit.kind, group: "C3") == "v0")
        try await store.save(visit("d", cycle: "C1"), audit: nil)
        #expect(try await store.documentsFingerprint(kind: PatrolVisit.kind, group: "C1") != c1)
        #expect(try await store.documentsFingerprint(kind: PatrolVisit.kind, group: "C2") == c2)
        // A write from another connection (another process) moves it too: the triggers live in the database.
        try await store.executeForTesting("UPDATE document SET json = json WHERE id = 'c'")
        #expect(try await store.documentsFingerprint(kind: PatrolVisit.kind, group: "C2") != c2)
    }
}
