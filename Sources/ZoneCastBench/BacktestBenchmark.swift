import Foundation
import ZoneCastCore
import ZoneCastEvaluation
import ZoneCastForecast
import ZoneCastIngest
import ZoneCastStore
import ZoneCastZoning

/// `zonecast bench backtest`: full backtests on the visible real data (naive, every model and auto; 96 h cadence,
/// 150 m cells over the peer's own extent), hit rate and PAI with bootstrap intervals, against the peer figures.
public struct BacktestBenchmark: Sendable {
    /// Folder holding the shared real data.
    public var data: String
    /// Models besides auto (comma-separated).
    public var models: String
    /// Data sets to run (chicago, gva, kc-assaults; comma-separated).
    public var sets: String
    public var bootstrap: Int
    /// Skip deploying auto's zones (the 4-zone PAI check).
    public var noZones: Bool

    public init(data: String, models: String, sets: String, bootstrap: Int, noZones: Bool) {
        self.data = data
        self.models = models
        self.sets = sets
        self.bootstrap = bootstrap
        self.noZones = noZones
    }

    struct DataSet {
        var key: String, label: String, path: String, preset: String
        var targets: Set<HarmCategory>
        var extentFrom: String, extentTo: String
        var from: String, to: String
        var trainingDays: Double
        var peer: Double?
    }

    var dataSets: [DataSet] {
        [
            DataSet(key: "chicago", label: "Chicago homicides 2016-2018", path: "\(data)/chicago_homicides_2001_2023/Homicides_2001_to_present.csv",
                    preset: "chicago", targets: [.homicide], extentFrom: "2014-01-01T06:00:00Z", extentTo: "2019-01-01T06:00:00Z",
                    from: "2016-01-01T06:00:00Z", to: "2019-01-01T06:00:00Z", trainingDays: 365, peer: 0.113),
            DataSet(key: "gva", label: "Kansas City GVA shootings 2016-2017", path: "\(data)/kc_gva_shootings_2014_2018/gva_kansas_city_mo_2013_2018.csv",
                    preset: "gva", targets: [.homicide, .nonFatalShooting, .driveByShooting, .shotsFired],
                    extentFrom: "2015-01-01T06:00:00Z", extentTo: "2018-01-01T06:00:00Z",
                    from: "2016-01-01T06:00:00Z", to: "2018-01-01T06:00:00Z", trainingDays: 365, peer: 0.256),
            DataSet(key: "kc-assaults", label: "Kansas City 2017 aggravated assaults May-Dec (120-day training)",
                    path: "\(data)/kc_kcpd_2017_victims_subset/kcpd_2017_victims_geocoded.csv", preset: "kcpd-2017-victims",
                    targets: [.aggravatedAssault, .nonFatalShooting, .driveByShooting], extentFrom: "2017-01-01T06:00:00Z", extentTo: "2018-01-01T06:00:00Z",
                    from: "2017-05-01T05:00:00Z", to: "2018-01-01T06:00:00Z", trainingDays: 120, peer: nil),
        ]
    }

    public func run(_ context: BenchContext) async throws {
        let say = context.output
        context.warnIfDebugBuild()
        let wanted = Set(sets.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let iso = ISO8601DateFormatter()
        for set in dataSets where wanted.contains(set.key) {
            guard FileManager.default.fileExists(atPath: set.path) else { say("\(set.label): \(set.path) is absent, skipped"); continue }
            let events = try await load(set.path, preset: set.preset)
            let a = iso.date(from: set.extentFrom)!.timeIntervalSince1970, b = iso.date(from: set.extentTo)!.timeIntervalSince1970
            let extent = events.filtered { events.time[$0] >= a && events.time[$0] < b && set.targets.contains(events.category[$0]) }
            let grid = Grid.covering(zip(extent.x, extent.y).map { PlanarPoint(xMeters: $0, yMeters: $1) }, cellSizeMeters: 150)
            let zoneFraction = min(1, 4 * 0.65 / grid.activeAreaKm2)
            let fractions = AreaBudget.standardFractions + [zoneFraction]
            let config = try BacktestConfiguration(from: iso.date(from: set.from)!, to: iso.date(from: set.to)!, cadenceHours: 96,
                                                   trainingDays: set.trainingDays, targets: set.targets, areaFractions: fractions,
                                                   bootstrap: try WindowBootstrap(replicates: bootstrap))
            var list = try ModelCatalog.parse(models)
            var auto = AutoModel()
            auto.trainingDays = set.trainingDays
            list.append(auto)
            let t0 = Date()
            // The models of a window fit side by side on the machine's cores (the clock is thread-safe).
            let backtester = Backtester(configuration: config, concurrentModels: ProcessInfo.processInfo.activeProcessorCount)
            let result = try backtester.run(events: events, grid: grid, models: list, clock: { Date().timeIntervalSince1970 })
            let seconds = Date().timeIntervalSince(t0)
            say("")
            say("\(set.label): \(result.windows) windows, \(result.testEvents) test events, grid \(grid.columns) x \(grid.rows) = "
                + "\(grid.activeCells.count) cells of 150 m (the peer's extent), \(String(format: "%.1f", seconds)) s for \(list.count) models")
            report(result, fractions: fractions, peer: set.peer, say: say)
            if set.key == "chicago" {
                say(String(format: "  goal: all models plus auto in under 60 s: %@ (%.1f s, %d windows)", seconds < 60 ? "met" : "NOT met", seconds,
                           result.windows))
            }
            if !noZones { try deployZones(auto, config: config, events: events, grid: grid, say: say) }
        }
    }

    /// auto's own zones each window (its inner scores come from the cache of the run before), against the top cells
    /// of equal area.
    func deployZones(_ auto: AutoModel, config: BacktestConfiguration, events: EventSet, grid: Grid, say: (String) -> Void) throws {
        let optimizer = ZoneOptimizer()
        let deployed = try Backtester(configuration: config).run(events: events, grid: grid, models: [auto], clock: { Date().timeIntervalSince1970 },
                                                                 deploy: { try optimizer.optimize($0).zones.flatMap(\.cells) })
        guard let d = deployed.models.first?.deployment, let pai = d.pai, let top = d.topCellPAI else { return }
        let gap = abs(pai / top - 1)
        say(String(format: "  auto deployed zones: %.1f cells (%.2f km², %.2f %% of the area), hit rate %.3f, PAI %.2f; "
                   + "top cells of equal area: hit rate %.3f, PAI %.2f; goal within 15 %%: %@ (%.0f %%)",
                   d.meanCells, d.meanKm2, d.meanAreaFraction * 100, d.hitRate ?? .nan, pai, d.topCellHitRate ?? .nan, top, gap <= 0.15 ? "met" : "NOT met",
                   gap * 100))
    }

    func load(_ path: String, preset: String) async throws -> EventSet {
        let mapping = try Presets.mapping(named: preset)
        let store = InMemoryIncidentStore()
        let importer = Importer(mapping: mapping, jurisdiction: try Presets.jurisdiction(mapping.jurisdiction!), now: Date(), clock: { Date() })
        _ = try await importer.importFile(try InputFile(path: path), into: store)
        return EventSet(try await store.incidents(.all))
    }

    func report(_ r: BacktestResult, fractions: [Double], peer: Double?, say: (String) -> Void) {
        let labels = fractions.enumerated().map { i, f in
            i < AreaBudget.standardFractions.count ? String(format: "%.1f %%", f * 100) : String(format: "4 zones (%.2f %%)", f * 100)
        }
        let naive = r.models.first { $0.model == "naive" }
        for m in r.models {
            var line = "  " + m.model.padding(toLength: max(12, m.model.count), withPad: " ", startingAt: 0)
            for (i, f) in fractions.enumerated() {
                guard let b = m.budget(f), let rate = b.hitRate else { continue }
                line += String(format: "  %@: HR %.3f [%.3f, %.3f] PAI %.1f [%.1f, %.1f]", labels[i], rate, b.hitRateLower ?? .nan, b.hitRateUpper ?? .nan,
                               b.pai ?? .nan, b.paiLower ?? .nan, b.paiUpper ?? .nan)
            }
            line += String(format: "  fit %.1f s", m.fitSeconds)
            say(line)
            if let peer, let rate = m.budget(0.01)?.hitRate {
                say(String(format: "      HR at 1 %% %.3f = %.2fx the peer's best %.3f", rate, rate / peer, peer))
            }
        }
        guard let auto = r.models.first(where: { $0.model == "auto" }) else { return }
        say("  auto selected (windows): \(auto.selectionSummary ?? "none")")
        if let peer, let rate = auto.budget(0.01)?.hitRate {
            say(String(format: "  goal: auto HR at 1 %% >= 1.25x the peer (%.3f): %@ (%.3f, %.2fx)", 1.25 * peer, rate >= 1.25 * peer ? "met" : "NOT met",
                       rate, rate / peer))
        }
        if let naive {
            var worst = Double.infinity, at = ""
            for (i, f) in fractions.enumerated() {
                guard let a = auto.budget(f)?.hitRate, let n = naive.budget(f)?.hitRate, n > 0 else { continue }
                if a / n < worst { worst = a / n; at = labels[i] }
            }
            if worst.isFinite {
                say(String(format: "  goal: auto never more than 2 %% below naive at any budget: %@ (lowest auto/naive %.3f at %@)",
                           worst >= 0.98 ? "met" : "NOT met", worst, at))
            }
        }
    }
}
