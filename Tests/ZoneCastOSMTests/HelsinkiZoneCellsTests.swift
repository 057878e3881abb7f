import Foundation
import Testing
import ZoneCastCore
import ZoneCastStreets

/// Zones are grid cells on the pages, not drawn rings: a block of real, turned streets (central Helsinki's grid lies
/// about 30° off north) covered by square cells must still be named by the streets around it.
@Suite("A cell zone on the Helsinki extract")
struct HelsinkiZoneCellsTests {
    @Test("given 10 m cells covering the block of Fabianinkatu, Unioninkatu, Kirkkokatu and Yliopistonkatu, when described, then those four bound it")
    func cellsAroundKnownBlock() async throws {
        if let why = HelsinkiFixture.missing { try Test.cancel(Comment(rawValue: why)) }
        // Given: the block's corners are the four crossings (as in the ring test); the zone is every 10 m cell whose
        // centre lies in the block pulled 15 % towards its middle, so its staircase edges stay inside the streets.
        let read = try await HelsinkiFixture.read()
        let projection = HelsinkiFixture.projection
        let layer = StreetLayer(streets: read.streets, landmarks: read.landmarks, projection: projection)
        let corners = [(60.170715, 24.94915), (60.170769, 24.95078), (60.169919, 24.95087), (60.169882, 24.94924)]
            .map { projection.project(GeoPoint(latitude: $0.0, longitude: $0.1)) }
        let mx = corners.map(\.xMeters).reduce(0, +) / 4, my = corners.map(\.yMeters).reduce(0, +) / 4
        let ring = corners.map { PlanarPoint(xMeters: mx + 0.85 * ($0.xMeters - mx), yMeters: my + 0.85 * ($0.yMeters - my)) }
        let lattice = CellLattice(originX: mx - 200, originY: my - 200, cellSizeMeters: 10, columns: 40, rows: 40)
        let block = try ZoneFootprint(ring: ring)
        let cells = (0..<lattice.cellCount).filter { block.contains(lattice.center(of: $0)) }
        #expect(cells.count > 30, "\(cells.count) cells")
        // When
        let location = ZoneDescriber().describe(try ZoneFootprint(cells: cells, lattice: lattice), layer: layer, projection: projection)
        // Then
        #expect(location.boundingStreets == BoundingStreets(north: "Kirkkokatu", south: "Yliopistonkatu", west: "Fabianinkatu", east: "Unioninkatu"),
                "\(location.locationDescription)")
        #expect(location.locationDescription.hasPrefix("Kirkkokatu to Yliopistonkatu, between Fabianinkatu and Unioninkatu."))
        #expect(location.streets.isEmpty, "no street runs inside the block: \(location.streets)")
    }
}
