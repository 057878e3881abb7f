import Foundation
import ZoneCastCore
import ZoneCastForecast
@testable import ZoneCastEvaluation

/// Shared hand-sized fixtures. The 4 x 4 grid has 100 m cells from (0, 0), all active; cell i is column i % 4,
/// row i / 4 (row 0 at the bottom):
///
///   12 13 14 15
///    8  9 10 11
///    4  5  6  7
///    0  1  2  3
enum Fixture {
    static let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 4, rows: 4)
    static let window = ForecastWindow(start: Date(timeIntervalSince1970: 1_577_836_800), hours: 96)

    /// Easy-to-sum harm weights for the hand cases (other categories keep their defaults and are not used).
    static let weights = try! HarmWeights(days: [.homicide: 10, .aggravatedAssault: 1, .robbery: 4, .nonFatalShooting: 5])

    /// A surface with the given values per cell and 0 elsewhere.
    static func surface(_ values: [Int: Double], grid: Grid = grid) -> RiskSurface {
        var v = [Double](repeating: 0, count: grid.cellCount)
        for (c, x) in values { v[c] = x }
        return RiskSurface(grid: grid, window: window, values: v)
    }

    /// Events at the centres of the given cells (time is irrelevant to scoring).
    static func events(_ list: [(cell: Int, category: HarmCategory)], grid: Grid = grid) -> EventSet {
        var e = EventSet()
        for (cell, category) in list {
            let p = grid.center(of: cell)
            e.append(x: p.xMeters, y: p.yMeters, time: window.start.timeIntervalSince1970, category: category)
        }
        return e
    }

    static func budgets(_ fractions: [Double]) -> [AreaBudget] { try! AreaBudget.budgets(fractions) }
}

/// Float comparison with an absolute tolerance.
func close(_ a: Double?, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
}
