import Foundation
public import ZoneCastCore

/// Learned multi-factor model ("learned"): a ridge-penalised Poisson regression of next-window target counts per
/// cell on time-decayed kernel densities of every harm category, fitted on the forecast area's own past windows.
///
/// Features. For category c, bandwidth b and half-life h, the raw layer at origin t is
///
///   D_{c,b,h}(cell, t) = sum_{i in c, i before t} 2^(-age_i / h) K_b(cell - cell_i)
///
/// (age_i in days from the middle of the event's precision interval, K_b the Gaussian of standard deviation b
/// metres truncated at 4 b and normalised per axis, exactly as `GaussianSmoother` / `HarmSurfaceModel`). The
/// regression sees x = log(1 + D / rho), where rho is the mean of D over active cells at the forecast origin, so 0
/// means "none nearby", log 2 "city average", and coefficients act on orders of magnitude (the log tames the
/// heavy right tail of densities). The regression then standardises x internally (weighted mean and standard
/// deviation over the training rows), so a coefficient is the change in log expected count per standard
/// deviation of the feature: exp(coef) is the rate ratio for one standard deviation more of that factor. Default
/// factors: every category present in the history except `.other` (police-initiated records are already left
/// out by `EventSet`) x bandwidths {150, 500} m x half-lives {14, 120} days.
///
/// Target. y = number of events of `input.targets` per active cell in the window (integer counts, so the Poisson
/// likelihood is right; harm is not used as an observation weight, which would break the count model and let a
/// handful of homicides dominate). The surface reports expected harm: mu x hbar, where hbar is the mean harm
/// weight of the target events in the training windows (`outputHarm = false` reports expected counts instead).
///
/// Training, no look-ahead. Past origins o_k = t0 - k W (k = 1...K, W the window length) give K training
/// windows [o_k, o_k + W), all ending by the forecast origin t0. Features for window k use only events available
/// before o_k (start + precision <= o_k, as `EventSet.before`); targets are history events in the window, so
/// everything comes from `input.history`. Windows whose origin has less than `minimumHistoryDays` of history
/// before it are skipped. The layers are carried forward in time by the exact recursion
/// D(o') = 2^(-(o' - o)/h) D(o) + (events available in (o, o'] at their own decay), adding each event's kernel
/// footprint once, so K windows cost about as much as one full computation.
///
/// Sampling. Every cell with y > 0 is kept, and zero cells with probability q_k chosen for about
/// `zeroRowsPerWindow` zeros per window, weighted 1/q_k (`CaseControlSampling`): an unbiased estimate of the
/// full-grid likelihood at a small fraction of the rows.
///
/// Penalty. alpha is chosen from `alphaGrid` by time-ordered cross-validation: with the windows oldest first in
/// `cvFolds + 1` blocks, fold j fits on every window before block j + 1 and scores the weighted mean Poisson
/// deviance on block j + 1; the alpha with the lowest deviance over all folds wins (ties go to the larger alpha),
/// and the model is refitted on all windows with it (METHODS.md, "Regularised Poisson regression").
///
/// Extra layers. `extraLayers` adds features supplied by other code, e.g. another model's intensity surface. Each
/// is called once per training origin with a `ForecastInput` whose history is `input.history.before(o_k)` and
/// whose window is [o_k, o_k + W) (and once with the real input), so it never sees the future either; it must
/// return one value per grid cell. Its values are transformed like the densities (log(1 + v / mean), negatives
/// clamped to 0) unless its transform is `.identity`. Its cost is K + 1 calls of the supplied closure.
///
/// Reported in `ModelForecast.parameters`: "alpha" (chosen), "cvDeviance" (its weighted mean validation deviance
/// per cell-window), "trainingWindows", "sampledRows", "positiveRows", "targetEvents", "meanHarmPerEvent",
/// "converged" (1 or 0), and "coef.<feature>" / "se.<feature>" for "intercept" and every feature (standardised
/// scale; a feature constant over the training rows is held at 0 with se NaN and named in the notes). `explain`
/// gives the same fit as a `LearnedFactorReport` with intervals, sandwich errors and the cross-validation table.
///
/// Cost: O(events x footprint + (K + 1) x features x cells) for the layers, O(rows x features^2) per Newton
/// iteration for the (cvFolds x alphas + 1) fits. Measured (release, 2 shared cores): 0.56-0.70 s for a
/// forecast with its fit on the synthetic city at 80 m cells (49,949 cells, 20,903 history events, 32 features,
/// 16 windows, 24,750 sampled rows).
///
/// Standard errors are the regression's model-based sqrt(diag(H^-1)) (approximate under the ridge penalty, see
/// `PoissonRegression`), with sandwich errors beside them; neither allows for correlation between neighbouring
/// cells or successive windows of the same cell, so read "significant" as "clearly non-zero", not as a p-value.
public struct LearnedFactorModel: ForecastModel {
    /// A feature layer supplied from outside (see the type's documentation).
    public struct ExtraLayer: Sendable {
        public enum Transform: String, Sendable, Hashable, Codable {
            /// log(1 + max(0, v) / mean), mean over active cells at the forecast origin (as the densities).
            case logRelativeToMean
            /// v as given (it should already be on a sensible scale).
            case identity
        }

        public var name: String
        public var transform: Transform
        public var compute: @Sendable (ForecastInput) throws -> [Double]

        public init(name: String, transform: Transform = .logRelativeToMean, compute: @escaping @Sendable (ForecastInput) throws -> [Double]) {
            self.name = name
            self.transform = transform
            self.compute = compute
        }
    }

    /// Categories whose densities are features; nil: every category present in the history except `.other`.
    public var categories: [HarmCategory]?
    public var bandwidthsMeters: [Double]
    public var halfLivesDays: [Double]
    /// K, the number of past windows to train on (fewer if the history is short).
    public var trainingWindows: Int
    public var alphaGrid: [Double]
    public var cvFolds: Int
    /// Expected number of zero cells kept per training window.
    public var zeroRowsPerWindow: Int
    /// A training origin needs at least this much history before it.
    public var minimumHistoryDays: Double
    /// Report expected harm (true) or expected target counts (false).
    public var outputHarm: Bool
    /// Seed of the zero-cell sample.
    public var seed: UInt64
    public var extraLayers: [ExtraLayer]

    public init(
        categories: [HarmCategory]? = nil, bandwidthsMeters: [Double] = [150, 500], halfLivesDays: [Double] = [14, 120],
        trainingWindows: Int = 16, alphaGrid: [Double] = [0.01, 0.1, 1, 10, 100], cvFolds: Int = 2,
        zeroRowsPerWindow: Int = 1_500, minimumHistoryDays: Double = 30, outputHarm: Bool = true, seed: UInt64 = 0x1EA2_4ED0,
        extraLayers: [ExtraLayer] = []
    ) {
        self.categories = categories
        self.bandwidthsMeters = bandwidthsMeters
        self.halfLivesDays = halfLivesDays
        self.trainingWindows = trainingWindows
        self.alphaGrid = alphaGrid
        self.cvFolds = cvFolds
        self.zeroRowsPerWindow = zeroRowsPerWindow
        self.minimumHistoryDays = minimumHistoryDays
        self.outputHarm = outputHarm
        self.seed = seed
        self.extraLayers = extraLayers
    }

    public var name: String { "learned" }

    public func forecast(_ input: ForecastInput) throws -> ModelForecast { try forecastWithReport(input).forecast }

    /// The fit behind a forecast: coefficients with standard errors and 95 % intervals, alpha and the
    /// cross-validation table, to answer "which factors predict violence here".
    public func explain(_ input: ForecastInput) throws -> LearnedFactorReport { try forecastWithReport(input).report }

    /// The forecast and its report from one fit.
    public func forecastWithReport(_ input: ForecastInput) throws -> (forecast: ModelForecast, report: LearnedFactorReport) {
        let data = try trainingData(input)
        return try fitAndPredict(input, data)
    }

    /// The features this model would use for `input`, and their raw (untransformed) layers at the input's
    /// origin, computed directly from the history (no recursion): one array of `grid.cellCount` values per feature.
    public func featureLayers(_ input: ForecastInput) throws -> (features: [LearnedFeature], layers: [[Double]]) {
        try input.checkNoLookAhead(model: name)
        try validate(input)
        let features = densityFeatures(for: input.history)
        var sweep = DensitySweep(model: self, grid: input.grid, history: input.history, features: features)
        sweep.advance(to: input.window.start.timeIntervalSince1970)
        var layers = (0..<features.count).map { sweep.layer($0) }
        for e in extraLayers { layers.append(try e.compute(input)) }
        return (features + extraLayers.map { LearnedFeature(name: $0.name) }, layers)
    }
}

/// One regression feature: a category's density at a bandwidth and half-life, or a named extra layer.
public struct LearnedFeature: Hashable, Sendable, Codable {
    public var name: String
    public var category: HarmCategory?
    public var bandwidthMeters: Double?
    public var halfLifeDays: Double?

    /// A density feature, named "<category>.b<bandwidth>m.h<half-life>d", e.g. "robbery.b150m.h14d".
    public init(category: HarmCategory, bandwidthMeters: Double, halfLifeDays: Double) {
        self.name = "\(category.rawValue).b\(Self.format(bandwidthMeters))m.h\(Self.format(halfLifeDays))d"
        self.category = category
        self.bandwidthMeters = bandwidthMeters
        self.halfLifeDays = halfLifeDays
    }

    /// An extra layer's feature.
    public init(name: String) { self.name = name }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
