import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastZoning

@Suite("Plans on random instances")
struct PlanValidityTests {
    /// 20x20 to 30x30 grids of 100 m cells with an irregular inactive area and some excluded cells, and the
    /// default constraints (65-cell zones, 1.2 km across, 400 m apart).
    func instance(_ i: Int, _ rng: inout SplitMix64) -> ZoningFixtures.Instance {
        let columns = ZoningFixtures.int(20...30, &rng), rows = ZoningFixtures.int(20...30, &rng)
        var active = [Bool](repeating: true, count: columns * rows)
        for r in 0..<rows { for c in 0..<columns where c + r < 6 || ZoningFixtures.uniform(&rng) < 0.05 { active[r * columns + c] = false } }
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: columns, rows: rows, active: active)
        let values = ZoningFixtures.values(columns: columns, rows: rows, kind: i, &rng)
        var excluded = Set<Int>()
        for _ in 0..<10 { excluded.insert(ZoningFixtures.int(0...(grid.cellCount - 1), &rng)) }
        return .init(surface: ZoningFixtures.surface(grid, values), constraints: ZoneConstraints(excluded: excluded))
    }

    @Test("given random instances when optimised then every plan passes the validator and uses no inactive or excluded cell")
    func validity() async throws {
        var rng = SplitMix64(seed: 77)
        for i in 0..<12 {
            let inst = instance(i, &rng)
            let grid = inst.surface.grid
            let plan = try ZoneOptimizer(constraints: inst.constraints).optimize(inst.surface)
            #expect(inst.constraints.violations(of: plan, grid: grid).isEmpty, "instance \(i)")
            #expect(!plan.zones.isEmpty && plan.zones.count <= 4)
            for z in plan.zones {
                #expect(z.cells.allSatisfy { grid.active[$0] && !inst.constraints.excluded.contains($0) })
                #expect(inst.constraints.violations(ofCells: z.cells, grid: grid).isEmpty)
                #expect(abs(z.value - inst.surface.value(of: z.cells)) < 1e-12)
            }
            #expect(zip(plan.zones, plan.zones.dropFirst()).allSatisfy { $0.value >= $1.value })
            #expect(plan.capturedShare > 0 && plan.capturedShare <= 1)
        }
    }

    @Test("given the same surface twice (and a copy) when optimised then the plans are identical")
    func determinism() async throws {
        var rng = SplitMix64(seed: 5)
        for i in 0..<3 {
            let inst = instance(i, &rng)
            let optimizer = ZoneOptimizer(constraints: inst.constraints)
            let a = try optimizer.optimize(inst.surface)
            let copy = ZoningFixtures.surface(inst.surface.grid, Array(inst.surface.values))
            #expect(try optimizer.optimize(inst.surface) == a)
            #expect(try optimizer.optimize(copy) == a)
        }
    }

    @Test("given hot values under an inactive mask when optimised then inactive cells are never chosen")
    func inactiveNeverChosen() async throws {
        var active = [Bool](repeating: true, count: 100)
        for i in 40..<60 { active[i] = false }
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 10, rows: 10, active: active)
        // Risk surfaces zero inactive cells themselves; the optimiser also checks the mask.
        let s = ZoningFixtures.surface(grid, (0..<100).map { (40..<60).contains($0) ? 100 : Double($0 % 7) })
        let plan = try ZoneOptimizer().optimize(s)
        #expect(!plan.zones.isEmpty)
        #expect(plan.zones.allSatisfy { $0.cells.allSatisfy { grid.active[$0] } })
    }
}
