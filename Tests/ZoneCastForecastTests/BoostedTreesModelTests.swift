import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastForecast

struct BoostedTreesModelTests {
    typealias Fx = LearnedFactorFixtures
    static let day = 86_400.0

    static func input(_ history: EventSet) -> ForecastInput {
        ForecastInput(history: history, grid: Fx.grid, window: ForecastWindow(start: Fx.origin, durationSeconds: 7 * day), targets: [.aggravatedAssault])
    }

    static let model = BoostedTreesModel(trainingWindows: 26, validationWindows: 4, zeroRowsPerWindow: 400, maxRounds: 150)

    @Test("given a planted world where robberies trigger assaults when fitting boosted trees then robbery counts carry more gain than the unrelated overdoses, and the surface beats chance")
    func findsThePlantedFactor() async throws {
        let world = Fx.world(seed: 3)
        let (forecast, report) = try Self.model.fit(Self.input(world))
        print(report.summary)
        print("boosted gains: \(report.gain.prefix(8).map { "\($0.feature)=\($0.totalGain)" })")
        let robbery = report.gain.filter { $0.feature.hasPrefix("n.robbery.") }.reduce(0) { $0 + $1.totalGain }
        let overdose = report.gain.filter { $0.feature.hasPrefix("n.drug_overdose.") }.reduce(0) { $0 + $1.totalGain }
        #expect(robbery > 3 * overdose, "robbery gain \(robbery), overdose \(overdose)")
        #expect(report.bestRound >= 1 && report.bestRound <= report.rounds)
        #expect(forecast.parameters["bestRound"] == Double(report.bestRound))
        #expect(forecast.parameters.keys.contains { $0.hasPrefix("gain.n.robbery.") })
        // Robberies of the last week trigger assaults in the coming days: their cells should rank high.
        let top = Set(forecast.surface.topCells(Fx.grid.cellCount / 20))
        let recent = world.filtered { world.time[$0] >= Fx.origin.timeIntervalSince1970 - 7 * Self.day && world.category[$0] == .robbery }
        var hits = 0
        for i in 0..<recent.count { if let c = Fx.grid.cell(x: recent.x[i], y: recent.y[i]), top.contains(c) { hits += 1 } }
        #expect(Double(hits) / Double(max(1, recent.count)) > 0.3, "\(hits) of \(recent.count) last-week robberies in the top 5 %")
    }

    @Test("given the same input twice when fitting boosted trees then the surface and the gains are identical")
    func deterministic() async throws {
        let world = Fx.world(seed: 5)
        let a = try Self.model.fit(Self.input(world)), b = try Self.model.fit(Self.input(world))
        #expect(a.forecast.surface == b.forecast.surface)
        #expect(a.report == b.report)
    }

    @Test("given a history holding an event after the origin when forecasting then boosted throws lookAhead")
    func noLookAhead() async throws {
        var history = Fx.world(seed: 7, days: 100)
        history.append(x: 10, y: 10, time: Fx.origin.timeIntervalSince1970 + 10, category: .aggravatedAssault)
        #expect(throws: ForecastError.self) { try Self.model.forecast(Self.input(history)) }
    }

    @Test("given case-control sampled training rows when predicting then the surface's total is about the recent rate of targets (weights corrected)")
    func weightsCorrected() async throws {
        let world = Fx.world(seed: 9)
        var m = Self.model
        m.outputHarm = false
        let forecast = try m.forecast(Self.input(world))
        let t0 = Fx.origin.timeIntervalSince1970
        let lastYear = world.filtered { world.time[$0] >= t0 - 182 * Self.day && world.category[$0] == .aggravatedAssault }.count
        let expected = Double(lastYear) / 182 * 7
        print("boosted total \(forecast.surface.total), recent rate gives \(expected)")
        #expect(abs(forecast.surface.total / expected - 1) < 0.3)
    }

    @Test("given events on a small grid when building features then counts in rings, recency and the window's weekend share match a hand computation")
    func featuresByHand() async throws {
        // 5 x 5 cells of 100 m; origin at Thursday 1970-01-08 00:00 UTC (day 7), window 96 h: Thu, Fri, Sat, Sun -> weekend 0.5.
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 5, rows: 5)
        let o = 7 * Self.day
        var h = EventSet()
        h.append(x: 250, y: 250, time: o - 2 * Self.day, precisionSeconds: 60, category: .aggravatedAssault)  // centre cell 12, 2 days ago
        h.append(x: 150, y: 250, time: o - 20 * Self.day, precisionSeconds: 60, category: .aggravatedAssault) // cell 11, 20 days ago
        h.append(x: 50, y: 50, time: o - 3 * Self.day, precisionSeconds: 60, category: .robbery)              // cell 0
        h.append(x: 450, y: 450, time: o - 3_600, precisionSeconds: 86_400, category: .robbery)                // not yet available at o
        let b = BoostedFeatureBuilder(history: h, grid: grid, targets: [.aggravatedAssault], windowSeconds: 4 * Self.day, historyStart: o - 30 * Self.day,
                                      periodsDays: [7, 28], densities: [], trigger: nil, staticLayers: [BoostedTreesModel.StaticLayer(name: "shops", points: [PlanarPoint(xMeters: 50, yMeters: 50)])])
        let rows = b.features(at: o, cells: [12, 0, 24])
        let F = b.names.count
        func v(_ row: Int, _ name: String) -> Float { rows[row * F + b.names.firstIndex(of: name)!] }
        #expect(v(0, "n.aggravated_assault.7d.r0") == 1)
        #expect(v(0, "n.aggravated_assault.28d.r0") == 1)
        #expect(v(0, "n.aggravated_assault.28d.r1") == 2)
        #expect(v(0, "n.robbery.7d.r1") == 0)
        #expect(v(0, "n.robbery.7d.r2") == 1)
        #expect(v(1, "n.robbery.7d.r0") == 1)
        #expect(v(2, "n.robbery.28d.r2") == 0)  // the day-precision robbery is not available before its day ends
        #expect(abs(v(0, "since.r0") - 2) < 1e-3)  // from the middle of the minute
        #expect(abs(v(2, "since.r0") - 30) < 1e-4)  // none: capped at the history's length
        #expect(abs(v(1, "since.r1") - 30) < 1e-4)  // cell 0's 3 x 3 (cells 0, 1, 5, 6) holds no assault
        #expect(abs(v(0, "since.r1") - 2) < 1e-3)
        #expect(v(1, "static.shops.dist") < 1)
        #expect(abs(v(0, "static.shops.dist") - Float((200.0 * 200 * 2).squareRoot())) < 0.01)
        #expect(v(2, "weekend") == 0.5)
    }
}
