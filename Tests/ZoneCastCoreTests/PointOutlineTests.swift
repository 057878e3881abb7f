import Testing
import ZoneCastCore

/// The outline of where points lie (`zonecast jurisdiction outline`): checked on hand-drawn cases and, on random
/// grids, against brute force (every cell's centre is inside the outline exactly when the cell is occupied or
/// enclosed).
struct PointOutlineTests {
    /// One point at the centre of each listed cell of `size` metres.
    static func points(_ cells: [(Int, Int)], size: Double = 100) -> [PlanarPoint] {
        cells.map { PlanarPoint(xMeters: (Double($0.0) + 0.5) * size, yMeters: (Double($0.1) + 0.5) * size) }
    }

    static func polygon(_ ring: [PlanarPoint]) -> GeoPolygon {
        GeoPolygon(outer: ring.map { GeoPoint(latitude: $0.yMeters, longitude: $0.xMeters) })
    }

    @Test("given points filling a 3 x 2 block of 100 m cells, then the outline is its rectangle: 4 corners, 0.06 km², counter-clockwise")
    func block() {
        let rings = PointOutline(cellSizeMeters: 100).rings(around: Self.points([(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1)]))
        #expect(rings.count == 1)
        #expect(rings[0] == [PlanarPoint(xMeters: 0, yMeters: 0), PlanarPoint(xMeters: 300, yMeters: 0), PlanarPoint(xMeters: 300, yMeters: 200),
                             PlanarPoint(xMeters: 0, yMeters: 200)])
        #expect(abs(PointOutline.areaSquareMeters(of: rings[0]) - 60_000) < 1e-6)
    }

    @Test("given a square of cells round an empty one, then the hole is filled: 9 cells' area")
    func holeFilled() {
        let ring = [(0, 0), (1, 0), (2, 0), (0, 1), (2, 1), (0, 2), (1, 2), (2, 2)]
        let rings = PointOutline(cellSizeMeters: 100).rings(around: Self.points(ring))
        #expect(rings.count == 1 && rings[0].count == 4)
        #expect(abs(PointOutline.areaSquareMeters(of: rings.first ?? []) - 90_000) < 1e-6)
    }

    @Test("given two cells meeting only at a corner, then one cell beside them joins them and the ring never touches itself")
    func cornerJoined() {
        let rings = PointOutline(cellSizeMeters: 100).rings(around: Self.points([(0, 0), (1, 1)]))
        #expect(rings.count == 1)
        #expect(Set(rings[0]).count == rings[0].count)
        #expect(abs(PointOutline.areaSquareMeters(of: rings.first ?? []) - 30_000) < 1e-6)
    }

    @Test("given 200 points in a block and one stray point far off, then the stray part (0.5 % of the points) is dropped unless asked for")
    func strayDropped() {
        var cells = (0..<200).map { ($0 % 20, $0 / 20) }
        cells.append((60, 60))
        #expect(PointOutline(cellSizeMeters: 100).rings(around: Self.points(cells)).count == 1)
        let both = PointOutline(cellSizeMeters: 100, minimumShareOfPoints: 0).rings(around: Self.points(cells))
        #expect(both.count == 2 && PointOutline.areaSquareMeters(of: both[0]) > PointOutline.areaSquareMeters(of: both[1]))
    }

    @Test("given cells needing 2 points, then cells with one are left out")
    func minimumPoints() {
        let pts = Self.points([(0, 0), (0, 0), (1, 0), (5, 5), (5, 5)])
        let rings = PointOutline(cellSizeMeters: 100, minimumPointsPerCell: 2, minimumShareOfPoints: 0).rings(around: pts)
        #expect(rings.count == 2 && rings.allSatisfy { abs(PointOutline.areaSquareMeters(of: $0) - 10_000) < 1e-6 })
    }

    @Test("given 200 random 12 x 12 grids, then each ring is simple and a cell's centre is inside it exactly when brute force fills the cell")
    func bruteForce() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        for trial in 0..<200 {
            var cells: [(Int, Int)] = []
            for x in 0..<12 { for y in 0..<12 where random(100) < 45 { cells.append((x, y)) } }
            guard !cells.isEmpty else { continue }
            let rings = PointOutline(cellSizeMeters: 1, minimumShareOfPoints: 0).rings(around: Self.points(cells, size: 1))
            let polygons = rings.map(Self.polygon)
            for ring in rings { #expect(Set(ring).count == ring.count, "trial \(trial): a ring repeats a corner") }
            // Brute force: a cell is covered when occupied, or when the outside (flood from beyond the grid, through
            // empty cells sharing an edge) cannot reach it. Corner-joining cells are occupied cells' neighbours.
            let occupied = Set(cells.map { $0.0 * 100 + $0.1 })
            var outside: Set<Int> = [], stack = [(-1, -1)]
            while let (x, y) = stack.popLast() {
                guard (-1...12).contains(x), (-1...12).contains(y), !occupied.contains(x * 100 + y), !outside.contains((x + 1) * 1_000 + y + 1) else { continue }
                outside.insert((x + 1) * 1_000 + y + 1)
                stack += [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)]
            }
            var area = 0.0
            for ring in rings { area += PointOutline.areaSquareMeters(of: ring) }
            var mismatches = 0, covered = 0
            for x in -1...12 {
                for y in -1...12 {
                    let inside = polygons.contains { $0.contains(GeoPoint(latitude: Double(y) + 0.5, longitude: Double(x) + 0.5)) }
                    if inside { covered += 1 }
                    let enclosed = occupied.contains(x * 100 + y) || !outside.contains((x + 1) * 1_000 + y + 1)
                    if enclosed && !inside { mismatches += 1 }
                    // Otherwise only a corner-joining cell, which lies between two cells of the outline.
                    if inside && !enclosed {
                        let beside = [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)].filter { n in
                            polygons.contains { $0.contains(GeoPoint(latitude: Double(n.1) + 0.5, longitude: Double(n.0) + 0.5)) }
                        }
                        if beside.count < 2 { mismatches += 1 }
                    }
                }
            }
            #expect(mismatches == 0, "trial \(trial): \(mismatches) cells on the wrong side of the outline")
            #expect(abs(area - Double(covered)) < 1e-9, "trial \(trial): area \(area) for \(covered) covered cells")
        }
    }
}
