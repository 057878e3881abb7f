import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastEvaluation
import ZoneCastForecast
import ZoneCastIngest
import ZoneCastStore
import ZoneCastSynthetic

extension BenchCommand {
    struct BacktestBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backtest",
            abstract: "Full backtests on the real data: all models, 96 h cadence, 365 days of training, 150 m cells over the data's extent, against the peer targets in METHODS.md.",
            discussion: """
                Goal: all five models over 2 years of Chicago homicides in under 60 s. Peer (open_cp 0.2.0) best hit rate at 1 % of \
                the area: Chicago homicides 2016-2018 0.113; Kansas City GVA shootings 2016-2017 0.256.
                Example: swift run -c release zonecast bench backtest
                """)

        @Option(help: "Folder holding the shared real data.") var data = "../shared/data"

        func run() throws { try CLIFailure.run(perform) }

        func perform() throws {
            warnIfDebugBuild()
            let chicago = "\(data)/chicago_homicides_2001_2023/Homicides_2001_to_present.csv"
            let gva = "\(data)/kc_gva_shootings_2014_2018/gva_kansas_city_mo_2013_2018.csv"
            guard FileManager.default.fileExists(atPath: chicago) else { throw ValidationError("\(chicago) is absent: give --data") }
            let models = try ModelCatalog.parse("naive,kde,prospective,sepp,learned")
            let iso = ISO8601DateFormatter()

            let chicagoEvents = try load(chicago, preset: "chicago")
            let chicagoGrid = Grid.covering(zip(chicagoEvents.x, chicagoEvents.y).map { PlanarPoint(xMeters: $0, yMeters: $1) }, cellSizeMeters: 150)
            for (label, to) in [("2016-2017 (2 years, the timing goal)", "2018-01-01T06:00:00Z"), ("2016-2018 (the peer's period)", "2019-01-01T06:00:00Z")] {
                let t0 = Date()
                let config = try BacktestConfiguration(from: iso.date(from: "2016-01-01T06:00:00Z")!, to: iso.date(from: to)!, cadenceHours: 96, targets: [.homicide])
                let result = try Backtester(configuration: config).run(events: chicagoEvents, grid: chicagoGrid, models: models, clock: { Date().timeIntervalSince1970 })
                let seconds = Date().timeIntervalSince(t0)
                print("Chicago homicides \(label): \(result.windows) windows, \(result.testEvents) test homicides, \(String(format: "%.1f", seconds)) s for all five models")
                report(result, peer: 0.113)
                if to.hasPrefix("2018") { print(String(format: "  goal: all five models in under 60 s: %@ (%.1f s)", seconds < 60 ? "met" : "NOT met", seconds)) }
            }
            if FileManager.default.fileExists(atPath: gva) {
                let events = try load(gva, preset: "gva")
                let grid = Grid.covering(zip(events.x, events.y).map { PlanarPoint(xMeters: $0, yMeters: $1) }, cellSizeMeters: 150)
                let t0 = Date()
                let config = try BacktestConfiguration(from: iso.date(from: "2016-01-01T06:00:00Z")!, to: iso.date(from: "2018-01-01T06:00:00Z")!, cadenceHours: 96,
                                                       targets: [.homicide, .nonFatalShooting, .driveByShooting, .shotsFired])
                let result = try Backtester(configuration: config).run(events: events, grid: grid, models: models, clock: { Date().timeIntervalSince1970 })
                print("Kansas City GVA shootings 2016-2017: \(result.windows) windows, \(result.testEvents) test shootings, \(String(format: "%.1f", Date().timeIntervalSince(t0))) s")
                report(result, peer: 0.256)
            }
        }

        func load(_ path: String, preset: String) throws -> EventSet {
            let mapping = try Presets.mapping(named: preset)
            let store = InMemoryIncidentStore()
            _ = try Importer(mapping: mapping, jurisdiction: try Presets.jurisdiction(mapping.jurisdiction!), now: Date()).importFile(try InputFile(path: path), into: store)
            return EventSet(try store.incidents(.all))
        }

        func report(_ r: BacktestResult, peer: Double) {
            for m in r.models {
                guard let b = m.budget(0.01), let rate = b.hitRate else { continue }
                print(String(format: "  %-12@ hit rate at 1 %% %.3f [%.3f, %.3f]  PAI %5.2f  PEI* %.3f  fit %6.2f s   %@", m.model as NSString, rate,
                             b.hitRateLower ?? .nan, b.hitRateUpper ?? .nan, b.pai ?? .nan, b.pei ?? .nan, m.fitSeconds,
                             rate > peer ? String(format: "beats the peer's %.3f by %.0f %%", peer, (rate / peer - 1) * 100) : String(format: "below the peer's %.3f", peer)))
            }
        }
    }

    struct PointProcessBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sepp",
            abstract: "Fit the self-exciting point process to 50,000 synthetic shootings (goal: under 10 s) and compare with the generator's truth.",
            discussion: "Example: swift run -c release zonecast bench sepp")

        @Option(help: "Shooting events to fit.") var events = 50_000

        func run() throws { try CLIFailure.run(perform) }

        func perform() throws {
            warnIfDebugBuild()
            let city = SyntheticCity()
            // Shootings are about 5 % of the default mix; generate enough rows, keep the first `events` shootings.
            let generator = SyntheticIncidentGenerator(rowCount: events * 22, seed: 5)
            let all = syntheticEvents(generator, city: city).only([.homicide, .nonFatalShooting, .driveByShooting])
            let shootings = all.filtered { $0 < events }
            let truth = generator.metadata().shootingProcess
            let t0 = Date()
            let fit = try SelfExcitingModel().fit(shootings)
            let seconds = Date().timeIntervalSince(t0)
            let p = fit.parameters
            print("bench sepp: \(formatCount(shootings.count)) synthetic shootings over \(String(format: "%.0f", (fit.observationEnd - fit.observationStart) / 86_400)) days, \(formatCount(fit.pairCount)) candidate pairs, \(fit.iterations) EM iterations (converged: \(fit.converged))")
            print(String(format: "  fitted: branching ratio %.3f (truth %.3f), mean delay %.2f d (truth %.2f), sigma %.0f m (truth %.0f)",
                         p.branchingRatio, truth.branchingRatio, p.triggerMeanDays, 1 / truth.omegaPerDay, p.sigmaMeters, truth.sigmaMeters))
            print(String(format: "  goal < 10 s: %@ (%.2f s)", seconds < 10 ? "met" : "NOT met", seconds))
        }
    }
}
