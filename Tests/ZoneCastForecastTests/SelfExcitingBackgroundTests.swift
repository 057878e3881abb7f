import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastForecast

@Suite("point process background density")
struct SelfExcitingBackgroundTests {
    @Test("given random events with a few bandwidth groups, when the variable background's density is taken, then it equals the groups' densities added in group order exactly")
    func variableDensityMatchesTheGroupSum() {
        var rng = SplitMix64(seed: 5)
        for trial in 0..<12 {
            let n = 20 + Int(rng.next() % 400)
            let x = (0..<n).map { _ in Double(rng.next() % 5_000) }, y = (0..<n).map { _ in Double(rng.next() % 3_000) }
            let ladder = [60.0, 120, 240, 480]
            let bandwidths = (0..<n).map { _ in ladder[Int(rng.next() % UInt64(1 + trial % 4))] }
            let weights = (0..<n).map { _ in Double(rng.next() % 1_000) / 999 }
            let background = SelfExcitingVariableBackground(x: x, y: y, bandwidths: bandwidths)
            var reference = [Double](repeating: 0, count: n)
            for g in background.groups {
                let d = g.engine.density(weights: weights, scale: 0.37)
                for j in reference.indices { reference[j] += d[j] }
            }
            #expect(background.groups.allSatisfy { if case .sparse = $0.engine { true } else { false } }, "trial \(trial)")
            #expect(background.density(weights: weights, scale: 0.37) == reference, "trial \(trial)")
            #expect(reference.contains { $0 > 0 }, "trial \(trial)")
        }
    }
}

@Suite("harm category index")
struct CategoryIndexTests {
    @Test("given every harm category, when indexed, then the index is its position in allCases and masks hold exactly the chosen ones")
    func categoryIndexFollowsAllCases() {
        for (i, c) in HarmCategory.allCases.enumerated() { #expect(CategoryIndex.of(c) == i, "\(c)") }
        #expect(CategoryIndex.count == HarmCategory.allCases.count)
        let mask = CategoryIndex.mask(HarmCategory.violent)
        #expect(HarmCategory.allCases.filter { mask[CategoryIndex.of($0)] } == HarmCategory.allCases.filter { HarmCategory.violent.contains($0) })
    }
}
