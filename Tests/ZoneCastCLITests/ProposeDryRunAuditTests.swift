import Foundation
import Testing
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastOperations

@Suite("zonecast propose --dry-run is audited", .serialized)
struct ProposeDryRunAuditTests {
    @Test("given a database, when propose --dry-run --json prints zone cells, then the audit log gains one view-zones entry for that cycle (and no cycle is recorded)",
          .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func dryRunJSONIsAudited() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runZonecast(["generate", "--incidents", "8000", "--seed", "3", "--out", "city.csv"], in: dir).status == 0)
        #expect(try runZonecast(["import", "--preset", "synthetic", "city.csv", "--db", "c.sqlite"], in: dir).status == 0)
        let path = dir.appendingPathComponent("c.sqlite").path
        let before = try await SQLiteIncidentStore(path: path).latestAuditEntries(limit: 1).first?.sequence ?? 0

        let r = try runZonecast(["propose", "--db", "c.sqlite", "--at", "2024-06-01", "--dry-run", "--json"], in: dir)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("\"cells\""))

        let store = try SQLiteIncidentStore(path: path)
        let entries = try await store.latestAuditEntries(limit: 10).filter { $0.sequence > before }
        #expect(entries.count == 1, "\(entries.map(\.action))")
        #expect(entries.first?.action == "view-zones" && entries.first?.subject == "C-2024-06-01T050000Z")
        #expect(entries.first?.detail.contains("dry run") == true)
        #expect(try await store.cycles().isEmpty)
        let verify = try runZonecast(["audit", "verify", "--db", "c.sqlite"], in: dir)
        #expect(verify.status == 0, "\(verify.out) \(verify.err)")
    }
}
