public import Foundation
public import ZoneCastCore
public import ZoneCastForecast

/// The outcomes analysis reports bad inputs with the module's one error type.
public typealias OutcomesError = OversightInputError

/// How outcomes are measured.
public struct OutcomeSettings: Hashable, Sendable, Codable {
    public static let bufferRange: ClosedRange<Double> = 100...2_000
    /// Width of the buffer ring around each zone, metres (Bowers & Johnson's displacement area).
    public var bufferMeters: Double
    /// Comparison places per zone.
    public var comparisonsPerZone: Int
    /// Fewer incidents than this in a zone over both periods together: "too few incidents to say".
    public var minimumEvents: Int
    public var confidence: Double
    /// The categories counted as violent incidents.
    public var violent: Set<HarmCategory>
    public var weights: HarmWeights

    public init(bufferMeters: Double = 400, comparisonsPerZone: Int = 3, minimumEvents: Int = 10, confidence: Double = 0.95,
                violent: Set<HarmCategory> = HarmCategory.violent, weights: HarmWeights = .cambridgeDefaults) throws(OutcomesError) {
        guard bufferMeters.isFinite, Self.bufferRange.contains(bufferMeters) else {
            throw OutcomesError(field: "buffer", value: "\(bufferMeters)", reason: "must be between 100 and 2000 metres")
        }
        guard (1...20).contains(comparisonsPerZone) else {
            throw OutcomesError(field: "comparisons", value: "\(comparisonsPerZone)", reason: "must be between 1 and 20 places per zone")
        }
        guard minimumEvents >= 1 else { throw OutcomesError(field: "minimumEvents", value: "\(minimumEvents)", reason: "must be at least 1") }
        guard confidence > 0.5, confidence < 1 else { throw OutcomesError(field: "confidence", value: "\(confidence)", reason: "must be between 0.5 and 1") }
        self.bufferMeters = bufferMeters
        self.comparisonsPerZone = comparisonsPerZone
        self.minimumEvents = minimumEvents
        self.confidence = confidence
        self.violent = violent
        self.weights = weights
    }
}

/// One approved cycle as the outcomes analysis needs it: when it was in force, its approved zones' cells, and the
/// forecast surface its zones were chosen on (one value per cell of `grid`).
public struct OutcomeCycle: Hashable, Sendable {
    public struct ZoneCells: Hashable, Sendable {
        public var id: String
        public var cells: [Int]
        public init(id: String, cells: [Int]) {
            self.id = id
            self.cells = Array(Set(cells)).sorted()
        }
    }

    public var id: String
    public var startsAt: Date
    /// The scheduled end; the analysis cuts it at the next approved cycle's start and at now.
    public var endsAt: Date
    public var zones: [ZoneCells]
    public var forecast: [Double]

    public init(id: String, startsAt: Date, endsAt: Date, zones: [ZoneCells], forecast: [Double]) {
        self.id = id
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.zones = zones
        self.forecast = forecast
    }
}

/// Incidents and harm in one area over the before and during periods.
public struct AreaCounts: Hashable, Sendable, Codable {
    public var violentBefore = 0
    public var violentDuring = 0
    /// Weighted harm (days of imprisonment equivalent), every category except police-initiated records.
    public var harmBefore = 0.0
    public var harmDuring = 0.0
    public var harmSquaresBefore = 0.0
    public var harmSquaresDuring = 0.0
    public var incidentsBefore = 0
    public var incidentsDuring = 0

    public init() {}

    public static func + (a: AreaCounts, b: AreaCounts) -> AreaCounts {
        var s = a
        s.violentBefore += b.violentBefore; s.violentDuring += b.violentDuring
        s.harmBefore += b.harmBefore; s.harmDuring += b.harmDuring
        s.harmSquaresBefore += b.harmSquaresBefore; s.harmSquaresDuring += b.harmSquaresDuring
        s.incidentsBefore += b.incidentsBefore; s.incidentsDuring += b.incidentsDuring
        return s
    }

    var harmBeforeTotal: OutcomeStatistics.Total { .init(total: harmBefore, sumOfSquares: harmSquaresBefore, incidents: incidentsBefore) }
    var harmDuringTotal: OutcomeStatistics.Total { .init(total: harmDuring, sumOfSquares: harmSquaresDuring, incidents: incidentsDuring) }
}

/// The estimates for one treated place, or for all together.
public struct OutcomeEstimates: Hashable, Sendable, Codable {
    public var zone: AreaCounts
    public var buffer: AreaCounts
    public var comparison: AreaCounts
    /// Violent incidents in the zone, during ÷ before (exact interval).
    public var violentBeforeDuring: ChangeEstimate
    /// Harm in the zone, during ÷ before (compound-Poisson log-normal interval).
    public var harmBeforeDuring: ChangeEstimate
    /// Violent incidents: zone change ÷ comparison change (relative effect size).
    public var violentVersusComparison: ChangeEstimate
    public var harmVersusComparison: ChangeEstimate
    /// WDQ on violent counts, control = the comparison places.
    public var violentWDQ: WeightedDisplacementQuotient
    /// WDQ on harm.
    public var harmWDQ: WeightedDisplacementQuotient
    /// Whether the WDQs rest on enough incidents to read: the same test as the difference in differences (a
    /// quotient of a few incidents is noise, so the page says "too few incidents to say" instead).
    public var violentWDQMeasurable: Bool
    public var harmWDQMeasurable: Bool

    init(zone: AreaCounts, buffer: AreaCounts, comparison: AreaCounts, settings: OutcomeSettings) {
        self.zone = zone
        self.buffer = buffer
        self.comparison = comparison
        let conf = settings.confidence, minimum = settings.minimumEvents
        violentBeforeDuring = OutcomeStatistics.poissonRateRatio(during: zone.violentDuring, before: zone.violentBefore, confidence: conf,
                                                                 minimumEvents: minimum)
        // Before/during for harm is the relative effect size against a "comparison" with ratio exactly 1 and no
        // variance: the same delta-method interval restricted to the zone's two groups.
        harmBeforeDuring = Self.harmRatio(zone, settings: settings)
        violentVersusComparison = OutcomeStatistics.relativeEffectSize(
            zoneBefore: .count(zone.violentBefore), zoneDuring: .count(zone.violentDuring),
            comparisonBefore: .count(comparison.violentBefore), comparisonDuring: .count(comparison.violentDuring), confidence: conf, minimumEvents: minimum)
        harmVersusComparison = OutcomeStatistics.relativeEffectSize(
            zoneBefore: zone.harmBeforeTotal, zoneDuring: zone.harmDuringTotal,
            comparisonBefore: comparison.harmBeforeTotal, comparisonDuring: comparison.harmDuringTotal, confidence: conf, minimumEvents: minimum)
        violentWDQ = WeightedDisplacementQuotient(
            target: .init(before: Double(zone.violentBefore), after: Double(zone.violentDuring)),
            buffer: .init(before: Double(buffer.violentBefore), after: Double(buffer.violentDuring)),
            control: .init(before: Double(comparison.violentBefore), after: Double(comparison.violentDuring)))
        harmWDQ = WeightedDisplacementQuotient(
            target: .init(before: zone.harmBefore, after: zone.harmDuring),
            buffer: .init(before: buffer.harmBefore, after: buffer.harmDuring),
            control: .init(before: comparison.harmBefore, after: comparison.harmDuring))
        violentWDQMeasurable = violentVersusComparison.status == .estimated
        harmWDQMeasurable = harmVersusComparison.status == .estimated
    }

    /// Harm during ÷ before in one place: var(ln ratio) = Σw²_b/(Σw_b)² + Σw²_d/(Σw_d)² (compound Poisson, delta method).
    static func harmRatio(_ z: AreaCounts, settings: OutcomeSettings) -> ChangeEstimate {
        let method = "ratio of harm totals, compound-Poisson delta-method log-normal interval"
        let n = z.incidentsBefore + z.incidentsDuring
        guard n >= settings.minimumEvents else {
            return .tooFew("\(n) incident\(n == 1 ? "" : "s") in both periods together, fewer than \(settings.minimumEvents)",
                           confidence: settings.confidence, method: method)
        }
        guard z.harmBefore > 0, z.harmDuring > 0 else {
            return .tooFew(z.harmBefore <= 0 ? "no harm before" : "no harm during", confidence: settings.confidence, method: method)
        }
        let r = z.harmDuring / z.harmBefore
        let v = z.harmSquaresBefore / (z.harmBefore * z.harmBefore) + z.harmSquaresDuring / (z.harmDuring * z.harmDuring)
        let half = OutcomeStatistics.normalQuantile(0.5 + settings.confidence / 2) * v.squareRoot()
        return ChangeEstimate(status: .estimated, ratio: r, lower: r * exp(-half), upper: r * exp(half), confidence: settings.confidence, method: method,
                              reason: "")
    }
}

/// One place patrolled as a zone for one continuous stretch of time (a zone kept with the same cells across
/// consecutive cycles is one place), with its buffer ring, its comparison places and the figures.
public struct PlaceOutcome: Hashable, Sendable, Codable {
    /// "C1/Z1": the cycle and zone where the stretch began.
    public var id: String
    /// "C1/Z1", "C2/Z1", ...: every cycle's zone in the stretch.
    public var cycleZones: [String]
    public var cells: [Int]
    public var bufferCells: [Int]
    public var comparisonPlaces: [ComparisonPlaces.Place]
    /// The zone's forecast in the cycle it began (sum of the surface over its cells).
    public var forecast: Double
    /// Before: [beforeStart, start); during: [start, end). Equal lengths.
    public var beforeStart: Date
    public var start: Date
    public var end: Date
    /// Cells of this place that were patrolled as part of another zone during its before period, which makes the
    /// before figures partly treated (the change is then understated).
    public var cellsTreatedBefore: Int
    public var estimates: OutcomeEstimates

    public var days: Double { end.timeIntervalSince(start) / 86_400 }
    public var comparisonForecastMean: Double {
        comparisonPlaces.isEmpty ? 0 : comparisonPlaces.map(\.forecast).reduce(0, +) / Double(comparisonPlaces.count)
    }
}

/// Everything the outcomes page and `zonecast report outcomes` show.
public struct OutcomesReport: Hashable, Sendable, Codable {
    public var settings: OutcomeSettings
    public var generatedAt: Date
    public var places: [PlaceOutcome]
    /// All places pooled: counts summed over places (each place's two periods are equally long), then the same
    /// estimates.
    public var cumulative: OutcomeEstimates
    public var treatedDays: Double
    /// Approved cycles that had not started, or were superseded before they started (no patrol to measure).
    public var cyclesNotRun: [String]
    /// Police-initiated records in the zones, buffers and comparison places (any time passed in), left out.
    public var policeInitiatedExcluded: Int

    /// How the figures are made, for the page and the JSON.
    public static let methodText = """
        Each place patrolled as a zone is measured over the time it was in force (from its cycle's start to the \
        earliest of its end, the start of the next approved cycle and now; a zone kept with the same cells in \
        consecutive cycles is one continuous period) against the same place over an equally long period \
        immediately before it first became a zone. Comparison places are the zone's own shape moved elsewhere on \
        the grid, at least the buffer width from every zone, whose forecast harm in the cycle that chose the zone \
        is nearest the zone's (ties broken by position): chosen by rule, not by hand. The difference in \
        differences is the relative effect size (zone during/before) ÷ (comparison during/before) with a \
        log-normal interval (Farrington & Welsh 2002); the before/during ratio of violent incidents has an exact \
        Poisson interval. Displacement or diffusion: the Weighted Displacement Quotient (Bowers & Johnson 2003) \
        with the buffer ring as displacement area and the comparison places as control. Violent incidents are \
        homicides, non-fatal shootings, drive-by shootings and aggravated assaults; harm is weighted by the harm \
        index. Police-initiated records are left out: they measure where police looked, and patrols add them. \
        Zones are chosen where harm was recently high, so some fall is expected anyway (regression to the mean); \
        the comparison places, chosen on the same forecast, share that, which is why the difference in \
        differences is the figure to read. Intervals assume Poisson counts without over-dispersion, so they are \
        if anything too narrow.
        """
}

public enum Outcomes {
    /// The outcomes of every approved cycle up to `now`.
    ///
    /// - `cycles`: approved cycles (any order), each with its approved zones and forecast surface on `grid`.
    /// - `incidents`: every incident in `analysisWindow` (more is harmless); police-initiated ones are dropped
    ///   here whatever the caller passed, and incidents off the grid are ignored.
    public static func analyse(grid: Grid, cycles: [OutcomeCycle], incidents: [Incident], now: Date,
                               settings: OutcomeSettings) throws(OutcomesError) -> OutcomesReport {
        for c in cycles {
            guard c.forecast.count == grid.cellCount else {
                throw OutcomesError(field: "cycle \(c.id) forecast", value: "\(c.forecast.count) values",
                                    reason: "needs one value per grid cell (\(grid.cellCount))")
            }
            for z in c.zones where z.cells.contains(where: { $0 < 0 || $0 >= grid.cellCount }) {
                throw OutcomesError(field: "cycle \(c.id) zone \(z.id)", value: "\(z.cells.count) cells", reason: "has cells off the grid")
            }
        }
        let periods = activePeriods(cycles, now: now)
        let notRun = cycles.map(\.id).filter { id in !periods.contains { $0.cycle.id == id } }.sorted()

        let places = treatedPlaces(periods)

        // 2. Buffers and comparison places. Excluded from comparisons: every zone and buffer of a cycle whose
        // period overlaps the place's before-and-during window, and comparison places already taken for places
        // whose windows overlap it (so two zones never share a comparison).
        var outcomes: [PlaceOutcome] = []
        var takenComparisons: [(from: Date, to: Date, cells: [Int])] = []
        var ringCache: [[Int]: [Int]] = [:]
        func ring(_ cells: [Int]) -> [Int] {
            if let r = ringCache[cells] { return r }
            let r = ComparisonPlaces.bufferRing(of: cells, grid: grid, widthMeters: settings.bufferMeters)
            ringCache[cells] = r
            return r
        }
        for b in places {
            let length = b.end.timeIntervalSince(b.start)
            let beforeStart = b.start.addingTimeInterval(-length)
            var excluded = Set<Int>()
            var treatedBefore = Set<Int>()
            let cellSet = Set(b.cells)
            for p in periods where p.start < b.end && p.end > beforeStart {
                for z in p.cycle.zones {
                    excluded.formUnion(z.cells)
                    excluded.formUnion(ring(z.cells))
                    if p.start < b.start && p.end > beforeStart && !(z.cells == b.cells && b.cycleZones.contains("\(p.cycle.id)/\(z.id)")) {
                        treatedBefore.formUnion(cellSet.intersection(z.cells))
                    }
                }
            }
            for t in takenComparisons where t.from < b.end && t.to > beforeStart { excluded.formUnion(t.cells) }
            let comparisons = ComparisonPlaces.match(zone: b.cells, forecast: b.firstCycle.forecast, grid: grid, excluded: excluded,
                                                     count: settings.comparisonsPerZone)
            for c in comparisons { takenComparisons.append((beforeStart, b.end, c.cells)) }
            let forecast = b.cells.reduce(0.0) { $0 + b.firstCycle.forecast[$1] }
            let buffer = ring(b.cells).filter { cell in
                !periods.contains { p in p.start < b.end && p.end > beforeStart && p.cycle.zones.contains { $0.cells.contains(cell) } }
            }
            outcomes.append(PlaceOutcome(id: b.id, cycleZones: b.cycleZones, cells: b.cells, bufferCells: buffer, comparisonPlaces: comparisons,
                                         forecast: forecast,
                                         beforeStart: beforeStart, start: b.start, end: b.end, cellsTreatedBefore: treatedBefore.count,
                                         estimates: OutcomeEstimates(zone: AreaCounts(), buffer: AreaCounts(), comparison: AreaCounts(), settings: settings)))
        }

        // 3. Count once over the incidents: each cell of interest lists (place, role).
        enum Role { case zone, buffer, comparison }
        var roles: [Int: [(Int, Role)]] = [:]
        for (k, o) in outcomes.enumerated() {
            for c in o.cells { roles[c, default: []].append((k, .zone)) }
            for c in o.bufferCells { roles[c, default: []].append((k, .buffer)) }
            for p in o.comparisonPlaces { for c in p.cells { roles[c, default: []].append((k, .comparison)) } }
        }
        var counts = Array(repeating: (zone: AreaCounts(), buffer: AreaCounts(), comparison: AreaCounts()), count: outcomes.count)
        var policeInitiated = 0
        for i in incidents {
            guard let cell = grid.cell(containing: i.position), let list = roles[cell] else { continue }
            if i.policeInitiated { policeInitiated += 1; continue }
            let violent = settings.violent.contains(i.category)
            let w = settings.weights[i.category]
            for (k, role) in list {
                let o = outcomes[k]
                let during: Bool
                if i.occurredAt >= o.start && i.occurredAt < o.end { during = true }
                else if i.occurredAt >= o.beforeStart && i.occurredAt < o.start { during = false }
                else { continue }
                func add(_ a: inout AreaCounts) {
                    if during {
                        a.incidentsDuring += 1; a.harmDuring += w; a.harmSquaresDuring += w * w
                        if violent { a.violentDuring += 1 }
                    } else {
                        a.incidentsBefore += 1; a.harmBefore += w; a.harmSquaresBefore += w * w
                        if violent { a.violentBefore += 1 }
                    }
                }
                switch role {
                case .zone: add(&counts[k].zone)
                case .buffer: add(&counts[k].buffer)
                case .comparison: add(&counts[k].comparison)
                }
            }
        }
        var total = (zone: AreaCounts(), buffer: AreaCounts(), comparison: AreaCounts())
        for k in outcomes.indices {
            outcomes[k].estimates = OutcomeEstimates(zone: counts[k].zone, buffer: counts[k].buffer, comparison: counts[k].comparison, settings: settings)
            total.zone = total.zone + counts[k].zone
            total.buffer = total.buffer + counts[k].buffer
            total.comparison = total.comparison + counts[k].comparison
        }
        return OutcomesReport(settings: settings, generatedAt: now, places: outcomes,
                              cumulative: OutcomeEstimates(zone: total.zone, buffer: total.buffer, comparison: total.comparison, settings: settings),
                              treatedDays: outcomes.reduce(0) { $0 + $1.days }, cyclesNotRun: notRun, policeInitiatedExcluded: policeInitiated)
    }

    /// A place patrolled for one continuous stretch: a zone whose cells equal a place that ended exactly when this
    /// cycle started extends it.
    struct TreatedPlace {
        var id: String
        var cycleZones: [String]
        var cells: [Int]
        var start: Date
        var end: Date
        var firstCycle: OutcomeCycle
    }

    static func treatedPlaces(_ periods: [(cycle: OutcomeCycle, start: Date, end: Date)]) -> [TreatedPlace] {
        var places: [TreatedPlace] = []
        for p in periods {
            for z in p.cycle.zones where !z.cells.isEmpty {
                if let k = places.lastIndex(where: { $0.cells == z.cells && abs($0.end.timeIntervalSince(p.start)) < 1 }) {
                    places[k].end = p.end
                    places[k].cycleZones.append("\(p.cycle.id)/\(z.id)")
                } else {
                    places.append(TreatedPlace(id: "\(p.cycle.id)/\(z.id)", cycleZones: ["\(p.cycle.id)/\(z.id)"], cells: z.cells, start: p.start,
                                               end: p.end, firstCycle: p.cycle))
                }
            }
        }
        return places
    }

    /// The time the analysis reads incidents from: the earliest before period's start to the latest end (nil when
    /// no cycle has run), so callers load only that.
    public static func analysisWindow(_ cycles: [OutcomeCycle], now: Date) -> (from: Date, to: Date)? {
        let places = treatedPlaces(activePeriods(cycles, now: now))
        guard let from = places.map({ $0.start.addingTimeInterval(-$0.end.timeIntervalSince($0.start)) }).min(),
              let to = places.map(\.end).max() else { return nil }
        return (from, to)
    }

    /// When each approved cycle was actually in force: [start, min(scheduled end, next approved cycle's start, now)),
    /// the rule of `cycleInForce` (the latest start wins). Cycles with an empty period are left out.
    public static func activePeriods(_ cycles: [OutcomeCycle], now: Date) -> [(cycle: OutcomeCycle, start: Date, end: Date)] {
        let sorted = cycles.sorted { $0.startsAt != $1.startsAt ? $0.startsAt < $1.startsAt : $0.id < $1.id }
        var out: [(cycle: OutcomeCycle, start: Date, end: Date)] = []
        for (k, c) in sorted.enumerated() {
            var end = min(c.endsAt, now)
            if let next = sorted[(k + 1)...].first(where: { $0.startsAt > c.startsAt }) { end = min(end, next.startsAt) }
            if k + 1 < sorted.count, sorted[k + 1].startsAt == c.startsAt { continue } // same start: the later id wins
            if end > c.startsAt { out.append((c, c.startsAt, end)) }
        }
        return out
    }
}
