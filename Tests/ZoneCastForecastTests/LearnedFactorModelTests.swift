import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastForecast
import ZoneCastSynthetic

/// Planted worlds for the learned model: a 4 km x 4 km grid of 100 m cells, a year of history before the origin.
enum LearnedFactorFixtures {
    static let day = 86_400.0
    static let origin = Date(timeIntervalSince1970: 1_700_000_000)
    static let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 40, rows: 40)

    /// Category A (robbery) events fall uniformly in space and time; each triggers on average `offspring` target
    /// events (aggravated assault) within days (exponential delay, mean 4 days) about 100 m away. Category B
    /// (drug overdose) is independent noise; targets also occur at a uniform background rate. With
    /// `simultaneous`, the planted targets instead happen at the same minute as their A event: the past then
    /// predicts nothing, and only a model that looked into its target windows would find A.
    static func world(seed: UInt64, days: Double = 400, aPerDay: Double = 4, bPerDay: Double = 4, backgroundPerDay: Double = 1,
                      offspring: Double = 1.0, simultaneous: Bool = false) -> EventSet {
        var rng = SeededGenerator(seed: seed)
        let t0 = origin.timeIntervalSince1970, start = t0 - days * day
        var rows: [(Double, Double, Double, HarmCategory)] = []
        func uniformPoint() -> (Double, Double) { (rng.uniform(0, 4_000), rng.uniform(0, 4_000)) }
        for _ in 0..<Int(aPerDay * days) {
            let (x, y) = uniformPoint(), t = rng.uniform(start, t0)
            rows.append((x, y, t, .robbery))
            for _ in 0..<rng.poisson(mean: offspring) {
                let dt = simultaneous ? 0 : rng.exponential(rate: 1 / (4 * day))
                let px = x + rng.normal(mean: 0, standardDeviation: 100), py = y + rng.normal(mean: 0, standardDeviation: 100)
                rows.append((px, py, t + dt, .aggravatedAssault))
            }
        }
        for _ in 0..<Int(bPerDay * days) { let (x, y) = uniformPoint(); rows.append((x, y, rng.uniform(start, t0), .drugOverdose)) }
        for _ in 0..<Int(backgroundPerDay * days) { let (x, y) = uniformPoint(); rows.append((x, y, rng.uniform(start, t0), .aggravatedAssault)) }
        rows.sort { $0.2 < $1.2 }
        var events = EventSet()
        for r in rows where r.2 + 60 <= t0 && r.0 >= 0 && r.0 < 4_000 && r.1 >= 0 && r.1 < 4_000 {
            events.append(x: r.0, y: r.1, time: r.2, precisionSeconds: 60, category: r.3)
        }
        return events
    }

    static func input(_ history: EventSet, grid: Grid = grid) -> ForecastInput {
        ForecastInput(history: history, grid: grid, window: ForecastWindow(start: origin, durationSeconds: 7 * day))
    }

    static let model = LearnedFactorModel(bandwidthsMeters: [150], halfLivesDays: [10], trainingWindows: 26)
    static let aFeature = "robbery.b150m.h10d", bFeature = "drug_overdose.b150m.h10d"
}

/// Records every input an extra layer is asked about.
final class InputSpy: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [ForecastInput] = []
    func record(_ i: ForecastInput) { lock.lock(); seen.append(i); lock.unlock() }
    var inputs: [ForecastInput] { lock.lock(); defer { lock.unlock() }; return seen }
}

struct LearnedFactorModelTests {
    typealias Fx = LearnedFactorFixtures

    @Test func givenAPlantedTrigger_whenFitting_thenTheTriggerIsPositiveAndSignificantAndTheNoiseIsNearZero() async throws {
        let report = try Fx.model.explain(Fx.input(Fx.world(seed: 1)))
        let a = try #require(report.coefficient(named: Fx.aFeature))
        let b = try #require(report.coefficient(named: Fx.bFeature))
        #expect(a.estimate > 0)
        #expect(a.zScore > 2, "A: \(a.estimate) +- \(a.standardError)")
        #expect(a.isSignificant && a.lower95 > 0)
        #expect(abs(b.zScore) < 2, "B: \(b.estimate) +- \(b.standardError)")
        #expect(abs(b.estimate) < a.estimate / 3)
        #expect(report.ranked.first?.name == Fx.aFeature)
        #expect(report.converged)
        #expect(report.trainingWindows.count == 26)
        #expect(report.crossValidation.count == 5 && report.crossValidation.allSatisfy { $0.meanDeviance.isFinite })
        #expect([0.01, 0.1, 1, 10, 100].contains(report.alpha))
        #expect(report.summary.contains(Fx.aFeature))
    }

    @Test func givenTargetsThatCoincideWithA_whenFitting_thenANeverLooksPredictiveBecauseNoWindowSeesItsOwnEvents() async throws {
        // Targets happen at the same minute as A events: a model whose features for a training window included
        // that window's events would find A hugely "predictive". Without look-ahead A's past density says nothing.
        let report = try Fx.model.explain(Fx.input(Fx.world(seed: 2, simultaneous: true)))
        let a = try #require(report.coefficient(named: Fx.aFeature))
        #expect(abs(a.zScore) < 2.5, "A: \(a.estimate) +- \(a.standardError)")
        // The planted (lagged) world does find it with the same amount of data.
        let lagged = try Fx.model.explain(Fx.input(Fx.world(seed: 2)))
        #expect(try #require(lagged.coefficient(named: Fx.aFeature)).zScore > 2)
    }

    @Test func givenAnExtraLayerSpy_whenForecasting_thenEveryTrainingInputEndsBeforeTheOrigin() async throws {
        let spy = InputSpy()
        var model = Fx.model
        model.extraLayers = [.init(name: "spy.count") { input in
            spy.record(input)
            var v = [Double](repeating: 0, count: input.grid.cellCount)
            for i in 0..<input.history.count { if let c = input.grid.cell(x: input.history.x[i], y: input.history.y[i]) { v[c] += 1 } }
            return v
        }]
        let input = Fx.input(Fx.world(seed: 3))
        let (forecast, report) = try model.forecastWithReport(input)
        let t0 = Fx.origin.timeIntervalSince1970
        let seen = spy.inputs
        #expect(seen.count == report.trainingWindows.count + 1)
        for s in seen {
            let latest = try #require(s.history.latestPossibleTime)
            #expect(latest <= s.window.start.timeIntervalSince1970)
            #expect(s.window.start.timeIntervalSince1970 <= t0)
            if s.window.start.timeIntervalSince1970 < t0 { #expect(s.window.end.timeIntervalSince1970 <= t0) }
        }
        for w in report.trainingWindows { #expect(w.end <= Fx.origin && w.durationSeconds == input.window.durationSeconds) }
        #expect(forecast.parameters["coef.spy.count"] != nil && forecast.parameters["se.spy.count"] != nil)
    }

    @Test func givenTheSweep_whenCarryingLayersForward_thenTrainingFeaturesEqualDirectFeaturesFromTheTruncatedHistory() async throws {
        var model = Fx.model
        model.halfLivesDays = [5, 60]
        model.bandwidthsMeters = [100, 300]
        model.trainingWindows = 6
        model.zeroRowsPerWindow = 200
        let input = Fx.input(Fx.world(seed: 4))
        let data = try model.trainingData(input)
        let F = data.features.count
        #expect(F == 3 * 2 * 2)
        for (k, o) in data.origins.enumerated() {
            let at = Date(timeIntervalSince1970: o)
            let past = ForecastInput(history: input.history.before(at), grid: input.grid, window: ForecastWindow(start: at, durationSeconds: input.window.durationSeconds))
            let direct = try model.featureLayers(past)
            #expect(direct.features.map(\.name) == data.features.map(\.name))
            var maxRel = 0.0
            for r in data.rowWindow.indices where data.rowWindow[r] == k {
                for f in 0..<F {
                    let a = data.raw[r * F + f], b = direct.layers[f][data.rowCell[r]]
                    maxRel = max(maxRel, abs(a - b) / max(1e-12, abs(b)))
                }
            }
            #expect(maxRel < 1e-9, "window \(k): relative difference \(maxRel)")
        }
        // Targets of each window are that window's events of the target categories.
        for (k, o) in data.origins.enumerated() {
            let window = ForecastWindow(start: Date(timeIntervalSince1970: o), durationSeconds: data.windowSeconds)
            let truth = input.history.within(window).only(input.targets)
            let counted = data.rowWindow.indices.filter { data.rowWindow[$0] == k }.map { data.y[$0] }.reduce(0, +)
            #expect(Int(counted) == truth.count)
        }
    }

    @Test func givenOneCategory_whenComputingFeatureLayers_thenTheyMatchTheGaussianSmootherOfDecayedBins() async throws {
        let model = LearnedFactorModel(categories: [.robbery], bandwidthsMeters: [250], halfLivesDays: [30])
        let input = Fx.input(Fx.world(seed: 5, days: 120))
        let (features, layers) = try model.featureLayers(input)
        #expect(features.map(\.name) == ["robbery.b250m.h30d"])
        var bins = [Double](repeating: 0, count: Fx.grid.cellCount)
        let h = input.history, t0 = Fx.origin.timeIntervalSince1970
        for i in 0..<h.count where h.category[i] == .robbery {
            let age = (t0 - (h.time[i] + h.precisionSeconds[i] / 2)) / 86_400
            bins[Fx.grid.cell(x: h.x[i], y: h.y[i])!] += exp2(-age / 30)
        }
        let smoothed = GaussianSmoother.smooth(bins, columns: 40, rows: 40, cellSizeMeters: 100, bandwidthMeters: 250)
        for c in 0..<bins.count { #expect(abs(smoothed[c] - layers[0][c]) < 1e-9 * max(1, smoothed[c])) }
    }

    @Test func givenTheSameInput_whenForecastingTwice_thenTheResultsAreIdentical() async throws {
        let input = Fx.input(Fx.world(seed: 6))
        var model = Fx.model
        model.zeroRowsPerWindow = 300
        let a = try model.forecast(input), b = try model.forecast(input)
        #expect(a.surface.values == b.surface.values)
        #expect(a.parameters.keys.sorted() == b.parameters.keys.sorted())
        for (k, v) in a.parameters { #expect(v.bitPattern == b.parameters[k]!.bitPattern, "\(k)") }
        #expect(a.notes == b.notes)
    }

    @Test func givenAMaskedGrid_whenForecasting_thenTheSurfaceIsOnThatGridNonNegativeAndReportsItsFit() async throws {
        let mask = (0..<1_600).map { ($0 % 40) + ($0 / 40) < 70 }   // cut the top-right corner off
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 40, rows: 40, active: mask)
        let input = Fx.input(Fx.world(seed: 7), grid: grid)
        var model = Fx.model
        model.zeroRowsPerWindow = 400
        let forecast = try model.forecast(input)
        #expect(model.name == "learned")
        #expect(forecast.surface.grid == grid)
        #expect(forecast.surface.window == input.window)
        #expect(forecast.surface.values.count == grid.cellCount)
        #expect(forecast.surface.values.allSatisfy { $0 >= 0 && $0.isFinite })
        #expect(zip(forecast.surface.values, mask).allSatisfy { $1 || $0 == 0 })
        #expect(forecast.surface.total > 0)
        let p = forecast.parameters
        for key in ["alpha", "trainingWindows", "sampledRows", "cvDeviance", "coef.intercept", "se.intercept"] { #expect(p[key] != nil, "\(key)") }
        for name in ["aggravated_assault.b150m.h10d", Fx.aFeature, Fx.bFeature] {
            #expect(p["coef.\(name)"] != nil && (p["se.\(name)"] ?? 0) > 0, "\(name)")
        }
        #expect(p["trainingWindows"] == 26)
        // Zero cells were sampled: far fewer rows than cell-windows.
        #expect(p["sampledRows"]! < Double(26 * grid.activeCells.count) / 2)
        // Expected harm: expected counts times the mean harm of a target event (all aggravated assaults here).
        #expect(p["meanHarmPerEvent"] == HarmWeights.cambridgeDefaults[.aggravatedAssault])
        var counts = model
        counts.outputHarm = false
        let c = try counts.forecast(input)
        for i in grid.activeCells { #expect(abs(c.surface.values[i] * 547 - forecast.surface.values[i]) <= 1e-9 * forecast.surface.values[i]) }
        // Expected counts are on the scale of a week's target events.
        let weekly = Double(input.history.within(ForecastWindow(start: Fx.origin.addingTimeInterval(-7 * 86_400), durationSeconds: 7 * 86_400)).only(HarmCategory.violent).count)
        #expect(c.surface.total > weekly / 3 && c.surface.total < weekly * 3, "\(c.surface.total) vs \(weekly)")
    }

    @Test func givenNoTargetHistory_whenForecasting_thenTheSurfaceIsZeroWithANote() async throws {
        let history = Fx.world(seed: 8, days: 200).only([.robbery, .drugOverdose])
        let forecast = try Fx.model.forecast(Fx.input(history))
        #expect(forecast.surface.total == 0)
        #expect(forecast.notes.contains { $0.contains("no target events") })
        let empty = try Fx.model.forecast(Fx.input(EventSet()))
        #expect(empty.surface.total == 0 && empty.parameters["trainingWindows"] == 0)
    }

    @Test func givenHistoryAfterTheOriginOrBadParameters_whenForecasting_thenItThrows() async {
        var history = Fx.world(seed: 9, days: 60)
        history.append(x: 10, y: 10, time: Fx.origin.timeIntervalSince1970 + 10, category: .robbery)
        #expect(throws: ForecastError.self) { try Fx.model.forecast(Fx.input(history)) }
        var bad = Fx.model
        bad.halfLivesDays = [0]
        #expect(throws: ForecastError.self) { try bad.forecast(Fx.input(Fx.world(seed: 9, days: 60))) }
        bad = Fx.model
        bad.alphaGrid = []
        #expect(throws: ForecastError.self) { try bad.forecast(Fx.input(Fx.world(seed: 9, days: 60))) }
    }

    /// Scale run, off by default (set ZONECAST_PERF=1): a 50,000-cell grid over the synthetic city and about 20,000
    /// history events. Prints the time; no timing assertion.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ZONECAST_PERF"] != nil))
    func givenTheSyntheticCityAtScale_whenForecasting_thenItPrintsTheTime() async throws {
        let (input, _) = LearnedFactorScale.input()
        let clock = ContinuousClock()
        var result: (forecast: ModelForecast, report: LearnedFactorReport)?
        let elapsed = try clock.measure { result = try LearnedFactorModel().forecastWithReport(input) }
        let r = try #require(result)
        print("learned: \(input.grid.activeCells.count) active of \(input.grid.cellCount) cells, \(input.history.count) events, \(r.report.coefficients.count) features, \(r.report.sampledRows) rows, alpha \(r.report.alpha): \(elapsed)")
        print(r.report.summary)
        #expect(r.forecast.surface.values.allSatisfy { $0 >= 0 })
    }
}

/// The synthetic city at scale, shared by the perf test.
enum LearnedFactorScale {
    static func input(rowCount: Int = 24_000, cellSizeMeters: Double = 80) -> (ForecastInput, Int) {
        let rows = SyntheticIncidentGenerator(rowCount: rowCount, seed: 42).generateAll()
        var events = EventSet()
        for r in rows where r.defect == .none && !r.isPoliceInitiated {
            events.append(x: r.position.xMeters, y: r.position.yMeters, time: Double(r.occurred.secondsSinceEpochIgnoringZone),
                          precisionSeconds: r.timePrecision == .exact ? 60 : 86_400, category: r.category)
        }
        let last = events.latestPossibleTime ?? 0
        let origin = Date(timeIntervalSince1970: (last / 86_400).rounded(.down) * 86_400 - 7 * 86_400)
        let history = events.before(origin)
        let city = SyntheticCity()
        let grid = Grid.covering(city.jurisdiction.boundary, projection: city.jurisdiction.projection, cellSizeMeters: cellSizeMeters)
        return (ForecastInput(history: history, grid: grid, window: ForecastWindow(start: origin, durationSeconds: 7 * 86_400)), rows.count)
    }
}
