import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastZoning

@Suite("Optimiser against the exact optimum")
struct OptimalityGapTests {
    @Test("given 200 random small instances when the optimiser and exhaustive search both solve them then the median gap is under 1 % and the worst under 5 %")
    func gapAgainstExhaustive() async throws {
        var rng = SplitMix64(seed: 20_240_611)
        var gaps: [Double] = []
        var worst = (gap: 0.0, index: -1)
        for i in 0..<200 {
            let instance = ZoningFixtures.smallInstance(i, &rng)
            let heuristic = try ZoneOptimizer(constraints: instance.constraints).optimize(instance.surface)
            let exact = try ExhaustiveZoneSolver(constraints: instance.constraints).solve(instance.surface)
            #expect(instance.constraints.violations(of: heuristic, grid: instance.surface.grid).isEmpty)
            #expect(instance.constraints.violations(of: exact, grid: instance.surface.grid).isEmpty)
            #expect(heuristic.totalValue <= exact.totalValue * (1 + 1e-9), "instance \(i): heuristic beats the optimum")
            let g = ZoningFixtures.gap(heuristic.totalValue, optimum: exact.totalValue)
            gaps.append(g)
            if g > worst.gap { worst = (g, i) }
        }
        let median = ZoningFixtures.median(gaps)
        let optimal = gaps.filter { $0 < 1e-9 }.count
        print("zoning optimality gap over \(gaps.count) instances: median \(String(format: "%.4f", median * 100)) %, worst \(String(format: "%.4f", worst.gap * 100)) % (instance \(worst.index)), optimal in \(optimal)")
        #expect(median < 0.01)
        #expect(worst.gap < 0.05)
    }
}
