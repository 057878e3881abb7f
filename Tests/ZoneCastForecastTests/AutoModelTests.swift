import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastForecast

/// A model whose surface is fixed (1 on its hot cells, 0 elsewhere), recording every input it is given.
struct FixedSurfaceModel: ForecastModel {
    var name: String
    var hotCells: [Int]
    var spy: InputSpy

    func forecast(_ input: ForecastInput) throws -> ModelForecast {
        try input.checkNoLookAhead(model: name)
        spy.record(input)
        var v = [Double](repeating: 0, count: input.grid.cellCount)
        for c in hotCells { v[c] = 1 }
        return ModelForecast(surface: RiskSurface(grid: input.grid, window: input.window, values: v))
    }
}

struct AutoModelTests {
    static let day = 86_400.0
    static let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 10, rows: 10)
    static let origin = Date(timeIntervalSince1970: 1_700_000_000)

    /// Every 2 days an event in cell 0 (centre 50, 50), for 200 days before `days` past the origin.
    static func stream(until end: Double) -> EventSet {
        var e = EventSet()
        var t = origin.timeIntervalSince1970 - 200 * day
        while t < end {
            e.append(x: 50, y: 50, time: t, precisionSeconds: 60, category: .aggravatedAssault)
            t += 2 * day
        }
        return e
    }

    static func auto(_ spy: InputSpy, windows: Int = 6) -> AutoModel {
        AutoModel(options: [
            AutoModel.Option(label: "wrong", model: FixedSurfaceModel(name: "wrong", hotCells: [99], spy: spy)),
            AutoModel.Option(label: "right", model: FixedSurfaceModel(name: "right", hotCells: [0], spy: spy)),
            AutoModel.Option(label: "blend(wrong,right)", blendOf: ["wrong", "right"]),
        ], validationWindows: windows, areaFractions: [0.01], areasKm2: [], trainingDays: 120)
    }

    static func input(_ history: EventSet) -> ForecastInput {
        ForecastInput(history: history, grid: grid, window: ForecastWindow(start: origin, durationSeconds: 4 * day), targets: [.aggravatedAssault])
    }

    @Test("given events always in one cell when auto chooses then it picks the option that flags that cell, forecasts with it and records the choice")
    func picksTheRightOption() async throws {
        let spy = InputSpy()
        let history = Self.stream(until: Self.origin.timeIntervalSince1970)
        let forecast = try Self.auto(spy).forecast(Self.input(history))
        #expect(forecast.selected == "right")
        #expect(forecast.surface.values[0] == 1 && forecast.surface.values[99] == 0)
        #expect(forecast.parameters["auto.score.right"] == 1)
        #expect(forecast.parameters["auto.score.wrong"] == 0)
        #expect(forecast.parameters["auto.windows"] == 6)
        #expect((forecast.parameters["auto.validationEvents"] ?? 0) >= 11)
    }

    @Test("given a history when auto validates then every inner forecast ends by the origin and sees only events before its own window")
    func neverSeesTheTestWindow() async throws {
        let spy = InputSpy()
        let t0 = Self.origin.timeIntervalSince1970
        _ = try Self.auto(spy).forecast(Self.input(Self.stream(until: t0)))
        let inner = spy.inputs.filter { $0.window.start < Self.origin }
        #expect(inner.count == 2 * 6)   // two models, six inner windows (the final forecast is at the origin)
        for i in inner {
            #expect(i.window.end.timeIntervalSince1970 <= t0)
            #expect((i.history.latestPossibleTime ?? 0) <= i.window.start.timeIntervalSince1970)
            // The same training span for every inner window: L' = 120 days - 6 x 4 days.
            #expect((i.history.time.min() ?? 0) >= i.window.start.timeIntervalSince1970 - 96 * Self.day)
        }
        #expect(Set(inner.map(\.window.start)).count == 6)
    }

    @Test("given the next origin one window later when auto chooses again then the inner windows it shares with the last choice come from the cache")
    func reusesInnerWindows() async throws {
        let spy = InputSpy()
        let model = Self.auto(spy)
        let t0 = Self.origin.timeIntervalSince1970, W = 4 * Self.day
        let all = Self.stream(until: t0 + W)
        _ = try model.forecast(Self.input(all.before(Self.origin)))
        let first = spy.inputs.count
        let next = ForecastInput(history: all.before(Date(timeIntervalSince1970: t0 + W)), grid: Self.grid,
                                 window: ForecastWindow(start: Date(timeIntervalSince1970: t0 + W), durationSeconds: W), targets: [.aggravatedAssault])
        let again = try model.forecast(next)
        #expect(again.selected == "right")
        // One new inner window (two models) and the final forecast.
        #expect(spy.inputs.count - first == 2 + 1)
    }

    @Test("given an option whose lead over the reference is within the noise when auto chooses then the reference stays, unless the rule is switched off")
    func oneStandardErrorRule() async throws {
        let spy = InputSpy()
        var history = EventSet()
        let t0 = Self.origin.timeIntervalSince1970
        var k = 0
        var t = t0 - 200 * Self.day
        while t < t0 {
            history.append(x: k % 2 == 0 ? 50 : 150, y: 50, time: t, precisionSeconds: 60, category: .aggravatedAssault)
            t += 2 * Self.day
            k += 1
        }
        history.append(x: 150, y: 50, time: t0 - 4 * Self.day + 3_600, precisionSeconds: 60, category: .aggravatedAssault)
        var model = Self.auto(spy)
        model.options = [AutoModel.Option(label: "steady", model: FixedSurfaceModel(name: "steady", hotCells: [0], spy: spy)),
                         AutoModel.Option(label: "lucky", model: FixedSurfaceModel(name: "lucky", hotCells: [1], spy: spy))]
        model.reference = "steady"
        // lead 1/13; paired deviations 10/13 once and -2/13 five times: se = sqrt(6/5 x 120/169) / 13 = 0.0710.
        model.standardErrors = 2
        let kept = try model.forecast(Self.input(history))
        #expect(kept.selected == "steady")
        #expect(abs((kept.parameters["auto.score.lucky"] ?? 0) - 7.0 / 13) < 1e-12)
        model.standardErrors = 1
        #expect(try model.forecast(Self.input(history)).selected == "lucky")   // 0.0769 > 0.0710
        model.standardErrors = 0
        #expect(try model.forecast(Self.input(history)).selected == "lucky")
    }

    @Test("given equal scores when auto chooses then the earlier option wins")
    func tiesGoToTheEarlierOption() async throws {
        let spy = InputSpy()
        var model = Self.auto(spy)
        model.options = [AutoModel.Option(label: "a", model: FixedSurfaceModel(name: "a", hotCells: [0], spy: spy)),
                         AutoModel.Option(label: "b", model: FixedSurfaceModel(name: "b", hotCells: [0], spy: spy))]
        #expect(try model.forecast(Self.input(Self.stream(until: Self.origin.timeIntervalSince1970))).selected == "a")
    }

    @Test("given two surfaces when rank-averaged then cells are ordered by their mean percentile rank and the total is the members' mean total")
    func rankAverageByHand() async throws {
        let g = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 4, rows: 1)
        let w = ForecastWindow(start: Self.origin, durationSeconds: Self.day)
        // a: 4, 3, 0, 0 -> ranks (ties share the mean): 4/4, 3/4, 1.5/4, 1.5/4
        // b: 0, 10, 20, 0 -> 1.5/4, 3/4, 4/4, 1.5/4
        // mean: 0.6875, 0.75, 0.6875, 0.375 (sum 2.5); totals 7 and 30, mean 18.5
        let blend = AutoModel.rankAverage([RiskSurface(grid: g, window: w, values: [4, 3, 0, 0]), RiskSurface(grid: g, window: w, values: [0, 10, 20, 0])])
        let expected = [0.6875, 0.75, 0.6875, 0.375].map { $0 / 2.5 * 18.5 }
        for k in 0..<4 { #expect(abs(blend.values[k] - expected[k]) < 1e-12) }
        #expect(abs(blend.total - 18.5) < 1e-9)
    }

    @Test("given the catalog when making auto then its defaults hold naive, kde settings, their blend and eb (the thorough set adds sepp, learned, boosted), and settings parse")
    func catalog() async throws {
        let m = try #require(try ModelCatalog.parse("auto", settings: ["auto.windows=8", "auto.areaFractions=0.01/0.02", "auto.trainingDays=120"]).first as? AutoModel)
        #expect(m.validationWindows == 8 && m.areaFractions == [0.01, 0.02] && m.trainingDays == 120)
        let labels = m.options.map(\.label)
        for l in ["naive", "kde(200m,365d)", "kde(100m,365d)", "kde(400m,365d)", "blend(naive,kde)", "eb"] { #expect(labels.contains(l)) }
        let thorough = AutoModel.thoroughOptions().map(\.label)
        for l in ["sepp", "learned", "boosted", "blend(kde,sepp)"] { #expect(thorough.contains(l) && !labels.contains(l)) }
        #expect(m.budgetCells(Self.grid) == [1, 2, 260])   // and 2.6 km² of 0.01 km² cells (capped at the grid when flagged)
    }
}

struct AutoInnerPlanTests {
    @Test("given the training span when planning inner windows then the inner fits keep at least three quarters of it")
    func innerPlan() async {
        var m = AutoModel(options: [AutoModel.Option(label: "naive", model: NaiveModel())], validationWindows: 16)
        let W = 4 * 86_400.0
        m.trainingDays = 365
        #expect(m.innerPlan(windowSeconds: W).windows == 16)                  // 365 - 64 = 301 days >= 273.75
        m.trainingDays = 120
        let p = m.innerPlan(windowSeconds: W)
        #expect(p.windows == 7 && p.trainingSeconds == 92 * 86_400)           // 120 - 28 = 92 >= 90; 8 windows would leave 88
        m.trainingDays = 10
        #expect(m.innerPlan(windowSeconds: W).windows == 2)                   // never fewer than 2
    }
}
