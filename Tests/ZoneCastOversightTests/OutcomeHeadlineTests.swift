import Testing
@testable import ZoneCastOversight

@Suite struct OutcomeHeadlineTests {
    @Test func wideIntervalSaysTooFewButShowsCountsAndInterval() {
        // Given 12 violent incidents during and 18 before (an exact interval spanning more than a factor of 4)
        let e = OutcomeStatistics.poissonRateRatio(during: 12, before: 18)
        let h = Oversight.headline(during: 12, before: 18, estimate: e)
        // Then no effect headline, but the counts lead and the interval follows
        #expect((e.upper! / e.lower!) > 4)
        #expect(!h.informative && h.headline == "too few incidents to say")
        #expect(h.detail == "12 violent incidents during, 18 before; 95 % CI \(Oversight.percent(e.lower!)) to \(Oversight.percent(e.upper!))")
    }

    @Test func narrowIntervalLeadsWithCountsThenTheEffect() {
        // Given 100 during and 160 before: ratio 0.625, a 37.5 % fall, interval well within a factor of 4
        let e = OutcomeStatistics.poissonRateRatio(during: 100, before: 160)
        let h = Oversight.headline(during: 100, before: 160, estimate: e)
        #expect(h.informative && h.headline == "−38 %")
        #expect(h.text.hasPrefix("100 violent incidents during, 160 before; 95 % CI −") && h.text.hasSuffix(": −38 %"))
    }

    @Test func tooFewForAnyIntervalNamesTheReasonAndAgreesInNumber() {
        // Given one incident during and none before
        let h = Oversight.headline(during: 1, before: 0, estimate: OutcomeStatistics.poissonRateRatio(during: 1, before: 0))
        #expect(h.text == "1 violent incident during, 0 before (1 incident in both periods together, fewer than 10): too few incidents to say")
    }

    @Test func factorOfFourIsTheEdge() {
        // Given hand-made intervals spanning exactly 4 and just over / Then the first is informative, the second not
        func estimate(_ l: Double, _ u: Double) -> ChangeEstimate {
            ChangeEstimate(status: .estimated, ratio: 1, lower: l, upper: u, confidence: 0.95, method: "hand", reason: "")
        }
        #expect(Oversight.headline(during: 50, before: 50, estimate: estimate(0.5, 2.0)).informative)
        #expect(!Oversight.headline(during: 50, before: 50, estimate: estimate(0.5, 2.01)).informative)
        #expect(Oversight.headline(during: 50, before: 50, estimate: estimate(0.5, 2.0)).headline == "0 %")
    }
}
