public import Foundation
public import ZoneCastCore
public import ZoneCastForecast

/// One surface scored against one window's test events: a `BudgetScore` per area budget plus the Poisson
/// deviance.
public struct SurfaceEvaluation: Hashable, Sendable, Codable {
    public var budgets: [BudgetScore]
    public var deviance: DevianceScore
    /// N: all test events.
    public var testEvents: Int
    /// Test events outside the grid or in inactive cells (in N, never hits).
    public var unscorableEvents: Int

    public init(budgets: [BudgetScore], deviance: DevianceScore, testEvents: Int, unscorableEvents: Int) {
        self.budgets = budgets
        self.deviance = deviance
        self.testEvents = testEvents
        self.unscorableEvents = unscorableEvents
    }
}

/// Scores ANY `RiskSurface`, whatever made it: estimation and evaluation are kept apart (as spatstat's roc.ppp
/// takes any fitted intensity), so a model cannot grade itself.
///
/// Flagged cells at a budget are the first k of `surface.ranking()` (highest value first, ties in the surface's
/// fixed pseudo-random cell order), so scores are identical on every run and do not depend on the order of the
/// test events. One ranking serves every budget: larger budgets flag a superset of smaller ones.
public enum SurfaceEvaluator {
    /// Scores `surface` against `events` (the test events of the window, already limited to the target
    /// categories), weighing harm with `weights`.
    public static func evaluate(_ surface: RiskSurface, against events: EventSet, weights: HarmWeights,
                                budgets: [AreaBudget], model: String = "surface") throws(EvaluationError) -> SurfaceEvaluation {
        try evaluate(surface, against: ObservedCounts(events: events, grid: surface.grid, weights: weights), budgets: budgets, model: model)
    }

    /// Scores `surface` against counts already binned on the same grid (the backtester bins once per window).
    public static func evaluate(_ surface: RiskSurface, against observed: ObservedCounts, budgets: [AreaBudget],
                                model: String = "surface", origin: Date? = nil) throws(EvaluationError) -> SurfaceEvaluation {
        let grid = observed.grid
        guard surface.grid == grid else { throw .gridMismatch(model: model, origin: origin) }
        guard !grid.activeCells.isEmpty else { throw .emptyGrid }
        for c in grid.activeCells where !surface.values[c].isFinite {
            throw .invalidSurfaceValue(model: model, origin: origin, cell: c, value: surface.values[c])
        }
        let activeCount = grid.activeCells.count
        let ks = budgets.map { $0.flaggedCellCount(activeCellCount: activeCount) }
        // Cumulative hits and harm along the ranking, up to the largest budget.
        let maxK = ks.max() ?? 0
        let ranking = surface.topCells(maxK)
        var hitsPrefix = [Int](repeating: 0, count: maxK + 1)
        var harmPrefix = [Double](repeating: 0, count: maxK + 1)
        for j in 0..<maxK {
            let c = ranking[j]
            hitsPrefix[j + 1] = hitsPrefix[j] + observed.countByCell[c]
            harmPrefix[j + 1] = harmPrefix[j] + observed.harmByCell[c]
        }
        let scores = zip(budgets, ks).map { budget, k in
            BudgetScore(areaFraction: budget.areaFraction, cells: k, activeCells: activeCount, cellAreaKm2: grid.cellAreaKm2,
                        hits: hitsPrefix[k], testEvents: observed.totalEvents, bestPossibleHits: observed.bestPossibleHits(cells: k),
                        harmCapturedDays: harmPrefix[k], totalHarmDays: observed.totalHarmDays)
        }
        let total = grid.activeCells.reduce(0.0) { $0 + surface.values[$1] }
        let deviance = DevianceScore(
            deviance: DevianceScore.deviance(expected: surface.values, observed: observed.countByCell, cells: grid.activeCells),
            uniformDeviance: DevianceScore.deviance(constant: total / Double(activeCount), observed: observed.countByCell, cells: grid.activeCells))
        return SurfaceEvaluation(budgets: scores, deviance: deviance, testEvents: observed.totalEvents, unscorableEvents: observed.unscorableEvents)
    }
}
