import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastEvaluation
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastReports
import ZoneCastZoning

struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Rolling-origin backtest: at each origin fit on earlier data only, forecast the next window, score it.",
        discussion: """
            Models: \(ModelCatalog.names.map { "\($0) (\(ModelCatalog.descriptions[$0]!))" }.joined(separator: "; ")).
            Scores at 0.5, 1, 2 and 5 % of the area: hit rate, PAI, PEI*, harm captured, with bootstrap intervals over windows; \
            Poisson deviance; fit and wall seconds.
            Example: zonecast backtest --db chicago.sqlite --model naive,kde,prospective,sepp,learned --from 2016-01-01 --to 2019-01-01 \
            --cadence 96h --target homicide --html backtest.html
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Models, comma-separated, or all.") var model = "naive,kde"
    @Option(name: .customLong("set"), help: """
        A model setting for a sweep, model.key=value (repeatable), e.g. kde.bandwidth=300, kde.halfLife=180.
        """) var settings: [String] = []
    @Option(name: .customLong("static-layer"), help: StaticLayerOption.help) var staticLayers: [String] = []
    @Option(help: "First origin (yyyy-MM-dd in the jurisdiction's time, or ISO 8601).") var from: String
    @Option(help: "End of the last window (exclusive).") var to: String
    @Option(help: "Time between origins, e.g. 96h or 4d.") var cadence = "96h"
    @Option(help: "Forecast window (default: the cadence).") var window: String?
    @Option(help: "Cell size in metres.") var cell = 150.0
    @Option(help: "Categories forecast and scored, comma-separated, or violent.") var target = "violent"
    @Option(help: "Days of history each fit sees.") var trainingDays = 365.0
    @Option(help: "Grid over the jurisdiction boundary, or over the bounding box of the data (as peers' benchmarks).") var extent: GridExtent = .boundary
    @Option(help: "Bootstrap replicates for the intervals.") var bootstrap = 1000
    @Flag(help: "Include police-initiated records in the models' inputs (excluded by default).") var includePoliceInitiated = false
    @Flag(help: "Also deploy the zone optimiser's compact zones (default limits) each window and score them beside top cells of equal area.") var zones = false
    @Option(help: "Write an HTML report with charts and a map.") var html: String?
    @Flag(help: "Print JSON instead of a table.") var json = false

    func validate() throws {
        do { _ = try ModelCatalog.parse(model, settings: settings) } catch { throw ValidationError("\(error)") }
        try StaticLayerOption.check(staticLayers, models: model, settings: settings)
        _ = try parseCategories(target)
        _ = try parseDurationHours(cadence, option: "--cadence")
        if let window { _ = try parseDurationHours(window, option: "--window") }
        guard cell >= 10 else { throw ValidationError("--cell must be at least 10 metres") }
        guard trainingDays > 0 else { throw ValidationError("--training-days must be > 0") }
    }

    func run() async throws { try await CLIFailure.run(perform) }

    func perform() async throws {
        let started = Date()
        let jurisdiction = try await AnalysisData.jurisdiction(database: database)
        let tz = jurisdiction.timeZoneIdentifier
        // A bad layer file is refused before the incidents are loaded.
        let layers = try StaticLayerOption.read(staticLayers, projection: jurisdiction.projection)
        let start = try parseInstant(from, timeZone: tz, option: "--from"), end = try parseInstant(to, timeZone: tz, option: "--to")
        guard end > start else { throw ValidationError("--to must be after --from") }
        let targets = try parseCategories(target)
        let cadenceHours = try parseDurationHours(cadence, option: "--cadence")
        let windowHours = try window.map { try parseDurationHours($0, option: "--window") }
        // Everything a fit could need: the training span before the first origin up to the last window's end.
        let data = try await AnalysisData.load(database: database, from: start.addingTimeInterval(-trainingDays * 86_400), to: end,
                                         includePoliceInitiated: includePoliceInitiated, cellSizeMeters: cell, extent: extent)
        guard !data.grid.activeCells.isEmpty else { throw ValidationError("the grid has no active cell") }
        // auto's inner windows keep the span each origin's fit sees.
        let autoSpan = settings.contains { $0.hasPrefix("auto.trainingDays=") } ? [] : ["auto.trainingDays=\(trainingDays)"]
        let models = try ModelCatalog.parse(model, settings: settings + autoSpan, staticLayers: layers)
        let configuration = try BacktestConfiguration(
            from: start, to: end, cadenceHours: cadenceHours, windowHours: windowHours, trainingDays: trainingDays, targets: targets,
            weights: data.weights, bootstrap: try WindowBootstrap(replicates: bootstrap), includePoliceInitiated: includePoliceInitiated)
        let clock = { Date().timeIntervalSince1970 }
        let optimizer = ZoneOptimizer()
        let deploy: ((RiskSurface) throws -> [Int])? = zones ? { surface in try optimizer.optimize(surface).zones.flatMap(\.cells) } : nil
        let result = try Backtester(configuration: configuration).run(events: data.events, grid: data.grid, models: models, clock: clock, deploy: deploy)
        if let html {
            let snapshot = try mapSnapshot(result: result, data: data, configuration: configuration, models: models)
            try BacktestReport.html(result, title: "ZoneCast backtest: \(data.jurisdiction.displayName)", synthetic: data.jurisdiction.isSynthetic,
                                    snapshot: snapshot).rendered.write(toFile: html, atomically: true, encoding: .utf8)
        }
        if json {
            print(String(decoding: try result.jsonData(), as: UTF8.self))
            return
        }
        if data.jurisdiction.isSynthetic { print("SYNTHETIC DATA: fictional incidents from ZoneCast's generator.") }
        print(result.table())
        for m in result.models {
            if let chosen = m.selectionSummary { print("\(m.model) selected (windows): \(chosen)") }
        }
        for m in result.models {
            guard let d = m.deployment, let rate = d.hitRate else { continue }
            print(String(format: "%@: deployed zones (%.1f cells, %.2f km², %.2f %% of the area): hit rate %.3f, PAI %.2f, PEI* %.3f; "
                         + "top cells of equal area: hit rate %.3f, PAI %.2f",
                         m.model, d.meanCells, d.meanKm2, d.meanAreaFraction * 100, rate, d.pai ?? .nan, d.pei ?? .nan,
                         d.topCellHitRate ?? .nan, d.topCellPAI ?? .nan))
        }
        print(String(format: "total %.1f s", Date().timeIntervalSince(started)))
        if let html { print("Report written to \(html)") }
    }

    /// The best model's forecast for the last window, with the incidents that followed, for the report's map.
    func mapSnapshot(result: BacktestResult, data: AnalysisData, configuration: BacktestConfiguration,
                     models: [any ForecastModel]) throws -> BacktestReport.MapSnapshot? {
        guard let origin = configuration.origins().last else { return nil }
        let best = result.models.max { ($0.budget(0.01)?.hitRate ?? 0) < ($1.budget(0.01)?.hitRate ?? 0) }
        guard let name = best?.model, let model = models.first(where: { $0.name == name }) else { return nil }
        let window = configuration.window(at: origin)
        let history = Backtester(configuration: configuration).trainingHistory(data.events, origin: origin)
        let forecast = try model.forecast(ForecastInput(history: history, grid: data.grid, window: window, targets: configuration.targets,
                                                        weights: data.weights))
        let tests = data.events.within(window).only(configuration.targets)
        let projection = data.jurisdiction.projection.prepared()
        return BacktestReport.MapSnapshot(
            model: name, surface: forecast.surface, testPoints: (0..<tests.count).map { PlanarPoint(xMeters: tests.x[$0], yMeters: tests.y[$0]) },
            boundary: data.jurisdiction.boundary.polygons.map { $0.outer.map(projection.project) })
    }
}
