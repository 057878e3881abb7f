import Foundation
import Testing
import ZoneCastCore
import ZoneCastStreets
import ZoneCastSynthetic

/// The synthetic city's grid, read back through the OSM reader as the demo will import it.
enum SyntheticStreets {
    static let city = SyntheticCity()
    static let network = SyntheticStreetNetwork(seed: 7)
    static let read: StreetReadResult = try! StreetReaders.osm(network.geoJSON(), source: "synthetic")
    static let layer = StreetLayer(streets: read.streets, landmarks: read.landmarks, projection: city.jurisdiction.projection)
        .clipped(to: city.jurisdiction.boundary)
    /// 100 m cells with edges on the 400 m street grid (the grid's west and south edges are multiples of 100 m).
    static let lattice = CellLattice(originX: -12_000, originY: -9_000, cellSizeMeters: 100, columns: 240, rows: 180)

    /// The cells covering a planar rectangle (edges on multiples of 100 m).
    static func cells(x: ClosedRange<Double>, y: ClosedRange<Double>) -> [Int] {
        var cells = [Int]()
        var cy = y.lowerBound + 50
        while cy < y.upperBound {
            var cx = x.lowerBound + 50
            while cx < x.upperBound {
                cells.append(lattice.cell(containing: PlanarPoint(xMeters: cx, yMeters: cy))!)
                cx += 100
            }
            cy += 100
        }
        return cells
    }
}

@Suite("Zone descriptions on the synthetic grid")
struct SyntheticGridDescriptionTests {
    let describer = ZoneDescriber(blockLengthMeters: 400)

    @Test("given a zone whose edges lie 100 m inside four streets when described then it names those four and the streets inside")
    func boundingStreets() throws {
        // Given: x from −4,700 to −3,300 and y from −100 to 1,300. Avenues lie at x = −12,000 + 400 i, streets at
        // y = −9,000 + 400 j, so the nearest streets outside each edge are avenues 18 (x −4,800) and 22 (−3,200)
        // and streets 22 (y −200) and 26 (1,400), each 100 m out; the ones 300 m inside are farther. (Street index j is
        // named ordinal(j + 1): street 26 is "27th St".)
        // No corridor passes through (Broadway is at x ≈ −1,850, Kellogg Parkway at y > 2,700 here, I-235 at y ≈ −500).
        let footprint = try ZoneFootprint(cells: SyntheticStreets.cells(x: -4_700 ... -3_300, y: -100 ... 1_300),
                                          lattice: SyntheticStreets.lattice)
        // When
        let location = describer.describe(footprint, layer: SyntheticStreets.layer, projection: SyntheticStreets.city.jurisdiction.projection)
        // Then
        let n = SyntheticStreetNetwork.streetName(26), s = SyntheticStreetNetwork.streetName(22)
        let w = SyntheticStreetNetwork.avenueName(18), e = SyntheticStreetNetwork.avenueName(22)
        #expect(location.boundingStreets == BoundingStreets(north: n, south: s, west: w, east: e))
        #expect(location.locationDescription.hasPrefix("\(n) to \(s), between \(w) and \(e)."))
        // Inside: avenues 19-21 and streets 23-25, each 1,400 m, all residential: equal length, so by name.
        let inside = [19, 20, 21].map(SyntheticStreetNetwork.avenueName) + [23, 24, 25].map(SyntheticStreetNetwork.streetName)
        #expect(location.streets == inside.sorted())
        #expect(location.usedStreetLayer)
    }

    @Test("given an L-shaped zone when described then streets are ordered by metres inside")
    func streetsByLength() throws {
        // Given: the rectangle above plus a tongue x −3,300...−2,900, y 500...700 along street 24 (y 600): street 24
        // has 1,400 + 400 m inside, avenue 22 (x −3,200) only the tongue's 200 m, the others 1,400 m each.
        let cells = SyntheticStreets.cells(x: -4_700 ... -3_300, y: -100 ... 1_300) + SyntheticStreets.cells(x: -3_300 ... -2_900, y: 500 ... 700)
        let footprint = try ZoneFootprint(cells: cells, lattice: SyntheticStreets.lattice)
        // When
        let location = describer.describe(footprint, layer: SyntheticStreets.layer, projection: SyntheticStreets.city.jurisdiction.projection)
        // Then
        let ties = ([19, 20, 21].map(SyntheticStreetNetwork.avenueName) + [23, 25].map(SyntheticStreetNetwork.streetName)).sorted()
        #expect(location.streets == [SyntheticStreetNetwork.streetName(24)] + ties + [SyntheticStreetNetwork.avenueName(22)])
        #expect(location.locationDescription.contains("Main streets: \(SyntheticStreetNetwork.streetName(24)), \(ties[0]) and \(ties[1])."))
    }

    @Test("given a small zone on one crossing when described then it falls back to the named intersection")
    func intersectionFallback() throws {
        // Given: a 60 m square centred on avenue 20 × street 24: no side has a street of its own.
        let x = SyntheticStreetNetwork.avenueX(20), y = SyntheticStreetNetwork.streetY(24)
        let ring = [(-30.0, -30.0), (30, -30), (30, 30), (-30, 30)].map { PlanarPoint(xMeters: x + $0.0, yMeters: y + $0.1) }
        // When
        let location = describer.describe(try ZoneFootprint(ring: ring), layer: SyntheticStreets.layer,
                                          projection: SyntheticStreets.city.jurisdiction.projection)
        // Then
        let expected = [SyntheticStreetNetwork.avenueName(20), SyntheticStreetNetwork.streetName(24)].sorted().joined(separator: " & ")
        #expect(location.intersections.first == expected)
        #expect(location.locationDescription.hasPrefix("Near \(expected)"))
    }

    @Test("given a zone two blocks east of a school when described then the landmark is named with blocks, metres and direction")
    func landmark() throws {
        // Given: the seeded Central High School's grounds (a block) and a 100 m square 800 m east of its centroid.
        let school = try #require(SyntheticStreets.layer.landmarks.first { $0.landmark.name == "Central High School" })
        let c = PlanarPoint(xMeters: school.position.xMeters + 800, yMeters: school.position.yMeters)
        let ring = [(-50.0, -50.0), (50, -50), (50, 50), (-50, 50)].map { PlanarPoint(xMeters: c.xMeters + $0.0, yMeters: c.yMeters + $0.1) }
        // When: a describer whose search radius holds only this school (other landmarks may be nearer to c).
        let layer = StreetLayer(streets: SyntheticStreets.read.streets, landmarks: [school.landmark], projection: SyntheticStreets.city.jurisdiction.projection)
        let location = describer.describe(try ZoneFootprint(ring: ring), layer: layer, projection: layer.projection)
        // Then
        let reference = try #require(location.nearestLandmark)
        #expect(reference.direction == "east")
        #expect(reference.blocks == 2)
        #expect(abs(reference.distanceMeters - 800) < 1)
        #expect(location.locationDescription.contains("About two blocks (800 m) east of Central High School."))
    }

    @Test("given no street layer when described then the text says so and gives the centre coordinates")
    func noLayer() throws {
        // Given
        let footprint = try ZoneFootprint(cells: SyntheticStreets.cells(x: -100 ... 100, y: -100 ... 100), lattice: SyntheticStreets.lattice)
        let projection = SyntheticStreets.city.jurisdiction.projection
        // When
        let location = describer.describe(footprint, layer: nil, projection: projection)
        // Then: the centre is the projection origin (the zone is centred on planar 0, 0).
        let origin = SyntheticCity.projectionOrigin
        #expect(!location.usedStreetLayer && location.streets.isEmpty)
        #expect(abs(location.centre.latitude - origin.latitude) < 1e-9 && abs(location.centre.longitude - origin.longitude) < 1e-9)
        #expect(location.locationDescription == String(format: "No street layer is loaded; zone centre %.5f, %.5f.", origin.latitude, origin.longitude))
    }
}
