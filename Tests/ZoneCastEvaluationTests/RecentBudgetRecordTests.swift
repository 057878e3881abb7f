import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
@testable import ZoneCastEvaluation

/// `RecentBudgetRecord` on the 4 x 4 fixture grid (16 active cells), two 96-hour windows before `start`, budget 2 cells.
struct RecentBudgetRecordTests {
    static let start = Fixture.window.start
    static let hour = 3_600.0

    /// A model ranking cell 5 first and cell 6 second, whatever the history.
    static let hotModel: @Sendable (ForecastInput) throws -> ModelForecast = { input in
        var v = [Double](repeating: 0, count: input.grid.cellCount)
        v[5] = 2
        v[6] = 1
        return ModelForecast(surface: RiskSurface(grid: input.grid, window: input.window, values: v))
    }

    /// History 30 days back: 4 assaults in cell 0, 3 in cell 1 (naive then flags cells 0 and 1 in both windows).
    /// Window 1 [start - 192 h, start - 96 h): assaults in cells 5, 5, 0, 10 and a robbery in cell 5 (not a target).
    /// Window 2 [start - 96 h, start): assaults in cells 6, 1, 15. After start: an assault in cell 5 (after the windows).
    static func events(extraMisses: Int = 0) -> EventSet {
        var e = EventSet()
        func add(_ cell: Int, at t: Date, _ category: HarmCategory = .aggravatedAssault) {
            let p = Fixture.grid.center(of: cell)
            e.append(x: p.xMeters, y: p.yMeters, time: t.timeIntervalSince1970, category: category)
        }
        let old = start.addingTimeInterval(-30 * 86_400)
        for cell in [0, 0, 0, 0, 1, 1, 1] { add(cell, at: old) }
        let w1 = start.addingTimeInterval(-192 * hour + 24 * hour), w2 = start.addingTimeInterval(-96 * hour + 24 * hour)
        for cell in [5, 5, 0, 10] { add(cell, at: w1) }
        add(5, at: w1, .robbery)
        for cell in [6, 1, 15] { add(cell, at: w2) }
        // Misses for both models, to cross the "too few" threshold: cell 12 in window 2, so naive never counts them.
        for _ in 0..<extraMisses { add(12, at: w2) }
        add(5, at: start.addingTimeInterval(hour))
        return e
    }

    static func record(_ events: EventSet, cells: Int = 2) throws -> RecentBudgetRecord {
        try RecentBudgetRecord.compute(events: events, grid: Fixture.grid, modelName: "hot", forecast: hotModel, cells: cells, before: start,
                                       windows: 2, windowHours: 96, trainingDays: 365, targets: [.aggravatedAssault])
    }

    @Test("given two windows with 7 target incidents, when scored at 2 of 16 cells, then the model holds 3 and naive 2, pooled over windows")
    func handComputed() throws {
        let r = try Self.record(Self.events())

        #expect(r.windows == 2 && r.cells == 2 && r.activeCells == 16)
        #expect(abs(r.areaShare - 0.125) < 1e-12)
        // The robbery is not a target and the incident after start is outside every window.
        #expect(r.incidents == 7)
        // Model: cells 5 and 6 flagged: window 1 holds 5, 5; window 2 holds 6. 3 / 7, PAI (3 / 7) / (2 / 16).
        #expect(r.model.hits == 3)
        #expect(close(r.model.hitRate, 3.0 / 7.0, tolerance: 1e-9))
        #expect(close(r.model.pai, 24.0 / 7.0, tolerance: 1e-9))
        // Naive: cells 0 (4, then 5) and 1 (3) lead before both windows: window 1 holds 0; window 2 holds 1. 2 / 7.
        #expect(r.naive.hits == 2)
        #expect(close(r.naive.hitRate, 2.0 / 7.0, tolerance: 1e-9))
        #expect(close(r.naive.pai, 16.0 / 7.0, tolerance: 1e-9))
        #expect(r.tooFewIncidents)
    }

    @Test("given 12, then 13 misses added to window 2 (19, then 20 incidents), when scored, then it is too few below 20 and enough at 20")
    func tooFewThreshold() throws {
        let fewer = try Self.record(Self.events(extraMisses: 12))
        #expect(fewer.incidents == 19 && fewer.tooFewIncidents)
        let enough = try Self.record(Self.events(extraMisses: 13))
        #expect(enough.incidents == 20 && !enough.tooFewIncidents)
        // The misses only grow the denominator; the hits stay.
        #expect(enough.model.hits == 3 && close(enough.model.hitRate, 3.0 / 20.0, tolerance: 1e-9))
        #expect(enough.naive.hits == 2 && close(enough.naive.hitRate, 2.0 / 20.0, tolerance: 1e-9))
    }

    @Test("given no zone cells or more cells than the grid has, when scored, then it refuses naming the cells setting")
    func badBudget() throws {
        for cells in [0, 17] {
            let error = #expect(throws: EvaluationError.self) { try Self.record(Self.events(), cells: cells) }
            guard case .invalidSetting(let name, let value, _) = error else {
                Issue.record("cells \(cells): \(String(describing: error))")
                continue
            }
            #expect(name == "cells" && value == Double(cells))
        }
    }
}
