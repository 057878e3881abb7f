/// The scorecard of one surface at one area budget: raw counts (which pool across windows by summing) and the
/// metrics derived from them.
///
/// With k flagged cells of A active cells (a/A = k / A), n hits of N test events, n* the hindsight best for k cells,
/// h the harm in flagged cells and H the total harm:
///
///   hit rate = n / N
///   PAI      = (n / N) / (a / A)            Chainey, Tompson & Uhlig (2008), Security Journal 21:4-28
///   PEI*     = n / n*                       Hunt (2016); NIJ Real-Time Crime Forecasting Challenge (2017)
///   harm     = h / H                        Cambridge Crime Harm Index weights (HarmWeights)
///
/// Each is nil when its denominator is 0 (no test events, no scorable event, no harm): a window where nothing
/// happened says nothing about a forecast, and a 0 there would bias any average. Pool windows with
/// `pooling(_:)`, which sums the counts (pooled hit rate = sum n / sum N, PEI* = sum n / sum n*), never by
/// averaging per-window ratios.
public struct BudgetScore: Hashable, Sendable, Codable {
    /// The requested share of the active area.
    public var areaFraction: Double
    /// k: cells flagged.
    public var cells: Int
    /// A: active cells of the grid.
    public var activeCells: Int
    /// Flagged area, k x cell area.
    public var km2: Double
    /// n: test events in flagged cells.
    public var hits: Int
    /// N: all test events, including those outside the active area.
    public var testEvents: Int
    /// n*: the sum of the k largest per-cell test counts.
    public var bestPossibleHits: Int
    /// h: harm of the test events in flagged cells (HarmWeights days).
    public var harmCapturedDays: Double
    /// H: harm of all test events.
    public var totalHarmDays: Double
    /// n / N, nil when N = 0.
    public var hitRate: Double?
    /// (n / N) / (k / A), nil when N = 0.
    public var pai: Double?
    /// n / n*, nil when n* = 0 (no event in any active cell).
    public var pei: Double?
    /// h / H, nil when H = 0.
    public var harmCaptured: Double?

    public init(areaFraction: Double, cells: Int, activeCells: Int, cellAreaKm2: Double, hits: Int, testEvents: Int,
                bestPossibleHits: Int, harmCapturedDays: Double, totalHarmDays: Double) {
        self.areaFraction = areaFraction
        self.cells = cells
        self.activeCells = activeCells
        km2 = Double(cells) * cellAreaKm2
        self.hits = hits
        self.testEvents = testEvents
        self.bestPossibleHits = bestPossibleHits
        self.harmCapturedDays = harmCapturedDays
        self.totalHarmDays = totalHarmDays
        let share = activeCells > 0 ? Double(cells) / Double(activeCells) : 0
        hitRate = testEvents > 0 ? Double(hits) / Double(testEvents) : nil
        pai = hitRate.flatMap { share > 0 ? $0 / share : nil }
        pei = bestPossibleHits > 0 ? Double(hits) / Double(bestPossibleHits) : nil
        harmCaptured = totalHarmDays > 0 ? harmCapturedDays / totalHarmDays : nil
    }

    /// a / A = k / A: the area actually flagged (at least one cell, so it can exceed `areaFraction` on tiny grids).
    public var flaggedAreaShare: Double { activeCells > 0 ? Double(cells) / Double(activeCells) : 0 }

    /// Area per cell, recovered from the flagged area.
    var cellAreaKm2: Double { cells > 0 ? km2 / Double(cells) : 0 }

    /// Pools windows scored at the same budget on the same grid by summing n, N, n*, h and H, so every metric is
    /// a ratio of totals (windows with N = 0 add nothing to either side but still count as windows upstream).
    /// Returns nil for no scores.
    public static func pooling(_ scores: some Collection<BudgetScore>) -> BudgetScore? {
        guard let first = scores.first else { return nil }
        var n = 0, bigN = 0, best = 0, h = 0.0, bigH = 0.0
        for s in scores {
            n += s.hits; bigN += s.testEvents; best += s.bestPossibleHits
            h += s.harmCapturedDays; bigH += s.totalHarmDays
        }
        return BudgetScore(areaFraction: first.areaFraction, cells: first.cells, activeCells: first.activeCells,
                           cellAreaKm2: first.cellAreaKm2, hits: n, testEvents: bigN, bestPossibleHits: best,
                           harmCapturedDays: h, totalHarmDays: bigH)
    }
}
