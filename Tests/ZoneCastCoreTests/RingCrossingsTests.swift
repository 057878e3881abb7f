import Testing
import ZoneCastCore

/// Self-crossing boundary rings are refused when a jurisdiction is made (a data-import pass found a figure-eight
/// boundary accepted, which then put half a city's records out of the jurisdiction); checked against brute force.
struct RingCrossingsTests {
    static func ring(_ xy: [(Double, Double)]) -> [GeoPoint] { xy.map { GeoPoint(latitude: $0.1, longitude: $0.0) } }

    @Test("given a square, an L-shape and a closed ring repeating its first vertex, then none crosses itself")
    func simpleRings() {
        #expect(RingCrossings.first(in: Self.ring([(0, 0), (1, 0), (1, 1), (0, 1)])) == nil)
        #expect(RingCrossings.first(in: Self.ring([(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2), (0, 0)])) == nil)
    }

    @Test("given a figure-eight, then its crossing edges are named; given a ring touching itself at a vertex, then that is found too")
    func crossings() throws {
        let bowtie = try #require(RingCrossings.first(in: Self.ring([(0, 0), (1, 1), (1, 0), (0, 1)])))
        #expect(bowtie == (0, 2))
        // Two squares sharing the corner (1, 1), drawn as one ring through it twice.
        #expect(RingCrossings.first(in: Self.ring([(0, 0), (1, 0), (1, 1), (2, 1), (2, 2), (1, 2), (1, 1), (0, 1)])) != nil)
    }

    @Test("given 500 random rings of 4 to 12 vertices, then the bucketed check agrees with testing every pair of edges")
    func bruteForce() {
        var seed: UInt64 = 42
        func random() -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double((seed >> 33) % 1_000) / 100
        }
        for trial in 0..<500 {
            let n = 4 + trial % 9
            let points = (0..<n).map { _ in GeoPoint(latitude: random(), longitude: random()) }
            var any = false
            for e in 0..<n {
                for f in (e + 2)..<max(e + 2, n) where !(e == 0 && f == n - 1) {
                    if RingCrossingsTests.touch(points[e], points[(e + 1) % n], points[f], points[(f + 1) % n]) { any = true }
                }
            }
            #expect((RingCrossings.first(in: points) != nil) == any, "trial \(trial)")
        }
    }

    /// Brute force's own segment test, written independently (parametric intersection with exact rationals would be
    /// better; random points on a 0.01 lattice make collinear touches rare, and those are checked by hand above).
    static func touch(_ a: GeoPoint, _ b: GeoPoint, _ c: GeoPoint, _ d: GeoPoint) -> Bool {
        let (x1, y1, x2, y2) = (a.longitude, a.latitude, b.longitude, b.latitude)
        let (x3, y3, x4, y4) = (c.longitude, c.latitude, d.longitude, d.latitude)
        let den = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
        if den == 0 {
            // Parallel: touching only if collinear and overlapping.
            let cross = (x3 - x1) * (y2 - y1) - (y3 - y1) * (x2 - x1)
            guard cross == 0 else { return false }
            let overlapX = max(min(x1, x2), min(x3, x4)) <= min(max(x1, x2), max(x3, x4))
            let overlapY = max(min(y1, y2), min(y3, y4)) <= min(max(y1, y2), max(y3, y4))
            return overlapX && overlapY
        }
        let t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / den
        let u = -((x1 - x2) * (y1 - y3) - (y1 - y2) * (x1 - x3)) / den
        return t >= -1e-12 && t <= 1 + 1e-12 && u >= -1e-12 && u <= 1 + 1e-12
    }

    @Test("given a figure-eight boundary or one with latitude and longitude swapped, when a jurisdiction is made, then it is refused saying why")
    func jurisdictionRefuses() {
        func message(_ outer: [(Double, Double)]) -> String {
            let j = Jurisdiction(name: "x", displayName: "X", timeZoneIdentifier: "America/Chicago", boundary: GeoMultiPolygon([GeoPolygon(outer: Self.ring(outer))]))
            do { _ = try j.validated(); return "accepted" } catch { return "\(error)" }
        }
        #expect(message([(-94.6, 39.0), (-94.5, 39.1), (-94.5, 39.0), (-94.6, 39.1)]).contains("ring 1 crosses or touches itself: edge 1"))
        #expect(message([(39.0, -94.6), (39.1, -94.6), (39.1, -94.5), (39.0, -94.5)]).contains("beyond 85° latitude"))
        #expect(message([(-94.6, 39.0), (-94.5, 39.0), (-94.5, 39.1), (-94.6, 39.1)]) == "accepted")
    }
}
