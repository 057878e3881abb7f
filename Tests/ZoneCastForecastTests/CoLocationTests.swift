import Testing
import ZoneCastCore
@testable import ZoneCastForecast

@Suite("Co-location quotient")
struct CoLocationTests {
    func events(_ points: [(Double, Double, HarmCategory)]) -> EventSet {
        var e = EventSet()
        for p in points { e.append(x: p.0, y: p.1, time: 0, category: p.2) }
        return e
    }

    @Test("given five points on a line, then CLQ matches the hand computation")
    func handComputed() async {
        // A(0) B(1) A(10) A(11) B(20). Nearest neighbours: A0->B1, B1->A0, A10->A11, A11->A10, B20->A11.
        // N = 5, N_A = 3, N_B = 2. CLQ(A->B) = (1/3)/(2/4) = 2/3; CLQ(A->A) = (2/3)/(2/4) = 4/3;
        // CLQ(B->A) = (2/2)/(3/4) = 4/3; CLQ(B->B) = 0.
        let a = HarmCategory.homicide, b = HarmCategory.robbery
        let analysis = CoLocationAnalysis(events: events([(0, 0, a), (1, 0, b), (10, 0, a), (11, 0, a), (20, 0, b)]), permutations: 0)
        #expect(abs(analysis.pair(a, b)!.quotient - 2.0 / 3) < 1e-12)
        #expect(abs(analysis.pair(a, a)!.quotient - 4.0 / 3) < 1e-12)
        #expect(abs(analysis.pair(b, a)!.quotient - 4.0 / 3) < 1e-12)
        #expect(analysis.pair(b, b)!.quotient == 0)
    }

    @Test("given a point with two equally near neighbours, then each counts for half")
    func ties() async {
        let a = HarmCategory.homicide, b = HarmCategory.robbery, c = HarmCategory.other
        // A at 0 has B at +1 and C at -1: N_AB = 0.5. N = 3, N_B = 1: CLQ(A->B) = (0.5/1)/(1/2) = 1.
        let analysis = CoLocationAnalysis(events: events([(0, 0, a), (1, 0, b), (-1, 0, c)]), permutations: 0)
        #expect(abs(analysis.pair(a, b)!.quotient - 1) < 1e-12)
    }

    @Test("given clustered pairs of two categories among scattered noise, then attraction is significant and reproducible")
    func permutationSignificance() async {
        var points: [(Double, Double, HarmCategory)] = []
        var rng = SplitMix64(seed: 3)
        for _ in 0..<60 {
            let x = Double.random(in: 0..<10_000, using: &rng), y = Double.random(in: 0..<10_000, using: &rng)
            points.append((x, y, .drugOverdose))
            points.append((x + 5, y, .nonFatalShooting))
        }
        for _ in 0..<120 { points.append((Double.random(in: 0..<10_000, using: &rng), Double.random(in: 0..<10_000, using: &rng), .robbery)) }
        let first = CoLocationAnalysis(events: events(points), permutations: 99, seed: 9)
        let pair = first.pair(.drugOverdose, .nonFatalShooting)!
        #expect(pair.quotient > 2)
        #expect(pair.pValueAttraction <= 0.02)
        #expect(first.pair(.robbery, .drugOverdose)!.pValueAttraction > 0.05)
        #expect(CoLocationAnalysis(events: events(points), permutations: 99, seed: 9).pairs == first.pairs)
    }
}
