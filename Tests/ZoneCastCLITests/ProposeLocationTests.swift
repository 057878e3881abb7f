import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastServices
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastStreets

@Suite("zonecast propose --json names the zones by their streets", .serialized)
struct ProposeLocationTests {
    struct Output: Decodable {
        struct Zone: Decodable {
            var id: String
            var cells: [Int]
            var locationDescription: String
            var streets: [String]
        }
        var zones: [Zone]
    }

    @Test("given the synthetic city with its street network imported, when propose --dry-run --json runs, then each zone carries its street description and streets",
          .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func jsonCarriesLocations() async throws {
        // Given: generate writes city.csv.streets.geojson beside the incidents; both are imported.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runZonecast(["generate", "--incidents", "8000", "--seed", "3", "--out", "city.csv"], in: dir).status == 0)
        #expect(try runZonecast(["import", "--preset", "synthetic", "city.csv", "--db", "c.sqlite"], in: dir).status == 0)
        let before = try runZonecast(["propose", "--db", "c.sqlite", "--at", "2024-06-01", "--dry-run", "--json"], in: dir)
        let streets = try runZonecast(["streets", "import", "city.csv.streets.geojson", "--db", "c.sqlite"], in: dir)
        #expect(streets.status == 0, "\(streets.err)")
        // When
        let r = try runZonecast(["propose", "--db", "c.sqlite", "--at", "2024-06-01", "--dry-run", "--json"], in: dir)
        // Then: what the service says for the same cells on the same grid and layer, described here from the database.
        #expect(r.status == 0, "\(r.err)")
        let out = try JSONDecoder().decode(Output.self, from: Data(r.out.utf8))
        let store = try SQLiteIncidentStore(path: dir.appendingPathComponent("c.sqlite").path, auditKey: try cliAuditKey(in: dir))
        let jurisdiction = try #require(try await store.jurisdiction())
        let layer = try #require(try await ZoneLocations.streetLayer(in: store, jurisdiction: jurisdiction))
        let grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: 150)
        let names = Set(layer.streets.map(\.street.name))
        #expect(!out.zones.isEmpty)
        for zone in out.zones {
            let want = ZoneLocations.standard(for: jurisdiction).location(ofCells: zone.cells, grid: grid, projection: jurisdiction.projection, layer: layer)
            #expect(want.usedStreetLayer)
            #expect(zone.locationDescription == want.locationDescription, "\(zone.id)")
            #expect(zone.streets == want.streets && Set(zone.streets).isSubset(of: names), "\(zone.id)")
        }
        #expect(out.zones.contains { !$0.streets.isEmpty }, "no zone holds a street of a 400 m grid")
        // Before the street import the same zones said there was no street layer.
        let plain = try JSONDecoder().decode(Output.self, from: Data(before.out.utf8))
        #expect(plain.zones.map(\.cells) == out.zones.map(\.cells))
        #expect(plain.zones.allSatisfy { $0.locationDescription.hasPrefix("No street layer is loaded; zone centre ") && $0.streets.isEmpty })
    }
}
