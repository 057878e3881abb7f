import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
@testable import ZoneCastEvaluation

/// Day d at 00:00 UTC, counted from 2020-01-01.
private func day(_ d: Double) -> Date { Date(timeIntervalSince1970: 1_577_836_800 + d * 86_400) }

/// A tiny city on the 4 x 4 fixture grid, days 0-129:
///   - an aggravated assault in cell 5 every day at 01:00,
///   - an aggravated assault in cell 10 every even day at 02:00,
///   - a robbery in cell 0 every day at 03:00 (not a target),
///   - an aggravated assault in cell 15 with day precision from day 99 12:00 to day 100 12:00 (straddles the
///     day-100 origin: it must be neither training at day 100 nor a test event of that window).
private func tinyCity(straddler: Bool = false) -> EventSet {
    var e = EventSet()
    func add(_ cell: Int, _ t: Date, _ c: HarmCategory, precision: Double = 60) {
        let p = Fixture.grid.center(of: cell)
        e.append(x: p.xMeters, y: p.yMeters, time: t.timeIntervalSince1970, precisionSeconds: precision, category: c)
    }
    for d in 0..<130 {
        add(5, day(Double(d) + 1.0 / 24), .aggravatedAssault)
        if d % 2 == 0 { add(10, day(Double(d) + 2.0 / 24), .aggravatedAssault) }
        add(0, day(Double(d) + 3.0 / 24), .robbery)
    }
    if straddler { add(15, day(99.5), .aggravatedAssault, precision: 86_400) }
    return e
}

/// A clock that advances 0.5 s per reading.
private final class FakeClock: @unchecked Sendable {
    private var t = 0.0
    func read() -> Double { t += 0.5; return t }
}

/// Records what each forecast call saw and returns a flat surface.
private final class SpyModel: ForecastModel, @unchecked Sendable {
    struct Seen { var origin: Date; var count: Int; var earliestStart: Double?; var latestEnd: Double?; var targets: Set<HarmCategory> }
    private let lock = NSLock()
    private var seen: [Seen] = []
    var name: String { "spy" }
    var calls: [Seen] { lock.withLock { seen } }

    func forecast(_ input: ForecastInput) throws -> ModelForecast {
        let h = input.history
        lock.withLock {
            seen.append(Seen(origin: input.window.start, count: h.count, earliestStart: h.time.min(), latestEnd: h.latestPossibleTime, targets: input.targets))
        }
        return ModelForecast(surface: RiskSurface(grid: input.grid, window: input.window, values: [Double](repeating: 1, count: input.grid.cellCount)),
                             parameters: ["calls": Double(lock.withLock { seen.count })])
    }
}

private struct FailingModel: ForecastModel {
    var name: String { "failing" }
    func forecast(_ input: ForecastInput) throws -> ModelForecast { throw ForecastError.invalidParameter(model: name, name: "x", value: -1) }
}

@Suite("Rolling-origin backtests")
struct BacktesterTests {
    static func config(from: Double = 100, to: Double = 116, cadenceHours: Double = 96, windowHours: Double? = nil,
                       trainingDays: Double = 365, fractions: [Double] = [0.0625, 0.125]) throws -> BacktestConfiguration {
        try BacktestConfiguration(from: day(from), to: day(to), cadenceHours: cadenceHours, windowHours: windowHours, trainingDays: trainingDays,
                                  targets: [.aggravatedAssault], areaFractions: fractions,
                                  bootstrap: WindowBootstrap(replicates: 200, seed: 11))
    }

    @Test("given from, to, cadence and window when origins are listed then they run from `from` while origin + window <= to")
    func origins() async throws {
        // 16 days at 4-day cadence and window: floor((16 - 4) / 4) + 1 = 4 origins, days 100, 104, 108, 112.
        #expect(try Self.config().origins() == [day(100), day(104), day(108), day(112)])
        // One more day does not fit another window (116 + 4 > 117).
        #expect(try Self.config(to: 117).origins().count == 4)
        // A 2-day window every 4 days: floor((16 - 2) / 4) + 1 = 4 (day 116 + 2 > 116).
        #expect(try Self.config(windowHours: 48).origins().count == 4)
        // Exactly one window, and none when the span is shorter than a window.
        #expect(try Self.config(to: 104).origins() == [day(100)])
        #expect(try Self.config(to: 103).origins().isEmpty)
    }

    @Test("given the tiny city and the naive model when backtested then the pooled metrics match the hand count")
    func naiveHandCase() async throws {
        let clock = FakeClock()
        let result = try Backtester(configuration: Self.config()).run(events: tinyCity(), grid: Fixture.grid,
                                                                      models: [NaiveModel(lookbackDays: 30)], clock: clock.read)
        #expect(result.windows == 4)
        // Each 4-day window: 4 assaults in cell 5 and 2 in cell 10 (origins are even days); robberies are not targets.
        #expect(result.testEvents == 24 && result.unscorableTestEvents == 0)
        let naive = try #require(result.models.first)
        #expect(naive.model == "naive" && naive.windows == 4 && naive.testEvents == 24)
        // The last 30 days hold 30 assaults in cell 5 and 15 in cell 10: cell 5 ranks first, cell 10 second.
        // 1 cell (1/16): n = 4 per window, 16 of 24: hit rate 2/3, PAI (2/3) x 16 = 32/3, n* = 4 per window: PEI* 1.
        let one = try #require(naive.budget(0.0625))
        #expect(one.cells == 1 && one.hits == 16 && one.testEvents == 24 && one.bestPossibleHits == 16)
        #expect(close(one.hitRate, 2.0 / 3) && close(one.pai, 32.0 / 3) && close(one.pei, 1))
        // All events are assaults, so harm captured equals hit rate.
        #expect(close(one.harmCaptured, 2.0 / 3))
        // Every window is the same, so the bootstrap interval collapses on the estimate.
        #expect(close(one.hitRateLower, 2.0 / 3) && close(one.hitRateUpper, 2.0 / 3))
        #expect(close(one.paiLower, 32.0 / 3) && close(one.paiUpper, 32.0 / 3))
        // 2 cells (1/8): all 24 caught, PAI 8.
        let two = try #require(naive.budget(0.125))
        #expect(two.hits == 24 && close(two.hitRate, 1) && close(two.pai, 8) && close(two.pei, 1))
        #expect(close(two.km2, 0.02))
        // Naive expects 30 x 4/30 = 4 in cell 5 and 15 x 4/30 = 2 in cell 10: exactly what happened, so the deviance
        // is only the floor's 2 x 14 x 1e-9 from the empty cells. Uniform: mu = 6/16 = 0.375 everywhere.
        #expect(naive.meanPoissonDeviance < 1e-6)
        let uniform = 2 * (4 * log(4 / 0.375) - (4 - 0.375) + 2 * log(2 / 0.375) - (2 - 0.375) + 14 * 0.375)
        #expect(abs(naive.meanUniformDeviance - uniform) < 1e-9)
        #expect(naive.parameters == ["lookbackDays": 30])
        // Three clock readings per window, 0.5 s apart: 0.5 s fitting and 1 s in all per window.
        #expect(close(naive.fitSeconds, 2) && close(naive.wallSeconds, 4))
        // Per-window records, in origin order, for charts.
        #expect(naive.perWindow.map(\.start) == [day(100), day(104), day(108), day(112)])
        #expect(naive.perWindow.allSatisfy { close($0.budgets[0].hitRate, 2.0 / 3) })
        #expect(result.settings.targets == ["aggravated_assault"] && result.settings.includePoliceInitiated == false)
    }

    @Test("given a spy model when backtested then no history event ends after the origin and none is older than trainingDays")
    func noLookAhead() async throws {
        let spy = SpyModel()
        let config = try Self.config(trainingDays: 30)
        _ = try Backtester(configuration: config).run(events: tinyCity(straddler: true), grid: Fixture.grid, models: [spy], clock: { 0 })
        let calls = spy.calls
        #expect(calls.map(\.origin) == [day(100), day(104), day(108), day(112)])
        for c in calls {
            let origin = c.origin.timeIntervalSince1970
            #expect(try #require(c.latestEnd) <= origin)
            #expect(try #require(c.earliestStart) >= origin - 30 * 86_400)
            #expect(c.targets == [.aggravatedAssault])
        }
        // Origin day 100 sees days 70-99: 30 + 15 + 30 robberies = 75; the straddler (ends day 100 12:00) is left out.
        // Origins 104, 108 and 112 see 75 again plus the straddler, now wholly in the past and under 30 days old.
        #expect(calls.map(\.count) == [75, 76, 76, 76])
        // The earliest event the day-100 fit saw is day 70's 01:00 assault: day 69's events are 30+ days old.
        #expect(calls[0].earliestStart == day(70 + 1.0 / 24).timeIntervalSince1970)
        #expect(calls[0].latestEnd == day(99 + 3.0 / 24).timeIntervalSince1970 + 60)
    }

    @Test("given a history holding an event that ends after the origin when checked then lookAhead is thrown")
    func lookAheadGuard() async throws {
        var history = EventSet()
        history.append(x: 50, y: 50, time: day(99.5).timeIntervalSince1970, precisionSeconds: 86_400, category: .robbery)
        let leaking = ForecastInput(history: history, grid: Fixture.grid, window: ForecastWindow(start: day(100), hours: 96))
        #expect(throws: EvaluationError.lookAhead(model: "m", eventTime: day(100.5), origin: day(100))) {
            try Backtester.checkNoLookAhead(leaking, model: "m")
        }
        // An event whose interval ends exactly at the origin is allowed.
        let fine = ForecastInput(history: history, grid: Fixture.grid, window: ForecastWindow(start: day(100.5), hours: 96))
        try Backtester.checkNoLookAhead(fine, model: "m")
    }

    @Test("given the same inputs when backtested twice then the results are identical")
    func deterministic() async throws {
        let models: [any ForecastModel] = [NaiveModel(lookbackDays: 30), ProspectiveHotspotModel(), HarmSurfaceModel(targetsOnly: true)]
        let a = try Backtester(configuration: Self.config()).run(events: tinyCity(straddler: true), grid: Fixture.grid, models: models, clock: FakeClock().read)
        let b = try Backtester(configuration: Self.config()).run(events: tinyCity(straddler: true), grid: Fixture.grid, models: models, clock: FakeClock().read)
        #expect(a == b)
        #expect(a.models.map(\.model) == ["naive", "prospective", "kde"])
    }

    @Test("given a window with no target event when backtested then it still counts as a window and the ratios skip it")
    func emptyWindowCounts() async throws {
        // Only days 0-103 have events, so windows at 104, 108, 112 are empty.
        let events = tinyCity().filtered { _ in true }
        let early = events.filtered { events.time[$0] < day(104).timeIntervalSince1970 }
        let r = try Backtester(configuration: Self.config()).run(events: early, grid: Fixture.grid, models: [NaiveModel(lookbackDays: 30)], clock: { 0 })
        let naive = try #require(r.models.first)
        #expect(naive.windows == 4 && naive.testEvents == 6)
        #expect(naive.perWindow.map(\.testEvents) == [6, 0, 0, 0])
        #expect(naive.perWindow[1].budgets[0].hitRate == nil)
        #expect(close(naive.budget(0.0625)?.hitRate, 2.0 / 3))
    }

    @Test("given bad inputs when backtested then EvaluationError names the problem")
    func refusals() async throws {
        let bt = try Backtester(configuration: Self.config())
        #expect(throws: EvaluationError.noModels) { try bt.run(events: tinyCity(), grid: Fixture.grid, models: [], clock: { 0 }) }
        #expect(throws: EvaluationError.duplicateModelName("naive")) {
            try bt.run(events: tinyCity(), grid: Fixture.grid, models: [NaiveModel(), NaiveModel(lookbackDays: 7)], clock: { 0 })
        }
        #expect(throws: EvaluationError.modelFailed(model: "failing", origin: day(100), reason: "failing: parameter x = -1.0 is out of range")) {
            try bt.run(events: tinyCity(), grid: Fixture.grid, models: [FailingModel()], clock: { 0 })
        }
        let short = try Backtester(configuration: Self.config(to: 103))
        #expect(throws: EvaluationError.noOrigins(from: day(100), to: day(103), windowHours: 96)) {
            try short.run(events: tinyCity(), grid: Fixture.grid, models: [NaiveModel()], clock: { 0 })
        }
        #expect(throws: EvaluationError.invalidSetting(name: "cadenceHours", value: 0, reason: "must be > 0")) { try Self.config(cadenceHours: 0) }
        #expect(throws: EvaluationError.noTargets) { try BacktestConfiguration(from: day(0), to: day(1), targets: []) }
    }

    @Test("given a backtest when encoded as JSON then every budget row carries the CLI's keys and decodes back")
    func json() async throws {
        let r = try Backtester(configuration: Self.config()).run(events: tinyCity(), grid: Fixture.grid,
                                                                 models: [NaiveModel(lookbackDays: 30), SpyModel()], clock: FakeClock().read)
        let data = try r.jsonData()
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let models = try #require(root["models"] as? [[String: Any]])
        #expect(models.count == 2)
        for key in ["model", "windows", "testEvents", "fitSeconds", "wallSeconds", "budgets", "perWindow", "parameters", "meanPoissonDeviance"] {
            #expect(models[0][key] != nil, "missing model key \(key)")
        }
        let row = try #require((models[0]["budgets"] as? [[String: Any]])?.first)
        for key in ["areaFraction", "cells", "km2", "hits", "hitRate", "pai", "pei", "harmCaptured",
                    "hitRateLower", "hitRateUpper", "paiLower", "paiUpper", "peiLower", "peiUpper", "harmCapturedLower", "harmCapturedUpper"] {
            #expect(row[key] != nil, "missing budget key \(key)")
        }
        #expect((root["settings"] as? [String: Any])?["from"] as? String == "2020-04-10T00:00:00Z")
        #expect(try BacktestResult.decode(json: data) == r)
    }
}

@Suite("Backtest text table")
struct BacktestTableTests {
    @Test("given a backtest when rendered as a table then each model and budget has a row with its interval")
    func table() async throws {
        let r = try Backtester(configuration: BacktesterTests.config()).run(events: tinyCity(), grid: Fixture.grid,
                                                                            models: [NaiveModel(lookbackDays: 30)], clock: { 0 })
        let text = r.table()
        let lines = text.split(separator: "\n").map(String.init)
        // Summary, header, 2 budget rows, 1 timing line.
        #expect(lines.count == 5)
        #expect(lines[2].hasPrefix("naive") && lines[2].contains("16/24") && lines[2].contains("0.667 [0.667, 0.667]") && lines[2].contains("10.67"))
        #expect(lines[3].contains("24/24") && lines[3].contains("8.00 [8.00, 8.00]"))
        #expect(lines[4].hasPrefix("naive: fit 0.00 s"))
    }
}

@Suite("Deployed zones in backtests")
struct DeploymentBacktestTests {
    @Test("given a deployment that flags the top k cells, then its scores equal the top-cell scores; a worse deployment scores lower")
    func deploymentAgainstTopCells() async throws {
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 10, rows: 10)
        var e = EventSet()
        let day = 86_400.0
        // A hot cell (44) with events every few days; a colder one (77).
        for k in 0..<120 { e.append(x: 450, y: 450, time: Double(k) * 3 * day, category: .homicide) }
        for k in 0..<30 { e.append(x: 750, y: 750, time: Double(k) * 12 * day + day, category: .homicide) }
        let config = try BacktestConfiguration(from: Date(timeIntervalSince1970: 200 * day), to: Date(timeIntervalSince1970: 360 * day), cadenceHours: 96,
                                               trainingDays: 180, targets: [.homicide], bootstrap: try WindowBootstrap(replicates: 10))
        var tick = 0.0
        let top = try Backtester(configuration: config).run(events: e, grid: grid, models: [NaiveModel()], clock: { tick += 1; return tick }, deploy: { $0.topCells(1) })
        let d = try #require(top.models[0].deployment)
        #expect(d.hits == d.topCellHits)
        #expect(d.meanCells == 1)
        #expect(abs(d.meanAreaFraction - 0.01) < 1e-12)
        #expect(d.hits > 0 && d.testEvents > d.hits)
        let wrong = try Backtester(configuration: config).run(events: e, grid: grid, models: [NaiveModel()], clock: { tick += 1; return tick }, deploy: { _ in [0] })
        #expect(wrong.models[0].deployment!.hits == 0)
        #expect(wrong.models[0].deployment!.topCellHits == d.topCellHits)
    }
}
