public import Foundation
import ZoneCastAccess
import ZoneCastCore
public import ZoneCastOperations

/// When the non-enforcement monitor raises an alert to commanders. The initiative's patrols build relationships
/// and deter by presence; they write no citations for minor infractions (no zero tolerance).
///
/// - `maxMinorCitationsPerHour` (default 0.1): more than one minor-infraction citation per 10 patrol hours in a zone
///   (or by one unit in it) is a pattern, not an exception.
/// - `maxEnforcementPerContact` (default 0.25): more than one enforcement action (field interview, citation of any
///   kind, arrest) per four relationship actions (community contacts and business checks). Enforcement with no
///   relationship action at all always exceeds it.
///
/// Overridable without a rebuild through the environment of `zonecast serve` and `zonecast report enforcement`:
/// `ZONECAST_ENFORCEMENT_MINOR_PER_HOUR` and `ZONECAST_ENFORCEMENT_RATIO` (non-negative numbers);
/// `zonecast report enforcement --threshold X` sets the first for one report.
public struct EnforcementThresholds: Hashable, Sendable, Codable {
    public var maxMinorCitationsPerHour: Double
    public var maxEnforcementPerContact: Double

    public static let maxMinorCitationsPerHourDefault = 0.1
    public static let maxEnforcementPerContactDefault = 0.25
    public static let minorPerHourVariable = "ZONECAST_ENFORCEMENT_MINOR_PER_HOUR"
    public static let ratioVariable = "ZONECAST_ENFORCEMENT_RATIO"

    public init(maxMinorCitationsPerHour: Double = EnforcementThresholds.maxMinorCitationsPerHourDefault,
                maxEnforcementPerContact: Double = EnforcementThresholds.maxEnforcementPerContactDefault) {
        self.maxMinorCitationsPerHour = maxMinorCitationsPerHour
        self.maxEnforcementPerContact = maxEnforcementPerContact
    }

    public static let standard = EnforcementThresholds()

    /// The defaults, overridden by the two environment variables when set. Throws naming the variable and value
    /// when one is not a finite non-negative number.
    public static func from(environment: [String: String]) throws(OversightInputError) -> EnforcementThresholds {
        var t = EnforcementThresholds()
        if let text = environment[minorPerHourVariable] { t.maxMinorCitationsPerHour = try parse(text, field: minorPerHourVariable) }
        if let text = environment[ratioVariable] { t.maxEnforcementPerContact = try parse(text, field: ratioVariable) }
        return t
    }

    public static func parse(_ text: String, field: String) throws(OversightInputError) -> Double {
        guard let x = Double(text.trimmingCharacters(in: .whitespaces)), x.isFinite, x >= 0 else {
            throw OversightInputError(field: field, value: text, reason: "expected a non-negative number")
        }
        return x
    }

    public var description: String {
        "an alert is raised above \(DosageThresholds.number(maxMinorCitationsPerHour)) minor-infraction citations per patrol hour, "
            + "or above \(DosageThresholds.number(maxEnforcementPerContact)) enforcement actions per community contact or business check"
    }
}

/// A bad input to an oversight computation, naming the field and the value.
public struct OversightInputError: Error, Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var value: String
    public var reason: String

    public init(field: String, value: String, reason: String) {
        self.field = field
        self.value = value
        self.reason = reason
    }

    public var description: String { "\(field) \"\(value)\": \(reason)" }
}

/// Activity of a set of patrol visits per patrol hour: `rate = count / patrolHours`, with patrol hours the summed
/// visit durations. `enforcementPerContact = enforcement actions / (community contacts + business checks)`, nil
/// when there was no relationship action.
public struct EnforcementRates: Hashable, Sendable, Codable {
    public var visits: Int
    public var patrolHours: Double
    public var activities: PatrolActivities
    public var minorCitationsPerHour: Double
    public var fieldInterviewsPerHour: Double
    public var arrestsPerHour: Double
    public var enforcementPerHour: Double
    public var contactsPerHour: Double
    public var enforcementPerContact: Double?

    public init(_ visits: [PatrolVisit]) {
        self.visits = visits.count
        patrolHours = visits.reduce(0) { $0 + max(0, $1.minutes) } / 60
        activities = visits.reduce(PatrolActivities()) { $0 + $1.activities }
        let h = patrolHours
        func rate(_ n: Int) -> Double { h > 0 ? Double(n) / h : 0 }
        minorCitationsPerHour = rate(activities.minorInfractionCitations)
        fieldInterviewsPerHour = rate(activities.fieldInterviews)
        arrestsPerHour = rate(activities.arrests)
        enforcementPerHour = rate(activities.enforcementActions)
        contactsPerHour = rate(activities.relationshipActions)
        enforcementPerContact = activities.relationshipActions > 0 ? Double(activities.enforcementActions) / Double(activities.relationshipActions) : nil
    }

    /// "12 : 3": relationship actions to enforcement actions, the way the dashboard states it.
    public var contactsToEnforcement: String { "\(activities.relationshipActions) : \(activities.enforcementActions)" }
}

/// Recorded police-initiated activity (incidents flagged police-initiated: stops, warrant arrests, drug finds)
/// inside the zone's cells per day, during the cycle so far against an equal period just before it started.
/// A different measure from the patrol rates: it counts what was recorded in the incident data, whoever recorded
/// it, per day rather than per patrol hour, and shows whether enforcement in the place rose once it became a zone.
public struct PoliceActivityChange: Hashable, Sendable, Codable {
    public var beforeFrom: Date
    public var duringFrom: Date
    public var duringTo: Date
    public var before: Int
    public var during: Int
    public var days: Double
    public var beforePerDay: Double
    public var duringPerDay: Double
    /// during / before; nil when nothing was recorded before.
    public var ratio: Double?
}

public struct EnforcementAlert: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case minorCitations = "minor-citations"
        case enforcementRatio = "enforcement-ratio"
    }

    public var zoneID: String
    /// The unit whose rate crossed the threshold; nil for the zone as a whole.
    public var unit: String?
    public var kind: Kind
    public var value: Double
    public var threshold: Double
    public var text: String
}

/// One unit's rates in the zone, and the same unit's rates on patrol logged outside every zone (nil: none logged).
public struct UnitEnforcement: Hashable, Sendable, Codable {
    public var unit: String
    public var inZone: EnforcementRates
    public var outside: EnforcementRates?
}

/// The non-enforcement monitor for one zone in one cycle.
public struct ZoneEnforcement: Hashable, Sendable, Codable {
    public var zoneID: String
    public var overall: EnforcementRates
    public var units: [UnitEnforcement]
    /// Patrol logged outside every zone by the units that patrolled this zone; nil when none was logged.
    public var outside: EnforcementRates?
    public var policeActivity: PoliceActivityChange?
    public var alerts: [EnforcementAlert]
    public var thresholds: EnforcementThresholds

    public var alerted: Bool { !alerts.isEmpty }
}

extension Oversight {
    /// The convention for patrol logged outside every zone (the comparison the monitor needs): a `PatrolVisit` whose
    /// `zoneID` is empty or "outside" (any case). Such visits are never part of a zone's dosage.
    public static func isOutsideZones(_ visit: PatrolVisit) -> Bool { isOutsideZones(zoneID: visit.zoneID) }

    /// The same convention for a zone id.
    public static func isOutsideZones(zoneID: String) -> Bool {
        // Byte-wise for ASCII ids: this runs for every visit on every page view, and Foundation's trimming bridges
        // to NSString.
        guard zoneID.utf8.allSatisfy({ $0 < 128 }) else {
            let z = zoneID.trimmingCharacters(in: .whitespaces)
            return z.isEmpty || z.lowercased() == "outside"
        }
        let bytes = zoneID.utf8.drop { $0 == 32 || $0 == 9 }.reversed().drop { $0 == 32 || $0 == 9 }.reversed()
        return bytes.isEmpty || (bytes.count == 7 && zip(bytes, "outside".utf8).allSatisfy { ($0 | 0x20) == $1 })
    }

    static func unitName(_ v: PatrolVisit) -> String { v.unit?.name ?? "(no unit)" }

    /// Police-initiated activity per day in the zone: `during` counts `occurredAt` in [start, min(now, end)), `before`
    /// in the same length ending at `start`; per day = count / days. Nil when no time has elapsed.
    public static func policeActivity(_ occurredAt: [Date], cycleStart start: Date, cycleEnd end: Date, now: Date) -> PoliceActivityChange? {
        let to = min(now, end)
        let length = to.timeIntervalSince(start)
        guard length > 0 else { return nil }
        let from = start.addingTimeInterval(-length)
        let before = occurredAt.filter { $0 >= from && $0 < start }.count
        let during = occurredAt.filter { $0 >= start && $0 < to }.count
        let days = length / 86_400
        return PoliceActivityChange(beforeFrom: from, duringFrom: start, duringTo: to, before: before, during: during, days: days,
                                    beforePerDay: Double(before) / days, duringPerDay: Double(during) / days,
                                    ratio: before > 0 ? Double(during) / Double(before) : nil)
    }

    /// The alerts a set of rates raises (for the zone as a whole when `unit` is nil).
    public static func alerts(_ r: EnforcementRates, zoneID: String, unit: String?, thresholds t: EnforcementThresholds) -> [EnforcementAlert] {
        guard r.visits > 0 else { return [] }
        let who = unit.map { "\(zoneID), \($0)" } ?? zoneID
        var out: [EnforcementAlert] = []
        if r.minorCitationsPerHour > t.maxMinorCitationsPerHour {
            out.append(EnforcementAlert(zoneID: zoneID, unit: unit, kind: .minorCitations, value: r.minorCitationsPerHour,
                                        threshold: t.maxMinorCitationsPerHour,
                                        text: String(format: "%@: %.2f minor-infraction citations per patrol hour (%d in %.1f h), above %@",
                                                     who, r.minorCitationsPerHour, r.activities.minorInfractionCitations, r.patrolHours,
                                                     DosageThresholds.number(t.maxMinorCitationsPerHour))))
        }
        let e = r.activities.enforcementActions, c = r.activities.relationshipActions
        if let ratio = r.enforcementPerContact, ratio > t.maxEnforcementPerContact {
            out.append(EnforcementAlert(zoneID: zoneID, unit: unit, kind: .enforcementRatio, value: ratio, threshold: t.maxEnforcementPerContact,
                                        text: String(format: "%@: %d enforcement actions to %d community contacts and business checks (%.2f each), above %@",
                                                     who, e, c, ratio, DosageThresholds.number(t.maxEnforcementPerContact))))
        } else if c == 0 && e > 0 {
            out.append(EnforcementAlert(zoneID: zoneID, unit: unit, kind: .enforcementRatio, value: Double(e), threshold: t.maxEnforcementPerContact,
                                        text: "\(who): \(PlainWords.count(e, "enforcement action")) and no community contact or business check"))
        }
        return out
    }

    /// The monitor for one zone: `visits` are the cycle's visits to this zone, `outsideVisits` the cycle's visits
    /// logged outside every zone (`isOutsideZones`), `policeInitiated` the times of police-initiated incidents
    /// recorded inside the zone's cells (from before the cycle's start minus its elapsed length, to now).
    /// Alerts for the zone as a whole and for each unit.
    public static func enforcement(zoneID: String, visits: [PatrolVisit], outsideVisits: [PatrolVisit], policeInitiated: [Date],
                                   cycleStart: Date, cycleEnd: Date, now: Date, thresholds: EnforcementThresholds = .standard) -> ZoneEnforcement {
        let overall = EnforcementRates(visits)
        let byUnit = Dictionary(grouping: visits, by: unitName)
        let outsideByUnit = Dictionary(grouping: outsideVisits, by: unitName)
        let units = byUnit.keys.sorted().map { u in
            UnitEnforcement(unit: u, inZone: EnforcementRates(byUnit[u]!), outside: outsideByUnit[u].map(EnforcementRates.init))
        }
        let sameUnits = outsideVisits.filter { byUnit[unitName($0)] != nil }
        var alerts = Self.alerts(overall, zoneID: zoneID, unit: nil, thresholds: thresholds)
        // A unit's alert adds something only when there is more than one unit (otherwise it repeats the zone's).
        if units.count > 1 {
            for u in units { alerts += Self.alerts(u.inZone, zoneID: zoneID, unit: u.unit, thresholds: thresholds) }
        }
        return ZoneEnforcement(zoneID: zoneID, overall: overall, units: units, outside: sameUnits.isEmpty ? nil : EnforcementRates(sameUnits),
                               policeActivity: policeActivity(policeInitiated, cycleStart: cycleStart, cycleEnd: cycleEnd, now: now),
                               alerts: alerts, thresholds: thresholds)
    }

    /// "2024-06-03": the local day, for notices raised at most once a day.
    public static func dayKey(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// The notice to commanders for a zone's alerts, or nil when there is none. Its id names the cycle, the zone and
    /// the local day, so saving it only when no notice with that id exists raises it at most once per zone, cycle
    /// and day.
    public static func enforcementNotice(_ e: ZoneEnforcement, cycleID: String, now: Date, timeZone: TimeZone) -> Notice? {
        guard !e.alerts.isEmpty else { return nil }
        let id = "notice-enforcement-\(cycleID)-\(e.zoneID)-\(dayKey(now, timeZone: timeZone))"
        let text = "Enforcement above threshold in zone \(e.zoneID) (cycle \(cycleID)): " + e.alerts.map(\.text).joined(separator: "; ")
            + ". The zones' patrols are non-enforcement: review with the units."
        return Notice(id: id, createdAt: now, audience: .commander, text: text, link: "/zones/\(cycleID)/\(e.zoneID)#enforcement")
    }
}
