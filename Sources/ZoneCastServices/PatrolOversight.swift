public import Foundation
import ZoneCastAccess
public import ZoneCastCore
public import ZoneCastForecast
public import ZoneCastOperations
public import ZoneCastOversight
public import ZoneCastPlanning
public import ZoneCastStore
import ZoneCastZoning

/// Patrol dosage and the non-enforcement monitor of one zone in a cycle.
public struct ZonePatrolOversight: Hashable, Sendable, Codable {
    public var zoneID: String
    public var dosage: ZoneDosage
    public var enforcement: ZoneEnforcement
}

/// Patrol dosage and the non-enforcement monitor for the zones of one cycle, as of `asOf`: what the zone page,
/// the IRIS agenda and `zonecast report dosage|enforcement` show.
public struct CyclePatrolOversight: Hashable, Sendable, Codable {
    public var cycleID: String
    public var status: String
    public var startsAt: Date
    public var endsAt: Date
    public var asOf: Date
    public var timeZone: String
    /// The period whose incidents give each zone's harm-by-hour profile: the forecast's training period before the
    /// cycle (police-initiated records left out, weighted by the cycle's harm weights).
    public var harmProfileFrom: Date
    public var harmProfileTo: Date
    public var zones: [ZonePatrolOversight]
    /// Visits logged outside every zone in the cycle (zone id "" or "outside"): the comparison for the units' rates.
    public var outsideVisits: Int
    public var dosageThresholds: DosageThresholds
    public var enforcementThresholds: EnforcementThresholds

    /// Relationship actions and enforcement actions over every zone of the cycle.
    public var activities: PatrolActivities { zones.reduce(PatrolActivities()) { $0 + $1.enforcement.overall.activities } }
}

/// Reads the store and computes `CyclePatrolOversight` (the arithmetic is in `ZoneCastOversight`); raises the
/// commanders' notices. Shared by the web pages and the command line.
public enum PatrolOversight {
    /// The actor named in the audit log for notices the monitor raises.
    public static let actor = "enforcement-monitor"
    /// The audit action recorded with a raised notice.
    public static let auditAction: AuditAction = .enforcementAlert

    /// The zones that patrol: those the IRIS meeting approved, or the whole proposal before approval.
    public static func zones(of cycle: ZoneCycle) -> [ZoneCycle.ExplainedZone] {
        if let explained = cycle.approvedExplainedZones { return explained }
        guard let approved = cycle.approvedZones else { return cycle.zones }
        let cells = Set(approved.map(\.cells))
        return cycle.zones.filter { cells.contains($0.zone.cells) }
    }

    /// Computes dosage and the monitor for `zones` of `cycle` as of `now`.
    public static func report(store: any AppStore, cycle: ZoneCycle, status: CycleStatus, zones: [ZoneCycle.ExplainedZone], grid: Grid,
                              timeZone tz: TimeZone, now: Date, dosageThresholds: DosageThresholds = .standard,
                              enforcementThresholds: EnforcementThresholds = .standard,
                              incidents: ((IncidentQuery) async throws -> [Incident])? = nil, visits known: [PatrolVisit]? = nil,
                              visitsByZone grouped: [String: [PatrolVisit]]? = nil) async throws -> CyclePatrolOversight {
        let query = incidents ?? { try await store.incidents($0) }
        let byZone: [String: [PatrolVisit]]
        if let grouped {
            byZone = grouped
        } else if let known {
            byZone = Dictionary(grouping: known, by: \.zoneID)
        } else {
            byZone = Dictionary(grouping: try await store.documents(PatrolVisit.self, group: cycle.id), by: \.zoneID)
        }
        let outside = byZone.keys.sorted().filter { Oversight.isOutsideZones(zoneID: $0) }.flatMap { byZone[$0]! }
        let p = cycle.provenance
        let profileTo = p.origin, profileFrom = p.origin.addingTimeInterval(-p.trainingDays * 86_400)
        let to = min(now, cycle.endsAt)
        let elapsed = max(0, to.timeIntervalSince(cycle.startsAt))
        var results: [ZonePatrolOversight] = []
        for z in zones {
            let cells = Set(z.zone.cells)
            let box = z.zone.boundingBox
            func inside(_ i: Incident) -> Bool { grid.cell(containing: i.position).map(cells.contains) ?? false }
            let past = try await query(IncidentQuery(occurredFrom: profileFrom, occurredBefore: profileTo, bounds: box,
                                                         includePoliceInitiated: false, includeRawRow: false)).filter(inside)
            let harm = Oversight.harmByHour(past, weights: p.weights, timeZone: tz)
            var policeTimes: [Date] = []
            if elapsed > 0 {
                // Asked for the whole cycle and as long before it (fixed bounds, so `incidents` can cache the answer
                // per data version), then cut to the elapsed part: the window moves with `now` on every view.
                let length = cycle.endsAt.timeIntervalSince(cycle.startsAt)
                let from = cycle.startsAt.addingTimeInterval(-elapsed)
                policeTimes = try await query(IncidentQuery(occurredFrom: cycle.startsAt.addingTimeInterval(-length), occurredBefore: cycle.endsAt, bounds: box,
                                                      includePoliceInitiated: true, includeRawRow: false))
                    .filter { $0.policeInitiated && $0.occurredAt >= from && $0.occurredAt < to && inside($0) }.map(\.occurredAt)
            }
            let mine = byZone[z.id] ?? []
            let dosage = Oversight.dosage(zoneID: z.id, visits: mine, cycleStart: cycle.startsAt, cycleEnd: cycle.endsAt, now: now, timeZone: tz,
                                          harmByHour: harm, thresholds: dosageThresholds)
            let enforcement = Oversight.enforcement(zoneID: z.id, visits: mine.startingBefore(to), outsideVisits: outside.startingBefore(to),
                                                    policeInitiated: policeTimes, cycleStart: cycle.startsAt, cycleEnd: cycle.endsAt, now: now,
                                                    thresholds: enforcementThresholds)
            results.append(ZonePatrolOversight(zoneID: z.id, dosage: dosage, enforcement: enforcement))
        }
        return CyclePatrolOversight(cycleID: cycle.id, status: status.rawValue, startsAt: cycle.startsAt, endsAt: cycle.endsAt, asOf: now,
                                    timeZone: tz.identifier,
                                    harmProfileFrom: profileFrom, harmProfileTo: profileTo, zones: results, outsideVisits: outside.count,
                                    dosageThresholds: dosageThresholds, enforcementThresholds: enforcementThresholds)
    }

    /// Saves a notice to commanders for every zone with an enforcement alert, unless one was already raised for
    /// that cycle, zone and local day (the notice id names all three): each notice and its audit entry in one
    /// transaction. Returns the notices raised now. Only a cycle in force raises alerts.
    @discardableResult
    public static func raiseAlerts(_ report: CyclePatrolOversight, store: any AppStore, now: Date, timeZone tz: TimeZone) async throws -> [Notice] {
        guard report.status == CycleStatus.active.rawValue else { return [] }
        var raised: [Notice] = []
        for z in report.zones {
            guard let notice = Oversight.enforcementNotice(z.enforcement, cycleID: report.cycleID, now: now, timeZone: tz),
                  try await store.document(Notice.self, id: notice.id) == nil else { continue }
            let detail = "enforcement alert to commanders: \(z.enforcement.alerts.map(\.text).joined(separator: "; "))"
            try await store.apply([.save(notice), .audit(AuditDraft(at: now, actor: actor, action: auditAction, subject: notice.id, detail: detail))])
            raised.append(notice)
        }
        return raised
    }
}
