public import Foundation
import ZoneCastCore
public import ZoneCastForecast

/// Everything a rolling-origin backtest measured, Codable so the CLI can print it with `--json`
/// (use `jsonData()`, which fixes key order and ISO 8601 dates) or as text with `table()`.
public struct BacktestResult: Hashable, Sendable, Codable {
    public var settings: BacktestSettings
    public var grid: GridSummary
    /// Windows scored (each model scores every one, including those with no test event).
    public var windows: Int
    /// Target events in all windows (N summed), the same for every model.
    public var testEvents: Int
    /// Of those, events outside the grid or in inactive cells: in N, never hits.
    public var unscorableTestEvents: Int
    /// One entry per model, in the order the models were given.
    public var models: [ModelBacktest]

    public init(settings: BacktestSettings, grid: GridSummary, windows: Int, testEvents: Int, unscorableTestEvents: Int, models: [ModelBacktest]) {
        self.settings = settings
        self.grid = grid
        self.windows = windows
        self.testEvents = testEvents
        self.unscorableTestEvents = unscorableTestEvents
        self.models = models
    }

    /// JSON with sorted keys and ISO 8601 dates, so the same backtest prints the same bytes (timings aside).
    public func jsonData(prettyPrinted: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    /// The matching decoder for `jsonData()`.
    public static func decode(json data: Data) throws -> BacktestResult {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(BacktestResult.self, from: data)
    }
}

/// The settings a result was produced with, in plain JSON types.
public struct BacktestSettings: Hashable, Sendable, Codable {
    public var from: Date
    public var to: Date
    public var cadenceHours: Double
    public var windowHours: Double
    public var trainingDays: Double
    /// Target categories' raw values, in HarmCategory declaration order.
    public var targets: [String]
    /// Harm weight per category raw value (days of imprisonment equivalent).
    public var harmWeightsDays: [String: Double]
    public var areaFractions: [Double]
    public var bootstrapReplicates: Int
    public var bootstrapSeed: UInt64
    public var confidenceLevel: Double
    public var includePoliceInitiated: Bool

    public init(_ c: BacktestConfiguration) {
        from = c.from
        to = c.to
        cadenceHours = c.cadenceHours
        windowHours = c.windowHours
        trainingDays = c.trainingDays
        targets = c.targets.sorted().map(\.rawValue)
        harmWeightsDays = Dictionary(uniqueKeysWithValues: HarmCategory.allCases.map { ($0.rawValue, c.weights[$0]) })
        areaFractions = c.budgets.map(\.areaFraction)
        bootstrapReplicates = c.bootstrap.replicates
        bootstrapSeed = c.bootstrap.seed
        confidenceLevel = c.bootstrap.confidenceLevel
        includePoliceInitiated = c.includePoliceInitiated
    }
}

/// The evaluation grid, for the report.
public struct GridSummary: Hashable, Sendable, Codable {
    public var columns: Int
    public var rows: Int
    public var cellSizeMeters: Double
    public var activeCells: Int
    public var activeAreaKm2: Double

    public init(_ g: Grid) {
        columns = g.columns
        rows = g.rows
        cellSizeMeters = g.cellSizeMeters
        activeCells = g.activeCells.count
        activeAreaKm2 = g.activeAreaKm2
    }
}

/// One model over every window.
public struct ModelBacktest: Hashable, Sendable, Codable {
    public var model: String
    public var windows: Int
    public var testEvents: Int
    /// Seconds spent in `forecast` over all windows (by the injected clock).
    public var fitSeconds: Double
    /// Fit plus scoring seconds over all windows.
    public var wallSeconds: Double
    /// Mean over windows of the Poisson deviance of the surface read as expected counts (see `DevianceScore`).
    public var meanPoissonDeviance: Double
    /// Mean over windows of the deviance of a uniform surface with the same total (reference).
    public var meanUniformDeviance: Double
    /// Fitted parameters and notes of the last window's forecast.
    public var parameters: [String: Double]
    public var notes: [String]
    /// Pooled metrics with bootstrap intervals, one per area budget, in budget order.
    public var budgets: [PooledBudgetMetrics]
    /// Per-window scores in origin order (for charts such as hit rate at 1 % over time).
    public var perWindow: [WindowRecord]
    /// The deployed zones' scores beside top cells of equal area, when the backtest deployed zones.
    public var deployment: DeploymentScore?

    public init(model: String, windows: Int, testEvents: Int, fitSeconds: Double, wallSeconds: Double,
                meanPoissonDeviance: Double, meanUniformDeviance: Double, parameters: [String: Double], notes: [String],
                budgets: [PooledBudgetMetrics], perWindow: [WindowRecord]) {
        self.model = model
        self.windows = windows
        self.testEvents = testEvents
        self.fitSeconds = fitSeconds
        self.wallSeconds = wallSeconds
        self.meanPoissonDeviance = meanPoissonDeviance
        self.meanUniformDeviance = meanUniformDeviance
        self.parameters = parameters
        self.notes = notes
        self.budgets = budgets
        self.perWindow = perWindow
    }

    /// The pooled metrics at `areaFraction`, if that budget was scored.
    public func budget(_ areaFraction: Double) -> PooledBudgetMetrics? { budgets.first { $0.areaFraction == areaFraction } }
}

/// One model at one origin.
public struct WindowRecord: Hashable, Sendable, Codable {
    /// Origin = start of the test window.
    public var start: Date
    public var testEvents: Int
    public var unscorableEvents: Int
    public var fitSeconds: Double
    public var wallSeconds: Double
    public var poissonDeviance: Double
    public var uniformDeviance: Double
    /// Per-budget scores (hitRate etc. absent when the window had no test event).
    public var budgets: [BudgetScore]
    /// For `auto`: the option it chose for this window (absent for other models).
    public var selected: String?

    public init(start: Date, evaluation: SurfaceEvaluation, fitSeconds: Double, wallSeconds: Double, selected: String? = nil) {
        self.selected = selected
        self.start = start
        testEvents = evaluation.testEvents
        unscorableEvents = evaluation.unscorableEvents
        self.fitSeconds = fitSeconds
        self.wallSeconds = wallSeconds
        poissonDeviance = evaluation.deviance.deviance
        uniformDeviance = evaluation.deviance.uniformDeviance
        budgets = evaluation.budgets
    }
}

extension ModelBacktest {
    /// For `auto`: how many windows each option was chosen for, most chosen first ("sepp 40, naive 12"); nil for
    /// models that choose nothing.
    public var selectionSummary: String? {
        let chosen = perWindow.compactMap(\.selected)
        guard !chosen.isEmpty else { return nil }
        var counts: [String: Int] = [:]
        for c in chosen { counts[c, default: 0] += 1 }
        let ordered: [(String, Int)] = counts.map { ($0.key, $0.value) }.sorted { (a: (String, Int), b: (String, Int)) -> Bool in
            if a.1 != b.1 { return a.1 > b.1 }
            return a.0 < b.0
        }
        return ordered.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }
}
