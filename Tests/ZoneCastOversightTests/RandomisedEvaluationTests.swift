import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastOversight

@Suite("Randomised evaluation mode")
struct RandomisedEvaluationTests {
    @Test("given four candidates and a seed, when two are drawn for patrol, then the draw is reproducible from the seed, splits the candidates, and different seeds give different draws")
    func assignment() async throws {
        let a = try RandomisedAssignment.assign(cycleID: "C1", candidates: ["Z1", "Z2", "Z3", "Z4"], treatedCount: 2, seed: 42)
        #expect(a == (try RandomisedAssignment.assign(cycleID: "C1", candidates: ["Z1", "Z2", "Z3", "Z4"], treatedCount: 2, seed: 42)))
        #expect(a.treated.count == 2 && a.control.count == 2 && Set(a.treated + a.control) == ["Z1", "Z2", "Z3", "Z4"])
        // The draw by hand: the same Fisher-Yates shuffle with SplitMix64(42).
        var rng = SplitMix64(seed: 42)
        var order = ["Z1", "Z2", "Z3", "Z4"]
        for i in stride(from: 3, to: 0, by: -1) { order.swapAt(i, rng.index(below: i + 1)) }
        #expect(Set(a.treated) == Set(order.prefix(2)))
        let draws = Set((UInt64(0)..<20).map { try! RandomisedAssignment.assign(cycleID: "C", candidates: ["Z1", "Z2", "Z3", "Z4"], treatedCount: 2, seed: $0).treated })
        #expect(draws.count > 1)
        // Over many seeds each candidate is treated about half the time.
        var treatedZ1 = 0
        for seed in UInt64(0)..<2_000 where try RandomisedAssignment.assign(cycleID: "C", candidates: ["Z1", "Z2", "Z3", "Z4"], treatedCount: 2, seed: seed).treated.contains("Z1") { treatedZ1 += 1 }
        let treatedShare: Double = Double(treatedZ1) / 2_000
        #expect(abs(treatedShare - 0.5) < 0.05)
    }

    @Test("invalid requests name the field: fewer than two candidates, or nobody left untreated")
    func invalid() async {
        #expect(throws: EquityError.self) { try RandomisedAssignment.assign(cycleID: "C", candidates: ["Z1"], treatedCount: 1, seed: 1) }
        do { _ = try RandomisedAssignment.assign(cycleID: "C", candidates: ["Z1", "Z2"], treatedCount: 2, seed: 1) } catch {
            #expect(error.description.hasPrefix("treated: 2"))
        }
    }

    @Test("given treated changes -2 and -4 and control changes +1 and -1 (before counts scaled to the cycle: 28 days before, 4 during), then the effect is -3 with Welch interval -3 ± 1.96·√(2/2 + 2/2)")
    func comparison() async {
        // y = during - before · 4/28: before 14 → 2 expected.
        let units = [
            RandomisedComparison.Unit(cycleID: "C1", zoneID: "Z1", treated: true, before: 14, during: 0, beforeDays: 28, duringDays: 4),   // -2
            RandomisedComparison.Unit(cycleID: "C1", zoneID: "Z2", treated: true, before: 28, during: 0, beforeDays: 28, duringDays: 4),   // -4
            RandomisedComparison.Unit(cycleID: "C1", zoneID: "Z3", treated: false, before: 14, during: 3, beforeDays: 28, duringDays: 4),  // +1
            RandomisedComparison.Unit(cycleID: "C1", zoneID: "Z4", treated: false, before: 7, during: 0, beforeDays: 28, duringDays: 4),   // -1
        ]
        let c = RandomisedComparison.compare(units)
        #expect(abs(c.treated.meanChange! + 3) < 1e-9 && abs(c.control.meanChange! - 0) < 1e-9)
        #expect(abs(c.treated.variance! - 2) < 1e-9 && abs(c.control.variance! - 2) < 1e-9)
        #expect(abs(c.effect! + 3) < 1e-9)
        #expect(abs(c.low! - (-3 - 1.96 * 2.0.squareRoot())) < 1e-9 && abs(c.high! - (-3 + 1.96 * 2.0.squareRoot())) < 1e-9)
        #expect(c.treated.before == 42 && c.control.during == 3)
        let one = RandomisedComparison.compare(Array(units.prefix(3)))
        #expect(one.effect != nil && one.low == nil)
    }
}
