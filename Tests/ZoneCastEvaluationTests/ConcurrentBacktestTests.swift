import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
@testable import ZoneCastEvaluation

/// Models of a window fitted side by side score exactly as one after another (issue #16, backtest speed).
struct ConcurrentBacktestTests {
    static let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 12, rows: 12)
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    static func events() -> EventSet {
        var rng = SplitMix64(seed: 0xC0C0)
        var e = EventSet()
        var t = start.timeIntervalSince1970 - 150 * 86_400
        while t < start.timeIntervalSince1970 + 40 * 86_400 {
            let c = rng.index(below: 3) == 0 ? rng.index(below: 144) : [14, 15, 27, 90][rng.index(below: 4)]
            let p = grid.center(of: c)
            e.append(x: p.xMeters, y: p.yMeters, time: t, precisionSeconds: 60, category: .aggravatedAssault)
            t += 86_400 / 3
        }
        return e
    }

    struct Failing: ForecastModel {
        var name: String
        func forecast(_ input: ForecastInput) throws -> ModelForecast { throw ForecastError.invalidSetting("\(name) always fails") }
    }

    /// A clock safe to read from several threads.
    final class TickClock: @unchecked Sendable {
        private let lock = NSLock()
        private var t = 0.0
        func read() -> Double { lock.lock(); defer { lock.unlock() }; t += 1; return t }
    }

    @Test("given six models when backtested one after another and two at a time then every window's scores and choices are identical")
    func sameScores() throws {
        let config = try BacktestConfiguration(from: Self.start, to: Self.start.addingTimeInterval(40 * 86_400), cadenceHours: 96, trainingDays: 120,
                                               targets: [.aggravatedAssault], bootstrap: try WindowBootstrap(replicates: 50))
        func models() -> [any ForecastModel] {
            [NaiveModel(), HarmSurfaceModel(targetsOnly: true), ProspectiveHotspotModel(), SelfExcitingModel(), LearnedFactorModel(),
             AutoModel(validationWindows: 4, trainingDays: 120)]
        }
        let one = try Backtester(configuration: config).run(events: Self.events(), grid: Self.grid, models: models(), clock: TickClock().read)
        let two = try Backtester(configuration: config, concurrentModels: 2).run(events: Self.events(), grid: Self.grid, models: models(),
                                                                                 clock: TickClock().read)
        #expect(one.models.map(\.model) == two.models.map(\.model))
        for (a, b) in zip(one.models, two.models) {
            #expect(a.perWindow.map(\.budgets) == b.perWindow.map(\.budgets), "\(a.model)")
            #expect(a.perWindow.map(\.selected) == b.perWindow.map(\.selected), "\(a.model)")
            #expect(a.budgets == b.budgets && a.parameters == b.parameters, "\(a.model)")
        }
    }

    @Test("given two failing models run side by side when backtested then the first in model order is reported")
    func failuresInModelOrder() throws {
        let config = try BacktestConfiguration(from: Self.start, to: Self.start.addingTimeInterval(8 * 86_400), cadenceHours: 96, trainingDays: 60,
                                               targets: [.aggravatedAssault], bootstrap: try WindowBootstrap(replicates: 50))
        let models: [any ForecastModel] = [NaiveModel(), Failing(name: "first"), Failing(name: "second")]
        #expect {
            _ = try Backtester(configuration: config, concurrentModels: 3).run(events: Self.events(), grid: Self.grid, models: models, clock: TickClock().read)
        } throws: { error in
            guard case EvaluationError.modelFailed(let model, _, _) = error else { return false }
            return model == "first"
        }
    }
}
