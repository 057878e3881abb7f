import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastServices
import ZoneCastStore
import ZoneCastStreets
import ZoneCastSynthetic

/// The synthetic city's street network as the demo imports it, for the zone-location tests.
enum SyntheticStreetFixture {
    static let city = SyntheticCity()
    static let read: StreetReadResult = try! StreetReaders.osm(SyntheticStreetNetwork(seed: 7).geoJSON(), source: "synthetic")
    static var stored: StoredStreetLayer {
        StoredStreetLayer(streets: read.streets, landmarks: read.landmarks, source: "synthetic street network", importedAt: WebFixture.now)
    }
    /// 100 m cells whose edges lie on the 400 m street grid (avenue i at x = −12,000 + 400 i, street j at y = −9,000 + 400 j).
    static let grid = Grid(originX: -12_000, originY: -9_000, cellSizeMeters: 100, columns: 240, rows: 180)

    /// The grid cells covering a planar rectangle whose edges are multiples of 100 m.
    static func cells(x: ClosedRange<Double>, y: ClosedRange<Double>) -> [Int] {
        stride(from: y.lowerBound + 50, to: y.upperBound, by: 100).flatMap { cy in
            stride(from: x.lowerBound + 50, to: x.upperBound, by: 100).map { cx in grid.cell(x: cx, y: cy)! }
        }
    }
}

@Suite("Zone locations through the service")
struct ZoneLocationsServiceTests {
    let jurisdiction = SyntheticStreetFixture.city.jurisdiction

    @Test("given the synthetic street layer in a store and a zone 100 m inside four streets, when the service describes it, then it names exactly those streets")
    func boundingAndInside() async throws {
        // Given: x −4,700...−3,300, y −100...1,300. The nearest streets outside each edge, 100 m out: avenue 18
        // (x −4,800) west, avenue 22 (x −3,200) east, street 22 (y −200) south, street 26 (y 1,400) north. Inside:
        // avenues 19-21 and streets 23-25, 1,400 m each, all residential (no arterial: i % 4 == 2 only at 18 and 22).
        let store = InMemoryIncidentStore()
        try await store.replaceStreetLayer(SyntheticStreetFixture.stored)
        let layer = try #require(try await ZoneLocations.streetLayer(in: store, jurisdiction: jurisdiction))
        let cells = SyntheticStreetFixture.cells(x: -4_700 ... -3_300, y: -100 ... 1_300)
        // When
        let locations = ZoneLocations.standard(for: jurisdiction)
            .locations(of: [("Z1", cells)], grid: SyntheticStreetFixture.grid, projection: jurisdiction.projection, layer: layer)
        // Then
        let location = try #require(locations["Z1"])
        let n = SyntheticStreetNetwork.streetName(26), s = SyntheticStreetNetwork.streetName(22)
        let w = SyntheticStreetNetwork.avenueName(18), e = SyntheticStreetNetwork.avenueName(22)
        #expect(location.boundingStreets == BoundingStreets(north: n, south: s, west: w, east: e))
        #expect(location.locationDescription.hasPrefix("\(n) to \(s), between \(w) and \(e)."), "\(location.locationDescription)")
        let inside = ([19, 20, 21].map(SyntheticStreetNetwork.avenueName) + [23, 24, 25].map(SyntheticStreetNetwork.streetName)).sorted()
        #expect(location.streets == inside)
        #expect(location.usedStreetLayer)
    }

    @Test("given a zone along an arterial, when described, then the arterial inside is listed first by its length")
    func orderedByLength() async throws {
        // Given: a zone 2 blocks wide and 4 long around avenue 22 (an arterial, x −3,200), x −3,500...−2,900,
        // y −100...1,500: avenue 22 runs 1,600 m inside, streets 23-26 only 600 m each; of those street 26 is an
        // arterial (j % 4 == 2), so it leads the tie, then the others by name.
        let layer = StreetLayer(streets: SyntheticStreetFixture.read.streets, landmarks: [], projection: jurisdiction.projection)
        let cells = SyntheticStreetFixture.cells(x: -3_500 ... -2_900, y: -100 ... 1_500)
        // When
        let location = ZoneLocations().location(ofCells: cells, grid: SyntheticStreetFixture.grid, projection: jurisdiction.projection, layer: layer)
        // Then
        let ties = [23, 24, 25].map(SyntheticStreetNetwork.streetName).sorted()
        #expect(location.streets == [SyntheticStreetNetwork.avenueName(22), SyntheticStreetNetwork.streetName(26)] + ties)
    }

    @Test("given a store without a street layer, when the service describes a zone, then it says so and gives the zone's centre")
    func noStreetLayer() async throws {
        // Given
        let store = InMemoryIncidentStore()
        let layer = try await ZoneLocations.streetLayer(in: store, jurisdiction: jurisdiction)
        let cells = SyntheticStreetFixture.cells(x: -100 ... 100, y: -100 ... 100)
        // When
        let location = ZoneLocations().location(ofCells: cells, grid: SyntheticStreetFixture.grid, projection: jurisdiction.projection, layer: layer)
        // Then: the zone is centred on planar (0, 0), the projection's origin.
        #expect(layer == nil)
        let origin = jurisdiction.projection.prepared().unproject(PlanarPoint(xMeters: 0, yMeters: 0))
        #expect(!location.usedStreetLayer && location.streets.isEmpty)
        #expect(location.locationDescription == String(format: "No street layer is loaded; zone centre %.5f, %.5f.", origin.latitude, origin.longitude))
    }
}
