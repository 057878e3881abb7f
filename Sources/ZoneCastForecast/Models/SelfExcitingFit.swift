import Foundation

/// The four numbers of a fitted space-time self-exciting point process (see `SelfExcitingModel`):
///
///   lambda(t, x, y) = mu_total * b(x, y) + sum_{t_i < t} theta * omega * exp(-omega (t - t_i))
///                                                * exp(-|x - x_i|^2 / (2 sigma^2)) / (2 pi sigma^2)
///
/// Times in days, distances in metres.
public struct SelfExcitingParameters: Hashable, Sendable, Codable {
    /// theta: expected number of events directly triggered by one event (the branching ratio).
    public var branchingRatio: Double
    /// omega: decay rate of the triggering kernel, per day.
    public var omegaPerDay: Double
    /// sigma: per-axis standard deviation of the isotropic Gaussian spatial triggering kernel, metres.
    public var sigmaMeters: Double
    /// mu_total: expected background (spontaneous) events per day over the whole area.
    public var backgroundRatePerDay: Double

    public init(branchingRatio: Double, omegaPerDay: Double, sigmaMeters: Double, backgroundRatePerDay: Double = 0) {
        self.branchingRatio = branchingRatio
        self.omegaPerDay = omegaPerDay
        self.sigmaMeters = sigmaMeters
        self.backgroundRatePerDay = backgroundRatePerDay
    }

    /// 1 / omega: mean delay between a triggering event and its offspring, days.
    public var triggerMeanDays: Double { 1 / omegaPerDay }

    /// g(dt, d): triggering intensity (events per day per square metre) `dtDays` after an event and at squared
    /// distance `distanceSquared` from it; 0 for dt < 0.
    public func triggering(dtDays: Double, distanceSquared: Double) -> Double {
        guard dtDays >= 0 else { return 0 }
        let s2 = sigmaMeters * sigmaMeters
        return branchingRatio * omegaPerDay * exp(-omegaPerDay * dtDays) * exp(-distanceSquared / (2 * s2)) / (2 * Double.pi * s2)
    }
}

/// Box constraints applied after every M-step. A fit whose parameter ends on one of these is reported
/// as degenerate (METHODS.md: with day-precision timestamps omega otherwise runs to infinity).
public struct SelfExcitingBounds: Hashable, Sendable, Codable {
    public var branchingRatio: ClosedRange<Double>
    public var omegaPerDay: ClosedRange<Double>
    public var sigmaMeters: ClosedRange<Double>

    public init(branchingRatio: ClosedRange<Double> = 0...0.95, omegaPerDay: ClosedRange<Double> = (1.0 / 365)...24,
                sigmaMeters: ClosedRange<Double> = 10...2_000) {
        self.branchingRatio = branchingRatio
        self.omegaPerDay = omegaPerDay
        self.sigmaMeters = sigmaMeters
    }
}

/// Per-cell expected counts for one forecast window, split into the part the fitted process attributes to the
/// steady background and the part it attributes to recent triggering. `background[k] + triggered[k]` is the
/// model's forecast for cell k; inactive cells are not zeroed here (a `RiskSurface` does that).
public struct SelfExcitingComponents: Hashable, Sendable {
    public var background: [Double]
    public var triggered: [Double]

    public init(background: [Double], triggered: [Double]) {
        precondition(background.count == triggered.count, "one value per cell in both components")
        self.background = background
        self.triggered = triggered
    }

    public var total: [Double] { zip(background, triggered).map { $0 + $1 } }

    /// triggered / (background + triggered) in cell k; 0 where the forecast is 0.
    public func triggeredShare(ofCell k: Int) -> Double {
        let t = background[k] + triggered[k]
        return t > 0 ? triggered[k] / t : 0
    }

    /// Share of the forecast attributed to triggering over the given cells (all cells if nil).
    public func triggeredShare(cells: [Int]? = nil) -> Double {
        let ks = cells ?? Array(background.indices)
        var tr = 0.0, all = 0.0
        for k in ks {
            tr += triggered[k]
            all += background[k] + triggered[k]
        }
        return all > 0 ? tr / all : 0
    }
}

/// A fitted self-exciting process: its parameters, how the fit went, and the per-event background
/// probabilities p_jj the background density is made from (stochastic declustering). It can forecast any grid
/// and window, and reports the background and triggered parts separately (`components(grid:window:)`).
public struct SelfExcitingFit: Hashable, Sendable {
    public var parameters: SelfExcitingParameters
    /// EM iterations run.
    public var iterations: Int
    /// True if the largest relative parameter change fell below the tolerance before the iteration cap.
    public var converged: Bool
    /// Names of the parameters that ended on a bound ("branchingRatio", "omegaPerDay", "sigmaMeters"), or
    /// "noPairs" when no two events fall within the triggering windows.
    public var boundsHit: [String]
    /// Candidate (parent, offspring) pairs within the bounded windows that the E-step evaluated.
    public var pairCount: Int
    /// Start and end of the observation period, seconds since the epoch.
    public var observationStart: Double
    public var observationEnd: Double
    /// Standard deviation of the background kernel density, metres.
    public var backgroundBandwidthMeters: Double
    /// Per event (any order): planar position, the middle of its precision interval (seconds since the epoch),
    /// and its fitted probability p_jj of being a background event.
    public var x: [Double]
    public var y: [Double]
    public var time: [Double]
    public var backgroundProbability: [Double]
    /// Per event: the standard deviation of its background kernel, metres (all `backgroundBandwidthMeters` for a
    /// fixed bandwidth; the clamped k-th neighbour distance for a variable one).
    public var backgroundBandwidths: [Double]
    /// Events whose stacked coordinates were spread within the positional accuracy before fitting.
    public var spreadEvents = 0

    public init(parameters: SelfExcitingParameters, iterations: Int = 0, converged: Bool = true, boundsHit: [String] = [],
                pairCount: Int = 0, observationStart: Double, observationEnd: Double, backgroundBandwidthMeters: Double,
                x: [Double], y: [Double], time: [Double], backgroundProbability: [Double], backgroundBandwidths: [Double]? = nil) {
        precondition(x.count == y.count && x.count == time.count && x.count == backgroundProbability.count, "one value per event")
        precondition(backgroundBandwidths == nil || backgroundBandwidths!.count == x.count, "one bandwidth per event")
        self.backgroundBandwidths = backgroundBandwidths ?? [Double](repeating: backgroundBandwidthMeters, count: x.count)
        self.parameters = parameters
        self.iterations = iterations
        self.converged = converged
        self.boundsHit = boundsHit
        self.pairCount = pairCount
        self.observationStart = observationStart
        self.observationEnd = observationEnd
        self.backgroundBandwidthMeters = backgroundBandwidthMeters
        self.x = x
        self.y = y
        self.time = time
        self.backgroundProbability = backgroundProbability
    }

    public var eventCount: Int { x.count }
    /// A fit is degenerate when a parameter ended on a bound or there was nothing to fit the triggering to:
    /// its triggering part should not be trusted (METHODS.md, known failure with day-precision timestamps).
    public var degenerate: Bool { !boundsHit.isEmpty }
    public var observationDays: Double { (observationEnd - observationStart) / 86_400 }

    /// Median background bandwidth over the events, metres.
    public var medianBackgroundBandwidthMeters: Double {
        guard !backgroundBandwidths.isEmpty else { return backgroundBandwidthMeters }
        return backgroundBandwidths.sorted()[backgroundBandwidths.count / 2]
    }

    /// Fewer candidate pairs than this and the triggering estimate rests on too little to be trusted.
    public static let minimumReliablePairs = 30

    /// Whether the triggering part (theta, omega, sigma) can be trusted, and why (or why not).
    public var reliability: SelfExcitingReliability {
        if boundsHit == ["noPairs"] {
            return SelfExcitingReliability(isReliable: false, reason: "no two events within the triggering windows: background only")
        }
        if !boundsHit.isEmpty {
            return SelfExcitingReliability(isReliable: false,
                                           reason: "degenerate fit: \(boundsHit.joined(separator: ", ")) ended on a bound; the triggering part is unreliable")
        }
        if !converged {
            return SelfExcitingReliability(isReliable: false, reason: "EM did not converge in \(iterations) iterations")
        }
        if pairCount < Self.minimumReliablePairs {
            return SelfExcitingReliability(isReliable: false, reason: "only \(pairCount) candidate pairs: too few to estimate triggering")
        }
        return SelfExcitingReliability(isReliable: true,
                                       reason: "EM converged in \(iterations) iterations away from every bound, "
                                       + "from \(eventCount) events and \(pairCount) candidate pairs"
                                       + (spreadEvents > 0 ? " (\(spreadEvents) stacked positions spread within the positional accuracy)" : ""))
    }

    /// Expected events per cell in `window`, split into background and triggered parts:
    ///
    ///   background(cell) = mu_total * h * B(cell),  B(cell) = mass in the cell of the p_jj-weighted Gaussian
    ///                      kernel density (bandwidth `backgroundBandwidthMeters`) normalised by sum p_jj, so
    ///                      background(cell) = (h / T) * sum_j p_jj K(cell - x_j);
    ///   triggered(cell)  = sum_i theta * (exp(-omega (s_i - t_i)) - exp(-omega (t0 + h - t_i))) * G_sigma(cell - x_i),
    ///                      s_i = max(t0, t_i), over events with t_i < t0 + h,
    ///
    /// with h the window length and T the observation period in days and G_sigma the mass in the cell of the
    /// spatial triggering Gaussian. Both masses are computed by binning the weights into the grid's cells and
    /// smoothing with `GaussianSmoother` (bandwidth = the background bandwidth, resp. sigma); events off the
    /// grid, and kernel mass falling off it, are lost, as in the other kernel models.
    public func components(grid: Grid, window: ForecastWindow) -> SelfExcitingComponents {
        let n = grid.cellCount
        var trBins = [Double](repeating: 0, count: n)
        let h = window.durationDays
        let t0 = window.start.timeIntervalSince1970 / 86_400, t1 = t0 + h
        let theta = parameters.branchingRatio, omega = parameters.omegaPerDay
        let days = observationDays
        let bgScale = days > 0 ? h / days : 0
        for i in 0..<eventCount {
            guard let c = grid.cell(x: x[i], y: y[i]) else { continue }
            let ti = time[i] / 86_400
            guard ti < t1, theta > 0 else { continue }
            let w = theta * (exp(-omega * max(0, t0 - ti)) - exp(-omega * (t1 - ti)))
            if w > 0 { trBins[c] += w }
        }
        // One smoothing per background bandwidth, each of the events with that bandwidth.
        var background = [Double](repeating: 0, count: n)
        let classes = Set(backgroundBandwidths).sorted()
        for b in classes {
            var bins = [Double](repeating: 0, count: n)
            var any = false
            for i in 0..<eventCount where backgroundBandwidths[i] == b {
                guard let c = grid.cell(x: x[i], y: y[i]) else { continue }
                bins[c] += backgroundProbability[i] * bgScale
                any = true
            }
            guard any else { continue }
            let smooth = GaussianSmoother.smooth(bins, columns: grid.columns, rows: grid.rows, cellSizeMeters: grid.cellSizeMeters, bandwidthMeters: b)
            for k in 0..<n where smooth[k] != 0 { background[k] += smooth[k] }
        }
        let triggered = GaussianSmoother.smooth(trBins, columns: grid.columns, rows: grid.rows, cellSizeMeters: grid.cellSizeMeters,
                                                bandwidthMeters: parameters.sigmaMeters)
        return SelfExcitingComponents(background: background, triggered: triggered)
    }
}


/// Whether a point-process fit's triggering part can be trusted, with the reason.
public struct SelfExcitingReliability: Hashable, Sendable, CustomStringConvertible {
    public var isReliable: Bool
    public var reason: String

    public init(isReliable: Bool, reason: String) {
        self.isReliable = isReliable
        self.reason = reason
    }

    public var description: String { (isReliable ? "reliable fit: " : "unreliable fit: ") + reason }
}
