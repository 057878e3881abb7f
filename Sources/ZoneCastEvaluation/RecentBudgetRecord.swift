public import Foundation
public import ZoneCastCore
public import ZoneCastForecast

/// How a proposal's model did at the proposal's own zone budget over the windows just before its cycle, beside
/// naive (last year's incidents counted per cell) at the same budget.
///
/// Why: proposals flag a tiny area (about 0.09 % of a city), far below the 0.5-5 % budgets a backtest reports by
/// default, and a model's lead at 1 % says little about the top few dozen cells. So the model is scored where it is
/// used: at each of the `windows` windows of `windowHours` that end by the cycle start (origins start - n x w, ...,
/// start - w), it is fitted on the `trainingDays` before that origin only (`Backtester`, with its look-ahead guard),
/// the k highest cells of its surface are flagged (k = the cells the proposal's zones cover) and the target incidents
/// of the window that fall in them are counted. Hits and incidents are summed over windows before dividing
/// (`BudgetScore.pooling`), so an empty window neither helps nor hurts. Top cells, not the optimiser's compact zones:
/// this is the model's ranking at the zones' area; `backtest --zones` scores the zone shapes themselves.
///
/// Pure: no clock (fit times are not reported), no store; the caller hands in the incidents.
public struct RecentBudgetRecord: Hashable, Sendable, Codable {
    /// Hits of one model, pooled over the windows.
    public struct Score: Hashable, Sendable, Codable {
        /// Target incidents of the windows in the flagged cells.
        public var hits: Int
        /// hits / incidents; nil when the windows held no target incident.
        public var hitRate: Double?
        /// hit rate / flagged share of the active area; nil with the hit rate.
        public var pai: Double?

        public init(hits: Int, hitRate: Double?, pai: Double?) {
            self.hits = hits
            self.hitRate = hitRate
            self.pai = pai
        }
    }

    /// Fewer target incidents than this over all windows and the record says "too few incidents to say": one
    /// incident more or less would move the hit rate by over 5 percentage points.
    public static let minimumIncidents = 20

    public var windows: Int
    public var windowHours: Double
    /// k: the cells flagged in each window (the proposal's zone cells).
    public var cells: Int
    /// A: the grid's active cells.
    public var activeCells: Int
    /// Target incidents over all windows (including any outside the active area, which no budget can hit).
    public var incidents: Int
    /// The proposal's model (for auto: the option it selected, fixed in every window).
    public var model: Score
    /// Naive: target incidents per cell in the 365 days before each window.
    public var naive: Score

    public init(windows: Int, windowHours: Double, cells: Int, activeCells: Int, incidents: Int, model: Score, naive: Score) {
        self.windows = windows
        self.windowHours = windowHours
        self.cells = cells
        self.activeCells = activeCells
        self.incidents = incidents
        self.model = model
        self.naive = naive
    }

    /// k / A: the flagged share of the active area.
    public var areaShare: Double { activeCells > 0 ? Double(cells) / Double(activeCells) : 0 }
    public var tooFewIncidents: Bool { incidents < Self.minimumIncidents }

    /// Scores `forecast` (named `modelName` in errors) and naive at `cells` flagged cells over the `windows` windows
    /// before `start`.
    ///
    /// - Parameters:
    ///   - events: incidents from at least `trainingDays` before the first window to `start` (later ones are ignored);
    ///     police-initiated ones already dropped or kept as the proposal did.
    ///   - forecast: the proposal's forecast from an input (e.g. auto's recorded option: `AutoModel.forecast(_:option:)`).
    /// - Throws: `EvaluationError.invalidSetting` for cells or windows below 1, and whatever the backtest throws
    ///   (a model that fails in a window, an empty grid, no target category).
    public static func compute(events: EventSet, grid: Grid, modelName: String,
                               forecast: @escaping @Sendable (ForecastInput) throws -> ModelForecast,
                               cells: Int, before start: Date, windows: Int = 8, windowHours: Double = 96, trainingDays: Double = 365,
                               targets: Set<HarmCategory> = HarmCategory.violent,
                               weights: HarmWeights = .cambridgeDefaults) throws(EvaluationError) -> RecentBudgetRecord {
        guard windows >= 1 else { throw .invalidSetting(name: "windows", value: Double(windows), reason: "must be at least 1") }
        guard cells >= 1 else { throw .invalidSetting(name: "cells", value: Double(cells), reason: "the zones must cover at least 1 cell") }
        let active = grid.activeCells.count
        guard active > 0 else { throw .emptyGrid }
        guard cells <= active else {
            throw .invalidSetting(name: "cells", value: Double(cells), reason: "more than the grid's \(active) active cells")
        }
        let from = start.addingTimeInterval(-Double(windows) * windowHours * 3_600)
        // k / A as the budget: AreaBudget's floor(f x A + 1e-9) gives back exactly k.
        let config = try BacktestConfiguration(from: from, to: start, cadenceHours: windowHours, trainingDays: trainingDays, targets: targets,
                                               weights: weights, areaFractions: [Double(cells) / Double(active)],
                                               bootstrap: try WindowBootstrap(replicates: 100))
        // The proposal's model under a name naive cannot have (a proposal may itself use naive).
        let chosen = Chosen(name: "proposal's model \(modelName)", body: forecast)
        let result = try Backtester(configuration: config).run(events: events, grid: grid, models: [chosen, NaiveModel(lookbackDays: 365)],
                                                               clock: { 0 })
        func score(_ m: Int) -> Score {
            let b = result.models[m].budgets.first
            return Score(hits: b?.hits ?? 0, hitRate: b?.hitRate, pai: b?.pai)
        }
        return RecentBudgetRecord(windows: result.windows, windowHours: windowHours, cells: cells, activeCells: active,
                                  incidents: result.testEvents, model: score(0), naive: score(1))
    }
}

/// A forecast function standing in for a model in the backtest.
private struct Chosen: ForecastModel {
    let name: String
    let body: @Sendable (ForecastInput) throws -> ModelForecast
    func forecast(_ input: ForecastInput) throws -> ModelForecast { try body(input) }
}
