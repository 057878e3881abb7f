import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastSynthetic

struct SelfExcitingScratchTests {
    @Test("scratch seeds", arguments: [UInt64(1), 2, 3])
    func seeds(seed: UInt64) throws {
        let generator = SyntheticIncidentGenerator(rowCount: 200_000, seed: seed)
        let projection = generator.city.jurisdiction.projection.prepared()
        var converter = LocalTimeConverter(timeZone: TimeZone(identifier: "America/Chicago")!)
        var ex = EventSet(), day = EventSet()
        let meta = generator.generate { row in
            guard row.offence.isShooting, row.defect == .none else { return }
            let p = projection.project(row.location)
            let mid = converter.instant(LocalDateTime(date: row.occurred.date)).timeIntervalSince1970
            ex.append(x: p.xMeters, y: p.yMeters, time: row.timePrecision == .day ? mid : converter.instant(row.occurred).timeIntervalSince1970, precisionSeconds: Double(row.timePrecision.intervalSeconds), category: row.category)
            day.append(x: p.xMeters, y: p.yMeters, time: mid, precisionSeconds: 86400, category: row.category)
        }
        _ = meta
        for bw in [150.0, 200, 300] {
            for (name, set) in [("exact", ex), ("day", day)] {
                let fit = try SelfExcitingModel(backgroundBandwidthMeters: bw).fit(set)
                let p = fit.parameters
                print("SCRATCH seed \(seed) \(name) bw \(bw): theta \(p.branchingRatio) 1/omega \(p.triggerMeanDays) sigma \(p.sigmaMeters) it \(fit.iterations) deg \(fit.degenerate)")
            }
        }
    }
}
