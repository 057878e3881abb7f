public import Foundation
public import ZoneCastCore
public import ZoneCastOperations

/// When a zone counts as having had little patrol. The three tests are independent; any one raises a flag.
///
/// Defaults (named so pages and reports can state them):
/// - fewer than `minVisitsPerDay` = 2 visits per day of elapsed cycle (Kansas City's flexible units were asked to
///   pass through their zones several times a shift; two a day is the floor below which presence is occasional);
/// - a gap longer than `maxGapHours` = 24 hours without any visit (a whole day of every shift missing);
/// - patrol present in hours holding less than `minHarmHourCoverage` = 50 % of the zone's harm (the visits come at
///   hours when little harm happens).
/// No flag is raised before the cycle has run `minElapsedHours` = 12 hours: too early to judge.
public struct DosageThresholds: Hashable, Sendable, Codable {
    public var minVisitsPerDay: Double
    public var maxGapHours: Double
    public var minHarmHourCoverage: Double
    public var minElapsedHours: Double

    public static let minVisitsPerDayDefault = 2.0
    public static let maxGapHoursDefault = 24.0
    public static let minHarmHourCoverageDefault = 0.5
    public static let minElapsedHoursDefault = 12.0

    public init(minVisitsPerDay: Double = DosageThresholds.minVisitsPerDayDefault, maxGapHours: Double = DosageThresholds.maxGapHoursDefault,
                minHarmHourCoverage: Double = DosageThresholds.minHarmHourCoverageDefault, minElapsedHours: Double = DosageThresholds.minElapsedHoursDefault) {
        self.minVisitsPerDay = minVisitsPerDay
        self.maxGapHours = maxGapHours
        self.minHarmHourCoverage = minHarmHourCoverage
        self.minElapsedHours = minElapsedHours
    }

    public static let standard = DosageThresholds()

    public static let minVisitsPerDayVariable = "ZONECAST_DOSAGE_MIN_VISITS_PER_DAY"
    public static let maxGapHoursVariable = "ZONECAST_DOSAGE_MAX_GAP_HOURS"
    public static let minHarmHourCoverageVariable = "ZONECAST_DOSAGE_MIN_HARM_COVERAGE"

    /// The defaults, overridden by `ZONECAST_DOSAGE_MIN_VISITS_PER_DAY`, `ZONECAST_DOSAGE_MAX_GAP_HOURS` and
    /// `ZONECAST_DOSAGE_MIN_HARM_COVERAGE` (a share from 0 to 1) when set. Throws naming the variable and value when one
    /// does not parse.
    public static func from(environment: [String: String]) throws(OversightInputError) -> DosageThresholds {
        var t = DosageThresholds()
        if let text = environment[minVisitsPerDayVariable] { t.minVisitsPerDay = try EnforcementThresholds.parse(text, field: minVisitsPerDayVariable) }
        if let text = environment[maxGapHoursVariable] { t.maxGapHours = try EnforcementThresholds.parse(text, field: maxGapHoursVariable) }
        if let text = environment[minHarmHourCoverageVariable] {
            t.minHarmHourCoverage = try EnforcementThresholds.parse(text, field: minHarmHourCoverageVariable)
            guard t.minHarmHourCoverage <= 1 else {
                throw OversightInputError(field: minHarmHourCoverageVariable, value: text, reason: "expected a share from 0 to 1")
            }
        }
        return t
    }

    /// The thresholds in words, for pages and reports.
    public var description: String {
        "flagged when, after \(Self.number(minElapsedHours)) h of the cycle, there are fewer than \(Self.number(minVisitsPerDay)) visits per day, "
            + "a gap longer than \(Self.number(maxGapHours)) h without a visit, or patrol present in hours holding less than "
            + "\(Self.number(minHarmHourCoverage * 100)) % of the zone's harm"
    }

    static func number(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.2f", x) }
}

/// Why a zone is flagged for little patrol.
public struct DosageFlag: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case fewVisits = "few-visits"
        case longGap = "long-gap"
        case harmHoursUncovered = "harm-hours-uncovered"
    }

    public var kind: Kind
    /// The measured value (visits per day, hours, or a share from 0 to 1).
    public var value: Double
    public var threshold: Double
    public var text: String
}

/// Patrol dosage of one zone in one cycle, with the hour-of-day profile of the zone's harm.
///
/// - Visits, minutes, the share lasting 10 to 16 minutes (Koper 1995) and the gaps come from `PatrolDosage`.
/// - `harmByHour[h]` is the zone's past harm in local hour `h`: the sum over incidents inside the zone of the harm
///   weight of their category (Cambridge Crime Harm Index days, `HarmWeights`), e.g. over the training period before
///   the cycle. It is what the forecast put in the zone, spread over the hours of the day.
/// - `presenceMinutesByHour[h]` is the patrol minutes that fell in local hour `h`, summed over the cycle's visits.
/// - Coverage of harm hours: `Σ_{h ∈ H} harm[h] / Σ_h harm[h]`, with `H` the hours of the day with any patrol
///   presence (`hoursCovered`). 1 means every hour in which harm happened in the past had a visit at some point;
///   nil when the zone had no recorded harm with a known hour.
/// - Top uncovered hours: the (up to three) hours with the most harm and no presence, highest first.
public struct ZoneDosage: Hashable, Sendable, Codable {
    public var zoneID: String
    public var visits: Int
    public var minutes: Double
    public var recommendedVisits: Int
    public var recommendedShare: Double
    public var gapsHours: [Double]
    public var longestGapHours: Double
    public var medianGapHours: Double
    public var p90GapHours: Double
    public var hoursCovered: [Int]
    public var presenceMinutesByHour: [Double]
    public var harmByHour: [Double]
    public var harmTotal: Double
    public var harmHourCoverage: Double?
    public var topUncoveredHours: [Int]
    public var elapsedHours: Double
    public var visitsPerDay: Double
    public var activities: PatrolActivities
    public var flags: [DosageFlag]
    public var thresholds: DosageThresholds

    public var flagged: Bool { !flags.isEmpty }
}

extension Oversight {
    /// The zone's harm by local hour of the day: each incident adds its category's harm weight to the hour it
    /// occurred in (in `timeZone`). Incidents known only to the day (`TimePrecision.day`) carry no hour and are
    /// left out; police-initiated incidents should be left out by the caller (the default everywhere).
    public static func harmByHour(_ incidents: [Incident], weights: HarmWeights, timeZone: TimeZone) -> [Double] {
        var clock = LocalHourClock(timeZone: timeZone)
        var hours = Array(repeating: 0.0, count: 24)
        for i in incidents where i.occurredPrecision != .day {
            hours[clock.hour(of: i.occurredAt)] += weights[i.category]
        }
        return hours
    }

    /// Patrol minutes in each local hour of the day: each visit's time is split over the clock hours it overlaps.
    /// A visit from 05:50 to 06:20 adds 10 minutes to hour 5 and 20 to hour 6.
    public static func presenceMinutesByHour(_ visits: [PatrolVisit], timeZone: TimeZone) -> [Double] {
        var clock = LocalHourClock(timeZone: timeZone)
        var minutes = Array(repeating: 0.0, count: 24)
        for i in visits.indices where visits[i].endedAt > visits[i].startedAt {
            let startedAt = visits[i].startedAt, endedAt = visits[i].endedAt
            var t = clock.hourStart(of: startedAt)
            var steps = 0
            while t < endedAt && steps < 48 {
                let next = t.addingTimeInterval(3_600)
                let overlap = min(next, endedAt).timeIntervalSince(max(t, startedAt))
                if overlap > 0 { minutes[clock.hour(of: t)] += overlap / 60 }
                t = next
                steps += 1
            }
        }
        return minutes
    }

    /// The `p`-th quantile (0...1) by linear interpolation between order statistics (Hyndman & Fan 1996, type 7):
    /// with the values sorted `x_0 ≤ ... ≤ x_{n-1}`, `h = (n - 1) p`, the quantile is
    /// `x_⌊h⌋ + (h - ⌊h⌋)(x_⌊h⌋+1 - x_⌊h⌋)`. 0 for no values.
    public static func quantile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let x = values.sorted()
        let h = Double(x.count - 1) * min(1, max(0, p))
        let lo = Int(h.rounded(.down)), hi = min(x.count - 1, lo + 1)
        return x[lo] + (h - Double(lo)) * (x[hi] - x[lo])
    }

    /// Dosage of one zone in a cycle from `start` to `end`, as of `now`, hours counted in `timeZone`.
    /// `harmByHour` is the zone's harm profile (`harmByHour(_:weights:timeZone:)`), 24 values.
    public static func dosage(zoneID: String, visits: [PatrolVisit], cycleStart start: Date, cycleEnd end: Date, now: Date, timeZone: TimeZone,
                              harmByHour: [Double], thresholds: DosageThresholds = .standard) -> ZoneDosage {
        let horizon = min(now, end)
        let counted = visits.startingBefore(horizon)
        let d = PatrolDosage(counted, cycleStart: start, cycleEnd: end, now: now, timeZone: timeZone)
        let harm = harmByHour.count == 24 ? harmByHour : Array(repeating: 0, count: 24)
        let presence = presenceMinutesByHour(counted, timeZone: timeZone)
        let total = harm.reduce(0, +)
        let coverage: Double? = total > 0 ? d.hoursCovered.reduce(0.0) { $0 + harm[$1] } / total : nil
        let uncovered = (0..<24).filter { !d.hoursCovered.contains($0) && harm[$0] > 0 }
            .sorted { (i: Int, j: Int) -> Bool in harm[i] != harm[j] ? harm[i] > harm[j] : i < j }.prefix(3)
        let elapsed = max(0, horizon.timeIntervalSince(start)) / 3_600
        let perDay = elapsed > 0 ? Double(d.visits) / (elapsed / 24) : 0

        var flags: [DosageFlag] = []
        if elapsed >= thresholds.minElapsedHours {
            if perDay < thresholds.minVisitsPerDay {
                flags.append(DosageFlag(kind: .fewVisits, value: perDay, threshold: thresholds.minVisitsPerDay,
                                        text: String(format: "%.1f visits per day, fewer than %@", perDay,
                                                     DosageThresholds.number(thresholds.minVisitsPerDay))))
            }
            if d.longestGapHours > thresholds.maxGapHours {
                flags.append(DosageFlag(kind: .longGap, value: d.longestGapHours, threshold: thresholds.maxGapHours,
                                        text: String(format: "a gap of %.1f h without a visit, longer than %@ h", d.longestGapHours,
                                                     DosageThresholds.number(thresholds.maxGapHours))))
            }
            if let coverage, coverage < thresholds.minHarmHourCoverage {
                flags.append(DosageFlag(kind: .harmHoursUncovered, value: coverage, threshold: thresholds.minHarmHourCoverage,
                                        text: String(format: "patrol present in hours holding %.0f %% of the zone's harm, below %@ %%", coverage * 100,
                                                     DosageThresholds.number(thresholds.minHarmHourCoverage * 100))))
            }
        }
        return ZoneDosage(zoneID: zoneID, visits: d.visits, minutes: d.minutes, recommendedVisits: d.recommendedVisits, recommendedShare: d.recommendedShare,
                          gapsHours: d.gapsHours, longestGapHours: d.longestGapHours, medianGapHours: quantile(d.gapsHours, 0.5),
                          p90GapHours: quantile(d.gapsHours, 0.9), hoursCovered: d.hoursCovered.sorted(), presenceMinutesByHour: presence,
                          harmByHour: harm, harmTotal: total, harmHourCoverage: coverage, topUncoveredHours: Array(uncovered),
                          elapsedHours: elapsed, visitsPerDay: perDay, activities: d.activities, flags: flags, thresholds: thresholds)
    }

    /// "02-03, 05-06, 22-04": hours of the day as runs of consecutive hours (wrapping past midnight).
    public static func hourRanges(_ hours: [Int]) -> String {
        let set = Set(hours.filter { (0..<24).contains($0) })
        guard !set.isEmpty else { return "none" }
        if set.count == 24 { return "all day" }
        // Start each run at an hour whose predecessor is not in the set.
        var runs: [String] = []
        for h in 0..<24 where set.contains(h) && !set.contains((h + 23) % 24) {
            var e = h
            while set.contains((e + 1) % 24) { e = (e + 1) % 24 }
            runs.append(String(format: "%02d-%02d", h, (e + 1) % 24))
        }
        return runs.joined(separator: ", ")
    }
}
