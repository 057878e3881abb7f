import ZoneCastCore
/// A percentile interval [lower, upper].
public struct ConfidenceInterval: Hashable, Sendable, Codable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    public func contains(_ x: Double) -> Bool { lower <= x && x <= upper }
}

/// Bootstrap intervals for the pooled metrics of one budget.
public struct BudgetIntervals: Hashable, Sendable, Codable {
    public var hitRate: ConfidenceInterval?
    public var pai: ConfidenceInterval?
    public var pei: ConfidenceInterval?
    public var harmCaptured: ConfidenceInterval?

    public init(hitRate: ConfidenceInterval? = nil, pai: ConfidenceInterval? = nil, pei: ConfidenceInterval? = nil,
                harmCaptured: ConfidenceInterval? = nil) {
        self.hitRate = hitRate
        self.pai = pai
        self.pei = pei
        self.harmCaptured = harmCaptured
    }
}

/// Percentile bootstrap over windows (Efron & Tibshirani 1993, An Introduction to the Bootstrap, ch. 13): draw
/// as many windows as there are, with replacement, pool each draw (sum n / sum N, ...) and take the
/// (1 - level)/2 and (1 + level)/2 quantiles of the B pooled values.
///
/// Windows, not events, are resampled: events in a window share its weather, events and patrols, so they are
/// not independent draws, while windows roughly are (METHODS.md: "bootstrap over windows"). Every call with the
/// same seed and window count draws the same resamples, so intervals for different budgets and different
/// models are paired (computed on identical window draws). Replicates whose pooled denominator is 0 (e.g. only
/// N = 0 windows drawn) have no value and are left out; with no replicate left the interval is nil.
/// Quantiles interpolate linearly between order statistics (Hyndman & Fan 1996, type 7, R's default):
/// with m sorted values the p quantile sits at position (m - 1) p.
public struct WindowBootstrap: Hashable, Sendable, Codable {
    public var replicates: Int
    public var seed: UInt64
    public var confidenceLevel: Double

    public init(replicates: Int = 1000, seed: UInt64 = 20_170_301, confidenceLevel: Double = 0.95) throws(EvaluationError) {
        guard replicates >= 1, confidenceLevel > 0, confidenceLevel < 1 else {
            throw .invalidBootstrap(replicates: replicates, confidenceLevel: confidenceLevel)
        }
        self.replicates = replicates
        self.seed = seed
        self.confidenceLevel = confidenceLevel
    }

    /// B = 1000, 95 % percentile intervals, a fixed seed.
    public static let standard = try! WindowBootstrap()

    /// Intervals for the pooled metrics of `windows` (one budget, one score per window, in window order).
    public func intervals(for windows: [BudgetScore]) -> BudgetIntervals {
        guard !windows.isEmpty else { return BudgetIntervals() }
        var rng = SplitMix64(seed: seed)
        var hit: [Double] = [], pai: [Double] = [], pei: [Double] = [], harm: [Double] = []
        hit.reserveCapacity(replicates); pai.reserveCapacity(replicates); pei.reserveCapacity(replicates); harm.reserveCapacity(replicates)
        var draw: [BudgetScore] = []
        draw.reserveCapacity(windows.count)
        for _ in 0..<replicates {
            draw.removeAll(keepingCapacity: true)
            for _ in 0..<windows.count { draw.append(windows[rng.index(below: windows.count)]) }
            guard let pooled = BudgetScore.pooling(draw) else { continue }
            if let v = pooled.hitRate { hit.append(v) }
            if let v = pooled.pai { pai.append(v) }
            if let v = pooled.pei { pei.append(v) }
            if let v = pooled.harmCaptured { harm.append(v) }
        }
        return BudgetIntervals(hitRate: interval(hit), pai: interval(pai), pei: interval(pei), harmCaptured: interval(harm))
    }

    func interval(_ values: [Double]) -> ConfidenceInterval? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let alpha = (1 - confidenceLevel) / 2
        return ConfidenceInterval(lower: Self.quantile(sorted, alpha), upper: Self.quantile(sorted, 1 - alpha))
    }

    /// Type-7 quantile of ascending `sorted` values.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}
