import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastForecast

@Suite("auto's percentile ranks")
struct AutoModelRankTests {
    /// The plain definition: every active cell sorted by value (ties by cell), tied runs sharing their mean rank.
    static func reference(_ surface: RiskSurface) -> [Double] {
        let values = surface.values
        var rank = [Double](repeating: 0, count: surface.grid.cellCount)
        let order = surface.grid.activeCells.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            for t in i...j { rank[order[t]] = (Double(i + j) / 2 + 1) / Double(order.count) }
            i = j + 1
        }
        return rank
    }

    @Test("given surfaces that are mostly zeros, with ties and negative values, when ranked, then the ranks equal the plain definition's exactly")
    func ranksMatchTheDefinition() {
        var rng = SplitMix64(seed: 7)
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 37, rows: 23)
        for trial in 0..<40 {
            let values = (0..<grid.cellCount).map { _ -> Double in
                switch rng.next() % 10 {
                case 0...5: 0
                case 6: trial % 2 == 0 ? -Double(rng.next() % 3) : 1
                case 7: 2
                default: Double(rng.next() % 1_000) / 7
                }
            }
            let surface = RiskSurface(grid: grid, window: ForecastWindow(start: Date(timeIntervalSince1970: 0), hours: 96), values: values)
            #expect(AutoModel.percentileRanks(surface) == Self.reference(surface), "trial \(trial)")
        }
    }
}
