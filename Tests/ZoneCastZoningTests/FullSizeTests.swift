import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastZoning

@Suite("Full-size zoning")
struct FullSizeTests {
    /// A 200 x 150 grid of 100 m cells (30,000 cells, 300 km2): incident counts around 25 hot spots plus
    /// background, smoothed with a 150 m Gaussian kernel like a kernel-density harm surface. (The 200,000-cell
    /// timing is measured in release builds, not here.)
    func surface() -> RiskSurface {
        let columns = 200, rows = 150
        var rng = SplitMix64(seed: 11)
        var raw = [Double](repeating: 0, count: columns * rows)
        for _ in 0..<25 {
            let cx = ZoningFixtures.uniform(&rng) * Double(columns), cy = ZoningFixtures.uniform(&rng) * Double(rows)
            let spread = 2 + 8 * ZoningFixtures.uniform(&rng)
            for _ in 0..<ZoningFixtures.int(20...300, &rng) {
                let c = Int(cx + spread * (ZoningFixtures.uniform(&rng) * 2 - 1))
                let r = Int(cy + spread * (ZoningFixtures.uniform(&rng) * 2 - 1))
                if c >= 0, r >= 0, c < columns, r < rows { raw[r * columns + c] += 1 }
            }
        }
        for _ in 0..<3_000 { raw[rng.index(below: raw.count)] += 1 }
        let smooth = GaussianSmoother.smooth(raw, columns: columns, rows: rows, cellSizeMeters: 100, bandwidthMeters: 150)
        return ZoningFixtures.surface(Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: columns, rows: rows), smooth)
    }

    @Test("given a full-size smoothed surface when optimised then the plan is valid and close to a much longer search and the top-cells bound")
    func againstReference() async throws {
        let s = surface()
        let plan = try ZoneOptimizer().optimize(s)
        let strong = ZoneSearchSettings(candidatePoolSize: 8_192, denseSeeds: 32, seedsPerZone: 64, beamWidth: 12,
                                        branching: 12, polishRounds: 3, pairSeeds: 4, ruinTrials: 24, intensifiedCandidates: 3)
        let reference = try ZoneOptimizer(settings: strong).optimize(s)
        let cap = ZoneConstraints().maxCells(on: s.grid)
        let bound = s.topCells(4 * cap).reduce(0) { $0 + s.values[$1] }
        let gapToReference = ZoningFixtures.gap(plan.totalValue, optimum: max(reference.totalValue, plan.totalValue))
        let gapToBound = ZoningFixtures.gap(plan.totalValue, optimum: bound)
        print("zoning full size (30,000 cells): plan \(plan.totalValue), reference \(reference.totalValue), gap to reference \(String(format: "%.3f", gapToReference * 100)) %, top-\(4 * cap)-cells bound \(bound), gap to bound \(String(format: "%.3f", gapToBound * 100)) %, captured share \(String(format: "%.4f", plan.capturedShare))")
        #expect(ZoneConstraints().violations(of: plan, grid: s.grid).isEmpty)
        #expect(plan.zones.count == 4)
        #expect(gapToReference < 0.02)
    }
}
