import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastZoning

@Suite("Zone constraints and geometry")
struct ConstraintTests {
    let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 20, rows: 20)

    @Test("given cells when measured then diameter is farthest centres plus one width and separation is edge to edge")
    func geometry() async {
        #expect(ZoneGeometry.diameterMeters(of: [0], grid: grid) == 100)
        #expect(ZoneGeometry.diameterMeters(of: [0, 1, 2], grid: grid) == 300)
        #expect(abs(ZoneGeometry.diameterMeters(of: [0, 21], grid: grid) - (100 * 2.0.squareRoot() + 100)) < 1e-9)
        #expect(ZoneGeometry.separationMeters(between: [0], and: [1], grid: grid) == 0)   // edge
        #expect(ZoneGeometry.separationMeters(between: [0], and: [21], grid: grid) == 0)  // corner
        #expect(ZoneGeometry.separationMeters(between: [0], and: [5], grid: grid) == 400)
        #expect(ZoneGeometry.separationMeters(between: [0], and: [5 * 20 + 4], grid: grid) == 500) // (3, 4) gaps
        #expect(ZoneGeometry.isConnected([0, 1, 21], grid: grid))
        #expect(!ZoneGeometry.isConnected([0, 21], grid: grid))
        #expect(!ZoneGeometry.isConnected([19, 20], grid: grid)) // row wrap is not adjacency
    }

    @Test("given the default constraints when converted for 100 m cells then a zone holds at most 65 cells")
    func cellCap() async {
        #expect(ZoneConstraints().maxCells(on: grid) == 65)
        #expect(ZoneConstraints(maxAreaKm2: 0.29).maxCells(on: grid) == 29)
    }

    @Test("given broken cell sets when validated then each violation is named")
    func violations() async {
        var active = [Bool](repeating: true, count: 400)
        active[5] = false
        let g = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 20, rows: 20, active: active)
        let c = ZoneConstraints(maxAreaKm2: 0.04, maxDiameterMeters: 300, excluded: [7])
        #expect(c.violations(ofCells: [0, 1, 2], grid: g).isEmpty)
        #expect(c.violations(ofCells: [0, 2], grid: g) == ["cells are not 4-connected"])
        #expect(c.violations(ofCells: [0, 1, 2, 3], grid: g) == ["diameter 400.0 m exceeds 300.0 m"])
        #expect(c.violations(ofCells: [0, 1, 20, 21, 40], grid: g).first?.contains("exceed the 4-cell cap") == true)
        #expect(c.violations(ofCells: [5], grid: g) == ["cells [5] are inactive (outside the jurisdiction)"])
        #expect(c.violations(ofCells: [7], grid: g) == ["cells [7] are excluded"])
        #expect(c.violations(ofCells: [400], grid: g) == ["cells [400] are outside the grid's 400 cells"])
        #expect(c.violations(ofCells: [Int](), grid: g) == ["a zone needs at least one cell"])
        #expect(throws: ZoningError.self) { try c.validate(cells: [0, 2], grid: g) }
        #expect(throws: Never.self) { try c.validate(cells: [0], grid: g) }
    }

    @Test("given plans when validated then zone count, overlap and separation are checked")
    func planViolations() async {
        let s = ZoningFixtures.surface(grid, [Double](repeating: 1, count: 400))
        let c = ZoneConstraints(maxZones: 2, minSeparationMeters: 400)
        let a = Zone(cells: [0], surface: s), b = Zone(cells: [4], surface: s), far = Zone(cells: [5], surface: s)
        #expect(c.violations(of: ZonePlan(zones: [a, far], surfaceTotal: s.total), grid: grid).isEmpty)
        #expect(c.violations(of: ZonePlan(zones: [a, b], surfaceTotal: s.total), grid: grid) == ["zones 1 and 2 are 300.0 m apart, less than 400.0 m"])
        #expect(c.violations(of: ZonePlan(zones: [a, a], surfaceTotal: s.total), grid: grid) == ["zones 1 and 2 share cells"])
        #expect(c.violations(of: ZonePlan(zones: [a, far, Zone(cells: [399], surface: s)], surfaceTotal: s.total), grid: grid) == ["3 zones exceed the maximum of 2"])
    }

    @Test("given a cell set when valued then each cell counts once")
    func value() async {
        let s = ZoningFixtures.surface(grid, (0..<400).map(Double.init))
        #expect(s.value(of: [1, 2, 2, 3]) == 6)
    }
}
