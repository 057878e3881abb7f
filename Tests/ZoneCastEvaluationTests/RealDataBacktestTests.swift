import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastIngest
import ZoneCastStore
@testable import ZoneCastEvaluation

/// Small backtests on the real data in ../shared/data (skipped, with the reason, when it is absent). The full
/// protocol runs in `zonecast bench backtest`.
@Suite("Backtests on real data")
struct RealDataBacktestTests {
    static let sharedData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data")
    static let chicago = sharedData.appendingPathComponent("chicago_homicides_2001_2023/Homicides_2001_to_present.csv").path
    static let gva = sharedData.appendingPathComponent("kc_gva_shootings_2014_2018/gva_kansas_city_mo_2013_2018.csv").path

    static func load(_ path: String, preset: String) async throws -> (EventSet, Jurisdiction) {
        let mapping = try Presets.mapping(named: preset)
        let jurisdiction = try Presets.jurisdiction(mapping.jurisdiction!)
        let store = InMemoryIncidentStore()
        _ = try await Importer(mapping: mapping, jurisdiction: jurisdiction, now: Date(timeIntervalSince1970: 1_767_225_600)).importFile(try InputFile(path: path), into: store)
        return (EventSet(try await store.incidents(.all)), jurisdiction)
    }

    static func utc(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }

    @Test("Chicago homicides, 2017 (96 h windows, 365 days of training): every model beats chance, the better ones beat the naive count, none looks ahead",
          .enabled(if: FileManager.default.fileExists(atPath: chicago), "../shared/data/chicago_homicides_2001_2023 is absent"))
    func chicagoHomicides() async throws {
        let (events, _) = try await Self.load(Self.chicago, preset: "chicago")
        let grid = Grid.covering(zip(events.x, events.y).map { PlanarPoint(xMeters: $0, yMeters: $1) }, cellSizeMeters: 150)
        let config = try BacktestConfiguration(from: Self.utc("2017-01-01T06:00:00Z"), to: Self.utc("2018-01-01T06:00:00Z"), cadenceHours: 96,
                                               targets: [.homicide], bootstrap: try WindowBootstrap(replicates: 100))
        let models: [any ForecastModel] = [NaiveModel(), HarmSurfaceModel(targetsOnly: true), ProspectiveHotspotModel(), SelfExcitingModel()]
        var tick = 0.0
        let result = try Backtester(configuration: config).run(events: events, grid: grid, models: models, clock: { tick += 0.001; return tick })
        #expect(result.windows == 91)
        #expect((600...700).contains(result.testEvents))
        for m in result.models {
            let onePercent = try #require(m.budget(0.01))
            // Chance is 1 %; PAI is the multiple of chance.
            #expect((onePercent.pai ?? 0) > 4, "\(m.model) PAI at 1 %: \(onePercent.pai ?? 0)")
            print("chicago 2017 \(m.model): hit rate at 1 % \(onePercent.hitRate ?? 0), PAI \(onePercent.pai ?? 0)")
        }
        let naive = result.models.first { $0.model == "naive" }!.budget(0.01)!.hitRate!
        let kde = result.models.first { $0.model == "kde" }!.budget(0.01)!.hitRate!
        let sepp = result.models.first { $0.model == "sepp" }!.budget(0.01)!.hitRate!
        #expect(kde > naive && sepp > naive)
        let fit = result.models.first { $0.model == "sepp" }!.parameters
        #expect((fit["branchingRatio"] ?? -1) >= 0 && (fit["branchingRatio"] ?? 1) < 0.95)
    }

    @Test("Kansas City GVA shootings, 2016-2017 (dates only): the point process and the kernel density clear 20 % of shootings in 1 % of the area",
          .enabled(if: FileManager.default.fileExists(atPath: gva), "../shared/data/kc_gva_shootings_2014_2018 is absent"))
    func kansasCityShootings() async throws {
        let (events, _) = try await Self.load(Self.gva, preset: "gva")
        let grid = Grid.covering(zip(events.x, events.y).map { PlanarPoint(xMeters: $0, yMeters: $1) }, cellSizeMeters: 150)
        let config = try BacktestConfiguration(from: Self.utc("2016-01-01T06:00:00Z"), to: Self.utc("2018-01-01T06:00:00Z"), cadenceHours: 96,
                                               targets: [.homicide, .nonFatalShooting, .driveByShooting, .shotsFired], bootstrap: try WindowBootstrap(replicates: 100))
        var tick = 0.0
        let result = try Backtester(configuration: config).run(events: events, grid: grid, models: [NaiveModel(), HarmSurfaceModel(targetsOnly: true), SelfExcitingModel()],
                                                               clock: { tick += 0.001; return tick })
        #expect(result.windows == 182)
        for m in result.models { print("kc gva 2016-17 \(m.model): hit rate at 1 % \(m.budget(0.01)?.hitRate ?? 0)") }
        #expect((result.models.first { $0.model == "kde" }!.budget(0.01)!.hitRate ?? 0) > 0.2)
        #expect((result.models.first { $0.model == "sepp" }!.budget(0.01)!.hitRate ?? 0) > 0.2)
    }
}
