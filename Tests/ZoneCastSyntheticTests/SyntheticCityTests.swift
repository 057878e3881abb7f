import Foundation
import Testing
import ZoneCastCore
import ZoneCastIngest
@testable import ZoneCastSynthetic

struct SyntheticCityTests {
    static let jsonURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/ZoneCastIngest/Jurisdictions/synthetic-city.json")

    @Test func givenTheShippedJSON_whenReadingItsBoundary_thenItsVerticesEqualTheSwiftCity() async throws {
        let data = try Data(contentsOf: Self.jsonURL)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let boundary = try #require(object["boundary"] as? [String: Any])
        #expect(boundary["type"] as? String == "Polygon")
        let rings = try #require(boundary["coordinates"] as? [[[Double]]])
        #expect(rings.count == 1)
        let vertices = rings[0].map { GeoPoint(latitude: $0[1], longitude: $0[0]) }
        #expect(vertices == SyntheticCity.boundaryRing)
        #expect(vertices.first == vertices.last)
    }

    @Test func givenTheShippedJSON_whenReadingItsOtherFields_thenTheyMatchTheSwiftCity() async throws {
        let data = try Data(contentsOf: Self.jsonURL)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["name", "displayName", "timeZone", "boundary", "projectionOrigin", "defaultLocations", "synthetic"])
        #expect(object["name"] as? String == "synthetic-city")
        #expect(object["displayName"] as? String == "Synthetic City (fictional)")
        #expect(object["timeZone"] as? String == "America/Chicago")
        #expect(object["synthetic"] as? Bool == true)
        #expect(object["projectionOrigin"] as? [Double] == [38.50, -97.00])
        let locations = try #require(object["defaultLocations"] as? [[String: Any]])
        #expect(locations.count == 1)
        let hq = SyntheticCity.headquarters
        #expect(locations[0]["name"] as? String == hq.name)
        #expect(locations[0]["latitude"] as? Double == hq.location.latitude)
        #expect(locations[0]["longitude"] as? Double == hq.location.longitude)
        #expect(locations[0]["radiusMeters"] as? Double == hq.radiusMeters)
        #expect(locations[0]["addressPatterns"] as? [String] == hq.addressPatterns)
    }

    @Test func givenTheIngestPresets_whenLoadingSyntheticCity_thenItEqualsTheSwiftJurisdiction() async throws {
        let loaded = try Presets.jurisdiction("synthetic-city")
        #expect(loaded == SyntheticCity().jurisdiction)
    }

    @Test func givenTheCity_whenMeasuringItsBoundary_thenItIsAbout20By16KilometresAroundTheCentre() async throws {
        let city = SyntheticCity()
        #expect(try city.jurisdiction.validated() == city.jurisdiction)
        let projection = city.jurisdiction.projection.prepared()
        let planar = SyntheticCity.boundaryRing.map { projection.project($0) }
        let width = planar.map(\.xMeters).max()! - planar.map(\.xMeters).min()!
        let height = planar.map(\.yMeters).max()! - planar.map(\.yMeters).min()!
        #expect(abs(width - 20_000) < 1_000)
        #expect(abs(height - 16_000) < 1_000)
        #expect(city.jurisdiction.contains(GeoPoint(latitude: 38.50, longitude: -97.00)))
        #expect(city.jurisdiction.contains(SyntheticCity.headquarters.location))
        #expect(city.jurisdiction.isSynthetic)
    }

    @Test func givenTheCity_whenCheckingItsFeatures_thenHotAreaCentresAndCorridorVerticesLieInside() async {
        let city = SyntheticCity()
        let projection = city.jurisdiction.projection.prepared()
        #expect(city.violentHotAreas.count == 12)
        #expect(abs(city.violentHotAreas.reduce(0) { $0 + $1.weight } - 1) < 1e-9)
        for area in city.violentHotAreas + city.patrolAreas {
            #expect(city.jurisdiction.contains(projection.unproject(area.center)), "\(area.name)")
        }
        for corridor in city.corridors {
            for v in corridor.vertices { #expect(city.jurisdiction.contains(projection.unproject(v)), "\(corridor.name)") }
        }
    }

    @Test func givenGridPositions_whenAddressing_thenAddressesAreBlockStyleAndNeverHeadquarters() async {
        let a = SyntheticAddress.blockAddress(for: PlanarPoint(xMeters: 0, yMeters: 3_010))
        #expect(a.contains(" BLOCK "))
        #expect(SyntheticAddress.ordinal(1) == "1ST" && SyntheticAddress.ordinal(12) == "12TH" && SyntheticAddress.ordinal(23) == "23RD")
        #expect(!SyntheticAddress.avenueNames.contains("MAIN"))
        #expect(Set(SyntheticAddress.avenueNames).count == SyntheticAddress.avenueNames.count)
    }
}
