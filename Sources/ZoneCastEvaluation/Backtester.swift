public import Foundation
import ZoneCastCore
public import ZoneCastForecast

/// Rolling-origin evaluation of forecasting models on one grid (see `BacktestConfiguration` for the origins).
///
/// At each origin t, every model gets the same `ForecastInput`: the events in [t - trainingDays, t) whose whole
/// precision interval ends by t (`EventSet.before(t)`, then a filter on start time), all categories, with the
/// targets and weights. Its surface is scored by `SurfaceEvaluator` against the target events starting in
/// [t, t + window). An event whose precision interval straddles t (a day-precision event on the origin's day)
/// is in neither set: it cannot be trained on without look-ahead, and it did not surely happen in the window.
///
/// Deterministic: windows run in order, ties are broken by the surface's fixed order, and the bootstrap is seeded;
/// only the timings depend on the injected clock. With `concurrentModels` above 1 the models of one window fit
/// side by side on the machine's cores (each forecast is a pure function of its input, so the scores are the same;
/// the clock is then read from several threads and must allow it, and a model's seconds include waiting for a
/// core); failures and deployments are still taken in model order.
public struct Backtester: Sendable {
    public var configuration: BacktestConfiguration
    /// Models fitted at once per window (1: one after another, on the calling thread).
    public var concurrentModels: Int

    public init(configuration: BacktestConfiguration, concurrentModels: Int = 1) {
        self.configuration = configuration
        self.concurrentModels = concurrentModels
    }

    /// Runs every model at every origin.
    ///
    /// - Parameters:
    ///   - events: all events, already filtered upstream (e.g. police-initiated ones dropped); any categories.
    ///   - grid: the evaluation grid (models forecast on it too).
    ///   - models: distinct names; reported in this order.
    ///   - clock: seconds from any fixed point (e.g. a monotonic clock in the CLI); injected so this target stays
    ///     free of clocks. Called three times per model and window: before fitting, after fitting, after scoring.
    /// `deploy`, when given, turns each forecast into the cells that would actually be patrolled (e.g. the zone
    /// optimiser's compact zones); they are scored beside the top cells of equal count.
    public func run(events: EventSet, grid: Grid, models: [any ForecastModel], clock: () -> Double,
                    deploy: ((RiskSurface) throws -> [Int])? = nil) throws(EvaluationError) -> BacktestResult {
        let config = configuration
        guard !models.isEmpty else { throw .noModels }
        var names = Set<String>()
        for m in models where !names.insert(m.name).inserted { throw .duplicateModelName(m.name) }
        guard !grid.activeCells.isEmpty else { throw .emptyGrid }
        let origins = config.origins()
        guard let firstOrigin = origins.first, let lastOrigin = origins.last else {
            throw .noOrigins(from: config.from, to: config.to, windowHours: config.windowHours)
        }
        // Keep only the span any training set or test window can use, so each window filters fewer events.
        let lo = firstOrigin.timeIntervalSince1970 - config.trainingDays * 86_400
        let hi = config.window(at: lastOrigin).end.timeIntervalSince1970
        let relevant = events.filtered { events.time[$0] >= lo && events.time[$0] < hi }

        var records = [[WindowRecord]](repeating: [], count: models.count)
        var deployments = [DeploymentScore](repeating: DeploymentScore(), count: models.count)
        var lastForecasts = [ModelForecast?](repeating: nil, count: models.count)
        var testEvents = 0, unscorable = 0
        for origin in origins {
            let window = config.window(at: origin)
            let history = trainingHistory(relevant, origin: origin)
            let test = relevant.within(window).only(config.targets)
            let observed = ObservedCounts(events: test, grid: grid, weights: config.weights)
            testEvents += observed.totalEvents
            unscorable += observed.unscorableEvents
            let input = ForecastInput(history: history, grid: grid, window: window, targets: config.targets, weights: config.weights)
            for model in models { try Self.checkNoLookAhead(input, model: model.name) }
            let outcomes = ModelRuns.run(models, window: ModelRuns.Window(input: input, observed: observed, budgets: config.budgets, origin: origin),
                                         concurrently: concurrentModels, clock: clock)
            for (m, model) in models.enumerated() {
                let (forecast, evaluation, t0, t1, t2) = try outcomes[m].get()
                records[m].append(WindowRecord(start: origin, evaluation: evaluation, fitSeconds: t1 - t0, wallSeconds: t2 - t0, selected: forecast.selected))
                if let deploy {
                    let flagged: [Int]
                    do { flagged = try deploy(forecast.surface) } catch {
                        throw .modelFailed(model: model.name, origin: origin, reason: "deployment: \(error)")
                    }
                    deployments[m].add(flagged: flagged, surface: forecast.surface, observed: observed)
                }
                lastForecasts[m] = forecast
            }
        }

        let summaries = models.indices.map { m in
            var s = summarize(model: models[m].name, records: records[m], last: lastForecasts[m])
            if deploy != nil { s.deployment = deployments[m] }
            return s
        }
        return BacktestResult(settings: BacktestSettings(config), grid: GridSummary(grid), windows: origins.count,
                              testEvents: testEvents, unscorableTestEvents: unscorable, models: summaries)
    }

    /// Events in [origin - trainingDays, origin) whose whole precision interval ends by the origin.
    public func trainingHistory(_ events: EventSet, origin: Date) -> EventSet {
        let past = events.before(origin)
        let start = origin.timeIntervalSince1970 - configuration.trainingDays * 86_400
        return past.filtered { past.time[$0] >= start }
    }

    /// The look-ahead guard: throws if any history event could have happened at or after the window start.
    /// The backtester builds histories with `EventSet.before`, so this should never fire; it is checked anyway,
    /// before every fit, because a leak would silently inflate every metric.
    static func checkNoLookAhead(_ input: ForecastInput, model: String) throws(EvaluationError) {
        let origin = input.window.start
        if let latest = input.history.latestPossibleTime, latest > origin.timeIntervalSince1970 {
            throw .lookAhead(model: model, eventTime: Date(timeIntervalSince1970: latest), origin: origin)
        }
    }

    private func summarize(model: String, records: [WindowRecord], last: ModelForecast?) -> ModelBacktest {
        let count = max(1, records.count)
        let budgets = configuration.budgets.indices.compactMap { b in
            PooledBudgetMetrics(windows: records.map { $0.budgets[b] }, bootstrap: configuration.bootstrap)
        }
        return ModelBacktest(
            model: model, windows: records.count, testEvents: records.reduce(0) { $0 + $1.testEvents },
            fitSeconds: records.reduce(0) { $0 + $1.fitSeconds }, wallSeconds: records.reduce(0) { $0 + $1.wallSeconds },
            meanPoissonDeviance: records.reduce(0) { $0 + $1.poissonDeviance } / Double(count),
            meanUniformDeviance: records.reduce(0) { $0 + $1.uniformDeviance } / Double(count),
            parameters: last?.parameters ?? [:], notes: last?.notes ?? [], budgets: budgets, perWindow: records)
    }
}
