import Foundation
import ZoneCastCore
import ZoneCastForecast

/// One window's fits and scores for every model of a backtest, one after another or side by side.
enum ModelRuns {
    typealias Outcome = Result<(ModelForecast, SurfaceEvaluation, Double, Double, Double), EvaluationError>

    /// What every model of a window shares.
    struct Window: Sendable {
        var input: ForecastInput
        var observed: ObservedCounts
        var budgets: [AreaBudget]
        var origin: Date
    }

    /// Forecast and score of each model (in `models` order), with the clock read before fitting, after fitting and
    /// after scoring. `concurrently` above 1 runs the models on the machine's cores (at most that many at once).
    static func run(_ models: [any ForecastModel], window: Window, concurrently: Int, clock: () -> Double) -> [Outcome] {
        guard concurrently > 1, models.count > 1 else { return models.map { one($0, window, clock) } }
        let slots = OutcomeSlots(count: models.count)
        let gate = DispatchSemaphore(value: concurrently)
        withoutActuallyEscaping(clock) { clock in
            // The caller promised a clock that may be read from several threads (`Backtester.concurrentModels`).
            let shared = PromisedSendable(clock)
            DispatchQueue.concurrentPerform(iterations: models.count) { m in
                gate.wait()
                defer { gate.signal() }
                slots.set(m, one(models[m], window, shared.value))
            }
        }
        return slots.values
    }

    static func one(_ model: any ForecastModel, _ w: Window, _ clock: () -> Double) -> Outcome {
        let t0 = clock()
        let forecast: ModelForecast
        do {
            forecast = try model.forecast(w.input)
        } catch let ForecastError.lookAhead(name, eventTime, at) {
            return .failure(.lookAhead(model: name, eventTime: eventTime, origin: at))
        } catch {
            return .failure(.modelFailed(model: model.name, origin: w.origin, reason: "\(error)"))
        }
        let t1 = clock()
        do {
            let evaluation = try SurfaceEvaluator.evaluate(forecast.surface, against: w.observed, budgets: w.budgets, model: model.name, origin: w.origin)
            return .success((forecast, evaluation, t0, t1, clock()))
        } catch {
            return .failure(error)
        }
    }
}

/// Outcomes written from concurrent iterations, one slot each.
private final class OutcomeSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [ModelRuns.Outcome?]

    init(count: Int) { slots = [ModelRuns.Outcome?](repeating: nil, count: count) }

    func set(_ i: Int, _ value: ModelRuns.Outcome) { lock.lock(); slots[i] = value; lock.unlock() }

    var values: [ModelRuns.Outcome] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}

/// A value the caller has promised is safe to use from several threads (here: the injected clock).
private struct PromisedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
