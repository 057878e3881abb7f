import Foundation
import Testing
import ZoneCastCore
import ZoneCastStreets
import ZoneCastSynthetic

@Suite("The synthetic city's street network")
struct SyntheticNetworkTests {
    @Test("given incident addresses when their street names are looked up then every one is a street of the layer")
    func addressesMatchStreets() {
        // Given: block addresses of points spread over the city (the generator's own address function).
        let names = Set(SyntheticStreets.layer.streets.map { $0.street.name.uppercased() })
        let projection = SyntheticStreets.city.jurisdiction.projection.prepared()
        var checked = 0
        for x in stride(from: -9_800.0, through: 9_800, by: 170) {
            for y in stride(from: -7_800.0, through: 7_800, by: 190) {
                let p = PlanarPoint(xMeters: x, yMeters: y)
                guard SyntheticStreets.city.jurisdiction.contains(projection.unproject(p)) else { continue }
                // When
                let address = SyntheticAddress.blockAddress(for: p)
                let street = String(address[address.range(of: " BLOCK ")!.upperBound...])
                // Then
                #expect(names.contains(street), "\(address) names a street the layer lacks")
                checked += 1
            }
        }
        #expect(checked > 1_000)
    }

    @Test("given two seeds when generated then equal seeds give equal files and other seeds move only landmarks")
    func deterministic() {
        let a = SyntheticStreetNetwork(seed: 7), b = SyntheticStreetNetwork(seed: 7), c = SyntheticStreetNetwork(seed: 8)
        #expect(a.geoJSON() == b.geoJSON())
        #expect(a.ways == c.ways)
        #expect(a.places != c.places)
    }

    @Test("given the network when read then classes, corridors and landmarks of every kind are there, clipped to the boundary")
    func content() {
        let read = SyntheticStreets.read
        #expect(read.problems.isEmpty)
        let classOf = Dictionary(read.streets.map { ($0.name, $0.streetClass) }, uniquingKeysWith: { a, _ in a })
        #expect(classOf["Interstate 235"] == .motorway)
        #expect(classOf["US Highway 81"] == .trunk)
        #expect(classOf["Broadway"] == .primary)
        #expect(classOf[SyntheticStreetNetwork.avenueName(22)] == .secondary)
        #expect(classOf[SyntheticStreetNetwork.avenueName(21)] == .residential)
        #expect(Set(read.landmarks.map(\.kind)) == [.school, .park, .transitStop, .placeOfWorship])
        // Clipped: every vertex inside the boundary (up to a centimetre for cut points on the edge), and shorter.
        let boundary = SyntheticStreets.city.jurisdiction.boundary
        let full = StreetLayer(streets: read.streets, projection: SyntheticStreets.city.jurisdiction.projection)
        let clippedLength = SyntheticStreets.layer.streets.map(\.lengthMeters).reduce(0, +)
        #expect(clippedLength < full.streets.map(\.lengthMeters).reduce(0, +))
        let outside = SyntheticStreets.layer.streets.flatMap(\.street.points).filter { p in
            !boundary.contains(p) && !boundary.contains(GeoPoint(latitude: p.latitude + 1e-7, longitude: p.longitude))
                && !boundary.contains(GeoPoint(latitude: p.latitude - 1e-7, longitude: p.longitude))
                && !boundary.contains(GeoPoint(latitude: p.latitude, longitude: p.longitude + 1e-7))
                && !boundary.contains(GeoPoint(latitude: p.latitude, longitude: p.longitude - 1e-7))
        }
        #expect(outside.isEmpty)
    }
}
