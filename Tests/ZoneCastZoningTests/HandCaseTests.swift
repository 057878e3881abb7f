import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastZoning

/// Hand-computed values compared within a relative tolerance (areas and lengths are sums and products of doubles).
private func close(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}

@Suite("Zoning hand cases")
struct HandCaseTests {
    @Test("given a single hot cell when optimised then the plan is that one cell and no zone of zero harm")
    func singleHotCell() async throws {
        let s = ZoningFixtures.surface(columns: 10, rows: 10, hot: [(4, 6, 5)])
        let plan = try ZoneOptimizer().optimize(s)
        #expect(plan.zones.map(\.cells) == [[64]])
        #expect(close(plan.totalValue, 5))
        #expect(close(plan.capturedShare, 1))
        #expect(close(plan.zones[0].areaKm2, 0.01))
        #expect(close(plan.zones[0].diameterMeters, 100))
        #expect(close(plan.zones[0].centroid.xMeters, 450) && close(plan.zones[0].centroid.yMeters, 650))
        let box = plan.zones[0].boundingBox
        #expect(close(box.minX, 400) && close(box.minY, 600) && close(box.maxX, 500) && close(box.maxY, 700))
    }

    @Test("given two one-cell hot spots 200 m apart and a 400 m separation when optimised then only the hotter is chosen")
    func hotSpotsTooClose() async throws {
        // One-cell zones, so the two spots cannot share a zone either.
        let constraints = ZoneConstraints(maxZones: 2, maxAreaKm2: 0.01)
        let close = ZoningFixtures.surface(columns: 10, rows: 10, hot: [(2, 5, 5), (5, 5, 3)])
        #expect(try ZoneOptimizer(constraints: constraints).optimize(close).zones.map(\.cells) == [[52]])
        // 400 m edge to edge (columns 2 and 7): both fit.
        let apart = ZoningFixtures.surface(columns: 10, rows: 10, hot: [(2, 5, 5), (7, 5, 3)])
        #expect(try ZoneOptimizer(constraints: constraints).optimize(apart).zones.map(\.cells) == [[52], [57]])
    }

    @Test("given the hottest cell excluded (as a set or a mask) when optimised then it is never chosen")
    func excludedCell() async throws {
        let s = ZoningFixtures.surface(columns: 10, rows: 10, hot: [(3, 3, 9), (8, 8, 2)])
        let bySet = ZoneConstraints(excluded: [33])
        var mask = [Bool](repeating: false, count: 100)
        mask[33] = true
        let byMask = try ZoneConstraints().excluding(mask: mask, grid: s.grid)
        for c in [bySet, byMask] {
            let plan = try ZoneOptimizer(constraints: c).optimize(s)
            #expect(plan.zones.map(\.cells) == [[88]])
        }
        #expect(throws: ZoningError.maskSizeMismatch(maskCount: 3, cellCount: 100)) {
            try ZoneConstraints().excluding(mask: [true, false, true], grid: s.grid)
        }
    }

    @Test("given an L-shaped hot region of exactly the area cap when optimised then the zone is the L")
    func lShape() async throws {
        let l = [(2, 2), (2, 3), (2, 4), (3, 2), (4, 2)]
        var hot = l.map { ($0.0, $0.1, 2.0) }
        hot.append((7, 8, 0.5)) // far away, weaker
        let s = ZoningFixtures.surface(columns: 10, rows: 10, hot: hot)
        let plan = try ZoneOptimizer(constraints: ZoneConstraints(maxZones: 1, maxAreaKm2: 0.05)).optimize(s)
        #expect(plan.zones.map(\.cells) == [[22, 23, 24, 32, 42]])
        #expect(close(plan.totalValue, 10))
    }

    @Test("given a line of ten hot cells and a 500 m diameter when optimised then a zone takes five consecutive cells")
    func diameterLimitedLine() async throws {
        let s = ZoningFixtures.surface(columns: 12, rows: 5, hot: (1...10).map { ($0, 2, 1.0) })
        let c = ZoneConstraints(maxZones: 1, maxDiameterMeters: 500)
        let plan = try ZoneOptimizer(constraints: c).optimize(s)
        #expect(plan.zones.count == 1)
        let cells = plan.zones[0].cells
        #expect(cells.count == 5)
        #expect(cells.last! - cells.first! == 4)
        #expect(close(plan.zones[0].diameterMeters, 500))
    }

    @Test("given fixed zones when the rest is optimised then they are kept and new zones keep their distance")
    func fixedZones() async throws {
        let s = ZoningFixtures.surface(columns: 12, rows: 12, hot: [(2, 2, 9), (9, 9, 7), (3, 3, 1), (2, 9, 4)])
        let c = ZoneConstraints(maxZones: 2, maxAreaKm2: 0.01)
        let kept = Zone(cells: [111], surface: s) // (3, 9): weak, but the analyst keeps it
        let plan = try ZoneOptimizer(constraints: c).optimize(s, fixed: [kept])
        #expect(plan.zones.map(\.cells) == [[26], [111]])
        #expect(c.violations(of: plan, grid: s.grid).isEmpty)
        #expect(throws: ZoningError.tooManyFixedZones(count: 3, maxZones: 2)) {
            try ZoneOptimizer(constraints: c).optimize(s, fixed: [kept, kept, kept])
        }
        let wide = Zone(cells: [0, 1], surface: s)
        #expect(throws: ZoningError.self) { try ZoneOptimizer(constraints: c).optimize(s, fixed: [wide]) }
    }

    @Test("given invalid settings or surface values when optimised then a ZoningError names them")
    func refusals() async {
        let s = ZoningFixtures.surface(columns: 4, rows: 4, hot: [(1, 1, 1)])
        #expect(throws: ZoningError.invalidSetting(name: "maxAreaKm2", value: 0.001, reason: "must be finite and at least one cell (0.01 km2)")) {
            try ZoneOptimizer(constraints: ZoneConstraints(maxAreaKm2: 0.001)).optimize(s)
        }
        #expect(throws: ZoningError.cellOutOfRange(cell: 99, cellCount: 16, context: "excluded")) {
            try ZoneOptimizer(constraints: ZoneConstraints(excluded: [99])).optimize(s)
        }
        var v = s.values
        v[3] = .nan
        #expect(throws: ZoningError.self) { try ZoneOptimizer().optimize(ZoningFixtures.surface(s.grid, v)) }
    }
}
