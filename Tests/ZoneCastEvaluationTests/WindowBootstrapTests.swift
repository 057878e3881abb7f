import ZoneCastCore
import Testing
@testable import ZoneCastEvaluation

@Suite("Bootstrap over windows")
struct WindowBootstrapTests {
    /// 30 windows with 4 events each at a 2-of-16-cell budget, hits cycling 0, 1, 2, 3, 4.
    static let windows: [BudgetScore] = (0..<30).map { i in
        BudgetScore(areaFraction: 0.125, cells: 2, activeCells: 16, cellAreaKm2: 0.01, hits: i % 5, testEvents: 4,
                    bestPossibleHits: 4, harmCapturedDays: Double(i % 5), totalHarmDays: 4)
    }

    @Test("given SplitMix64 seeded with 0 when drawn then the reference outputs come out")
    func generatorReference() async {
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        var h = SplitMix64(seed: 42)
        for _ in 0..<1_000 { #expect((0..<7).contains(h.index(below: 7))) }
    }

    @Test("given varied windows when bootstrapped then each interval contains the pooled estimate and is not degenerate")
    func containsEstimate() async throws {
        let b = try WindowBootstrap(replicates: 1_000, seed: 1)
        let pooled = try #require(BudgetScore.pooling(Self.windows))
        // sum n = 6 x (0+1+2+3+4) = 60 of 120: hit rate 0.5, PAI 0.5 x 8 = 4, PEI* 60/120.
        #expect(close(pooled.hitRate, 0.5) && close(pooled.pai, 4) && close(pooled.pei, 0.5))
        let ci = b.intervals(for: Self.windows)
        let hit = try #require(ci.hitRate), pai = try #require(ci.pai), pei = try #require(ci.pei), harm = try #require(ci.harmCaptured)
        #expect(hit.contains(0.5) && pai.contains(4) && pei.contains(0.5) && harm.contains(0.5))
        #expect(hit.lower < 0.5 && hit.upper > 0.5)
        // PAI = hit rate x 8 in every replicate, so its bounds are the hit-rate bounds x 8.
        #expect(abs(pai.lower - 8 * hit.lower) < 1e-9 && abs(pai.upper - 8 * hit.upper) < 1e-9)
    }

    @Test("given a seed when bootstrapped twice then the intervals are identical, and another seed moves them")
    func reproducible() async throws {
        // Few replicates, so the quantiles move with the draws (pooled hit rates are multiples of 1/120, and with many
        // replicates two seeds can land on the same order statistics).
        let a = try WindowBootstrap(replicates: 40, seed: 99).intervals(for: Self.windows)
        let b = try WindowBootstrap(replicates: 40, seed: 99).intervals(for: Self.windows)
        let c = try WindowBootstrap(replicates: 40, seed: 100).intervals(for: Self.windows)
        #expect(a == b)
        #expect(a != c)
    }

    @Test("given identical windows when bootstrapped then the interval collapses on the estimate")
    func identicalWindows() async throws {
        let w = Array(repeating: Self.windows[3], count: 10)   // 3 of 4 each
        let ci = try WindowBootstrap(replicates: 200, seed: 5).intervals(for: w)
        #expect(ci.hitRate == ConfidenceInterval(lower: 0.75, upper: 0.75))
    }

    @Test("given only empty windows when bootstrapped then no interval is defined")
    func emptyWindows() async throws {
        let empty = BudgetScore(areaFraction: 0.125, cells: 2, activeCells: 16, cellAreaKm2: 0.01, hits: 0, testEvents: 0,
                                bestPossibleHits: 0, harmCapturedDays: 0, totalHarmDays: 0)
        let ci = try WindowBootstrap(replicates: 50, seed: 5).intervals(for: [empty, empty])
        #expect(ci == BudgetIntervals())
        #expect(WindowBootstrap.standard.intervals(for: []) == BudgetIntervals())
    }

    @Test("given sorted values when a type-7 quantile is taken then it interpolates at (m - 1) p")
    func quantile() async {
        // m = 5: p = 0.025 sits at 0.1, between 1 and 2 -> 1.1; p = 0.975 at 3.9 -> 4.9.
        #expect(abs(WindowBootstrap.quantile([1, 2, 3, 4, 5], 0.025) - 1.1) < 1e-12)
        #expect(abs(WindowBootstrap.quantile([1, 2, 3, 4, 5], 0.975) - 4.9) < 1e-12)
        #expect(WindowBootstrap.quantile([7], 0.5) == 7)
    }

    @Test("given no replicates or a level outside (0, 1) when a bootstrap is made then it is refused")
    func refusals() async {
        #expect(throws: EvaluationError.invalidBootstrap(replicates: 0, confidenceLevel: 0.95)) { try WindowBootstrap(replicates: 0) }
        #expect(throws: EvaluationError.self) { try WindowBootstrap(confidenceLevel: 1) }
    }
}
