public import Foundation
public import ZoneCastCore
public import ZoneCastForecast

/// How a rolling-origin backtest runs (Tashman 2000, "Out-of-sample tests of forecasting accuracy",
/// Int. J. Forecasting 16:437): forecast from each origin using only the past, score the window that follows,
/// roll the origin forward.
///
/// Origins are from, from + c, from + 2c, ... (c = cadence) while origin + window <= to: `from` is inclusive,
/// `to` is the exclusive end of the last scored window, so no window reaches past the data. With window w the
/// count is floor((to - from - w) / c) + 1 when to - from >= w, else 0. For the default window = cadence this
/// is floor((to - from) / c): the windows tile [from, to) without overlap. Origin k is computed as
/// from + k x c (not by repeated addition), so no rounding drift accumulates over hundreds of windows.
public struct BacktestConfiguration: Hashable, Sendable, Codable {
    public var from: Date
    public var to: Date
    public var cadenceHours: Double
    public var windowHours: Double
    /// Each fit sees events in [origin - trainingDays, origin) whose precision interval ends by the origin.
    public var trainingDays: Double
    /// Categories scored (and passed to models as ForecastInput.targets).
    public var targets: Set<HarmCategory>
    public var weights: HarmWeights
    public var budgets: [AreaBudget]
    public var bootstrap: WindowBootstrap
    /// Whether the EventSet handed to the backtester kept police-initiated incidents (decided upstream; recorded
    /// so a report can say what it scored).
    public var includePoliceInitiated: Bool

    public init(from: Date, to: Date, cadenceHours: Double = 96, windowHours: Double? = nil, trainingDays: Double = 365,
                targets: Set<HarmCategory> = HarmCategory.violent, weights: HarmWeights = .cambridgeDefaults,
                areaFractions: [Double] = AreaBudget.standardFractions, bootstrap: WindowBootstrap = .standard,
                includePoliceInitiated: Bool = false) throws(EvaluationError) {
        let window = windowHours ?? cadenceHours
        guard cadenceHours.isFinite, cadenceHours > 0 else { throw .invalidSetting(name: "cadenceHours", value: cadenceHours, reason: "must be > 0") }
        guard window.isFinite, window > 0 else { throw .invalidSetting(name: "windowHours", value: window, reason: "must be > 0") }
        guard trainingDays.isFinite, trainingDays > 0 else { throw .invalidSetting(name: "trainingDays", value: trainingDays, reason: "must be > 0") }
        guard !targets.isEmpty else { throw .noTargets }
        guard !areaFractions.isEmpty else { throw .invalidSetting(name: "areaFractions", value: 0, reason: "give at least one area fraction") }
        self.from = from
        self.to = to
        self.cadenceHours = cadenceHours
        self.windowHours = window
        self.trainingDays = trainingDays
        self.targets = targets
        self.weights = weights
        self.budgets = try AreaBudget.budgets(areaFractions)
        self.bootstrap = bootstrap
        self.includePoliceInitiated = includePoliceInitiated
    }

    /// Forecast origins: from + k x cadence for k = 0, 1, ... while origin + window <= to.
    public func origins() -> [Date] {
        let span = to.timeIntervalSince(from), c = cadenceHours * 3_600, w = windowHours * 3_600
        guard span >= w else { return [] }
        let count = Int(((span - w) / c + 1e-9).rounded(.down)) + 1
        return (0..<count).map { from.addingTimeInterval(Double($0) * c) }
    }

    /// The test window opened at `origin`: [origin, origin + windowHours).
    public func window(at origin: Date) -> ForecastWindow { ForecastWindow(start: origin, hours: windowHours) }
}
