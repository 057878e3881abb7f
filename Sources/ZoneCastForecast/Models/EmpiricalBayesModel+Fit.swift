import Foundation

extension EmpiricalBayesModel {
    /// The prior and alpha that maximise the marginal likelihood; `priorMeans` are indexed like `grid.activeCells`.
    struct Fit {
        var prior: Prior
        var alpha: Double
        var logLikelihood: Double
        var priorMeans: [Double]
    }

    /// Fits every prior and keeps the most likely (the first on a tie); nil when no prior has any mass. Each prior is
    /// scored on the likelihood's sample of cells only; the chosen one's means are then computed for every cell.
    func bestFit(counts: [Double], grid: Grid) -> Fit? {
        let active = grid.activeCells
        let y = active.map { counts[$0] }
        let total = y.reduce(0, +)
        let sample = Self.likelihoodSample(counts: y)
        let ys = sample.cells.map { y[$0] }
        // Leave-own-cell-out densities, one per bandwidth used (a bandwidth and twice another coincide): the smoothed
        // grid, the own-cell share to take out, the sum over active cells and the values at the sample's cells.
        struct Density { var smooth: [Double]; var own: Double; var sum: Double; var atSample: [Double] }
        var densities: [Double: Density] = [:]
        func density(_ b: Double) -> Density {
            if let d = densities[b] { return d }
            let smooth = GaussianSmoother.smooth(counts, columns: grid.columns, rows: grid.rows, cellSizeMeters: grid.cellSizeMeters, bandwidthMeters: b)
            let own = GaussianSmoother.centreWeight(cellSizeMeters: grid.cellSizeMeters, bandwidthMeters: b)
            var sum = 0.0
            for cell in active { sum += Self.leaveOut(smooth[cell], own: own, count: counts[cell]) }
            let atSample = sample.cells.map { Self.leaveOut(smooth[active[$0]], own: own, count: counts[active[$0]]) }
            let d = Density(smooth: smooth, own: own, sum: sum, atSample: atSample)
            densities[b] = d
            return d
        }
        // A prior's two densities and the wide one's weight (validated >= 0; at 0 the wide density is not computed).
        func parts(_ prior: Prior) -> (narrow: Density, wide: Density, w: Double) {
            let narrow = density(prior.bandwidthMeters)
            return (narrow, prior.wideWeight > 0 ? density(2 * prior.bandwidthMeters) : narrow, prior.wideWeight)
        }
        var best: (prior: Prior, alpha: Double, logLikelihood: Double, scale: Double)?
        for prior in priors {
            let (narrow, wide, w) = parts(prior)
            let mass = narrow.sum + w * wide.sum
            guard mass > 0 else { continue }
            // Scaled to the counts' total; a floor keeps ln m finite where the prior has no mass (an event there then
            // costs the prior dearly, as it should: the prior did not expect it).
            let scale = total / mass
            let m = narrow.atSample.indices.map { max((narrow.atSample[$0] + w * wide.atSample[$0]) * scale, 1e-12) }
            // From the previous prior's alpha: the priors differ little, so the search starts near its end.
            let (alpha, ll) = Self.maximumLikelihoodAlpha(counts: ys, priorMeans: m, weights: sample.weights, from: best?.alpha ?? 1)
            if best == nil || ll > best!.logLikelihood { best = (prior, alpha, ll, scale) }
        }
        guard let best else { return nil }
        let (narrow, wide, w) = parts(best.prior)
        let means = active.map { cell in
            max((Self.leaveOut(narrow.smooth[cell], own: narrow.own, count: counts[cell])
                 + w * Self.leaveOut(wide.smooth[cell], own: wide.own, count: counts[cell])) * best.scale, 1e-12)
        }
        return Fit(prior: best.prior, alpha: best.alpha, logLikelihood: best.logLikelihood, priorMeans: means)
    }

    /// A cell's smoothed value without its own count's share; what is left after the subtraction is rounding, not a
    /// neighbour, and is dropped.
    @inline(__always)
    static func leaveOut(_ smoothed: Double, own: Double, count: Double) -> Double {
        let v = smoothed - own * count
        return v > 1e-12 * max(1, smoothed) ? v : 0
    }

    /// The cells the likelihood is summed over, with weights: every cell with an event, and each empty cell with
    /// probability q = `zeroCellsSampled` / empty cells (at most 1), weighted 1/q: the case-control design of the
    /// learned model (`CaseControlSampling`), whose weighted sum is an unbiased estimate of the sum over all cells.
    /// The fit then costs about the same on a 200,000-cell grid as on a 20,000-cell one. A cell's draw is a hash of
    /// its index with a fixed seed, so the same counts give the same sample, and no grid row or periodic pattern
    /// lines up with it as it could with every k-th cell.
    static func likelihoodSample(counts y: [Double], zeroCellsSampled: Int = 20_000) -> (cells: [Int], weights: [Double]) {
        let zeros = y.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        let q = CaseControlSampling.keepProbability(zeroRows: zeros, targetZeroRows: zeroCellsSampled)
        let sample = CaseControlSampling.sample(y: y, keepProbability: q, seed: Self.sampleSeed)
        return (sample.indices, sample.weights)
    }

    static let sampleSeed: UInt64 = 0x4542_5F5A_4F4E_4543  // "EB_ZONEC"

    /// alpha in [0.01, 100] maximising `logLikelihood`: the root of its derivative in t = ln alpha, found by Newton
    /// steps from `start` (default 1), kept inside a bracket that shrinks by the derivative's sign (bisection when a step would
    /// leave it or the curvature is not negative), to 1e-3 in ln alpha; when the derivative keeps one sign the search
    /// ends at that end of the range. The likelihood of a Poisson-gamma mixture in alpha is unimodal in practice
    /// (Lawless 1987, Can. J. Stat. 15:209). Each step is one pass over the cells; a fit takes about four.
    static func maximumLikelihoodAlpha(counts y: [Double], priorMeans m: [Double], weights w: [Double]? = nil,
                                       from start: Double = 1) -> (alpha: Double, logLikelihood: Double) {
        var lo = log(0.01), hi = log(100.0)
        var t = min(max(log(start), lo), hi)
        for _ in 0..<200 {
            let (g, h) = slope(t: t, counts: y, priorMeans: m, weights: w)
            if g > 0 { lo = t } else { hi = t }
            var next = h < 0 ? t - g / h : .nan
            if !(next > lo && next < hi) { next = (lo + hi) / 2 }
            let done = abs(next - t) < 1e-3 || hi - lo < 1e-3
            t = next
            if done { break }
        }
        return (exp(t), logLikelihood(alpha: exp(t), counts: y, priorMeans: m, weights: w))
    }

    /// The first and second derivatives of `logLikelihood` with respect to t = ln alpha, in one pass:
    /// dl/dalpha = sum_i [ sum_{j < y_i} 1/(alpha + j) + ln alpha + 1 - ln(alpha + m_i) - (alpha + y_i)/(alpha + m_i) ],
    /// d2l/dalpha2 = sum_i [ -sum_{j < y_i} 1/(alpha + j)^2 + 1/alpha - 2/(alpha + m_i) + (alpha + y_i)/(alpha + m_i)^2 ],
    /// then dl/dt = alpha dl/dalpha and d2l/dt2 = alpha dl/dalpha + alpha^2 d2l/dalpha2.
    static func slope(t: Double, counts y: [Double], priorMeans m: [Double], weights w: [Double]? = nil) -> (first: Double, second: Double) {
        let alpha = exp(t), lnAlphaPlusOne = log(alpha) + 1
        var d1 = 0.0, d2 = 0.0
        for i in y.indices {
            let yi = y[i], inverse = 1 / (alpha + m[i])
            let ratio = (alpha + yi) * inverse
            var e1 = lnAlphaPlusOne - log(alpha + m[i]) - ratio
            var e2 = 1 / alpha - 2 * inverse + ratio * inverse
            if yi > 0 {
                var j = 0.0
                while j < yi { let r = 1 / (alpha + j); e1 += r; e2 -= r * r; j += 1 }
            }
            let wi = w?[i] ?? 1
            d1 += wi * e1
            d2 += wi * e2
        }
        return (alpha * d1, alpha * d1 + alpha * alpha * d2)
    }

    /// The negative binomial log-likelihood of whole counts y_i with means m_i and shape alpha (each term times
    /// its weight w_i, 1 without weights), without the -ln y_i! terms (they do not depend on alpha or m).
    /// ln Gamma(y + alpha) - ln Gamma(alpha) is summed as sum_{j < y} ln(alpha + j), exact for whole y and cheap
    /// because most counts are 0.
    static func logLikelihood(alpha: Double, counts y: [Double], priorMeans m: [Double], weights w: [Double]? = nil) -> Double {
        var sum = 0.0
        let lnAlpha = log(alpha)
        for i in y.indices {
            let yi = y[i], mi = m[i]
            let lnDenominator = log(alpha + mi)
            var term = alpha * (lnAlpha - lnDenominator)
            if yi > 0 {
                var j = 0.0
                while j < yi { term += log(alpha + j); j += 1 }
                term += yi * (log(mi) - lnDenominator)
            }
            sum += (w?[i] ?? 1) * term
        }
        return sum
    }
}
