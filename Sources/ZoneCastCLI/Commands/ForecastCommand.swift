import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastReports
import ZoneCastStore

struct ForecastCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast one window with one model: the highest-risk cells, the fitted parameters, and for the learned model "
            + "which factors predict violence here (coefficients with standard errors).",
        discussion: """
            Example: zonecast forecast --db kc.sqlite --model learned --at 2017-06-01
            Example: zonecast forecast --db kc.sqlite --model sepp --at 2017-06-01 --html forecast.html
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Model (\(ModelCatalog.names.joined(separator: ", "))).") var model = "harm"
    @Option(name: .customLong("set"), help: "A model setting, model.key=value (repeatable).") var settings: [String] = []
    @Option(name: .customLong("static-layer"), help: StaticLayerOption.help) var staticLayers: [String] = []
    @Option(help: """
        Window start (yyyy-MM-dd in the jurisdiction's time, or ISO 8601; default: the database's time: now, or on historical data the \
        hour after the newest incident).
        """) var at: String?
    @Option(help: "Window length, e.g. 96h.") var window = "96h"
    @Option(help: "Cell size in metres.") var cell = 150.0
    @Option(help: "Categories forecast, comma-separated, or violent.") var target = "violent"
    @Option(help: "Days of history used.") var trainingDays = 365.0
    @Option(help: "Highest-risk cells to list.") var top = 10
    @Flag(help: "Include police-initiated records (excluded by default).") var includePoliceInitiated = false
    @Option(help: "Write an HTML map of the surface.") var html: String?
    @Flag(help: "Print as JSON.") var json = false

    func validate() throws {
        do { _ = try ModelCatalog.parse(model, settings: settings) } catch { throw ValidationError("\(error)") }
        try StaticLayerOption.check(staticLayers, models: model, settings: settings)
        _ = try parseCategories(target)
        _ = try parseDurationHours(window, option: "--window")
        guard top >= 0 else { throw ValidationError("--top must be >= 0") }
    }

    func run() async throws { try await CLIFailure.run(perform) }

    /// Refuses to forecast from nothing: with no target incident in the training period before `--at`, every cell
    /// would score 0 and the "highest-risk cells" would be arbitrary. The error names the period and, so the user can
    /// choose another origin, the span of the whole database (not only of the period loaded).
    func requireTrainingData(_ history: EventSet, origin: Date, jurisdiction: Jurisdiction) async throws {
        let tz = TimeZone(identifier: jurisdiction.timeZoneIdentifier) ?? .gmt
        do {
            try history.requireTrainingData(model: model, origin: origin, trainingFrom: origin.addingTimeInterval(-trainingDays * 86_400),
                                            targets: try parseCategories(target), timeZone: tz)
        } catch ForecastError.noTrainingData(var missing) {
            let held = try await database.openStore().summary()
            missing.dataFrom = held.firstOccurredAt
            missing.dataTo = held.lastOccurredAt
            throw ForecastError.noTrainingData(missing)
        }
    }

    func perform() async throws {
        let jurisdiction = try await AnalysisData.jurisdiction(database: database)
        let origin = if let at { try parseInstant(at, timeZone: jurisdiction.timeZoneIdentifier, option: "--at") } else {
            try await DatabaseTime.defaultStart(try await database.openStore(), doing: "Forecasting the window")
        }
        try await requireTargetsHeld(try parseCategories(target), in: try await database.openStore())
        try await warnIfRecordsThin(try await database.openStore(), before: origin, timeZone: jurisdiction.timeZoneIdentifier)
        // A bad layer file is refused before the incidents are loaded.
        let layers = try StaticLayerOption.read(staticLayers, projection: jurisdiction.projection)
        let data = try await AnalysisData.load(database: database, from: origin.addingTimeInterval(-trainingDays * 86_400), to: origin,
                                         includePoliceInitiated: includePoliceInitiated, cellSizeMeters: cell, extent: .boundary)
        let history = data.events.before(origin)
        try await requireTrainingData(history, origin: origin, jurisdiction: data.jurisdiction)
        let input = ForecastInput(history: history, grid: data.grid,
                                  window: ForecastWindow(start: origin, hours: try parseDurationHours(window, option: "--window")),
                                  targets: try parseCategories(target), weights: data.weights)
        let m = try ModelCatalog.parse(model, settings: settings, staticLayers: layers)[0]
        let forecast: ModelForecast
        var factorReport: String?
        if let learned = m as? LearnedFactorModel {
            let (f, report) = try learned.forecastWithReport(input)
            forecast = f
            factorReport = report.summary
        } else if let boosted = m as? BoostedTreesModel {
            let (f, report) = try boosted.fit(input)
            forecast = f
            factorReport = report.summary
        } else {
            forecast = try m.forecast(input)
        }
        let projection = data.jurisdiction.projection.prepared()
        let ranked = forecast.surface.topCells(top)
        if let html {
            let snapshot = BacktestReport.MapSnapshot(model: m.name, surface: forecast.surface, testPoints: [],
                                                      boundary: data.jurisdiction.boundary.polygons.map { $0.outer.map(projection.project) })
            let banner: HTML? = data.jurisdiction.isSynthetic ? "<div class=\"synthetic\">SYNTHETIC DATA</div>" : nil
            let factors: HTML? = factorReport.map { "<h2>Which factors predict violence here</h2><pre>\($0)</pre>" }
            let body: HTML = """
                \(banner)<p class="note">CONFIDENTIAL. \(m.name) forecast from \(history.count) incidents (police-initiated records \
                \(includePoliceInitiated ? "included" : "excluded")).</p>\(BacktestReport.map(snapshot, fraction: 0.01))\(factors)
                """
            try ReportDocument.page(title: "ZoneCast forecast: \(data.jurisdiction.displayName)", body: body).rendered
                .write(toFile: html, atomically: true, encoding: .utf8)
        }
        if json {
            struct Cell: Encodable { var cell: Int; var latitude: Double; var longitude: Double; var value: Double }
            struct Out: Encodable {
                var model: String; var windowStart: Date; var windowHours: Double; var historyEvents: Int; var includePoliceInitiated: Bool
                var total: Double; var top: [Cell]; var parameters: [String: Double]; var notes: [String]; var selected: String?
            }
            try printJSON(Out(model: m.name, windowStart: origin, windowHours: input.window.durationSeconds / 3_600, historyEvents: history.count,
                              includePoliceInitiated: includePoliceInitiated, total: forecast.surface.total,
                              top: ranked.map { c in
                                  let g = projection.unproject(data.grid.center(of: c))
                                  return Cell(cell: c, latitude: g.latitude, longitude: g.longitude, value: forecast.surface.values[c])
                              },
                              parameters: forecast.parameters, notes: forecast.notes, selected: forecast.selected))
            return
        }
        if data.jurisdiction.isSynthetic { print("SYNTHETIC DATA: fictional incidents from ZoneCast's generator.") }
        print("\(m.name) forecast for \(ISO8601DateFormatter().string(from: origin)), \(Int(input.window.durationSeconds / 3_600)) h, "
              + "from \(history.count) incidents (police-initiated records \(includePoliceInitiated ? "included" : "excluded")); "
              + "\(data.grid.activeCells.count) cells of \(Int(cell)) m.")
        print("Highest-risk cells (CONFIDENTIAL):")
        for (k, c) in ranked.enumerated() {
            let g = projection.unproject(data.grid.center(of: c))
            print(String(format: "  %2d. cell %d at %.5f, %.5f: %.4g", k + 1, c, g.latitude, g.longitude, forecast.surface.values[c]))
        }
        if !forecast.parameters.isEmpty {
            print("Parameters:")
            for (k, v) in forecast.parameters.sorted(by: { $0.key < $1.key })
            where !k.hasPrefix("coef.") && !k.hasPrefix("se.") && !k.hasPrefix("gain.") && !k.contains(".gain.") {
                print("  \(k) = \(String(format: "%.6g", v))")
            }
        }
        if let selected = forecast.selected { print("Selected: \(selected)") }
        for n in forecast.notes { print("Note: \(n)") }
        if let factorReport { print(""); print(factorReport) }
        if let html { print("Map written to \(html)") }
    }
}
