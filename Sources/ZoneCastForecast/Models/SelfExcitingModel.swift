import Foundation
import ZoneCastCore

/// Space-time self-exciting point process (Mohler, Short, Brantingham, Schoenberg & Tita 2011, "Self-exciting
/// point process modeling of crime", JASA 106:100-108), fitted by expectation-maximisation (stochastic
/// declustering):
///
///   lambda(t, x, y) = mu(x, y) + sum_{t_i < t} theta * omega * exp(-omega (t - t_i))
///                                   * (1 / (2 pi sigma^2)) * exp(-|x - x_i|^2 / (2 sigma^2))
///
/// with t in days and x in metres. theta is the branching ratio (expected direct offspring per event), 1/omega
/// the mean triggering delay and sigma the per-axis spread of offspring around their parent.
///
/// Background: mu(x, y) = mu_total * b(x, y), with b the kernel density of the events weighted by their
/// background probabilities p_jj and mu_total = sum_j p_jj / T. The background is constant in time.
/// The fit is sensitive to the kernel's bandwidth: a kernel wider than the real hot spots flattens their peaks,
/// and EM attributes the missing background to triggering (on the synthetic city, whose hot areas are 300-500 m
/// Gaussians, a fixed bandwidth gives theta about 0.52 at 300 m, 0.37-0.39 at 200 m and 0.32-0.34 at 150 m against
/// a truth of 0.35; the bias grows with event density), and no one fixed bandwidth suits both a dense downtown
/// and a sparse suburb. So, as Mohler et al. (2011) do, each event's Gaussian has its own bandwidth: the
/// distance D_k to its k-th nearest neighbour (`backgroundNeighbours`, default 15), clamped to
/// [`minimumBackgroundBandwidthMeters`, `maximumBackgroundBandwidthMeters`] and rounded to a geometric ladder
/// (ratio 1.2) so the kernels come in a few dozen bandwidths, each smoothed once on a fine grid with
/// `GaussianSmoother` or summed over neighbour lists. `backgroundNeighbours = 0` keeps one fixed bandwidth,
/// `backgroundBandwidthMeters` (`--set sepp.backgroundBandwidth=200` selects it).
///
/// Stacked coordinates: records geocoded to a block or an address share identical coordinates, so a pair of them
/// is at distance 0 and sigma used to end on its 10 m lower bound (on dense real data) whatever the triggering's
/// real spread. A position is only known to within the geocoding's accuracy (`positionalAccuracyMeters`, default
/// 50 m), so every event that shares its exact coordinates with another is moved to a seeded uniform point in
/// the disc of that radius (see `SelfExcitingPositions.spreadStacked`: the same draw for the same event in every
/// fit, on every machine). sigma is then estimated from the data, not pinned at a bound; it includes the
/// positional error (for two points spread in discs of radius r, E|d|^2 grows by r^2).
///
/// Records of one incident (identical coordinates and an identical time interval, e.g. several victims of one
/// assault recorded as separate rows) are never a candidate pair: one incident does not trigger itself, and such
/// pairs, an hour or less apart with hour-precision times, pinned omega at its upper bound on dense real data.
///
/// Reliability: `SelfExcitingFit.reliability` says whether the triggering part can be trusted, with the reason
/// (a parameter on a bound, EM not converged, too few candidate pairs), in the forecast's notes and parameters.
///
/// E-step, over candidate pairs only (t_j - t_i <= `maxTriggerDays`, |x_j - x_i| <= `maxTriggerMeters`, found
/// with spatial buckets and a time search, never all pairs):
///   p_ij = g(t_j - t_i, x_j - x_i) / lambda(t_j, x_j),   p_jj = mu(x_j) / lambda(t_j, x_j).
/// M-step (closed forms):
///   omega   = sum p_ij / sum p_ij (t_j - t_i)
///   sigma^2 = sum p_ij |x_j - x_i|^2 / (2 sum p_ij)
///   theta   = sum p_ij / sum_i (1 - exp(-omega tau_i)) (1 - exp(-R^2 / (2 sigma^2)))
///   mu_total = sum p_jj / T
/// theta carries the finite-window correction: event i can only show offspring within tau_i = min(T_end - t_i,
/// maxTriggerDays) days and R = maxTriggerMeters metres, so its expected observed offspring is theta times the
/// kernel's mass in that window (with no truncation this is Mohler's theta = sum p_ij / N). The omega and sigma
/// updates ignore the truncation, which biases them by less than exp(-omega * maxTriggerDays) and
/// exp(-R^2 / 2 sigma^2), negligible for the defaults. Parameters are clamped to `bounds` after each M-step,
/// and EM stops when every parameter's relative change is below `tolerance` or after `maxIterations`.
///
/// Timestamp precision (METHODS.md, known failure): an event's time is uncertain over [time, time + precision).
/// Events are placed at the middle of their interval, and a pair whose intervals overlap is weighted by the
/// probability that the parent came first, at the expected gap given that order (see `SelfExcitingPairs`):
/// two events of the same day are 8 hours apart in expectation, never 0, so omega does not run away. A fit
/// that still ends on a bound is flagged `degenerate`.
///
/// Forecast for [t0, t0 + h): per cell, mu(cell) h + sum_i theta (exp(-omega (t0 - t_i)) - exp(-omega (t0 + h - t_i)))
/// G_sigma(cell - x_i), see `SelfExcitingFit.components(grid:window:)`. The model fits on the target categories
/// of the history only, over the period from the first event to the forecast origin.
///
/// Cost: O(pairs) per EM iteration (one exponential per candidate pair) plus one smoothing of a background
/// grid of at most 1.5 million cells.
public struct SelfExcitingModel: ForecastModel {
    public var backgroundBandwidthMeters: Double
    public var maxTriggerDays: Double
    public var maxTriggerMeters: Double
    public var maxIterations: Int
    /// Relative parameter change below which EM stops.
    public var tolerance: Double
    public var bounds: SelfExcitingBounds
    /// Starting point of EM (mu_total is ignored: the start takes every event as background with weight 1 - theta).
    public var initial: SelfExcitingParameters
    /// k of the variable background bandwidth (distance to the k-th nearest event); 0: the fixed
    /// `backgroundBandwidthMeters`.
    public var backgroundNeighbours: Int
    public var minimumBackgroundBandwidthMeters: Double
    public var maximumBackgroundBandwidthMeters: Double
    /// Radius within which stacked (identical) coordinates are spread; 0 leaves them stacked.
    public var positionalAccuracyMeters: Double
    /// Seed of that spreading.
    public var seed: UInt64

    public init(backgroundBandwidthMeters: Double = 200, maxTriggerDays: Double = 60, maxTriggerMeters: Double = 1_000,
                maxIterations: Int = 200, tolerance: Double = 1e-5, bounds: SelfExcitingBounds = SelfExcitingBounds(),
                initial: SelfExcitingParameters = SelfExcitingParameters(branchingRatio: 0.2, omegaPerDay: 0.1, sigmaMeters: 200),
                backgroundNeighbours: Int = 15, minimumBackgroundBandwidthMeters: Double = 50, maximumBackgroundBandwidthMeters: Double = 2_000,
                positionalAccuracyMeters: Double = 50, seed: UInt64 = 0x5E99_2011) {
        self.backgroundNeighbours = backgroundNeighbours
        self.minimumBackgroundBandwidthMeters = minimumBackgroundBandwidthMeters
        self.maximumBackgroundBandwidthMeters = maximumBackgroundBandwidthMeters
        self.positionalAccuracyMeters = positionalAccuracyMeters
        self.seed = seed
        self.backgroundBandwidthMeters = backgroundBandwidthMeters
        self.maxTriggerDays = maxTriggerDays
        self.maxTriggerMeters = maxTriggerMeters
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.bounds = bounds
        self.initial = initial
    }

    public var name: String { "sepp" }

    public func forecast(_ input: ForecastInput) throws -> ModelForecast {
        try input.checkNoLookAhead(model: name)
        let events = input.history.only(input.targets)
        let fit = try fit(events, observationEnd: input.window.start.timeIntervalSince1970)
        let parts = fit.components(grid: input.grid, window: input.window)
        let surface = RiskSurface(grid: input.grid, window: input.window, values: parts.total)
        let p = fit.parameters
        var notes: [String] = []
        let reliability = fit.reliability
        notes.append("sepp: \(reliability)")
        return ModelForecast(surface: surface, parameters: [
            "branchingRatio": p.branchingRatio,
            "omegaPerDay": p.omegaPerDay,
            "triggerMeanDays": p.triggerMeanDays,
            "sigmaMeters": p.sigmaMeters,
            "backgroundRatePerDay": p.backgroundRatePerDay,
            "iterations": Double(fit.iterations),
            "converged": fit.converged ? 1 : 0,
            "degenerate": fit.degenerate ? 1 : 0,
            "reliable": reliability.isReliable ? 1 : 0,
            "stackedEventsSpread": Double(fit.spreadEvents),
            "backgroundNeighbours": Double(backgroundNeighbours),
            "events": Double(fit.eventCount),
            "pairs": Double(fit.pairCount),
            "triggeredShare": parts.triggeredShare(cells: input.grid.activeCells),
            "backgroundBandwidthMeters": fit.medianBackgroundBandwidthMeters,
        ], notes: notes)
    }

    func validate() throws {
        func check(_ ok: Bool, _ n: String, _ v: Double) throws {
            guard ok, v.isFinite else { throw ForecastError.invalidParameter(model: name, name: n, value: v) }
        }
        try check(backgroundBandwidthMeters > 0, "backgroundBandwidthMeters", backgroundBandwidthMeters)
        try check(maxTriggerDays > 0, "maxTriggerDays", maxTriggerDays)
        try check(maxTriggerMeters > 0, "maxTriggerMeters", maxTriggerMeters)
        try check(maxIterations >= 1, "maxIterations", Double(maxIterations))
        try check(tolerance > 0, "tolerance", tolerance)
        try check(bounds.branchingRatio.lowerBound >= 0 && bounds.branchingRatio.upperBound < 1, "bounds.branchingRatio", bounds.branchingRatio.upperBound)
        try check(bounds.omegaPerDay.lowerBound > 0, "bounds.omegaPerDay", bounds.omegaPerDay.lowerBound)
        try check(bounds.sigmaMeters.lowerBound > 0, "bounds.sigmaMeters", bounds.sigmaMeters.lowerBound)
        try check(backgroundNeighbours >= 0, "backgroundNeighbours", Double(backgroundNeighbours))
        try check(minimumBackgroundBandwidthMeters > 0 && maximumBackgroundBandwidthMeters >= minimumBackgroundBandwidthMeters,
                  "minimumBackgroundBandwidthMeters", minimumBackgroundBandwidthMeters)
        try check(positionalAccuracyMeters >= 0, "positionalAccuracyMeters", positionalAccuracyMeters)
    }

    /// `fit` without the memo (see `SelfExcitingModel+Memo.swift`).
    func fitAfresh(_ events: EventSet, observationEnd: Double?) throws -> SelfExcitingFit {
        try validate()
        let startSeconds = (0..<events.count).map { events.time[$0] }.min() ?? 0
        let endSeconds = max(observationEnd ?? events.latestPossibleTime ?? startSeconds, events.latestPossibleTime ?? startSeconds)
        var positioned = events
        let spread = SelfExcitingPositions.spreadStacked(events, radius: positionalAccuracyMeters, seed: seed)
        positioned.x = spread.x
        positioned.y = spread.y
        let ev = SelfExcitingEvents(positioned, originSeconds: startSeconds, groups: SelfExcitingPositions.coRecorded(events))
        let n = ev.count
        let days = max((endSeconds - startSeconds) / 86_400, 1e-9)
        let bandwidths: [Double]
        if backgroundNeighbours > 0 {
            bandwidths = SelfExcitingPositions.kthNeighbourDistance(x: ev.x, y: ev.y, k: backgroundNeighbours, cap: maximumBackgroundBandwidthMeters)
                .map { SelfExcitingPositions.ladder($0, lower: minimumBackgroundBandwidthMeters, upper: maximumBackgroundBandwidthMeters) }
        } else {
            bandwidths = [Double](repeating: backgroundBandwidthMeters, count: n)
        }
        func result(_ p: SelfExcitingParameters, pBg: [Double], iterations: Int, converged: Bool, hit: [String], pairs: Int) -> SelfExcitingFit {
            var fit = SelfExcitingFit(parameters: p, iterations: iterations, converged: converged, boundsHit: hit, pairCount: pairs,
                                      observationStart: startSeconds, observationEnd: endSeconds, backgroundBandwidthMeters: backgroundBandwidthMeters,
                                      x: ev.x, y: ev.y, time: ev.mid.map { $0 * 86_400 + startSeconds }, backgroundProbability: pBg,
                                      backgroundBandwidths: bandwidths)
            fit.spreadEvents = spread.moved
            return fit
        }
        var p = initial
        p.branchingRatio = clamp(p.branchingRatio, bounds.branchingRatio)
        p.omegaPerDay = clamp(p.omegaPerDay, bounds.omegaPerDay)
        p.sigmaMeters = clamp(p.sigmaMeters, bounds.sigmaMeters)
        let pairs = SelfExcitingPairs(ev, maxDays: maxTriggerDays, maxMeters: maxTriggerMeters, storeParents: false)
        guard pairs.count > 0 else {
            // Nothing to fit triggering to: every event is background.
            p.branchingRatio = 0
            p.backgroundRatePerDay = Double(n) / days
            return result(p, pBg: [Double](repeating: 1, count: n), iterations: 0, converged: true, hit: ["noPairs"], pairs: 0)
        }
        // Observable share of each event's offspring in time: 1 - exp(-omega tau_i).
        let tau = ev.mid.map { min(max(0, days - $0), maxTriggerDays) }
        let grid = SelfExcitingVariableBackground(x: ev.x, y: ev.y, bandwidths: bandwidths)
        var weights = [Double](repeating: 1 - p.branchingRatio, count: n)
        p.backgroundRatePerDay = weights.reduce(0, +) / days
        var iterations = 0, converged = false
        while iterations < maxIterations {
            iterations += 1
            let mu = grid.density(weights: weights, scale: 1 / days)
            let e = SelfExcitingEStep(pairs: pairs, mu: mu, parameters: p)
            var next = p
            if e.s0 > 0 {
                next.omegaPerDay = clamp(e.s0 / max(e.s1, 1e-300), bounds.omegaPerDay)
                next.sigmaMeters = clamp((e.s2 / (2 * e.s0)).squareRoot(), bounds.sigmaMeters)
                let spaceMass = 1 - exp(-maxTriggerMeters * maxTriggerMeters / (2 * next.sigmaMeters * next.sigmaMeters))
                var exposure = 0.0
                for t in tau { exposure += 1 - exp(-next.omegaPerDay * t) }
                next.branchingRatio = clamp(exposure > 0 ? e.s0 / (exposure * spaceMass) : 0, bounds.branchingRatio)
            } else {
                next.branchingRatio = bounds.branchingRatio.lowerBound
            }
            weights = e.backgroundProbability
            next.backgroundRatePerDay = weights.reduce(0, +) / days
            let change = max(relative(next.branchingRatio, p.branchingRatio), relative(next.omegaPerDay, p.omegaPerDay),
                             relative(next.sigmaMeters, p.sigmaMeters), relative(next.backgroundRatePerDay, p.backgroundRatePerDay))
            p = next
            if change < tolerance {
                converged = true
                break
            }
        }
        var hit: [String] = []
        if atBound(p.branchingRatio, bounds.branchingRatio) { hit.append("branchingRatio") }
        if atBound(p.omegaPerDay, bounds.omegaPerDay) { hit.append("omegaPerDay") }
        if atBound(p.sigmaMeters, bounds.sigmaMeters) { hit.append("sigmaMeters") }
        return result(p, pBg: weights, iterations: iterations, converged: converged, hit: hit, pairs: pairs.count)
    }

    /// One E-step with given parameters and background: for each event j (in the order of `events`) the
    /// probability it is background, p_jj = mu_j / lambda_j, and for each candidate pair the probability that i
    /// triggered j, p_ij = pi_ij g(gap_ij, d_ij) / lambda_j, where `backgroundDensity[j]` is mu(x_j) in events
    /// per day per square metre and pi_ij the order prior of overlapping precision intervals (1 otherwise).
    public static func posterior(events: EventSet, parameters: SelfExcitingParameters, backgroundDensity: [Double],
                                 maxTriggerDays: Double = 60, maxTriggerMeters: Double = 1_000) -> SelfExcitingPosterior {
        precondition(backgroundDensity.count == events.count, "one background density per event")
        let ev = SelfExcitingEvents(events, originSeconds: (0..<events.count).map { events.time[$0] }.min() ?? 0)
        let pairs = SelfExcitingPairs(ev, maxDays: maxTriggerDays, maxMeters: maxTriggerMeters, storeParents: true)
        let mu = ev.source.map { backgroundDensity[$0] }
        let e = SelfExcitingEStep(pairs: pairs, mu: mu, parameters: parameters)
        var pBg = [Double](repeating: 1, count: events.count), lambda = [Double](repeating: 0, count: events.count)
        var out: [SelfExcitingPosterior.Pair] = []
        for j in 0..<ev.count {
            pBg[ev.source[j]] = e.backgroundProbability[j]
            lambda[ev.source[j]] = e.intensity[j]
            for k in pairs.start[j]..<pairs.start[j + 1] {
                let prior = exp(Double(pairs.logPrior[k]))
                let g = prior * parameters.triggering(dtDays: Double(pairs.dt[k]), distanceSquared: Double(pairs.d2[k]))
                out.append(.init(parent: ev.source[Int(pairs.parent[k])], offspring: ev.source[j],
                                 probability: e.intensity[j] > 0 ? g / e.intensity[j] : 0, gapDays: Double(pairs.dt[k]), orderProbability: prior))
            }
        }
        return SelfExcitingPosterior(backgroundProbability: pBg, intensity: lambda, pairs: out)
    }
}

/// Outcome of one E-step (`SelfExcitingModel.posterior`): who probably triggered whom.
public struct SelfExcitingPosterior: Hashable, Sendable {
    public struct Pair: Hashable, Sendable {
        /// Indices into the `EventSet` given.
        public var parent: Int
        public var offspring: Int
        /// p_ij.
        public var probability: Double
        /// Expected gap in days given that the parent came first.
        public var gapDays: Double
        /// Probability that the parent came first (1 unless the precision intervals overlap).
        public var orderProbability: Double
    }

    /// p_jj per event.
    public var backgroundProbability: [Double]
    /// lambda(t_j, x_j) per event, events per day per square metre.
    public var intensity: [Double]
    public var pairs: [Pair]
}

@inline(__always) private func clamp(_ v: Double, _ r: ClosedRange<Double>) -> Double { v.isNaN ? r.lowerBound : min(r.upperBound, max(r.lowerBound, v)) }
@inline(__always) private func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-9) }
@inline(__always) private func atBound(_ v: Double, _ r: ClosedRange<Double>) -> Bool {
    abs(v - r.lowerBound) <= 1e-9 * max(1, abs(r.lowerBound)) || abs(v - r.upperBound) <= 1e-9 * max(1, abs(r.upperBound))
}
