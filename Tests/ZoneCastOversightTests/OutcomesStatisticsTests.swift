import Foundation
import Testing
@testable import ZoneCastOversight

@Suite("Outcome statistics: exact Poisson ratios, relative effect size, normal quantiles")
struct OutcomesStatisticsTests {
    @Test("normal quantiles match tables")
    func normal() async {
        #expect(abs(OutcomeStatistics.normalQuantile(0.975) - 1.959963984540054) < 1e-8)
        #expect(abs(OutcomeStatistics.normalQuantile(0.995) - 2.5758293035489004) < 1e-8)
        #expect(abs(OutcomeStatistics.normalQuantile(0.01) - (-2.3263478740408408)) < 1e-8)
        #expect(abs(OutcomeStatistics.normalQuantile(0.5)) < 1e-12)
    }

    @Test("Clopper-Pearson intervals match R's binom.test")
    func clopperPearson() async {
        // binom.test(5, 10): 0.1870860 0.8129140; binom.test(3, 10): 0.06673951 0.65245285
        let a = OutcomeStatistics.clopperPearson(successes: 5, trials: 10)
        #expect(abs(a.lower - 0.18708602844739855) < 1e-9 && abs(a.upper - 0.8129139715526015) < 1e-9)
        let b = OutcomeStatistics.clopperPearson(successes: 3, trials: 10)
        #expect(abs(b.lower - 0.06673951117773447) < 1e-9 && abs(b.upper - 0.6524528500599973) < 1e-9)
        let zero = OutcomeStatistics.clopperPearson(successes: 0, trials: 4)
        #expect(zero.lower == 0)
        // Upper for x = 0 is 1 − (α/2)^(1/n) = 1 − 0.025^(1/4)
        #expect(abs(zero.upper - (1 - pow(0.025, 0.25))) < 1e-9)
    }

    @Test("exact rate ratio: 3 during against 7 before over equal periods")
    func poissonRatio() async throws {
        // Given 3 during, 7 before (n = 10): p interval (0.06674, 0.65245) → ratio p/(1−p)
        let e = OutcomeStatistics.poissonRateRatio(during: 3, before: 7)
        #expect(e.status == .estimated)
        #expect(abs(try #require(e.ratio) - 3.0 / 7) < 1e-12)
        #expect(abs(try #require(e.lower) - 0.07151220048108632) < 1e-8)
        #expect(abs(try #require(e.upper) - 1.8773074392140194) < 1e-8)
        #expect(!e.isSignificant)
        #expect(e.text.hasPrefix("−57 %"))
        // Given 9 incidents in all: too few to say (minimum 10)
        let few = OutcomeStatistics.poissonRateRatio(during: 2, before: 7)
        #expect(few.status == .tooFew && few.ratio == nil)
        #expect(few.reason.contains("9 incidents"))
        #expect(few.text == "too few incidents to say")
        // Given none before: unbounded, too few
        #expect(OutcomeStatistics.poissonRateRatio(during: 12, before: 0).reason.contains("none before"))
    }

    @Test("relative effect size: (20/40)/(100/100) = 0.5 with var(ln) = 1/40 + 1/20 + 1/100 + 1/100")
    func relativeEffectSize() async throws {
        // Given zone 40 → 20, comparison 100 → 100
        let e = OutcomeStatistics.relativeEffectSize(zoneBefore: .count(40), zoneDuring: .count(20), comparisonBefore: .count(100), comparisonDuring: .count(100))
        // Then RES = 0.5; var = 0.095, se = 0.30822; 95 % CI = 0.5·exp(∓1.95996·0.30822) = (0.27328, 0.91480)
        #expect(abs(try #require(e.ratio) - 0.5) < 1e-12)
        #expect(abs(try #require(e.lower) - 0.27328265526732415) < 1e-7)
        #expect(abs(try #require(e.upper) - 0.9148037578727813) < 1e-7)
        #expect(e.isSignificant)
        // Given harm totals: one group of two incidents weighing 3 and 1 (Σw = 4, Σw² = 10) counts 10/16 toward the variance
        let h = OutcomeStatistics.relativeEffectSize(zoneBefore: .init(total: 4, sumOfSquares: 10, incidents: 2), zoneDuring: .count(8),
                                                     comparisonBefore: .count(4), comparisonDuring: .count(4), minimumEvents: 1)
        // RES = (8/4)/(4/4) = 2; var = 10/16 + 1/8 + 1/4 + 1/4 = 1.25
        let half = 1.959963984540054 * 1.25.squareRoot()
        #expect(abs(try #require(h.ratio) - 2) < 1e-12)
        #expect(abs(try #require(h.lower) - 2 * exp(-half)) < 1e-7)
        // Given an empty comparison group: too few, naming it
        let empty = OutcomeStatistics.relativeEffectSize(zoneBefore: .count(20), zoneDuring: .count(10), comparisonBefore: .count(5), comparisonDuring: .count(0))
        #expect(empty.status == .tooFew)
        #expect(empty.reason.contains("comparison places during"))
    }
}
