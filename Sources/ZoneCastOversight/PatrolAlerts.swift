public import Foundation
import ZoneCastAccess
import ZoneCastCore
public import ZoneCastOperations

/// An alert to commanders about one zone of a cycle in force: enforcement above threshold (the non-enforcement
/// monitor) or little patrol (dosage). Computed from data and thresholds alone, so the scheduler, every patrol
/// log and the pages raise the same alerts, whoever looks.
///
/// `id` is the alert's identity: kind, cycle, zone and local day. Saving the notice only when none with that id
/// exists (as `PatrolOversight.raiseAlerts` does) and sending e-mail only for a notice saved just then raises
/// each at most once per zone, kind and day however many times it is evaluated; the id is also the e-mail's
/// Message-ID local part, so a relay or reader can drop a duplicate too. For enforcement the id is the notice id
/// ZoneCast has always used (`Oversight.enforcementNotice`), so alerts raised before keep counting.
public struct PatrolAlert: Hashable, Sendable, Codable, Identifiable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case enforcement
        case lowPatrol = "low-patrol"
    }

    public var id: String
    public var kind: Kind
    public var cycleID: String
    public var zoneID: String
    /// The local day ("2026-12-01") the alert belongs to.
    public var day: String
    public var raisedAt: Date
    /// One line per threshold crossed.
    public var reasons: [String]
    /// For the notices list and the e-mail subject.
    public var title: String
    /// The notice's text (also the e-mail body's first paragraph).
    public var text: String
    /// A path inside the application.
    public var link: String

    /// The notice for commanders.
    public var notice: Notice { Notice(id: id, createdAt: raisedAt, audience: .commander, text: text, link: link) }

    /// Plain-text e-mail body: the text, each reason on its own line, and where to look (`baseURL` without a final
    /// slash, e.g. "https://zonecast.pd.example"). No zone location is written: e-mail leaves the closed network.
    public func mailBody(baseURL: String) -> String {
        ([text, ""] + reasons.map { "- " + $0 } + ["", "Open: " + baseURL + link,
                                                    "This message was sent once for this zone, kind and day (alert \(id))."])
            .joined(separator: "\n")
    }
}

extension Oversight {
    /// The alerts one zone's monitor and dosage raise as of `now` (at most one of each kind). Only zones of a cycle
    /// in force should be passed: a proposal that was never approved has no patrol to judge.
    public static func patrolAlerts(cycleID: String, enforcement: ZoneEnforcement, dosage: ZoneDosage, now: Date,
                                    timeZone: TimeZone) -> [PatrolAlert] {
        var out: [PatrolAlert] = []
        let day = dayKey(now, timeZone: timeZone)
        if let notice = enforcementNotice(enforcement, cycleID: cycleID, now: now, timeZone: timeZone) {
            out.append(PatrolAlert(id: notice.id, kind: .enforcement, cycleID: cycleID, zoneID: enforcement.zoneID, day: day, raisedAt: now,
                                   reasons: enforcement.alerts.map(\.text),
                                   title: "Enforcement above threshold in zone \(enforcement.zoneID)", text: notice.text,
                                   link: notice.link ?? "/zones/\(cycleID)/\(enforcement.zoneID)"))
        }
        if dosage.flagged {
            let text = "Little patrol in zone \(dosage.zoneID) (cycle \(cycleID)): " + dosage.flags.map(\.text).joined(separator: "; ")
                + ". Plan visits with the units (Koper: 10–16 minutes at unpredictable times)."
            out.append(PatrolAlert(id: "notice-low-patrol-\(cycleID)-\(dosage.zoneID)-\(day)", kind: .lowPatrol, cycleID: cycleID,
                                   zoneID: dosage.zoneID, day: day, raisedAt: now, reasons: dosage.flags.map(\.text),
                                   title: "Little patrol in zone \(dosage.zoneID)", text: text, link: "/zones/\(cycleID)/\(dosage.zoneID)#dosage"))
        }
        return out
    }

    /// One zone's data for `evaluateAlerts`: its visits in the cycle, its harm by hour of day over the forecast's
    /// training period (`harmByHour(_:weights:timeZone:)`) and the times of police-initiated incidents in its cells.
    public struct ZonePatrolData: Sendable {
        public var zoneID: String
        public var visits: [PatrolVisit]
        public var harmByHour: [Double]
        public var policeInitiated: [Date]

        public init(zoneID: String, visits: [PatrolVisit], harmByHour: [Double], policeInitiated: [Date] = []) {
            self.zoneID = zoneID
            self.visits = visits
            self.harmByHour = harmByHour
            self.policeInitiated = policeInitiated
        }
    }

    /// Every alert the zones of a cycle in force raise as of `now`: dosage and the monitor computed exactly as the
    /// zone page computes them (visits starting after `now` left out), then `patrolAlerts`. `outsideVisits`:
    /// the cycle's visits logged outside every zone (`isOutsideZones`). Sorted by zone, enforcement first.
    /// Nothing before the cycle starts or after it ends.
    public static func evaluateAlerts(cycleID: String, cycleStart: Date, cycleEnd: Date, zones: [ZonePatrolData], outsideVisits: [PatrolVisit],
                                      now: Date, timeZone: TimeZone, thresholds: AlertThresholds = .standard) -> [PatrolAlert] {
        guard now >= cycleStart, now < cycleEnd else { return [] }
        let outside = outsideVisits.startingBefore(now)
        return zones.sorted { $0.zoneID < $1.zoneID }.flatMap { z in
            let mine = z.visits.startingBefore(now)
            let d = dosage(zoneID: z.zoneID, visits: mine, cycleStart: cycleStart, cycleEnd: cycleEnd, now: now, timeZone: timeZone,
                           harmByHour: z.harmByHour, thresholds: thresholds.dosage)
            let e = enforcement(zoneID: z.zoneID, visits: mine, outsideVisits: outside, policeInitiated: z.policeInitiated, cycleStart: cycleStart,
                                cycleEnd: cycleEnd, now: now, thresholds: thresholds.enforcement)
            return patrolAlerts(cycleID: cycleID, enforcement: e, dosage: d, now: now, timeZone: timeZone)
        }
    }
}
