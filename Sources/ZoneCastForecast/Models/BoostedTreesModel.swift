import Foundation
public import ZoneCastCore

/// Gradient-boosted regression trees with a Poisson objective ("boosted"), through XGBoost's C API
/// (Chen & Guestrin 2016; objective count:poisson, i.e. log E[y] is the sum of the trees).
///
/// Features per cell and origin o, from events available before o only (start + precision <= o):
/// - `n.<category>.<P>d.r<0|1|2>`: events of each harm category (every one present in the history except
///   `.other`) with middle in [o - P, o), P in 7/28/91/365/730 days (periods longer than the history are left
///   out), in the cell (r0), its 3 x 3 (r1) and 5 x 5 (r2) neighbourhoods: the other categories are the "factors
///   that play together" with the targets;
/// - `kde.b<b>m.h<h>d`: the time-decayed Gaussian density of the targets (as `kde`) at a few bandwidths and
///   half-lives;
/// - `since.r0`, `since.r1`: days since the last target event in the cell, resp. its 3 x 3 neighbourhood
///   (capped at the history's length);
/// - `sepp.trigger`: the near-repeat triggering the point process expects in the window from events before o,
///   sum_i theta (e^{-omega (o - t_i)} - e^{-omega (o + W - t_i)}) G_sigma(cell - x_i), with theta, omega and sigma
///   fitted once (`SelfExcitingModel`) on the history before the forecast origin; left out when that fit is
///   unreliable;
/// - `static.<name>.dist`, `static.<name>.n`: distance (metres, capped at 2 km) from the cell's centre to the
///   nearest point of each analyst-supplied static layer (liquor outlets, transit stops, ...) and the points in its
///   3 x 3 neighbourhood, as risk terrain modelling does (Caplan, Kennedy & Miller 2011);
/// - `season.sin`, `season.cos`, `weekend`: the window's day of the year (as an angle) and its share of
///   Saturday/Sunday hours (UTC days).
///
/// Training rows come from the K past windows [o_k, o_k + W), o_k = t0 - k W, k = 1...K (features at o_k,
/// targets the target events starting in the window), with every cell holding an event kept and zero cells kept
/// with probability q and weighted 1/q (case-control sampling, as `LearnedFactorModel`). The most recent
/// `validationWindows` windows are held out for early stopping: rounds stop when their weighted Poisson negative
/// log-likelihood has not improved for `earlyStoppingRounds`, and the forecast uses the trees up to the best round.
///
/// Deterministic: XGBoost runs on one thread (`nthread` 1) with a fixed seed and no row or column subsampling, and
/// the rows are built in a fixed order, so every run gives the same surface. The surface is expected target
/// counts times the mean harm of the training windows' targets (expected harm, as the other models).
/// `ModelForecast.parameters` carries "gain.<feature>" (total gain, XGBoost's "total_gain") for every feature
/// split on, "rounds", "bestRound", "validationDeviance", "trainingRows".
public struct BoostedTreesModel: ForecastModel {
    /// An analyst-supplied point layer (e.g. liquor outlets from a GeoJSON file), in the grid's planar metres.
    public struct StaticLayer: Sendable, Hashable, Codable {
        public var name: String
        public var points: [PlanarPoint]
        public init(name: String, points: [PlanarPoint]) {
            self.name = name
            self.points = points
        }
    }

    public var trainingWindows: Int
    public var validationWindows: Int
    public var zeroRowsPerWindow: Int
    public var periodsDays: [Double]
    /// (bandwidth metres, half-life days) of the target densities.
    public var densities: [(Double, Double)]
    public var maxRounds: Int
    public var earlyStoppingRounds: Int
    public var learningRate: Double
    public var maxDepth: Int
    public var minChildWeight: Double
    public var useTriggering: Bool
    public var staticLayers: [StaticLayer]
    public var seed: UInt64
    /// Report expected harm (true) or expected target counts (false).
    public var outputHarm: Bool

    public init(trainingWindows: Int = 16, validationWindows: Int = 4, zeroRowsPerWindow: Int = 1_000,
                periodsDays: [Double] = [7, 28, 91, 365, 730], densities: [(Double, Double)] = [(100, 365), (250, 365), (500, 365), (250, 60)],
                maxRounds: Int = 200, earlyStoppingRounds: Int = 10, learningRate: Double = 0.1, maxDepth: Int = 4, minChildWeight: Double = 1,
                useTriggering: Bool = true, staticLayers: [StaticLayer] = [], seed: UInt64 = 0xB005_7ED, outputHarm: Bool = true) {
        self.trainingWindows = trainingWindows
        self.validationWindows = validationWindows
        self.zeroRowsPerWindow = zeroRowsPerWindow
        self.periodsDays = periodsDays
        self.densities = densities
        self.maxRounds = maxRounds
        self.earlyStoppingRounds = earlyStoppingRounds
        self.learningRate = learningRate
        self.maxDepth = maxDepth
        self.minChildWeight = minChildWeight
        self.useTriggering = useTriggering
        self.staticLayers = staticLayers
        self.seed = seed
        self.outputHarm = outputHarm
    }

    public var name: String { "boosted" }

    public func forecast(_ input: ForecastInput) throws -> ModelForecast { try fit(input).forecast }

    /// What a fit learned, for reports: gain per feature (largest first).
    public struct Report: Sendable, Hashable {
        public var features: [String]
        public var gain: [(feature: String, totalGain: Double)]
        public var rounds: Int
        public var bestRound: Int
        public var trainingRows: Int
        public var positiveRows: Int
        public var trainingWindows: Int
        public var validationDeviance: Double
        public var notes: [String]

        public static func == (a: Report, b: Report) -> Bool {
            a.features == b.features && a.gain.map(\.feature) == b.gain.map(\.feature) && a.gain.map(\.totalGain) == b.gain.map(\.totalGain)
                && a.rounds == b.rounds && a.bestRound == b.bestRound && a.trainingRows == b.trainingRows
        }

        public func hash(into h: inout Hasher) { h.combine(features); h.combine(rounds); h.combine(bestRound) }

        /// Plain text: the features by total gain, with their share of the total.
        public var summary: String {
            let total = gain.reduce(0) { $0 + $1.totalGain }
            var lines = ["Boosted trees (XGBoost, Poisson): \(rounds) rounds (best \(bestRound)), \(trainingWindows) training windows, "
                            + "\(trainingRows) sampled cell-windows (\(positiveRows) with events)",
                         "Feature importance (total gain, share):"]
            for g in gain.prefix(20) {
                let name = g.feature.count < 34 ? g.feature.padding(toLength: 34, withPad: " ", startingAt: 0) : g.feature
                lines.append("  " + name + String(format: " %12.1f  %5.1f %%", g.totalGain, total > 0 ? 100 * g.totalGain / total : 0))
            }
            if gain.count > 20 { lines.append("  ... \(gain.count - 20) more features with some gain") }
            return lines.joined(separator: "\n")
        }
    }

    public func fit(_ input: ForecastInput) throws -> (forecast: ModelForecast, report: Report) {
        let f = try fit(input, explaining: [])
        return (f.forecast, f.report)
    }

    /// The fit, with each feature's contribution to the forecast of the `explaining` cells (`CellContributions`).
    func fit(_ input: ForecastInput, explaining: [Int]) throws -> (forecast: ModelForecast, report: Report, contributions: CellContributions?) {
        try input.checkNoLookAhead(model: name)
        guard trainingWindows >= 2, validationWindows >= 1, validationWindows < trainingWindows, maxRounds >= 1, zeroRowsPerWindow >= 1 else {
            throw ForecastError.invalidParameter(model: name, name: "trainingWindows", value: Double(trainingWindows))
        }
        let grid = input.grid, h = input.history
        guard !grid.activeCells.isEmpty else { throw ForecastError.emptyGrid }
        let t0 = input.window.start.timeIntervalSince1970, W = input.window.durationSeconds
        let earliest = h.time.min() ?? t0
        var notes: [String] = []

        // Triggering parameters, fitted once on the history before the forecast origin.
        var trigger: SelfExcitingParameters?
        if useTriggering {
            let targets = h.only(input.targets)
            if targets.count >= 20, let fit = try? SelfExcitingModel().fit(targets, observationEnd: t0), fit.reliability.isReliable {
                trigger = fit.parameters
            } else {
                notes.append("boosted: no reliable point-process fit, the triggering feature is left out")
            }
        }
        let builder = BoostedFeatureBuilder(history: h, grid: grid, targets: input.targets, windowSeconds: W, historyStart: earliest,
                                            periodsDays: periodsDays.filter { $0 * 86_400 <= t0 - earliest + 86_400 },
                                            densities: densities, trigger: trigger, staticLayers: staticLayers)
        let F = builder.names.count

        // Training windows, oldest first; the last `validationWindows` are held out for early stopping.
        var origins: [Double] = []
        for k in stride(from: trainingWindows, through: 1, by: -1) {
            let o = t0 - Double(k) * W
            if o >= earliest + 28 * 86_400 { origins.append(o) }
        }
        var targetEvents = 0, targetHarm = 0.0
        // Target events per window and cell (flat, window-major), and the cells with any per window.
        let n = grid.cellCount
        var counts = [Int32](repeating: 0, count: origins.count * n)
        var occupied = [Int](repeating: 0, count: origins.count)
        for i in 0..<h.count where input.targets.contains(h.category[i]) {
            let t = h.time[i]
            guard let first = origins.first, t >= first, t < t0, let c = grid.cell(x: h.x[i], y: h.y[i]), grid.active[c] else { continue }
            let k = min(origins.count - 1, Int(((t - first) / W).rounded(.down)))
            guard t >= origins[k], t < origins[k] + W else { continue }
            if counts[k * n + c] == 0 { occupied[k] += 1 }
            counts[k * n + c] += 1
            targetEvents += 1
            targetHarm += input.weights[h.category[i]]
        }
        let meanHarm = targetEvents > 0 ? targetHarm / Double(targetEvents) : 0
        let zero = RiskSurface(grid: grid, window: input.window, values: [Double](repeating: 0, count: grid.cellCount))
        guard origins.count >= 2, targetEvents > 0 else {
            notes.append("boosted: too little history for training windows (or no target events in them): the forecast is 0 everywhere")
            let report = Report(features: builder.names, gain: [], rounds: 0, bestRound: 0, trainingRows: 0, positiveRows: 0,
                                trainingWindows: origins.count, validationDeviance: .nan, notes: notes)
            return (ModelForecast(surface: zero, parameters: ["trainingWindows": Double(origins.count)], notes: notes), report, nil)
        }
        let validFrom = max(1, origins.count - validationWindows)
        var train = (x: [Float](), y: [Float](), w: [Float]()), valid = (x: [Float](), y: [Float](), w: [Float]())
        var positives = 0
        let active = grid.activeCells
        for (k, o) in origins.enumerated() {
            let q = CaseControlSampling.keepProbability(zeroRows: active.count - occupied[k], targetZeroRows: zeroRowsPerWindow)
            let windowSeed = seed ^ (UInt64(bitPattern: Int64(o.rounded())) &* 0xD1B5_4A32_D192_ED03)
            var cells: [Int] = [], y: [Float] = [], w: [Float] = []
            for c in active {
                let events = counts[k * n + c]
                if events > 0 { cells.append(c); y.append(Float(events)); w.append(1); positives += 1 }
                else if CaseControlSampling.keeps(seed: windowSeed, key: UInt64(c), probability: q) {
                    cells.append(c); y.append(0); w.append(Float(q >= 1 ? 1 : 1 / q))
                }
            }
            let x = builder.features(at: o, cells: cells)
            if k < validFrom { train.x += x; train.y += y; train.w += w } else { valid.x += x; valid.y += y; valid.w += w }
        }
        let trainRows = train.y.count, validRows = valid.y.count
        let weightedMean = zip(train.y, train.w).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } / max(1e-12, train.w.reduce(0.0) { $0 + Double($1) })
        let dtrain = try XGBoost.Matrix(values: train.x, rows: trainRows, columns: F, labels: train.y, weights: train.w, names: builder.names)
        let dvalid = try XGBoost.Matrix(values: valid.x, rows: validRows, columns: F, labels: valid.y, weights: valid.w, names: builder.names)
        let booster = try XGBoost.Booster(training: dtrain, evaluation: dvalid, parameters: [
            ("verbosity", "0"), ("nthread", "1"), ("seed", "0"), ("objective", "count:poisson"), ("tree_method", "hist"),
            ("eta", String(learningRate)), ("max_depth", String(maxDepth)), ("min_child_weight", String(minChildWeight)),
            ("subsample", "1"), ("colsample_bytree", "1"), ("lambda", "1"), ("max_delta_step", "0.7"),
            ("base_score", String(max(1e-6, weightedMean))), ("eval_metric", "poisson-nloglik"),
        ])
        var best = Double.infinity, bestRound = 0, rounds = 0
        for r in 0..<maxRounds {
            try booster.update(iteration: r, dtrain)
            rounds = r + 1
            let loss = try booster.evaluate(iteration: r, dvalid)
            if loss < best - 1e-12 { best = loss; bestRound = r + 1 }
            if r + 1 - bestRound >= earlyStoppingRounds { break }
        }
        // Predict every active cell at the forecast origin with the trees up to the best round.
        let originX = builder.features(at: t0, cells: active)
        let dtest = try XGBoost.Matrix(values: originX, rows: active.count, columns: F, names: builder.names)
        let mu = try booster.predict(dtest, trees: bestRound)
        var values = [Double](repeating: 0, count: grid.cellCount)
        let scale = outputHarm ? meanHarm : 1
        for (r, c) in active.enumerated() { values[c] = Double(mu[r]) * scale }
        // XGBoost names features "f<column>" unless it kept the matrix's names: map back to ours either way.
        let gain = try booster.totalGain().map { key, value -> (feature: String, totalGain: Double) in
            if key.hasPrefix("f"), let i = Int(key.dropFirst()), builder.names.indices.contains(i) { return (builder.names[i], value) }
            return (key, value)
        }
            .sorted { (a, b) -> Bool in a.totalGain != b.totalGain ? a.totalGain > b.totalGain : a.feature < b.feature }
        var parameters: [String: Double] = ["rounds": Double(rounds), "bestRound": Double(bestRound), "validationDeviance": best,
                                            "trainingRows": Double(trainRows + validRows), "positiveRows": Double(positives),
                                            "trainingWindows": Double(origins.count), "features": Double(F), "meanHarmPerEvent": meanHarm]
        for g in gain { parameters["gain.\(g.feature)"] = g.totalGain }
        let report = Report(features: builder.names, gain: gain, rounds: rounds, bestRound: bestRound, trainingRows: trainRows + validRows,
                            positiveRows: positives, trainingWindows: origins.count, validationDeviance: best, notes: notes)
        var contributions: CellContributions?
        if !explaining.isEmpty {
            let cells = explaining.filter { grid.active.indices.contains($0) && grid.active[$0] }
            var shap: [Float] = []
            if !cells.isEmpty {
                let x = builder.features(at: t0, cells: cells)
                shap = try booster.contributions(try XGBoost.Matrix(values: x, rows: cells.count, columns: F, names: builder.names), trees: bestRound)
            }
            contributions = CellContributions(features: builder.names, cells: cells, values: shap.map(Double.init))
        }
        return (ModelForecast(surface: RiskSurface(grid: grid, window: input.window, values: values), parameters: parameters, notes: notes), report,
                contributions)
    }
}
