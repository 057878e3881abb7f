import Foundation
import ZoneCastCore

/// The model chosen for the city at hand ("auto"): at each origin t0, every candidate (models and settings, and
/// rank-averaged blends of some of them) forecasts the K windows just before t0, [o_k, o_k + W) with
/// o_k = t0 - k W, k = 1...K, each from the history before o_k only; each is scored by the share of those windows'
/// target events it would have caught at the area budgets (pooled over the K windows, averaged over the budgets),
/// and the best one forecasts [t0, t0 + W), but only if its lead over the reference option (`reference`, default
/// the empirical-Bayes counts `eb`, see `defaultOptions`) exceeds one standard error
/// of that lead, paired
/// over the inner windows (the one-standard-error rule of Breiman, Friedman, Olshen & Stone 1984, ch. 3: with a few
/// dozen events per inner window and many similar candidates the raw best is mostly noise, the winner's curse);
/// otherwise the reference forecasts. The standard error is that of a ratio of sums, linearised:
/// se = sqrt(K/(K-1) sum_k (d_k - lead n_k)^2) / sum_k n_k, d_k the difference in events caught in window k and
/// n_k its events. Ties go to the earlier candidate in `options`. This is time-ordered inner validation: the windows
/// scored all end by t0, so the choice never sees the test window.
///
/// Each inner forecast at o_k uses the events in [o_k - L', o_k) with L' = trainingDays - K W (K lowered until
/// L' >= 3/4 trainingDays), the same for every
/// t0 that looks back on o_k: the scores of an inner window are kept (`AutoModelCache`, keyed by o_k, L', W, the
/// targets, the grid and a digest of the events used) and reused by the next origins, so a backtest with cadence W
/// pays for about one new inner window per candidate per origin.
///
/// Budgets (default): 1 % of the active area, and the area four zones of at most 0.65 km² cover (2.6 km²), the
/// deployment's own budget; k = max(1, floor(f x cells)) resp. max(1, floor(area / cell area)) cells, as
/// `AreaBudget`.
///
/// Blends are rank averages: each member's cells get their percentile rank (ties share the mean rank), the blend
/// ranks cells by the mean of those, and its values are that score rescaled so the surface's total is the mean of
/// the members' totals (so it stays in expected-harm units overall, though not cell by cell).
///
/// `ModelForecast.selected` names the winner; its parameters carry "auto.score.<option>" (the validation score of
/// every option), "auto.windows" and "auto.validationEvents".
public struct AutoModel: ForecastModel {
    /// One option: a model, or a blend of earlier options by name.
    public struct Option: Sendable {
        public var label: String
        public var model: (any ForecastModel)?
        public var blendOf: [String]

        public init(label: String, model: any ForecastModel) {
            self.label = label
            self.model = model
            self.blendOf = []
        }

        public init(label: String, blendOf: [String]) {
            self.label = label
            self.model = nil
            self.blendOf = blendOf
        }
    }

    public var options: [Option]
    public var validationWindows: Int
    public var areaFractions: [Double]
    public var areasKm2: [Double]
    public var trainingDays: Double
    /// The option used unless another beats it on the inner windows by more than `standardErrors` standard errors.
    public var reference: String
    public var standardErrors: Double
    /// Inner windows' scores, shared by copies of this model (a backtest's origins reuse them).
    public let cache: AutoModelCache

    public init(options: [Option] = AutoModel.defaultOptions(), validationWindows: Int = 16, areaFractions: [Double] = [0.01],
                areasKm2: [Double] = [4 * 0.65], trainingDays: Double = 365, reference: String = AutoModel.defaultReference, standardErrors: Double = 1) {
        self.reference = reference
        self.standardErrors = standardErrors
        self.options = options
        self.validationWindows = validationWindows
        self.areaFractions = areaFractions
        self.areasKm2 = areasKm2
        self.trainingDays = trainingDays
        self.cache = AutoModelCache()
    }

    public var name: String { "auto" }

    /// The default reference: empirical-Bayes counts, which fit at each origin how far to trust a cell's own count.
    public static let defaultReference = "eb"

    /// naive; kde at 100/200/400 m with a 365-day half-life; the rank average of naive with kde (200 m); and eb, the
    /// reference. Counting and smoothing each win somewhere (counts on dense assaults, densities on sparse homicides
    /// and shootings); kde alone fell to 0.60x naive on the dense visible set. eb moves between the two by its fitted
    /// alpha, so it does not depend on the inner windows (a few dozen events on a sparse set) to pick the side, which
    /// the one-standard-error rule rarely lets them do. kde with a 90-day half-life at the three bandwidths was a
    /// candidate before eb; without it auto's hit rates at 1 % on the three visible sets stayed the same (0.131,
    /// 0.287, 0.301) and a proposal's inner validation makes room for eb. The point process, the
    /// regression and the trees are left to `thoroughOptions`: added as candidates (with their blends) they changed
    /// auto's hit rate at 1 % by -0.001, -0.010 and -0.001 on the three sets at three to six times the cost, and
    /// boosted is the weakest model on two of them.
    public static func defaultOptions() -> [Option] {
        var out: [Option] = [Option(label: "naive", model: NaiveModel())]
        for b in [200.0, 100, 400] {
            out.append(Option(label: "kde(\(Int(b))m,365d)", model: HarmSurfaceModel(targetsOnly: true, targetBandwidthMeters: b, targetHalfLifeDays: 365)))
        }
        out.append(Option(label: "blend(naive,kde)", blendOf: ["naive", "kde(200m,365d)"]))
        out.append(Option(label: "eb", model: EmpiricalBayesModel()))
        return out
    }

    /// `defaultOptions` plus sepp, learned, boosted and rank averages of kde (200 m, 365 d) with sepp and with boosted,
    /// of sepp with boosted, and of all four kinds (what auto chose among before; slower, and not better on the
    /// visible sets). `staticLayers` go to the boosted candidate.
    public static func thoroughOptions(staticLayers: [BoostedTreesModel.StaticLayer] = []) -> [Option] {
        var out = defaultOptions()
        out.append(Option(label: "sepp", model: SelfExcitingModel()))
        out.append(Option(label: "learned", model: LearnedFactorModel()))
        out.append(Option(label: "boosted", model: BoostedTreesModel(staticLayers: staticLayers)))
        out.append(Option(label: "blend(kde,sepp)", blendOf: ["kde(200m,365d)", "sepp"]))
        out.append(Option(label: "blend(kde,boosted)", blendOf: ["kde(200m,365d)", "boosted"]))
        out.append(Option(label: "blend(sepp,boosted)", blendOf: ["sepp", "boosted"]))
        out.append(Option(label: "blend(kde,sepp,learned,boosted)", blendOf: ["kde(200m,365d)", "sepp", "learned", "boosted"]))
        return out
    }

    func validate(_ input: ForecastInput) throws {
        guard !options.isEmpty else { throw ForecastError.invalidSetting("auto: no candidate") }
        var seen = Set<String>()
        for o in options {
            guard seen.insert(o.label).inserted else { throw ForecastError.invalidSetting("auto: two candidates named \(o.label)") }
            for m in o.blendOf where !seen.contains(m) || m == o.label {
                throw ForecastError.invalidSetting("auto: blend \(o.label) names \(m), not an earlier candidate")
            }
            if o.model == nil && o.blendOf.count < 2 { throw ForecastError.invalidSetting("auto: blend \(o.label) needs two members") }
        }
        guard validationWindows >= 1 else { throw ForecastError.invalidParameter(model: name, name: "validationWindows", value: Double(validationWindows)) }
        guard trainingDays > 0 else { throw ForecastError.invalidParameter(model: name, name: "trainingDays", value: trainingDays) }
        guard !(areaFractions.isEmpty && areasKm2.isEmpty) else { throw ForecastError.invalidSetting("auto: no area budget") }
    }

    /// Cells flagged at each budget on `grid`.
    func budgetCells(_ grid: Grid) -> [Int] {
        let cells = grid.activeCells.count
        return areaFractions.map { max(1, Int((Double(cells) * $0 + 1e-9).rounded(.down))) }
            + areasKm2.map { max(1, Int(($0 / grid.cellAreaKm2 + 1e-9).rounded(.down))) }
    }

    /// The inner windows' count and training length for a window of W seconds: K = `validationWindows` unless the
    /// inner fits would then see less than three quarters of the span the forecast itself sees, then fewer (at
    /// least 2). A much shorter inner span misjudges the candidates: a count over 60 days is a poorer guide than
    /// the same count over 120, so inner validation on half the span would penalise counting methods unfairly.
    func innerPlan(windowSeconds W: Double) -> (windows: Int, trainingSeconds: Double) {
        let total = trainingDays * 86_400
        var k = validationWindows
        while k > 2 && total - Double(k) * W < 0.75 * total { k -= 1 }
        return (k, max(W, total - Double(k) * W))
    }

    /// The options' validation scores at t0 and the winner's index.
    public func choose(_ input: ForecastInput) throws -> (winner: Int, scores: [Double], windows: Int, events: Int) {
        try input.checkNoLookAhead(model: name)
        try validate(input)
        let W = input.window.durationSeconds
        let (K, L) = innerPlan(windowSeconds: W)
        let budgets = budgetCells(input.grid)
        var hits = [[Double]](repeating: [Double](repeating: 0, count: budgets.count), count: options.count)
        var events = 0, windows = 0
        var perWindow: [(hits: [Double], events: Int)] = []
        for case let scored? in try innerWindows(input, windows: K, windowSeconds: W, trainingSeconds: L, budgets: budgets) {
            windows += 1
            events += scored.events
            for i in options.indices { for b in budgets.indices { hits[i][b] += scored.hits[i][b] } }
            perWindow.append((scored.hits.map { $0.reduce(0, +) / Double(budgets.count) }, scored.events))
        }
        let scores = hits.map { row in events > 0 ? row.reduce(0, +) / Double(events * budgets.count) : 0 }
        var best = 0
        for i in options.indices where scores[i] > scores[best] { best = i }
        let reference = options.firstIndex { $0.label == self.reference } ?? 0
        guard events > 0 else { return (reference, scores, windows, events) }
        // One-standard-error rule against the reference: the best option replaces it only when its lead over the
        // reference exceeds one standard error of that lead (paired over the inner windows, linearised ratio).
        let lead = scores[best] - scores[reference]
        let scoredWindows = perWindow.count
        var v = 0.0
        for w in perWindow {
            let d = (w.hits[best] - w.hits[reference]) - lead * Double(w.events)
            v += d * d
        }
        let se = scoredWindows > 1 ? (Double(scoredWindows) / Double(scoredWindows - 1) * v).squareRoot() / Double(events) : .infinity
        let winner = lead > standardErrors * se ? best : reference
        return (winner, scores, windows, events)
    }

    public func forecast(_ input: ForecastInput) throws -> ModelForecast {
        let choice = try choose(input)
        var forecast = try surfaces(input, only: choice.winner)
        forecast.selected = options[choice.winner].label
        forecast.parameters["auto.windows"] = Double(choice.windows)
        forecast.parameters["auto.validationEvents"] = Double(choice.events)
        for (i, o) in options.enumerated() { forecast.parameters["auto.score.\(o.label)"] = choice.scores[i] }
        forecast.notes.insert("auto: selected \(options[choice.winner].label) (caught \(String(format: "%.1f", 100 * choice.scores[choice.winner])) % "
                              + "of \(choice.events) target events over the \(choice.windows) windows before the origin at the budget; "
                              + "naive \(String(format: "%.1f", 100 * (choice.scores.first ?? 0))) %)", at: 0)
        return forecast
    }

    /// The forecast of the option labelled `label` alone, the candidates not scored: for recomputing a recorded choice
    /// (a proposal's map surface) without paying for the inner validation again.
    public func forecast(_ input: ForecastInput, option label: String) throws -> ModelForecast {
        guard let i = options.firstIndex(where: { $0.label == label }) else { throw ForecastError.invalidSetting("auto: no candidate named \(label)") }
        try input.checkNoLookAhead(model: name)
        var f = try surfaces(input, only: i)
        f.selected = label
        return f
    }

    /// The forecast of option `index` (its members' forecasts for a blend).
    func surfaces(_ input: ForecastInput, only index: Int) throws -> ModelForecast {
        let o = options[index]
        if let m = o.model { return try m.forecast(input) }
        var members: [ModelForecast] = []
        for label in o.blendOf {
            guard let i = options.firstIndex(where: { $0.label == label }) else { throw ForecastError.invalidSetting("auto: unknown blend member \(label)") }
            members.append(try surfaces(input, only: i))
        }
        var out = ModelForecast(surface: Self.rankAverage(members.map(\.surface)))
        for (label, m) in zip(o.blendOf, members) {
            for (k, v) in m.parameters { out.parameters["\(label).\(k)"] = v }
            out.notes += m.notes
        }
        return out
    }

    /// Scores every option on one inner window: hits per budget and the window's target events.
    func score(_ inner: ForecastInput, test: EventSet, budgets: [Int]) throws -> AutoModelCache.Entry {
        let grid = inner.grid
        var counts: [Int: Int] = [:]
        var n = 0
        for i in 0..<test.count {
            n += 1
            if let c = grid.cell(x: test.x[i], y: test.y[i]), grid.active[c] { counts[c, default: 0] += 1 }
        }
        // Each option's percentile ranks are computed once and shared by every blend it is in; each surface's
        // top cells once, at the largest budget (the smaller budgets are its prefixes, `topCells` being a ranking).
        var surfaces: [String: RiskSurface] = [:], ranks: [String: [Double]] = [:]
        var hits: [[Double]] = []
        let largest = budgets.max() ?? 0
        let fitted = Self.forecastConcurrently(options.map(\.model), inner)
        for (index, o) in options.enumerated() {
            let surface: RiskSurface
            if o.model != nil {
                surface = fitted[index] ?? RiskSurface(grid: grid, window: inner.window, values: [Double](repeating: 0, count: grid.cellCount))
            } else {
                let members = o.blendOf.map { surfaces[$0]! }
                for (label, m) in zip(o.blendOf, members) where ranks[label] == nil { ranks[label] = Self.percentileRanks(m) }
                surface = Self.rankAverage(members, ranks: o.blendOf.map { ranks[$0]! })
            }
            surfaces[o.label] = surface
            let top = n > 0 ? surface.topCells(largest) : []
            var caught = [Double](repeating: 0, count: top.count + 1)
            for (i, c) in top.enumerated() { caught[i + 1] = caught[i] + Double(counts[c] ?? 0) }
            hits.append(budgets.map { k in n > 0 ? caught[min(k, top.count)] : 0 })
        }
        return AutoModelCache.Entry(hits: hits, events: n)
    }

    /// Every model's surface for `input` (nil for a blend, or where the model failed: it then scores as a surface of
    /// zeros), the models running side by side on the machine's cores. Each forecast is a pure function of the
    /// input, so the surfaces, and the choice, are the same whatever the number of cores or the order they finish in.
    static func forecastConcurrently(_ models: [(any ForecastModel)?], _ input: ForecastInput) -> [RiskSurface?] {
        let out = ConcurrentSlots<RiskSurface>(count: models.count)
        // The costliest first, so the cheap ones fill the gaps.
        let order = models.indices.sorted { Self.cost(models[$0]) > Self.cost(models[$1]) }
        DispatchQueue.concurrentPerform(iterations: order.count) { k in
            let i = order[k]
            guard let m = models[i], let f = try? m.forecast(input) else { return }
            out.set(i, f.surface)
        }
        return out.values
    }

    /// Rough relative cost of a model's fit, only to order the concurrent work.
    static func cost(_ model: (any ForecastModel)?) -> Int {
        switch model?.name {
        case "boosted": 3
        case "learned": 2
        case "sepp", "eb": 1
        default: 0
        }
    }

    /// Rank average of surfaces on one grid (see the type's documentation).
    public static func rankAverage(_ members: [RiskSurface]) -> RiskSurface {
        precondition(!members.isEmpty, "a blend needs members")
        return rankAverage(members, ranks: members.map(percentileRanks))
    }

    /// Each active cell's percentile rank in `surface` (ties share the mean rank; 0 off the active area).
    static func percentileRanks(_ surface: RiskSurface) -> [Double] {
        let active = surface.grid.activeCells, values = surface.values
        var rank = [Double](repeating: 0, count: surface.grid.cellCount)
        // Ordered by value, ties by cell. Most cells of a count or a truncated kernel are 0: only the others are
        // sorted, and the zeros (already in cell order) go between the negative values and the positive ones.
        var zeros: [Int] = [], others: [Int] = []
        for c in active { if values[c] == 0 { zeros.append(c) } else { others.append(c) } }
        zeros.sort()
        // Sorted as (value, cell) pairs, the values beside their cells rather than looked up at every comparison:
        // the comparisons, and so the order, are the same.
        var keyed = others.map { (values[$0], $0) }
        keyed.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        others = keyed.map(\.1)
        let negatives = others.prefix { values[$0] < 0 }.count
        let order = Array(others[..<negatives]) + zeros + others[negatives...]
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let r = (Double(i + j) / 2 + 1) / Double(order.count)
            for t in i...j { rank[order[t]] = r }
            i = j + 1
        }
        return rank
    }

    /// The blend of `members` from their percentile ranks (`percentileRanks` of each).
    static func rankAverage(_ members: [RiskSurface], ranks: [[Double]]) -> RiskSurface {
        precondition(!members.isEmpty && members.count == ranks.count, "a blend needs members, each with its ranks")
        let grid = members[0].grid, active = grid.activeCells
        var score = [Double](repeating: 0, count: grid.cellCount)
        for r in ranks { for c in active { score[c] += r[c] / Double(members.count) } }
        let total = members.reduce(0) { $0 + $1.total } / Double(members.count)
        let sum = active.reduce(0) { $0 + score[$1] }
        let values = sum > 0 ? score.map { $0 / sum * total } : score
        return RiskSurface(grid: grid, window: members[0].window, values: values)
    }

    /// An order-independent digest of events (times, positions, categories).
    static func digest(_ e: EventSet) -> UInt64 {
        var acc: UInt64 = UInt64(e.count)
        for i in 0..<e.count {
            var z = e.time[i].bitPattern ^ (e.x[i].bitPattern &* 0x9E37_79B9_7F4A_7C15) ^ (e.y[i].bitPattern &* 0xC2B2_AE3D_27D4_EB4F)
                ^ (e.precisionSeconds[i].bitPattern &* 0x1656_67B1_9E37_79F9) ^ UInt64(CategoryIndex.of(e.category[i]))
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            acc &+= z ^ (z >> 31)
        }
        return acc
    }
}

/// The scores of inner validation windows, shared by the copies of an `AutoModel` (thread-safe).
public final class AutoModelCache: @unchecked Sendable {
    struct Key: Hashable {
        var origin: Double, trainingSeconds: Double, windowSeconds: Double
        var targets: [String]
        var grid: Int
        var options: [String]
        var budgets: [Int]
        var digest: UInt64
    }

    struct Entry {
        /// Per option, per budget: target events caught.
        var hits: [[Double]]
        var events: Int
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]

    public init() {}

    func entry(_ key: Key) -> Entry? { lock.lock(); defer { lock.unlock() }; return entries[key] }

    func store(_ key: Key, _ entry: Entry) {
        lock.lock(); defer { lock.unlock() }
        if entries.count > 4_096 { entries.removeAll() }
        entries[key] = entry
    }
}

/// Results written from concurrent iterations, one slot each.
final class ConcurrentSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]

    init(count: Int) { slots = [Value?](repeating: nil, count: count) }

    func set(_ i: Int, _ value: Value) { lock.lock(); slots[i] = value; lock.unlock() }

    var values: [Value?] { lock.lock(); defer { lock.unlock() }; return slots }
}
