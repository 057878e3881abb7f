public import Foundation
public import ZoneCastCore

/// Lead-lag predictive power between categories: does A near a place before t raise B there in the next window,
/// beyond B's own history? For every window start t_k (every `windowDays`) and every occupied cell, the features
/// are the Gaussian-smoothed counts of A and of B in [t_k - lookbackDays, t_k) and the outcome is the count of B in
/// [t_k, t_k + windowDays). Two nested Poisson regressions (METHODS.md, lead-lag):
///
///   reduced: log mu = b0 + b1 log(1 + B_hist)        full: log mu = b0 + b1 log(1 + B_hist) + b2 log(1 + A_hist)
///
/// The likelihood-ratio statistic LR = 2 (l_full - l_reduced) measures what A adds. Its significance comes from
/// permuting A's event times among A's events (locations and counts kept, timing broken), which stays honest when
/// counts are overdispersed; the chi-squared(1) p-value is reported beside it. Only cells holding at least one
/// event of any category take part (the rest carry no information about either category).
public struct LeadLagAnalysis: Sendable {
    public struct Pair: Hashable, Sendable, Codable {
        public var leader: HarmCategory
        public var follower: HarmCategory
        /// Coefficient of log(1 + A_hist) in the full model, and its standard error.
        public var effect: Double
        public var standardError: Double
        public var likelihoodRatio: Double
        public var pValueChiSquared: Double
        public var pValuePermutation: Double?
        public var rows: Int
    }

    public let pairs: [Pair]
    public let windows: Int
    public let occupiedCells: Int

    public init(
        events: EventSet, grid: Grid, from: Date, to: Date, windowDays: Double = 7, lookbackDays: Double = 28,
        bandwidthMeters: Double = 300, categories: [HarmCategory]? = nil, minimumEvents: Int = 20, permutations: Int = 19, seed: UInt64 = 1
    ) {
        let span = windowDays * 86_400, lookback = lookbackDays * 86_400
        var starts: [Double] = []
        var t = from.timeIntervalSince1970 + lookback
        while t + span <= to.timeIntervalSince1970 { starts.append(t); t += span }
        windows = starts.count
        var counts: [HarmCategory: Int] = [:]
        for c in events.category { counts[c, default: 0] += 1 }
        let cats = (categories ?? Array(counts.keys)).filter { (counts[$0] ?? 0) >= minimumEvents }.sorted()
        var occupied = Set<Int>()
        for i in 0..<events.count { if let c = grid.cell(x: events.x[i], y: events.y[i]) { occupied.insert(c) } }
        let cells = occupied.sorted()
        occupiedCells = cells.count
        guard !starts.isEmpty, cats.count >= 2, !cells.isEmpty else { pairs = []; return }

        // Per category: indices of its events.
        var byCategory: [HarmCategory: [Int]] = [:]
        for i in 0..<events.count { byCategory[events.category[i], default: []].append(i) }

        func layers(_ idx: [Int], times: [Double]) -> [[Double]] {
            starts.map { start in
                var bins = [Double](repeating: 0, count: grid.cellCount)
                for (k, i) in idx.enumerated() where times[k] >= start - lookback && times[k] < start {
                    if let c = grid.cell(x: events.x[i], y: events.y[i]) { bins[c] += 1 }
                }
                let s = GaussianSmoother.smooth(bins, columns: grid.columns, rows: grid.rows, cellSizeMeters: grid.cellSizeMeters,
                                                bandwidthMeters: bandwidthMeters)
                return cells.map { log1p(s[$0]) }
            }
        }
        func outcomes(_ idx: [Int]) -> [[Double]] {
            let position = Dictionary(uniqueKeysWithValues: cells.enumerated().map { ($1, $0) })
            return starts.map { start in
                var y = [Double](repeating: 0, count: cells.count)
                for i in idx where events.time[i] >= start && events.time[i] < start + span {
                    if let c = grid.cell(x: events.x[i], y: events.y[i]), let p = position[c] { y[p] += 1 }
                }
                return y
            }
        }
        var history: [HarmCategory: [[Double]]] = [:], next: [HarmCategory: [[Double]]] = [:]
        for c in cats {
            let idx = byCategory[c] ?? []
            history[c] = layers(idx, times: idx.map { events.time[$0] })
            next[c] = outcomes(idx)
        }
        let regression = PoissonRegression(alpha: 0)
        func logLikelihoods(own: [[Double]], other: [[Double]]?, y: [[Double]]) -> (Double, Double, Double)? {
            var design: [Double] = [], outcome: [Double] = []
            for k in 0..<starts.count {
                for p in 0..<cells.count {
                    design.append(own[k][p])
                    if let other { design.append(other[k][p]) }
                    outcome.append(y[k][p])
                }
            }
            guard let fit = try? regression.fit(design: design, featureCount: other == nil ? 1 : 2, y: outcome) else { return nil }
            return (fit.logLikelihood, other == nil ? 0 : fit.coefficients[2], other == nil ? 0 : fit.standardErrors[2])
        }

        var result: [Pair] = []
        var rng = SplitMix64(seed: seed)
        for b in cats {
            guard let reduced = logLikelihoods(own: history[b]!, other: nil, y: next[b]!) else { continue }
            for a in cats where a != b {
                guard let full = logLikelihoods(own: history[b]!, other: history[a]!, y: next[b]!) else { continue }
                let lr = max(0, 2 * (full.0 - reduced.0))
                var exceed = 0
                if permutations > 0 {
                    let idx = byCategory[a] ?? []
                    var times = idx.map { events.time[$0] }
                    for _ in 0..<permutations {
                        times.shuffle(using: &rng)
                        let permuted = layers(idx, times: times)
                        if let f = logLikelihoods(own: history[b]!, other: permuted, y: next[b]!), 2 * (f.0 - reduced.0) >= lr - 1e-9 { exceed += 1 }
                    }
                }
                result.append(Pair(
                    leader: a, follower: b, effect: full.1, standardError: full.2, likelihoodRatio: lr,
                    pValueChiSquared: ChiSquared.survivalOneDegree(lr),
                    pValuePermutation: permutations > 0 ? Double(1 + exceed) / Double(1 + permutations) : nil,
                    rows: starts.count * cells.count))
            }
        }
        pairs = result
    }

    public func pair(leader: HarmCategory, follower: HarmCategory) -> Pair? { pairs.first { $0.leader == leader && $0.follower == follower } }
}

/// Upper tail of the chi-squared distribution with one degree of freedom: P(X > x) = erfc(sqrt(x / 2)).
enum ChiSquared {
    static func survivalOneDegree(_ x: Double) -> Double { x <= 0 ? 1 : erfc((x / 2).squareRoot()) }
}
