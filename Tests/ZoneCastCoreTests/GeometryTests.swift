import Foundation
import Testing
@testable import ZoneCastCore

/// A ring from (longitude, latitude) pairs, GeoJSON order, so shapes read like the drawings in the comments.
private func ring(_ lonLat: [(Double, Double)]) -> [GeoPoint] {
    lonLat.map { GeoPoint(latitude: $0.1, longitude: $0.0) }
}

/// A ring on a 0.1° grid anchored at (39°N, 95°W), from grid (x, y) pairs: x east, y north.
private func gridRing(_ xy: [(Double, Double)]) -> [GeoPoint] {
    xy.map { GeoPoint(latitude: 39 + $0.1 * 0.1, longitude: -95 + $0.0 * 0.1) }
}

private func gridPoint(_ x: Double, _ y: Double) -> GeoPoint {
    GeoPoint(latitude: 39 + y * 0.1, longitude: -95 + x * 0.1)
}

@Suite("Geometry: points, polygons, boxes")
struct GeometryTests {
    // MARK: GeoPoint.isPossible

    @Test("given pairs that cannot be places when checked then isPossible is false",
          arguments: [
              GeoPoint(latitude: 0, longitude: 0),          // null island, the geocoder failure value
              GeoPoint(latitude: 91, longitude: -94),
              GeoPoint(latitude: -90.000001, longitude: 10),
              GeoPoint(latitude: 39, longitude: 180.5),
              GeoPoint(latitude: 39, longitude: -181),
              GeoPoint(latitude: .nan, longitude: -94),
              GeoPoint(latitude: 39, longitude: .nan),
              GeoPoint(latitude: .infinity, longitude: -94),
              GeoPoint(latitude: 39, longitude: -.infinity),
          ])
    func impossible(_ p: GeoPoint) async {
        #expect(!p.isPossible)
    }

    @Test("given real or extreme-but-valid pairs when checked then isPossible is true",
          arguments: [
              GeoPoint(latitude: 39.1009, longitude: -94.5774),
              GeoPoint(latitude: 90, longitude: 180),
              GeoPoint(latitude: -90, longitude: -180),
              GeoPoint(latitude: 0, longitude: 10),         // on the equator: only exactly (0, 0) is refused
              GeoPoint(latitude: 10, longitude: 0),         // on the prime meridian
          ])
    func possible(_ p: GeoPoint) async {
        #expect(p.isPossible)
    }

    // MARK: Distances

    @Test("given two Kansas City points 0.01° of longitude apart when measured by haversine then the distance is ≈ 862.9 m")
    func haversineEastWest() async {
        // By hand, on the sphere R = 6 371 008.8 m:
        //   d = 2R·asin(cos φ · sin(Δλ/2)), φ = 39.1009°, Δλ = 0.01° = 1.745329e-4 rad
        //   cos 39.1009° = 0.7760365; R·Δλ = 1111.9508 m; asin/sin are linear at this size (error ~1e-9)
        //   d ≈ 1111.9508 × 0.7760365 = 862.914 m
        // (Python: 2*6371008.8*asin(cos(radians(39.1009))*sin(radians(0.01)/2)) = 862.9144 m.)
        // Note: the brief's "~863.8 m" does not survive this check; 862.914 m is the haversine value.
        let a = GeoPoint(latitude: 39.1009, longitude: -94.5774), b = GeoPoint(latitude: 39.1009, longitude: -94.5674)
        #expect(abs(a.distanceMeters(to: b) - 862.914) < 0.5)
        #expect(abs(a.distanceMeters(to: b) - 862.914_408_8) < 1e-3)
        #expect(abs(b.distanceMeters(to: a) - a.distanceMeters(to: b)) < 1e-9)
    }

    @Test("given points along a meridian or antipodal when measured then the distance is R·Δφ on the mean sphere")
    func haversineMeridianAndAntipode() async {
        // 1° of latitude = 6371008.8 · π/180 = 111 195.0802 m.
        let a = GeoPoint(latitude: 39, longitude: -94.55), b = GeoPoint(latitude: 40, longitude: -94.55)
        #expect(abs(a.distanceMeters(to: b) - 111_195.080_2) < 1e-3)
        #expect(a.distanceMeters(to: a) == 0)
        // Pole to pole: π · R = 3.14159265 × 6 371 008.8 = 20 015 114.442 m (h = 1 exactly, so asin is well-behaved).
        let p = GeoPoint(latitude: 90, longitude: 0), q = GeoPoint(latitude: -90, longitude: 0)
        #expect(abs(p.distanceMeters(to: q) - 20_015_114.442) < 1e-2)
        // General antipodes are ill-conditioned (asin near 1): only check to a metre.
        let r = GeoPoint(latitude: 39.1, longitude: -94.55), s = GeoPoint(latitude: -39.1, longitude: 85.45)
        #expect(abs(r.distanceMeters(to: s) - 20_015_114.442) < 1)
    }

    @Test("given planar points when measured then the distance is Euclidean")
    func planarDistance() async {
        let a = PlanarPoint(xMeters: 100, yMeters: 200), b = PlanarPoint(xMeters: 103, yMeters: 196)
        #expect(abs(a.distanceMeters(to: b) - 5) < 1e-12)
        #expect(abs(b.distanceMeters(to: a) - 5) < 1e-12)
        #expect(a.distanceMeters(to: a) == 0)
    }

    // MARK: Polygons

    @Test("given a square when testing points then inside points are contained and points on every side outside are not")
    func square() async {
        // 0.2° square around Kansas City: lon −94.7…−94.5, lat 39.0…39.2.
        let sq = GeoPolygon(outer: ring([(-94.7, 39.0), (-94.5, 39.0), (-94.5, 39.2), (-94.7, 39.2), (-94.7, 39.0)]))
        #expect(sq.contains(GeoPoint(latitude: 39.1, longitude: -94.6)))
        #expect(sq.contains(GeoPoint(latitude: 39.0001, longitude: -94.6999)))
        #expect(sq.contains(GeoPoint(latitude: 39.1999, longitude: -94.5001)))
        #expect(!sq.contains(GeoPoint(latitude: 39.3, longitude: -94.6)))   // north
        #expect(!sq.contains(GeoPoint(latitude: 38.9, longitude: -94.6)))   // south
        #expect(!sq.contains(GeoPoint(latitude: 39.1, longitude: -94.4)))   // east
        #expect(!sq.contains(GeoPoint(latitude: 39.1, longitude: -94.8)))   // west
        #expect(!sq.contains(GeoPoint(latitude: 39.1, longitude: -94.5 + 1e-9)))
        #expect(!sq.contains(GeoPoint(latitude: 39.2 + 1e-9, longitude: -94.6)))
    }

    @Test("given an open ring and the same ring closed when testing points then the answers are identical")
    func openAndClosedRingsAgree() async {
        let open = GeoPolygon(outer: gridRing([(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3)]))
        var closedOuter = open.outer
        closedOuter.append(closedOuter[0])
        let closed = GeoPolygon(outer: closedOuter)
        var x = -0.75
        while x <= 3.75 {
            var y = -0.75
            while y <= 3.75 {
                #expect(open.contains(gridPoint(x, y)) == closed.contains(gridPoint(x, y)), "at grid (\(x), \(y))")
                y += 0.5
            }
            x += 0.5
        }
    }

    @Test("given a concave U-shaped polygon when testing points then the arms and base are inside and the notch is outside")
    func concaveU() async {
        //  y=3  +--+  +--+
        //       |  |  |  |      notch: 1 < x < 2, 1 < y ≤ 3
        //  y=1  |  +--+  |
        //  y=0  +--------+
        //       x=0 1  2  3
        let u = GeoPolygon(outer: gridRing([(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3), (0, 0)]))
        #expect(u.contains(gridPoint(0.5, 2)))    // left arm
        #expect(u.contains(gridPoint(2.5, 2)))    // right arm
        #expect(u.contains(gridPoint(1.5, 0.5)))  // base, under the notch
        #expect(u.contains(gridPoint(0.5, 0.5)))
        #expect(!u.contains(gridPoint(1.5, 2)))   // in the notch: the ray crosses both arms
        #expect(!u.contains(gridPoint(1.5, 2.9)))
        #expect(!u.contains(gridPoint(1.5, 3.5))) // above the notch
        #expect(!u.contains(gridPoint(-0.5, 2)))  // west, ray crosses four edges
        #expect(!u.contains(gridPoint(3.5, 2)))   // east
        #expect(!u.contains(gridPoint(1.5, -0.5)))
    }

    @Test("given a point level with vertices when testing a diamond then vertex crossings are counted once")
    func rayThroughVertex() async {
        // Diamond with vertices at (0,1), (1,0), (2,1), (1,2): the horizontal ray from (x, 1) passes through the
        // vertices at (0,1) and (2,1).
        let diamond = GeoPolygon(outer: gridRing([(0, 1), (1, 0), (2, 1), (1, 2)]))
        #expect(diamond.contains(gridPoint(1, 1)))
        #expect(diamond.contains(gridPoint(0.2, 1)))
        #expect(!diamond.contains(gridPoint(-1, 1)))
        #expect(!diamond.contains(gridPoint(3, 1)))
        #expect(!diamond.contains(gridPoint(1, 2.5)))
        #expect(diamond.contains(gridPoint(1, 1.9)))
    }

    @Test("given a polygon with a hole when testing points then the hole is outside and the ring around it inside")
    func hole() async {
        let outer = gridRing([(0, 0), (4, 0), (4, 4), (0, 4), (0, 0)])
        let hole = gridRing([(1, 1), (3, 1), (3, 3), (1, 3), (1, 1)])
        let donut = GeoPolygon(outer: outer, holes: [hole])
        #expect(!donut.contains(gridPoint(2, 2)))     // in the hole
        #expect(!donut.contains(gridPoint(1.1, 2.9)))
        #expect(donut.contains(gridPoint(0.5, 0.5)))  // in the ring
        #expect(donut.contains(gridPoint(3.5, 2)))
        #expect(donut.contains(gridPoint(2, 3.5)))
        #expect(!donut.contains(gridPoint(5, 2)))     // outside altogether
        #expect(!donut.contains(gridPoint(2, -1)))
        // Without the hole the centre is inside.
        #expect(GeoPolygon(outer: outer).contains(gridPoint(2, 2)))
    }

    @Test("given a polygon with two holes when testing points then both holes are excluded")
    func twoHoles() async {
        let p = GeoPolygon(outer: gridRing([(0, 0), (6, 0), (6, 3), (0, 3)]),
                           holes: [gridRing([(1, 1), (2, 1), (2, 2), (1, 2)]), gridRing([(4, 1), (5, 1), (5, 2), (4, 2)])])
        #expect(!p.contains(gridPoint(1.5, 1.5)))
        #expect(!p.contains(gridPoint(4.5, 1.5)))
        #expect(p.contains(gridPoint(3, 1.5)))
    }

    @Test("given a ring with fewer than 3 vertices when testing points then nothing is contained")
    func degenerateRing() async {
        #expect(!GeoPolygon(outer: []).contains(gridPoint(0, 0)))
        #expect(!GeoPolygon(outer: gridRing([(0, 0), (1, 1)])).contains(gridPoint(0.5, 0.5)))
    }

    @Test("given a multipolygon with two parts and an island in a hole when testing points then any part's containment counts")
    func multiPolygon() async {
        let south = GeoPolygon(outer: gridRing([(0, 0), (4, 0), (4, 4), (0, 4)]), holes: [gridRing([(1, 1), (3, 1), (3, 3), (1, 3)])])
        let island = GeoPolygon(outer: gridRing([(1.5, 1.5), (2.5, 1.5), (2.5, 2.5), (1.5, 2.5)]))
        let north = GeoPolygon(outer: gridRing([(0, 6), (2, 6), (2, 8), (0, 8)]))
        let multi = GeoMultiPolygon([south, island, north])
        #expect(multi.contains(gridPoint(0.5, 0.5)))   // south, outside its hole
        #expect(!multi.contains(gridPoint(1.2, 1.2)))  // in the hole, not on the island
        #expect(multi.contains(gridPoint(2, 2)))       // on the island inside the hole
        #expect(multi.contains(gridPoint(1, 7)))       // the detached northern part
        #expect(!multi.contains(gridPoint(1, 5)))      // between the parts
        #expect(!GeoMultiPolygon([]).contains(gridPoint(1, 1)))
    }

    // MARK: Bounding boxes

    @Test("given points when enclosing them then the box is the min/max in each axis, nil for none")
    func enclosing() async throws {
        #expect(GeoBoundingBox.enclosing([GeoPoint]()) == nil)
        let box = try #require(GeoBoundingBox.enclosing([
            GeoPoint(latitude: 39.3, longitude: -94.4), GeoPoint(latitude: 38.8, longitude: -94.8), GeoPoint(latitude: 39.0, longitude: -94.6),
        ]))
        #expect(box == GeoBoundingBox(minLatitude: 38.8, minLongitude: -94.8, maxLatitude: 39.3, maxLongitude: -94.4))
        #expect(abs(box.center.latitude - 39.05) < 1e-12)
        #expect(abs(box.center.longitude - -94.6) < 1e-12)
        #expect(box.contains(GeoPoint(latitude: 38.8, longitude: -94.4)))   // edges are inclusive
        #expect(box.contains(GeoPoint(latitude: 39.0, longitude: -94.6)))
        #expect(!box.contains(GeoPoint(latitude: 39.31, longitude: -94.6)))
        #expect(!box.contains(GeoPoint(latitude: 39.0, longitude: -94.81)))
        let single = try #require(GeoBoundingBox.enclosing([GeoPoint(latitude: 1, longitude: 2)]))
        #expect(single == GeoBoundingBox(minLatitude: 1, minLongitude: 2, maxLatitude: 1, maxLongitude: 2))
    }

    @Test("given polygons when asking their bounding boxes then outer rings define them")
    func polygonBoxes() async throws {
        let a = GeoPolygon(outer: gridRing([(0, 0), (4, 0), (4, 4), (0, 4)]), holes: [gridRing([(1, 1), (3, 1), (3, 3), (1, 3)])])
        let b = GeoPolygon(outer: gridRing([(0, 6), (2, 6), (2, 8), (0, 8)]))
        let boxA = try #require(a.boundingBox)
        #expect(abs(boxA.minLatitude - 39) < 1e-12 && abs(boxA.maxLatitude - 39.4) < 1e-12)
        #expect(abs(boxA.minLongitude - -95) < 1e-12 && abs(boxA.maxLongitude - -94.6) < 1e-12)
        let boxAB = try #require(GeoMultiPolygon([a, b]).boundingBox)
        #expect(abs(boxAB.maxLatitude - 39.8) < 1e-12)
        #expect(abs(boxAB.minLongitude - -95) < 1e-12)
        #expect(GeoMultiPolygon([]).boundingBox == nil)
    }

    @Test("given a planar box when measured and tested then width, height and inclusive containment hold")
    func planarBox() async {
        let box = PlanarBoundingBox(minX: -1_000, minY: -500, maxX: 2_000, maxY: 1_500)
        #expect(box.widthMeters == 3_000)
        #expect(box.heightMeters == 2_000)
        #expect(box.contains(PlanarPoint(xMeters: 0, yMeters: 0)))
        #expect(box.contains(PlanarPoint(xMeters: 2_000, yMeters: -500)))
        #expect(!box.contains(PlanarPoint(xMeters: 2_000.001, yMeters: 0)))
        #expect(!box.contains(PlanarPoint(xMeters: 0, yMeters: -500.001)))
    }
}
