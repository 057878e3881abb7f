/// One model's metrics at one area budget over all windows of a backtest: pooled point estimates (ratios of
/// summed counts, see `BudgetScore.pooling`) with percentile bootstrap bounds over windows (`WindowBootstrap`).
///
/// Flat on purpose, so `--json` output reads as a table row. Undefined values (no test events, no harm) encode
/// as JSON null, so every row carries the same keys.
public struct PooledBudgetMetrics: Hashable, Sendable, Codable {
    public var areaFraction: Double
    /// k: flagged cells.
    public var cells: Int
    /// Flagged area.
    public var km2: Double
    /// sum of n over windows.
    public var hits: Int
    /// sum of N over windows.
    public var testEvents: Int
    /// sum of n* over windows.
    public var bestPossibleHits: Int
    /// sum of h over windows (HarmWeights days).
    public var harmCapturedDays: Double
    /// sum of H over windows.
    public var totalHarmDays: Double
    public var hitRate: Double?
    public var hitRateLower: Double?
    public var hitRateUpper: Double?
    public var pai: Double?
    public var paiLower: Double?
    public var paiUpper: Double?
    public var pei: Double?
    public var peiLower: Double?
    public var peiUpper: Double?
    public var harmCaptured: Double?
    public var harmCapturedLower: Double?
    public var harmCapturedUpper: Double?

    public init(pooled p: BudgetScore, intervals ci: BudgetIntervals) {
        areaFraction = p.areaFraction
        cells = p.cells
        km2 = p.km2
        hits = p.hits
        testEvents = p.testEvents
        bestPossibleHits = p.bestPossibleHits
        harmCapturedDays = p.harmCapturedDays
        totalHarmDays = p.totalHarmDays
        hitRate = p.hitRate; hitRateLower = ci.hitRate?.lower; hitRateUpper = ci.hitRate?.upper
        pai = p.pai; paiLower = ci.pai?.lower; paiUpper = ci.pai?.upper
        pei = p.pei; peiLower = ci.pei?.lower; peiUpper = ci.pei?.upper
        harmCaptured = p.harmCaptured; harmCapturedLower = ci.harmCaptured?.lower; harmCapturedUpper = ci.harmCaptured?.upper
    }

    /// Pools `windows` (one score per window at this budget) and bootstraps their intervals; nil for no windows.
    public init?(windows: [BudgetScore], bootstrap: WindowBootstrap) {
        guard let pooled = BudgetScore.pooling(windows) else { return nil }
        self.init(pooled: pooled, intervals: bootstrap.intervals(for: windows))
    }

    enum CodingKeys: String, CodingKey {
        case areaFraction, cells, km2, hits, testEvents, bestPossibleHits, harmCapturedDays, totalHarmDays
        case hitRate, hitRateLower, hitRateUpper, pai, paiLower, paiUpper, pei, peiLower, peiUpper
        case harmCaptured, harmCapturedLower, harmCapturedUpper
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(areaFraction, forKey: .areaFraction)
        try c.encode(cells, forKey: .cells)
        try c.encode(km2, forKey: .km2)
        try c.encode(hits, forKey: .hits)
        try c.encode(testEvents, forKey: .testEvents)
        try c.encode(bestPossibleHits, forKey: .bestPossibleHits)
        try c.encode(harmCapturedDays, forKey: .harmCapturedDays)
        try c.encode(totalHarmDays, forKey: .totalHarmDays)
        // Optional.encode writes null, keeping every key present.
        try c.encode(hitRate, forKey: .hitRate)
        try c.encode(hitRateLower, forKey: .hitRateLower)
        try c.encode(hitRateUpper, forKey: .hitRateUpper)
        try c.encode(pai, forKey: .pai)
        try c.encode(paiLower, forKey: .paiLower)
        try c.encode(paiUpper, forKey: .paiUpper)
        try c.encode(pei, forKey: .pei)
        try c.encode(peiLower, forKey: .peiLower)
        try c.encode(peiUpper, forKey: .peiUpper)
        try c.encode(harmCaptured, forKey: .harmCaptured)
        try c.encode(harmCapturedLower, forKey: .harmCapturedLower)
        try c.encode(harmCapturedUpper, forKey: .harmCapturedUpper)
    }
}
