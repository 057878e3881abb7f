public import ZoneCastCore
public import ZoneCastForecast

/// What happened in one window, binned on the evaluation grid: the test events per cell, their harm, and the
/// totals N and H that every metric divides by.
///
/// Events outside the grid or in inactive cells count in N (and H) but sit in no cell, so they can never be hits
/// and never raise n*: a forecast is charged for events it could not have flagged, as a patrol plan would be.
/// Binning once per window lets every model's surface be scored against the same counts.
public struct ObservedCounts: Sendable, Hashable {
    public let grid: Grid
    /// Test events per cell; inactive cells hold 0 (their events are in `unscorableEvents`).
    public let countByCell: [Int]
    /// Harm (HarmWeights days) of the test events per cell; inactive cells hold 0.
    public let harmByCell: [Double]
    /// N: all test events, scorable or not.
    public let totalEvents: Int
    /// H: total harm of all test events, scorable or not.
    public let totalHarmDays: Double
    /// Test events outside the grid or in inactive cells.
    public let unscorableEvents: Int
    /// Non-zero per-cell counts, largest first: prefix sums give n* for any k.
    private let bestPossiblePrefix: [Int]

    public init(events: EventSet, grid: Grid, weights: HarmWeights) {
        var counts = [Int](repeating: 0, count: grid.cellCount)
        var harm = [Double](repeating: 0, count: grid.cellCount)
        var total = 0.0, unscorable = 0
        for i in 0..<events.count {
            let w = weights[events.category[i]]
            total += w
            guard let c = grid.cell(x: events.x[i], y: events.y[i]), grid.active[c] else { unscorable += 1; continue }
            counts[c] += 1
            harm[c] += w
        }
        self.grid = grid
        countByCell = counts
        harmByCell = harm
        totalEvents = events.count
        totalHarmDays = total
        unscorableEvents = unscorable
        var prefix = [0]
        for n in counts.filter({ $0 > 0 }).sorted(by: >) { prefix.append(prefix[prefix.count - 1] + n) }
        bestPossiblePrefix = prefix
    }

    /// n*: the most test events any k active cells could have held, i.e. the sum of the k largest per-cell counts
    /// (with equal cells the hindsight-optimal selection; Hunt 2016, NIJ 2017).
    public func bestPossibleHits(cells k: Int) -> Int {
        bestPossiblePrefix[min(max(0, k), bestPossiblePrefix.count - 1)]
    }
}
