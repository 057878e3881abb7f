import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast

struct SelfExcitingScratchTests {
    @Test("scratch bandwidth sweep") func sweep() throws {
        let data = SelfExcitingFixtures.shootings
        for loo in [false, true] {
        for bw in [75.0, 150, 200, 300] {
            var m = SelfExcitingModel(backgroundBandwidthMeters: bw)
            m.leaveOneOut = loo
            let fit = try m.fit(data.exact, observationEnd: data.endSeconds)
            let p = fit.parameters
            print("SCRATCH loo \(loo) bw \(bw): theta \(p.branchingRatio) 1/omega \(p.triggerMeanDays) sigma \(p.sigmaMeters) it \(fit.iterations)")
        }
        }
    }
}
