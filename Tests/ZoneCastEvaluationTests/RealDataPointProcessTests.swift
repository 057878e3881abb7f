import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastIngest
import ZoneCastStore

/// The self-exciting point process on every visible real data set (../shared/data; skipped, with the reason, when
/// it is absent): geocoding stacks events on identical coordinates and day-precision dates put events on the same
/// day, which used to pin sigma at 10 m and omega at its upper bound. The fit must end away from every bound,
/// converge, and say it is reliable.
@Suite("Point process on real data")
struct RealDataPointProcessTests {
    static let sharedData = RealDataBacktestTests.sharedData
    static let victims = sharedData.appendingPathComponent("kc_kcpd_2017_victims_subset/kcpd_2017_victims_geocoded.csv").path
    static let dataPresent = FileManager.default.fileExists(atPath: RealDataBacktestTests.chicago)
        && FileManager.default.fileExists(atPath: RealDataBacktestTests.gva) && FileManager.default.fileExists(atPath: victims)

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var path: String
        var preset: String
        var targets: Set<HarmCategory>
        var origin: String
        var trainingDays: Double
        var description: String { "\(name) before \(origin)" }
    }

    static let cases: [Case] = [
        Case(name: "Chicago homicides", path: RealDataBacktestTests.chicago, preset: "chicago", targets: [.homicide], origin: "2017-01-01T06:00:00Z", trainingDays: 365),
        Case(name: "Chicago homicides", path: RealDataBacktestTests.chicago, preset: "chicago", targets: [.homicide], origin: "2018-07-01T05:00:00Z", trainingDays: 365),
        Case(name: "Kansas City GVA shootings", path: RealDataBacktestTests.gva, preset: "gva",
             targets: [.homicide, .nonFatalShooting, .driveByShooting, .shotsFired], origin: "2017-01-01T06:00:00Z", trainingDays: 365),
        Case(name: "Kansas City GVA shootings", path: RealDataBacktestTests.gva, preset: "gva",
             targets: [.homicide, .nonFatalShooting, .driveByShooting, .shotsFired], origin: "2017-10-01T05:00:00Z", trainingDays: 365),
        Case(name: "Kansas City 2017 aggravated assaults", path: victims, preset: "kcpd-2017-victims",
             targets: [.aggravatedAssault, .nonFatalShooting, .driveByShooting], origin: "2017-09-01T05:00:00Z", trainingDays: 120),
    ]

    @Test("given a visible real data set when fitting the point process then EM converges away from every bound and reports the fit reliable",
          .enabled(if: dataPresent, "../shared/data (Chicago homicides, Kansas City GVA, KCPD 2017 victims) is absent"), arguments: cases)
    func fitsAwayFromBounds(_ c: Case) async throws {
        let (all, _) = try await RealDataBacktestTests.load(c.path, preset: c.preset)
        let origin = RealDataBacktestTests.utc(c.origin)
        let start = origin.timeIntervalSince1970 - c.trainingDays * 86_400
        let past = all.before(origin).only(c.targets)
        let events = past.filtered { past.time[$0] >= start }
        let model = SelfExcitingModel()
        let fit = try model.fit(events, observationEnd: origin.timeIntervalSince1970)
        let p = fit.parameters
        print(String(format: "sepp %@: %d events, %d pairs, %d iterations, converged %@, theta %.3f, 1/omega %.2f d, sigma %.0f m, bounds hit %@; %@",
                     c.description, fit.eventCount, fit.pairCount, fit.iterations, fit.converged ? "yes" : "no", p.branchingRatio, p.triggerMeanDays,
                     p.sigmaMeters, fit.boundsHit.description, fit.reliability.description))
        #expect(fit.eventCount > 100)
        #expect(fit.boundsHit.isEmpty, "\(c): \(fit.boundsHit)")
        #expect(fit.converged, "\(c): \(fit.iterations) iterations")
        #expect(fit.reliability.isReliable, "\(c): \(fit.reliability)")
    }
}
