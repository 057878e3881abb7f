import Foundation
import ZoneCastCore

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

    // MARK: Training data

    /// Everything the fit needs; internal so tests can check it.
    struct TrainingData {
        var features: [LearnedFeature]
        /// Training origins, oldest first (seconds since the epoch).
        var origins: [Double]
        var windowSeconds: Double
        /// Per row: window index (into `origins`), cell, count, case-control weight.
        var rowWindow: [Int] = []
        var rowCell: [Int] = []
        var y: [Double] = []
        var weight: [Double] = []
        /// Raw feature values per row, row-major (`features.count` per row).
        var raw: [Double] = []
        /// Raw layers at the forecast origin, one per feature.
        var originLayers: [[Double]] = []
        /// Per-feature scale: mean over active cells of the forecast-origin layer (0 for `.identity` extras).
        var rho: [Double] = []
        var keepProbability: [Double] = []
        var targetEvents = 0
        var targetHarm = 0.0
        var notes: [String] = []
    }

    func validate(_ input: ForecastInput) throws {
        func check(_ ok: Bool, _ n: String, _ v: Double) throws {
            if !ok { throw ForecastError.invalidParameter(model: name, name: n, value: v) }
        }
        for b in bandwidthsMeters { try check(b > 0 && b.isFinite, "bandwidthMeters", b) }
        for h in halfLivesDays { try check(h > 0 && h.isFinite, "halfLifeDays", h) }
        try check(trainingWindows >= 1, "trainingWindows", Double(trainingWindows))
        try check(!alphaGrid.isEmpty, "alphaGrid.count", 0)
        for a in alphaGrid { try check(a >= 0 && a.isFinite, "alpha", a) }
        try check(cvFolds >= 1, "cvFolds", Double(cvFolds))
        try check(zeroRowsPerWindow >= 1, "zeroRowsPerWindow", Double(zeroRowsPerWindow))
        try check(minimumHistoryDays >= 0, "minimumHistoryDays", minimumHistoryDays)
        try check(input.window.durationSeconds > 0, "window.durationSeconds", input.window.durationSeconds)
        guard !input.grid.activeCells.isEmpty else { throw ForecastError.emptyGrid }
    }

    func densityFeatures(for history: EventSet) -> [LearnedFeature] {
        let cats = categories.map { Array(Set($0)).sorted() } ?? Array(Set(history.category).subtracting([.other])).sorted()
        var out: [LearnedFeature] = []
        for c in cats { for b in bandwidthsMeters { for h in halfLivesDays { out.append(LearnedFeature(category: c, bandwidthMeters: b, halfLifeDays: h)) } } }
        return out
    }

    func trainingData(_ input: ForecastInput) throws -> TrainingData {
        try input.checkNoLookAhead(model: name)
        try validate(input)
        let grid = input.grid, h = input.history
        let t0 = input.window.start.timeIntervalSince1970, W = input.window.durationSeconds
        let densities = densityFeatures(for: h)
        let features = densities + extraLayers.map { LearnedFeature(name: $0.name) }
        let F = features.count

        // Past origins, oldest first, each with enough history before it.
        let earliest = h.time.min() ?? .infinity
        var origins: [Double] = []
        for k in stride(from: trainingWindows, through: 1, by: -1) {
            let o = t0 - Double(k) * W
            if o >= earliest + minimumHistoryDays * 86_400 { origins.append(o) }
        }
        var data = TrainingData(features: features, origins: origins, windowSeconds: W)
        if origins.count < trainingWindows {
            data.notes.append("\(trainingWindows - origins.count) of \(trainingWindows) training windows skipped: less than \(minimumHistoryDays) days of history before them")
        }

        // Target counts per training window (sparse), from history events of the target categories.
        let nWin = origins.count
        var counts = [[Int: Int]](repeating: [:], count: nWin)
        if let first = origins.first {
            for i in 0..<h.count where input.targets.contains(h.category[i]) {
                let t = h.time[i]
                guard t >= first, t < t0, let cell = grid.cell(x: h.x[i], y: h.y[i]), grid.active[cell] else { continue }
                let k = min(nWin - 1, Int(((t - first) / W).rounded(.down)))
                guard t >= origins[k], t < origins[k] + W else { continue }
                counts[k][cell, default: 0] += 1
                data.targetEvents += 1
                data.targetHarm += input.weights[h.category[i]]
            }
        }

        // Case-control sample per window; rows ordered by window then cell.
        let active = grid.activeCells
        var rowsOfWindow = [Range<Int>](repeating: 0..<0, count: nWin)
        for k in 0..<nWin {
            let q = CaseControlSampling.keepProbability(zeroRows: active.count - counts[k].count, targetZeroRows: zeroRowsPerWindow)
            data.keepProbability.append(q)
            let windowSeed = seed ^ (UInt64(bitPattern: Int64(origins[k].rounded())) &* 0xD1B5_4A32_D192_ED03)
            let start = data.y.count
            for cell in active {
                let c = counts[k][cell] ?? 0
                if c > 0 {
                    data.rowWindow.append(k); data.rowCell.append(cell); data.y.append(Double(c)); data.weight.append(1)
                } else if CaseControlSampling.keeps(seed: windowSeed, key: UInt64(cell), probability: q) {
                    data.rowWindow.append(k); data.rowCell.append(cell); data.y.append(0); data.weight.append(q >= 1 ? 1 : 1 / q)
                }
            }
            rowsOfWindow[k] = start..<data.y.count
        }

        // Sweep the density layers forward through the training origins to the forecast origin.
        data.raw = [Double](repeating: 0, count: data.y.count * F)
        var sweep = DensitySweep(model: self, grid: grid, history: h, features: densities)
        for k in 0..<nWin {
            sweep.advance(to: origins[k])
            let rows = rowsOfWindow[k]
            for f in 0..<densities.count {
                sweep.withLayer(f) { layer in
                    for r in rows { data.raw[r * F + f] = layer[data.rowCell[r]] }
                }
            }
            if !extraLayers.isEmpty {
                let pastInput = ForecastInput(history: h.before(Date(timeIntervalSince1970: origins[k])), grid: grid,
                                              window: ForecastWindow(start: Date(timeIntervalSince1970: origins[k]), durationSeconds: W),
                                              targets: input.targets, weights: input.weights)
                for (e, extra) in extraLayers.enumerated() {
                    let values = try extra.compute(pastInput)
                    guard values.count == grid.cellCount else {
                        throw ForecastError.invalidParameter(model: name, name: "\(extra.name).count", value: Double(values.count))
                    }
                    for r in rows { data.raw[r * F + densities.count + e] = values[data.rowCell[r]] }
                }
            }
        }
        sweep.advance(to: t0)
        data.originLayers = (0..<densities.count).map { sweep.layer($0) }
        for extra in extraLayers {
            let values = try extra.compute(input)
            guard values.count == grid.cellCount else {
                throw ForecastError.invalidParameter(model: name, name: "\(extra.name).count", value: Double(values.count))
            }
            data.originLayers.append(values)
        }
        for f in 0..<F {
            if f >= densities.count, extraLayers[f - densities.count].transform == .identity { data.rho.append(0); continue }
            var s = 0.0
            for c in active { s += max(0, data.originLayers[f][c]) }
            data.rho.append(s / Double(active.count))
        }
        return data
    }

    /// The transform from a raw value to the regression's feature.
    @inline(__always)
    static func transform(_ v: Double, rho: Double, identity: Bool) -> Double {
        if identity { return v.isFinite ? v : 0 }
        guard rho > 0, v > 0, v.isFinite else { return 0 }
        return log1p(v / rho)
    }

    // MARK: Fit and predict

    func fitAndPredict(_ input: ForecastInput, _ data: TrainingData) throws -> (forecast: ModelForecast, report: LearnedFactorReport) {
        let grid = input.grid, F = data.features.count, n = data.y.count
        let identity = (0..<F).map { $0 >= F - extraLayers.count && extraLayers[$0 - (F - extraLayers.count)].transform == .identity }
        var X = [Double](repeating: 0, count: n * F)
        for r in 0..<n { for f in 0..<F { X[r * F + f] = Self.transform(data.raw[r * F + f], rho: data.rho[f], identity: identity[f]) } }
        let names = data.features.map(\.name)
        let windows = data.origins.map { ForecastWindow(start: Date(timeIntervalSince1970: $0), durationSeconds: data.windowSeconds) }
        var notes = data.notes
        let meanHarm = data.targetEvents > 0 ? data.targetHarm / Double(data.targetEvents) : 0
        var report = LearnedFactorReport(origin: input.window.start, windowDays: input.window.durationDays, alpha: .nan,
                                         crossValidation: [], trainingWindows: windows, sampledRows: n,
                                         positiveRows: data.y.filter { $0 > 0 }.count, targetEvents: data.targetEvents,
                                         zeroKeepProbabilities: data.keepProbability, intercept: .nan,
                                         interceptStandardError: .nan, coefficients: [], meanHarmPerEvent: meanHarm,
                                         converged: false, iterations: 0, notes: [])
        for f in 0..<F where !identity[f] {
            // rho as expected events per cell per window implied by the layer (densities) or the layer mean (extras).
            if let h = data.features[f].halfLifeDays { report.featureScales[names[f]] = data.rho[f] * M_LN2 / h * input.window.durationDays }
            else { report.featureScales[names[f]] = data.rho[f] }
        }
        var parameters: [String: Double] = ["trainingWindows": Double(data.origins.count), "sampledRows": Double(n),
                                            "positiveRows": Double(report.positiveRows), "targetEvents": Double(data.targetEvents)]

        guard data.targetEvents > 0, report.positiveRows > 0 else {
            notes.append("no target events in the training windows: the forecast is 0 everywhere")
            report.notes = notes
            parameters["alpha"] = .nan
            parameters["cvDeviance"] = .nan
            let surface = RiskSurface(grid: grid, window: input.window, values: [Double](repeating: 0, count: grid.cellCount))
            return (ModelForecast(surface: surface, parameters: parameters, notes: notes), report)
        }

        // Time-ordered cross-validation over the alpha grid.
        let nWin = data.origins.count
        let alphas = Array(Set(alphaGrid)).sorted(by: >)
        var devSum = [Double](repeating: 0, count: alphas.count), devWeight = [Double](repeating: 0, count: alphas.count)
        var foldsScored = [Int](repeating: 0, count: alphas.count)
        let block = max(1, nWin / (cvFolds + 1))
        for j in 0..<cvFolds {
            let validStart = nWin - (cvFolds - j) * block, validEnd = validStart + block
            guard validStart >= 1, validEnd <= nWin else { continue }
            let trainRows = (0..<n).filter { data.rowWindow[$0] < validStart }
            let validRows = (0..<n).filter { data.rowWindow[$0] >= validStart && data.rowWindow[$0] < validEnd }
            guard trainRows.contains(where: { data.y[$0] > 0 }), !validRows.isEmpty else { continue }
            let (Xt, yt, wt) = subset(X, F, data, trainRows)
            var warm: [Double]? = nil
            for (a, alpha) in alphas.enumerated() {
                guard let fit = try? PoissonRegression(alpha: alpha, standardize: true).fit(design: Xt, featureCount: F, y: yt, weights: wt, names: names, initial: warm) else { continue }
                warm = fit.coefficients
                let raw = fit.rawCoefficients
                for r in validRows {
                    var eta = raw[0]
                    for f in 0..<F { eta += raw[f + 1] * X[r * F + f] }
                    devSum[a] += data.weight[r] * PoissonRegression.unitDeviance(y: data.y[r], mu: exp(poissonCappedEta(eta)))
                    devWeight[a] += data.weight[r]
                }
                foldsScored[a] += 1
            }
        }
        var chosen = alphas.contains(1) ? 1.0 : alphas[alphas.count / 2], best = Double.infinity
        for (a, alpha) in alphas.enumerated() {
            let mean = devWeight[a] > 0 ? devSum[a] / devWeight[a] : .nan
            report.crossValidation.append(.init(alpha: alpha, meanDeviance: mean, folds: foldsScored[a]))
            if mean < best { best = mean; chosen = alpha }   // alphas descend, so ties keep the larger
        }
        report.crossValidation.sort { $0.alpha < $1.alpha }
        if !best.isFinite { notes.append("too few training windows for cross-validation: alpha = \(chosen) by default") }

        // Final fit on every training window.
        let fit = try PoissonRegression(alpha: chosen, standardize: true).fit(design: X, featureCount: F, y: data.y, weights: data.weight, names: names)
        if !fit.converged { notes.append("Newton did not converge in \(fit.iterations) iterations") }
        if !fit.aliased.isEmpty { notes.append("constant over the training rows, held at 0: \(fit.aliased.joined(separator: ", "))") }
        report.alpha = chosen
        report.intercept = fit.coefficients[0]
        report.interceptStandardError = fit.standardErrors[0]
        report.converged = fit.converged
        report.iterations = fit.iterations
        report.coefficients = (0..<F).map { f in
            LearnedFactorReport.Coefficient(feature: data.features[f], estimate: fit.coefficients[f + 1],
                                            standardError: fit.standardErrors[f + 1], robustStandardError: fit.robustStandardErrors[f + 1])
        }
        report.notes = notes

        // Predict the window at the origin.
        let raw = fit.rawCoefficients
        let scale = outputHarm ? meanHarm : 1
        var values = [Double](repeating: 0, count: grid.cellCount)
        for cell in grid.activeCells {
            var eta = raw[0]
            for f in 0..<F where raw[f + 1] != 0 {
                eta += raw[f + 1] * Self.transform(data.originLayers[f][cell], rho: data.rho[f], identity: identity[f])
            }
            values[cell] = exp(poissonCappedEta(eta)) * scale
        }

        parameters["alpha"] = chosen
        parameters["cvDeviance"] = best.isFinite ? best : .nan
        parameters["meanHarmPerEvent"] = meanHarm
        parameters["converged"] = fit.converged ? 1 : 0
        parameters["coef.intercept"] = fit.coefficients[0]
        parameters["se.intercept"] = fit.standardErrors[0]
        for c in report.coefficients {
            parameters["coef.\(c.name)"] = c.estimate
            parameters["se.\(c.name)"] = c.standardError
        }
        let surface = RiskSurface(grid: grid, window: input.window, values: values)
        return (ModelForecast(surface: surface, parameters: parameters, notes: notes), report)
    }

    private func subset(_ X: [Double], _ F: Int, _ data: TrainingData, _ rows: [Int]) -> ([Double], [Double], [Double]) {
        var Xs = [Double](), ys = [Double](), ws = [Double]()
        Xs.reserveCapacity(rows.count * F); ys.reserveCapacity(rows.count); ws.reserveCapacity(rows.count)
        for r in rows {
            Xs.append(contentsOf: X[(r * F)..<(r * F + F)]); ys.append(data.y[r]); ws.append(data.weight[r])
        }
        return (Xs, ys, ws)
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

/// What a `LearnedFactorModel` fit found. Coefficients are on the standardised scale: exp(estimate) is the rate
/// ratio of target events for one standard deviation more of log(1 + density / city mean), other factors fixed.
public struct LearnedFactorReport: Sendable, Hashable {
    public struct Coefficient: Sendable, Hashable {
        public var feature: LearnedFeature
        public var estimate: Double
        /// Model-based, sqrt(diag(H^-1)) of the penalised Hessian (approximate: see `PoissonRegression`).
        public var standardError: Double
        /// Sandwich standard error (allows for over-dispersion).
        public var robustStandardError: Double

        public var name: String { feature.name }
        /// estimate / standardError.
        public var zScore: Double { estimate / standardError }
        /// 95 % Wald interval, estimate -/+ 1.96 standard errors.
        public var lower95: Double { estimate - 1.959964 * standardError }
        public var upper95: Double { estimate + 1.959964 * standardError }
        /// exp(estimate): rate ratio per standard deviation of the feature.
        public var rateRatio: Double { exp(estimate) }
        /// The 95 % interval excludes 0.
        public var isSignificant: Bool { lower95 > 0 || upper95 < 0 }
    }

    public struct CrossValidationRow: Sendable, Hashable {
        public var alpha: Double
        /// Weighted mean Poisson deviance per cell-window on the validation windows (lower is better).
        public var meanDeviance: Double
        public var folds: Int
    }

    public var origin: Date
    public var windowDays: Double
    public var alpha: Double
    /// One row per alpha of the grid, ascending alpha.
    public var crossValidation: [CrossValidationRow]
    public var trainingWindows: [ForecastWindow]
    public var sampledRows: Int
    public var positiveRows: Int
    public var targetEvents: Int
    /// Zero-cell keep probability per training window.
    public var zeroKeepProbabilities: [Double]
    public var intercept: Double
    public var interceptStandardError: Double
    public var coefficients: [Coefficient]
    /// Per feature: the city-average expected events per cell per window its layer implies (densities), or the
    /// layer's mean (extras); the "1" the log(1 + x / scale) transform divides by.
    public var featureScales: [String: Double] = [:]
    public var meanHarmPerEvent: Double
    public var converged: Bool
    public var iterations: Int
    public var notes: [String]

    public func coefficient(named name: String) -> Coefficient? { coefficients.first { $0.name == name } }

    /// Coefficients from the strongest positive association down (by z-score; NaN last).
    public var ranked: [Coefficient] {
        coefficients.sorted { a, b in
            let za = a.zScore.isNaN ? -.infinity : a.zScore, zb = b.zScore.isNaN ? -.infinity : b.zScore
            return za != zb ? za > zb : a.name < b.name
        }
    }

    /// A plain-text table for reports.
    public var summary: String {
        func f(_ v: Double) -> String { v.isNaN ? "n/a" : String(format: "%.3f", v) }
        var lines = ["Learned factors: alpha \(f(alpha)), \(trainingWindows.count) training windows, \(sampledRows) sampled cell-windows, \(targetEvents) target events",
                     "feature | estimate | s.e. | 95% interval | rate ratio | z"]
        lines.append("intercept | \(f(intercept)) | \(f(interceptStandardError)) | | |")
        for c in ranked {
            lines.append("\(c.name) | \(f(c.estimate)) | \(f(c.standardError)) | [\(f(c.lower95)), \(f(c.upper95))] | \(f(c.rateRatio)) | \(f(c.zScore))")
        }
        func g(_ v: Double) -> String { v.isNaN ? "n/a" : String(format: "%.6g", v) }
        lines.append("cross-validation (mean deviance per cell-window): " + crossValidation.map { "alpha \(g($0.alpha)): \(g($0.meanDeviance))" }.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }
}

/// Carries the density layers forward in time (the recursion in `LearnedFactorModel`'s documentation).
struct DensitySweep {
    let grid: Grid
    let features: [LearnedFeature]
    /// Layers back to back: feature f at [f * cellCount, (f + 1) * cellCount).
    private(set) var layers: [Double]
    private var time = -Double.infinity
    /// Event indices (with a cell and a wanted category) in order of availability, and where the sweep is.
    private let order: [Int]
    private var next = 0
    private let available: [Double], middle: [Double], cell: [Int], group: [Int]
    /// Per (category group, bandwidth): the feature index of each half-life.
    private let groups: [HarmCategory]
    private let bandwidths: [Double], halfLives: [Double]
    private let kernels: [(radius: Int, weights: [Double])]

    init(model: LearnedFactorModel, grid: Grid, history h: EventSet, features: [LearnedFeature]) {
        self.grid = grid
        self.features = features
        groups = Array(Set(features.compactMap(\.category))).sorted()
        bandwidths = model.bandwidthsMeters
        halfLives = model.halfLivesDays
        layers = [Double](repeating: 0, count: features.count * grid.cellCount)
        let groupOf = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, $0) })
        var avail = [Double](), mid = [Double](), cells = [Int](), grp = [Int]()
        for i in 0..<h.count {
            guard let g = groupOf[h.category[i]], let c = grid.cell(x: h.x[i], y: h.y[i]) else { continue }
            avail.append(h.time[i] + h.precisionSeconds[i]); mid.append(h.time[i] + h.precisionSeconds[i] / 2)
            cells.append(c); grp.append(g)
        }
        available = avail; middle = mid; cell = cells; group = grp
        order = avail.indices.sorted { avail[$0] != avail[$1] ? avail[$0] < avail[$1] : $0 < $1 }
        kernels = model.bandwidthsMeters.map { Self.kernel(bandwidthMeters: $0, cellSizeMeters: grid.cellSizeMeters) }
    }

    /// The truncated (4 sigma), normalised 1-D Gaussian `GaussianSmoother` uses.
    static func kernel(bandwidthMeters: Double, cellSizeMeters: Double) -> (radius: Int, weights: [Double]) {
        let sigma = bandwidthMeters / cellSizeMeters
        guard sigma > 1e-9 else { return (0, [1]) }
        let radius = max(1, Int((4 * sigma).rounded(.up)))
        let k = (0...(2 * radius)).map { j -> Double in let d = Double(j - radius); return exp(-0.5 * d * d / (sigma * sigma)) }
        let s = k.reduce(0, +)
        return (radius, k.map { $0 / s })
    }

    /// Feature index of (group, bandwidth, half-life): features are category-major, then bandwidth, then half-life.
    @inline(__always)
    private func featureIndex(_ g: Int, _ b: Int, _ hl: Int) -> Int { (g * bandwidths.count + b) * halfLives.count + hl }

    func layer(_ f: Int) -> [Double] { Array(layers[(f * grid.cellCount)..<((f + 1) * grid.cellCount)]) }

    func withLayer(_ f: Int, _ body: (UnsafeBufferPointer<Double>) -> Void) {
        layers.withUnsafeBufferPointer { p in
            body(UnsafeBufferPointer(rebasing: p[(f * grid.cellCount)..<((f + 1) * grid.cellCount)]))
        }
    }

    /// Moves the layers to time t (seconds): decays them and adds the events available in (time, t].
    mutating func advance(to t: Double) {
        precondition(t >= time, "the sweep only moves forward")
        let n = grid.cellCount, nh = halfLives.count
        guard !features.isEmpty else { time = t; return }
        if time > -.infinity && t > time {
            for (hl, h) in halfLives.enumerated() {
                let factor = exp2(-(t - time) / 86_400 / h)
                for g in 0..<groups.count {
                    for b in 0..<bandwidths.count {
                        let base = featureIndex(g, b, hl) * n
                        layers.withUnsafeMutableBufferPointer { p in for i in base..<(base + n) { p[i] *= factor } }
                    }
                }
            }
        }
        time = t
        // Aggregate the new events by (group, cell), keeping first-seen order (deterministic sums).
        var slotOf: [Int: Int] = [:]
        var slotKey: [Int] = [], slotWeights: [Double] = []
        while next < order.count, available[order[next]] <= t {
            let e = order[next]
            next += 1
            let key = group[e] * n + cell[e]
            let slot: Int
            if let s = slotOf[key] { slot = s } else {
                slot = slotKey.count; slotOf[key] = slot; slotKey.append(key)
                slotWeights.append(contentsOf: repeatElement(0, count: nh))
            }
            let ageDays = max(0, t - middle[e]) / 86_400
            for (hl, h) in halfLives.enumerated() { slotWeights[slot * nh + hl] += exp2(-ageDays / h) }
        }
        guard !slotKey.isEmpty else { return }
        let cols = grid.columns, rows = grid.rows, nb = bandwidths.count, kernels = self.kernels
        layers.withUnsafeMutableBufferPointer { L in
            for (s, key) in slotKey.enumerated() {
                let g = key / n, c = key % n
                let c0 = c % cols, r0 = c / cols
                for (b, kern) in kernels.enumerated() {
                    let R = kern.radius
                    let rlo = max(0, r0 - R), rhi = min(rows - 1, r0 + R), clo = max(0, c0 - R), chi = min(cols - 1, c0 + R)
                    kern.weights.withUnsafeBufferPointer { k in
                        for hl in 0..<nh {
                            let v = slotWeights[s * nh + hl]
                            if v == 0 { continue }
                            let base = ((g * nb + b) * nh + hl) * n
                            for rr in rlo...rhi {
                                let wy = v * k[rr - r0 + R]
                                let rowBase = base + rr * cols
                                for cc in clo...chi { L[rowBase + cc] += wy * k[cc - c0 + R] }
                            }
                        }
                    }
                }
            }
        }
    }
}
