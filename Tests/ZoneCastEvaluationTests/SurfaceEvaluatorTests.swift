import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
@testable import ZoneCastEvaluation

@Suite("Scoring one surface against one window")
struct SurfaceEvaluatorTests {
    // Surface: cell 5 = 10, cell 6 = 8, cell 9 = 6, cell 10 = 4, every other cell 0.
    // Test events (weights homicide 10, aggravated assault 1, robbery 4, non-fatal shooting 5):
    //   cell 5: homicide, aggravated assault        -> 2 events, harm 11
    //   cell 9: robbery                             -> 1 event,  harm 4
    //   cell 0: 3 aggravated assaults               -> 3 events, harm 3
    //   outside the grid (x = -50): shooting        -> 1 event,  harm 5 (counts in N and H, never a hit)
    // N = 7, H = 23, A = 16 cells.
    static let surface = Fixture.surface([5: 10, 6: 8, 9: 6, 10: 4])
    static var events: EventSet {
        var e = Fixture.events([(5, .homicide), (5, .aggravatedAssault), (9, .robbery),
                                (0, .aggravatedAssault), (0, .aggravatedAssault), (0, .aggravatedAssault)])
        e.append(x: -50, y: 50, time: 0, category: .nonFatalShooting)
        return e
    }

    @Test("given the hand case when scored at 2 of 16 cells then hit rate 2/7, PAI 16/7, PEI* 2/5 and harm 11/23")
    func twoCells() async throws {
        let r = try SurfaceEvaluator.evaluate(Self.surface, against: Self.events, weights: Fixture.weights, budgets: Fixture.budgets([0.125]))
        let s = try #require(r.budgets.first)
        // k = floor(0.125 x 16) = 2: cells 5 and 6 flagged. n = 2 (both in cell 5) + 0.
        #expect(s.cells == 2 && s.hits == 2 && s.testEvents == 7)
        #expect(close(s.hitRate, 2.0 / 7))
        // a/A = 2/16; PAI = (2/7) / (1/8) = 16/7.
        #expect(close(s.pai, 16.0 / 7))
        // n* = the two largest cell counts: cell 0 (3) + cell 5 (2) = 5; PEI* = 2/5.
        #expect(s.bestPossibleHits == 5)
        #expect(close(s.pei, 0.4))
        // h = 10 + 1 = 11 of H = 10 + 1 + 4 + 3 + 5 = 23.
        #expect(close(s.harmCapturedDays, 11) && close(s.totalHarmDays, 23))
        #expect(close(s.harmCaptured, 11.0 / 23))
        // Area: 2 cells of 0.01 km2.
        #expect(close(s.km2, 0.02))
        #expect(r.unscorableEvents == 1)
    }

    @Test("given the hand case when scored at 4 of 16 cells then hit rate 3/7, PAI 12/7, PEI* 1/2 and harm 15/23")
    func fourCells() async throws {
        let r = try SurfaceEvaluator.evaluate(Self.surface, against: Self.events, weights: Fixture.weights, budgets: Fixture.budgets([0.25]))
        let s = try #require(r.budgets.first)
        // Flagged 5, 6, 9, 10: n = 2 + 0 + 1 + 0 = 3; a/A = 1/4; PAI = (3/7) x 4 = 12/7.
        #expect(s.cells == 4 && s.hits == 3)
        #expect(close(s.hitRate, 3.0 / 7))
        #expect(close(s.pai, 12.0 / 7))
        // n* = 3 + 2 + 1 + 0 = 6; PEI* = 3/6.
        #expect(s.bestPossibleHits == 6)
        #expect(close(s.pei, 0.5))
        // h = 11 + 4 = 15.
        #expect(close(s.harmCaptured, 15.0 / 23))
    }

    @Test("given the standard budgets on a 16-cell grid when scored then each flags the one-cell minimum")
    func standardBudgetsOnTinyGrid() async throws {
        let r = try SurfaceEvaluator.evaluate(Self.surface, against: Self.events, weights: Fixture.weights, budgets: Fixture.budgets(AreaBudget.standardFractions))
        #expect(r.budgets.map(\.cells) == [1, 1, 1, 1])
        #expect(r.budgets.map(\.areaFraction) == AreaBudget.standardFractions)
        // Cell 5 alone: n = 2, N = 7, a/A = 1/16: PAI = (2/7) x 16 = 32/7; n* = 3.
        for s in r.budgets {
            #expect(close(s.pai, 32.0 / 7))
            #expect(close(s.pei, 2.0 / 3))
            #expect(close(s.flaggedAreaShare, 1.0 / 16))
        }
    }

    @Test("given a surface equal to the hindsight counts when scored then PEI* is 1 at every budget")
    func hindsightSurface() async throws {
        let events = Fixture.events([(3, .robbery), (3, .robbery), (3, .robbery), (3, .robbery), (7, .robbery), (7, .robbery), (12, .robbery)])
        let surface = Fixture.surface([3: 4, 7: 2, 12: 1])
        let r = try SurfaceEvaluator.evaluate(surface, against: events, weights: Fixture.weights, budgets: Fixture.budgets([0.0625, 0.125, 0.25, 0.5]))
        for s in r.budgets { #expect(close(s.pei, 1)) }
        #expect(r.budgets.map(\.hits) == [4, 6, 7, 7])
    }

    @Test("given every event in the one flagged cell when scored at 1 of 16 cells then PAI is 16, the maximum")
    func perfectPAI() async throws {
        let events = Fixture.events([(11, .homicide), (11, .robbery), (11, .robbery)])
        let r = try SurfaceEvaluator.evaluate(Fixture.surface([11: 1]), against: events, weights: Fixture.weights, budgets: Fixture.budgets([0.0625]))
        let s = try #require(r.budgets.first)
        // (3/3) / (1/16) = 16 = A / k: no surface can do better with one cell.
        #expect(close(s.hitRate, 1) && close(s.pai, 16) && close(s.pei, 1) && close(s.harmCaptured, 1))
    }

    @Test("given a window with no test event when scored then the ratios are nil and the counts are 0")
    func emptyWindow() async throws {
        let r = try SurfaceEvaluator.evaluate(Self.surface, against: EventSet(), weights: Fixture.weights, budgets: Fixture.budgets([0.125]))
        let s = try #require(r.budgets.first)
        #expect(s.hits == 0 && s.testEvents == 0 && s.bestPossibleHits == 0)
        #expect(s.hitRate == nil && s.pai == nil && s.pei == nil && s.harmCaptured == nil)
        #expect(s.cells == 2)
    }

    @Test("given an empty window and the hand window when pooled then the result is the hand window's")
    func poolingWithEmptyWindow() async throws {
        let budgets = Fixture.budgets([0.125])
        let empty = try SurfaceEvaluator.evaluate(Self.surface, against: EventSet(), weights: Fixture.weights, budgets: budgets).budgets[0]
        let hand = try SurfaceEvaluator.evaluate(Self.surface, against: Self.events, weights: Fixture.weights, budgets: budgets).budgets[0]
        let pooled = try #require(BudgetScore.pooling([empty, hand]))
        #expect(pooled == hand)
    }

    @Test("given two windows when pooled then hit rate is sum n / sum N and PEI* is sum n / sum n*")
    func pooling() async throws {
        let budgets = Fixture.budgets([0.125])
        let a = try SurfaceEvaluator.evaluate(Self.surface, against: Self.events, weights: Fixture.weights, budgets: budgets).budgets[0]
        // Window B: one event in flagged cell 5, one in cell 15: n = 1, N = 2, n* = 1 + 1 = 2.
        let b = try SurfaceEvaluator.evaluate(Self.surface, against: Fixture.events([(5, .robbery), (15, .robbery)]), weights: Fixture.weights, budgets: budgets).budgets[0]
        #expect(b.hits == 1 && b.bestPossibleHits == 2)
        let p = try #require(BudgetScore.pooling([a, b]))
        // (2 + 1) / (7 + 2) = 1/3 (not the mean of 2/7 and 1/2); PAI = (1/3) / (1/8) = 8/3; PEI* = 3 / (5 + 2).
        #expect(close(p.hitRate, 1.0 / 3))
        #expect(close(p.pai, 8.0 / 3))
        #expect(close(p.pei, 3.0 / 7))
        // Harm: (11 + 4) / (23 + 8).
        #expect(close(p.harmCaptured, 15.0 / 31))
        #expect(BudgetScore.pooling([BudgetScore]()) == nil)
    }

    @Test("given an all-tied surface when scored repeatedly and with events in any order then the result is the same and follows ranking()")
    func tiesAreDeterministic() async throws {
        let flat = RiskSurface(grid: Fixture.grid, window: Fixture.window, values: [Double](repeating: 1, count: 16))
        let list: [(cell: Int, category: HarmCategory)] = [(0, .robbery), (1, .homicide), (2, .robbery), (3, .aggravatedAssault), (5, .robbery),
                                                          (7, .robbery), (8, .robbery), (11, .homicide), (13, .robbery), (14, .robbery), (15, .robbery)]
        let budgets = Fixture.budgets([0.0625, 0.125, 0.25, 0.5])
        let first = try SurfaceEvaluator.evaluate(flat, against: Fixture.events(list), weights: Fixture.weights, budgets: budgets)
        let again = try SurfaceEvaluator.evaluate(flat, against: Fixture.events(list), weights: Fixture.weights, budgets: budgets)
        let reversed = try SurfaceEvaluator.evaluate(flat, against: Fixture.events(list.reversed()), weights: Fixture.weights, budgets: budgets)
        var rng = SplitMix64(seed: 7)
        let shuffled = try SurfaceEvaluator.evaluate(flat, against: Fixture.events(list.shuffled(using: &rng)), weights: Fixture.weights, budgets: budgets)
        #expect(first == again && first == reversed && first == shuffled)
        // The flagged cells are the prefix of the surface's own ranking (its fixed tie order).
        let ranking = flat.ranking()
        let counts = Dictionary(list.map { ($0.cell, 1) }, uniquingKeysWith: +)
        for s in first.budgets {
            #expect(s.hits == ranking.prefix(s.cells).reduce(0) { $0 + counts[$1, default: 0] })
        }
    }

    @Test("given an event in an inactive cell when scored then it counts in N but is never a hit nor in n*")
    func inactiveCell() async throws {
        var mask = [Bool](repeating: true, count: 16)
        mask[0] = false
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 4, rows: 4, active: mask)
        let surface = Fixture.surface([0: 100, 1: 5], grid: grid)   // cell 0's value is dropped: inactive
        let events = Fixture.events([(0, .robbery), (0, .robbery), (1, .robbery)], grid: grid)
        let r = try SurfaceEvaluator.evaluate(surface, against: events, weights: Fixture.weights, budgets: Fixture.budgets([0.07]))
        let s = try #require(r.budgets.first)
        // A = 15, k = max(1, floor(1.05)) = 1: cell 1. n = 1 of N = 3; n* = 1; PAI = (1/3) x 15 = 5.
        #expect(s.activeCells == 15 && s.cells == 1 && s.hits == 1 && s.testEvents == 3 && s.bestPossibleHits == 1)
        #expect(close(s.pai, 5) && close(s.pei, 1))
        #expect(r.unscorableEvents == 2)
    }

    @Test("given events only outside the grid when scored then hit rate is 0 and PEI* is nil")
    func onlyOutside() async throws {
        var e = EventSet()
        e.append(x: 1_000, y: 1_000, time: 0, category: .robbery)
        let s = try SurfaceEvaluator.evaluate(Self.surface, against: e, weights: Fixture.weights, budgets: Fixture.budgets([0.125])).budgets[0]
        #expect(close(s.hitRate, 0) && close(s.pai, 0) && s.pei == nil)
    }

    @Test("given a surface on another grid or with a NaN when scored then EvaluationError says which")
    func refusals() async throws {
        let other = Grid(originX: 0, originY: 0, cellSizeMeters: 50, columns: 4, rows: 4)
        let observed = ObservedCounts(events: Self.events, grid: Fixture.grid, weights: Fixture.weights)
        #expect(throws: EvaluationError.gridMismatch(model: "x", origin: nil)) {
            try SurfaceEvaluator.evaluate(Fixture.surface([:], grid: other), against: observed, budgets: Fixture.budgets([0.125]), model: "x")
        }
        let nan = Fixture.surface([3: .infinity])
        #expect(throws: EvaluationError.invalidSurfaceValue(model: "surface", origin: nil, cell: 3, value: .infinity)) {
            try SurfaceEvaluator.evaluate(nan, against: observed, budgets: Fixture.budgets([0.125]))
        }
    }
}
