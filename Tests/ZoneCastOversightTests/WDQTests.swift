import Testing
@testable import ZoneCastOversight

@Suite("Weighted Displacement Quotient (Bowers & Johnson 2003)")
struct WDQTests {
    @Test("a hand-computed case: every intermediate value, diffusion of benefits")
    func handComputed() async throws {
        // Given target 100 → 60, buffer 80 → 70, control 400 → 380
        let w = WeightedDisplacementQuotient(target: .init(before: 100, after: 60), buffer: .init(before: 80, after: 70), control: .init(before: 400, after: 380))
        // Then C_a/C_b = 0.95; success = 60/380 − 100/400 = −35/380; buffer = 70/380 − 80/400 = −6/380
        #expect(abs(try #require(w.successMeasure) - (-35.0 / 380)) < 1e-12)
        #expect(abs(try #require(w.bufferMeasure) - (-6.0 / 380)) < 1e-12)
        // WDQ = (−6/380) / (−35/380) = 6/35 ≈ 0.1714: diffusion (buffer improved, less than the target)
        #expect(abs(try #require(w.quotient) - 6.0 / 35) < 1e-12)
        #expect(w.reading == .diffusion)
        // TNE = (100·0.95 − 60) + (80·0.95 − 70) = 35 + 6 = 41
        #expect(abs(try #require(w.targetNetEffect) - 35) < 1e-9)
        #expect(abs(try #require(w.bufferNetEffect) - 6) < 1e-9)
        #expect(abs(try #require(w.totalNetEffect) - 41) < 1e-9)
        #expect(w.problems.isEmpty)
    }

    @Test("displacement: the buffer worsens; below −1 the displacement outweighs the gain")
    func displacement() async throws {
        // Given target 40 → 20, buffer 10 → 25, control 100 → 100: S = 0.2 − 0.4 = −0.2, Bm = 0.25 − 0.1 = 0.15
        let some = WeightedDisplacementQuotient(target: .init(before: 40, after: 20), buffer: .init(before: 10, after: 25), control: .init(before: 100, after: 100))
        // Then WDQ = 0.15 / −0.2 = −0.75; TNE = (40 − 20) + (10 − 25) = 5
        #expect(abs(try #require(some.quotient) - (-0.75)) < 1e-12)
        #expect(some.reading == .displacementSmallerThanGain)
        #expect(abs(try #require(some.totalNetEffect) - 5) < 1e-9)
        // Given the buffer 10 → 40 instead: Bm = 0.3, WDQ = −1.5; TNE = 20 − 30 = −10
        let worse = WeightedDisplacementQuotient(target: .init(before: 40, after: 20), buffer: .init(before: 10, after: 40), control: .init(before: 100, after: 100))
        #expect(abs(try #require(worse.quotient) - (-1.5)) < 1e-12)
        #expect(worse.reading == .displacementGreaterThanGain)
        #expect(abs(try #require(worse.totalNetEffect) - (-10)) < 1e-9)
        // Given the buffer falling more than the target (WDQ > 1 needs Bm < S < 0): target 40 → 30, buffer 50 → 20
        let big = WeightedDisplacementQuotient(target: .init(before: 40, after: 30), buffer: .init(before: 50, after: 20), control: .init(before: 100, after: 100))
        // S = 0.3 − 0.4 = −0.1, Bm = 0.2 − 0.5 = −0.3, WDQ = 3
        #expect(abs(try #require(big.quotient) - 3) < 1e-12)
        #expect(big.reading == .diffusionGreaterThanDirectEffect)
    }

    @Test("undefined cases say which value is at fault")
    func undefined() async throws {
        // Given a control with nothing before: every ratio over C_b is undefined
        let noControlBefore = WeightedDisplacementQuotient(target: .init(before: 5, after: 2), buffer: .init(before: 3, after: 3), control: .init(before: 0, after: 4))
        #expect(noControlBefore.quotient == nil && noControlBefore.successMeasure == nil && noControlBefore.totalNetEffect == nil)
        #expect(noControlBefore.problems.contains { $0.contains("C_b = 0") })
        #expect(noControlBefore.reading == .notInterpreted)
        // Given a control with nothing after: the success measure is undefined, but the TNE is (trend 0): (5·0 − 2) + (3·0 − 3) = −5
        let noControlAfter = WeightedDisplacementQuotient(target: .init(before: 5, after: 2), buffer: .init(before: 3, after: 3), control: .init(before: 4, after: 0))
        #expect(noControlAfter.quotient == nil)
        #expect(noControlAfter.problems.contains { $0.contains("C_a = 0") })
        #expect(abs(try #require(noControlAfter.totalNetEffect) - (-5)) < 1e-12)
        // Given no change in the target relative to the control (10/100 = 10/100): S = 0, WDQ undefined
        let flat = WeightedDisplacementQuotient(target: .init(before: 10, after: 10), buffer: .init(before: 3, after: 6), control: .init(before: 100, after: 100))
        #expect(flat.successMeasure == 0)
        #expect(flat.quotient == nil)
        #expect(flat.problems.contains { $0.contains("success measure is 0") })
        // Given the target worsening (S > 0): the quotient is computed but not interpreted
        let worse = WeightedDisplacementQuotient(target: .init(before: 10, after: 20), buffer: .init(before: 3, after: 6), control: .init(before: 100, after: 100))
        #expect(abs(try #require(worse.quotient) - 0.3) < 1e-12) // Bm = 0.03, S = 0.1
        #expect(worse.reading == .notInterpreted)
        #expect(worse.problems.contains { $0.contains("not interpreted") })
    }
}
