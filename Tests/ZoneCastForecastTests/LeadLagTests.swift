import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastForecast

@Suite("Lead-lag analysis")
struct LeadLagTests {
    @Test("given B planted a few days after A nearby, when analysed, then A leads B significantly and noise does not")
    func plantedLead() async {
        var rng = SplitMix64(seed: 11)
        var e = EventSet()
        let day = 86_400.0, start = 0.0, end = 240 * day
        // A: 300 events spread over a 6 km square; each is followed 1-6 days later by a B event within ~100 m
        // with probability 0.6. C and more B: pure noise.
        for _ in 0..<300 {
            let x = Double.random(in: 0..<6_000, using: &rng), y = Double.random(in: 0..<6_000, using: &rng)
            let t = Double.random(in: start..<end, using: &rng)
            e.append(x: x, y: y, time: t, category: .drugOverdose)
            if Double.random(in: 0..<1, using: &rng) < 0.6 {
                e.append(x: x + Double.random(in: -100..<100, using: &rng), y: y + Double.random(in: -100..<100, using: &rng),
                         time: t + Double.random(in: 1..<6, using: &rng) * day, category: .nonFatalShooting)
            }
        }
        for _ in 0..<200 {
            e.append(x: Double.random(in: 0..<6_000, using: &rng), y: Double.random(in: 0..<6_000, using: &rng), time: Double.random(in: start..<end, using: &rng), category: .nonFatalShooting)
            e.append(x: Double.random(in: 0..<6_000, using: &rng), y: Double.random(in: 0..<6_000, using: &rng), time: Double.random(in: start..<end, using: &rng), category: .robbery)
        }
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 300, columns: 21, rows: 21)
        let analysis = LeadLagAnalysis(events: e, grid: grid, from: Date(timeIntervalSince1970: start), to: Date(timeIntervalSince1970: end),
                                       windowDays: 7, lookbackDays: 7, bandwidthMeters: 200, permutations: 19, seed: 3)
        let lead = analysis.pair(leader: .drugOverdose, follower: .nonFatalShooting)!
        #expect(lead.effect > 0)
        #expect(lead.pValuePermutation! <= 0.05)
        #expect(lead.pValueChiSquared < 0.001)
        let noise = analysis.pair(leader: .robbery, follower: .nonFatalShooting)!
        #expect(noise.pValuePermutation! > 0.05)
        #expect(analysis.windows == 33)
    }

    @Test("the chi-squared(1) tail matches tabulated values")
    func chiSquared() async {
        #expect(abs(ChiSquared.survivalOneDegree(3.841459) - 0.05) < 1e-6)
        #expect(abs(ChiSquared.survivalOneDegree(6.634897) - 0.01) < 1e-6)
        #expect(ChiSquared.survivalOneDegree(0) == 1)
    }
}
