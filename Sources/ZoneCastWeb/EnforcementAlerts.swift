import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastPlanning
import ZoneCastHTML
import ZoneCastReports
import ZoneCastStore

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

    /// The enforcement thresholds from the process environment (`ZONECAST_ENFORCEMENT_MINOR_PER_HOUR`,
    /// `ZONECAST_ENFORCEMENT_RATIO`); the defaults when unset.
    public static func environmentThresholds() throws -> EnforcementThresholds {
        try EnforcementThresholds.from(environment: ProcessInfo.processInfo.environment)
    }

    /// Computes dosage and the monitor for `zones` of `cycle` as of `now`.
    public static func report(store: any AppStore, cycle: ZoneCycle, status: CycleStatus, zones: [ZoneCycle.ExplainedZone], grid: Grid,
                              timeZone tz: TimeZone, now: Date, dosageThresholds: DosageThresholds = .standard,
                              enforcementThresholds: EnforcementThresholds = .standard,
                              incidents: ((IncidentQuery) throws -> [Incident])? = nil, visits known: [PatrolVisit]? = nil,
                              visitsByZone grouped: [String: [PatrolVisit]]? = nil) throws -> CyclePatrolOversight {
        let query = incidents ?? { try store.incidents($0) }
        let byZone = try grouped ?? Dictionary(grouping: known ?? store.documents(PatrolVisit.self, group: cycle.id), by: \.zoneID)
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
            let past = try query(IncidentQuery(occurredFrom: profileFrom, occurredBefore: profileTo, bounds: box,
                                                         includePoliceInitiated: false, includeRawRow: false)).filter(inside)
            let harm = Oversight.harmByHour(past, weights: p.weights, timeZone: tz)
            var policeTimes: [Date] = []
            if elapsed > 0 {
                // Asked for the whole cycle and as long before it (fixed bounds, so `incidents` can cache the answer
                // per data version), then cut to the elapsed part: the window moves with `now` on every view.
                let length = cycle.endsAt.timeIntervalSince(cycle.startsAt)
                let from = cycle.startsAt.addingTimeInterval(-elapsed)
                policeTimes = try query(IncidentQuery(occurredFrom: cycle.startsAt.addingTimeInterval(-length), occurredBefore: cycle.endsAt, bounds: box,
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
        return CyclePatrolOversight(cycleID: cycle.id, status: status.rawValue, startsAt: cycle.startsAt, endsAt: cycle.endsAt, asOf: now, timeZone: tz.identifier,
                                    harmProfileFrom: profileFrom, harmProfileTo: profileTo, zones: results, outsideVisits: outside.count,
                                    dosageThresholds: dosageThresholds, enforcementThresholds: enforcementThresholds)
    }

    /// Saves a notice to commanders for every zone with an enforcement alert, unless one was already raised for
    /// that cycle, zone and local day (the notice id names all three): each notice and its audit entry in one
    /// transaction. Returns the notices raised now. Only a cycle in force raises alerts.
    @discardableResult
    public static func raiseAlerts(_ report: CyclePatrolOversight, store: any AppStore, now: Date, timeZone tz: TimeZone) throws -> [Notice] {
        guard report.status == CycleStatus.active.rawValue else { return [] }
        var raised: [Notice] = []
        for z in report.zones {
            guard let notice = Oversight.enforcementNotice(z.enforcement, cycleID: report.cycleID, now: now, timeZone: tz),
                  try store.document(Notice.self, id: notice.id) == nil else { continue }
            try store.apply([.save(notice), .audit(AuditDraft(at: now, actor: actor, action: auditAction, subject: notice.id,
                                                              detail: "enforcement alert to commanders: \(z.enforcement.alerts.map(\.text).joined(separator: "; "))"))])
            raised.append(notice)
        }
        return raised
    }
}

extension WebEnvironment {
    /// Thresholds for the monitor: the environment's, or the defaults when a variable does not parse (the pages
    /// state the thresholds in force).
    var enforcementThresholds: EnforcementThresholds { Self.environmentEnforcementThresholds }
    /// Low-patrol thresholds: the environment's (`ZONECAST_DOSAGE_*`), or the defaults.
    var dosageThresholds: DosageThresholds { Self.environmentDosageThresholds }

    // Read once per process: the environment does not change under a running server, and copying it on every page
    // view showed up under load.
    private static let environmentEnforcementThresholds = (try? PatrolOversight.environmentThresholds()) ?? .standard
    private static let environmentDosageThresholds = (try? DosageThresholds.from(environment: ProcessInfo.processInfo.environment)) ?? .standard

    /// Dosage and the monitor for `zones` of a cycle (all its patrolling zones when nil) as of `asOf` (now when
    /// nil); computed as of now, it raises the commanders' notices when the cycle is in force.
    func patrolOversight(_ view: CycleView, zones: [ZoneCycle.ExplainedZone]? = nil, asOf: Date? = nil) async throws -> CyclePatrolOversight? {
        guard let jurisdiction = try store.jurisdiction() else { return nil }
        let tz = TimeZone(identifier: jurisdiction.timeZoneIdentifier) ?? .gmt
        let grid = await surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters)
        let now = clock()
        let at = min(asOf ?? now, now)
        let report = try PatrolOversight.report(store: store, cycle: view.cycle, status: view.record.status(at: at), zones: zones ?? view.zones, grid: grid,
                                                timeZone: tz, now: at, dosageThresholds: dosageThresholds, enforcementThresholds: enforcementThresholds,
                                                incidents: { [placeQueries, store] in try placeQueries.incidents($0, store: store) },
                                                visitsByZone: try patrolVisitsByZone(cycleID: view.cycle.id))
        if at == now { try PatrolOversight.raiseAlerts(report, store: store, now: now, timeZone: tz) }
        return report
    }

    /// For the IRIS agenda: the cycle in force at `date` (the meeting's time, or now if that is earlier), as of then.
    func patrolOversightInForce(at date: Date) async throws -> CyclePatrolOversight? {
        guard let record = try store.cycleInForce(at: date) else { return nil }
        return try await patrolOversight(try cycleView(record), asOf: date)
    }
}

/// How the pages show dosage and the monitor.
enum PatrolOversightPage {
    static func pct(_ x: Double?) -> String { x.map { FixedText.fixed($0 * 100, 0) + " %" } ?? "n/a" }
    static func num(_ x: Double, _ digits: Int = 2) -> String { FixedText.fixed(x, digits) }

    /// The zone page's dosage section: cards, low-patrol flags, the 24-hour chart and the gaps.
    static func dosageSection(_ d: ZoneDosage, report r: CyclePatrolOversight, timeZone tz: TimeZone) -> String {
        var s = "<h2>Patrol dosage this cycle</h2><div id=\"dosage\">"
        s += "<div class=\"cards\"><div class=\"card\"><div class=\"n\">\(d.visits)</div><div>visits (\(num(d.visitsPerDay, 1)) a day)</div></div>"
        s += "<div class=\"card\"><div class=\"n\">\(num(d.minutes, 0))</div><div>minutes</div></div>"
        s += "<div class=\"card\"><div class=\"n\">\(d.visits == 0 ? "-" : pct(d.recommendedShare))</div><div>of visits 10-16 min</div></div>"
        s += "<div class=\"card\"><div class=\"n\">\(num(d.longestGapHours, 1)) h</div><div>longest gap (median \(num(d.medianGapHours, 1)) h)</div></div>"
        s += "<div class=\"card\"><div class=\"n\">\(d.hoursCovered.count)/24</div><div>hours of the day covered</div></div>"
        s += "<div class=\"card\"><div class=\"n\">\(pct(d.harmHourCoverage))</div><div>of the zone's harm falls in covered hours</div></div>"
        s += "<div class=\"card\"><div class=\"n\">\(d.activities.relationshipActions):\(d.activities.enforcementActions)</div><div>contacts &amp; checks : enforcement</div></div></div>"
        if d.flags.isEmpty {
            s += "<p class=\"ok\" id=\"dosage-flags\">No low-patrol flag.</p>"
        } else {
            s += "<div class=\"error\" id=\"dosage-flags\"><strong>Little patrol:</strong><ul>" + d.flags.map { "<li data-flag=\"\($0.kind.rawValue)\">\(LegacyHTML.escape($0.text))</li>" }.joined() + "</ul></div>"
        }
        s += "<p class=\"note\">Thresholds: \(LegacyHTML.escape(d.thresholds.description)). Koper (1995): visits of 10 to 16 minutes, at unpredictable times, deter longest.</p>"
        s += hourChart(harm: d.harmByHour, presence: d.presenceMinutesByHour)
        s += "<p class=\"note\" id=\"hour-chart-note\">Bars: the zone's harm by hour of the day, from its incidents of \(LegacyHTML.escape(localText(r.harmProfileFrom, timeZone: tz))) to \(LegacyHTML.escape(localText(r.harmProfileTo, timeZone: tz))) (the forecast's training period; police-initiated records left out; each weighted by its category's harm). Dots: patrol minutes in each hour this cycle (highest \(num(d.presenceMinutesByHour.max() ?? 0, 0)) min); a dash under an hour: no patrol in it yet.</p>"
        s += "<p>Hours with patrol presence: \(LegacyHTML.escape(Oversight.hourRanges(d.hoursCovered))).\(d.topUncoveredHours.isEmpty ? "" : " Hours with the most harm and no patrol yet: \(LegacyHTML.escape(d.topUncoveredHours.map { String(format: "%02d:00", $0) }.joined(separator: ", "))).")</p>"
        if d.gapsHours.count > 1 {
            s += "<p class=\"note\" id=\"gaps\">Gaps between visits (hours, in order, from the cycle start to now): \(LegacyHTML.escape(d.gapsHours.map { num($0, 1) }.joined(separator: ", "))); 90th percentile \(num(d.p90GapHours, 1)) h.</p>"
        }
        let a = d.activities
        s += LegacyHTML.table(header: ["community contacts", "business checks", "field interviews", "minor-infraction citations", "other citations", "arrests"],
                        rows: [[a.communityContacts, a.businessChecks, a.fieldInterviews, a.minorInfractionCitations, a.otherCitations, a.arrests].map(String.init)], leftColumns: 0)
        return s + "</div>"
    }

    /// A 24-hour chart: the zone's past harm by hour of the day (bars, scaled to the busiest hour) against the patrol
    /// minutes this cycle in each hour (a line of dots, scaled to the most patrolled hour).
    static func hourChart(harm: [Double], presence: [Double]) -> String {
        let w = 520.0, h = 180.0, left = 10.0, bottom = 28.0, top = 14.0
        let bw = (w - left * 2) / 24
        let peakHarm = max(harm.max() ?? 0, 1e-9), peakPresence = max(presence.max() ?? 0, 1e-9)
        let plot = h - bottom - top
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"hour-chart\" role=\"img\" aria-label=\"Harm by hour of the day against patrol presence by hour\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"10\">"
        s += "<rect x=\"10\" y=\"2\" width=\"10\" height=\"8\" fill=\"#b00020\" opacity=\"0.6\"/><text x=\"24\" y=\"10\">past harm (harm-weighted)</text>"
        s += "<circle cx=\"185\" cy=\"6\" r=\"3.5\" fill=\"#14213d\"/><text x=\"192\" y=\"10\">patrol minutes this cycle</text>"
        func f1(_ x: Double) -> String { FixedText.fixed(x, 1) }
        for k in 0..<24 {
            let x = left + Double(k) * bw
            let hh = harm[safe: k] / peakHarm * plot
            let hour = FixedText.twoDigits(k)
            s += "<rect class=\"harm\" data-hour=\"\(k)\" x=\"\(f1(x + 1))\" y=\"\(f1(h - bottom - hh))\" width=\"\(f1(bw - 2))\" height=\"\(f1(hh))\" fill=\"#b00020\" opacity=\"0.6\"><title>\(hour):00 harm \(FixedText.fixed(harm[safe: k], 0))</title></rect>"
            let p = presence[safe: k]
            if p > 0 {
                let y = h - bottom - p / peakPresence * plot
                s += "<circle class=\"presence\" data-hour=\"\(k)\" cx=\"\(f1(x + bw / 2))\" cy=\"\(f1(y))\" r=\"3.5\" fill=\"#14213d\"><title>\(hour):00 patrol \(FixedText.fixed(p, 0)) min</title></circle>"
            } else {
                s += "<line x1=\"\(f1(x + 3))\" x2=\"\(f1(x + bw - 3))\" y1=\"\(f1(h - bottom + 3))\" y2=\"\(f1(h - bottom + 3))\" stroke=\"#14213d\" stroke-width=\"2\"><title>\(hour):00 no patrol</title></line>"
            }
            if k % 3 == 0 { s += "<text x=\"\(f1(x + 1))\" y=\"\(f1(h - 8))\">\(hour)</text>" }
        }
        return s + "</svg>"
    }

    /// The zone page's non-enforcement section (roles that see oversight).
    static func enforcementSection(_ e: ZoneEnforcement, timeZone tz: TimeZone) -> String {
        var s = "<h2 id=\"enforcement\">Non-enforcement monitor</h2><div id=\"enforcement-monitor\">"
        if e.alerts.isEmpty {
            s += "<p class=\"ok\" id=\"enforcement-alerts\">No enforcement alert.</p>"
        } else {
            s += "<div class=\"error\" id=\"enforcement-alerts\"><strong>Enforcement above threshold</strong> (commanders are notified):<ul>" + e.alerts.map { "<li>\(LegacyHTML.escape($0.text))</li>" }.joined() + "</ul></div>"
        }
        s += "<p>Contacts and checks to enforcement actions: <strong id=\"contacts-ratio\">\(LegacyHTML.escape(e.overall.contactsToEnforcement))</strong>.</p>"
        func row(_ label: String, _ r: EnforcementRates) -> [String] {
            [label, num(r.patrolHours, 1), num(r.minorCitationsPerHour), num(r.fieldInterviewsPerHour), num(r.arrestsPerHour), num(r.contactsPerHour), r.contactsToEnforcement]
        }
        var rows = [row("zone, all units", e.overall)]
        for u in e.units {
            rows.append(row("\(u.unit) in the zone", u.inZone))
            rows.append(u.outside.map { row("\(u.unit) outside zones", $0) } ?? ["\(u.unit) outside zones", "no outside-zone patrol logged", "", "", "", "", ""])
        }
        s += "<div id=\"enforcement-rates\">" + LegacyHTML.table(header: ["who", "patrol hours", "minor citations / h", "field interviews / h", "arrests / h", "contacts & checks / h", "contacts : enforcement"], rows: rows) + "</div>"
        if e.outside == nil { s += "<p class=\"note\">No outside-zone patrol logged by these units this cycle: there is nothing to compare their zone rates with. Visits logged with the zone \"outside\" (or none) count as outside-zone patrol.</p>" }
        if let p = e.policeActivity {
            s += "<p id=\"police-initiated\">Recorded police-initiated activity inside the zone: \(p.during) record(s) in the \(num(p.days, 1)) days of the cycle so far (\(num(p.duringPerDay)) a day) against \(p.before) in the \(num(p.days, 1)) days before it (\(num(p.beforePerDay)) a day)\(p.ratio.map { ", \(num($0)) times" } ?? "").</p>"
            s += "<p class=\"note\">A different measure from the rates above: incidents flagged police-initiated in the imported records (stops, warrant arrests, finds), per day, whoever recorded them; it shows whether recorded enforcement in the place changed once it became a zone.</p>"
        }
        s += "<p class=\"note\">Thresholds: \(LegacyHTML.escape(e.thresholds.description)). Set \(EnforcementThresholds.minorPerHourVariable) and \(EnforcementThresholds.ratioVariable) in the server's environment to change them.</p>"
        return s + "</div>"
    }

    /// The IRIS agenda section: low-patrol flags and enforcement alerts for each zone of the cycle in force.
    static func agendaSection(_ r: CyclePatrolOversight?, headingLevel h: Int = 2) -> String {
        var s = "<h\(h) id=\"patrol-oversight\">Patrol dosage and enforcement in the zones in force</h\(h)>"
        guard let r else { return s + "<p>No cycle was in force.</p>" }
        guard !r.zones.isEmpty else { return s + "<p>Cycle \(LegacyHTML.escape(r.cycleID)) has no zones.</p>" }
        s += "<table id=\"agenda-dosage\"><thead><tr><th class=\"l\">zone</th><th>visits</th><th>a day</th><th>10-16 min</th><th>longest gap</th><th>harm in covered hours</th><th class=\"l\">low patrol</th><th>contacts : enforcement</th><th class=\"l\">enforcement alerts</th></tr></thead><tbody>"
        for z in r.zones {
            let d = z.dosage, e = z.enforcement
            s += "<tr data-zone-row=\"\(LegacyHTML.escape(z.zoneID))\"><td class=\"l\"><a href=\"/zones/\(LegacyHTML.escape(r.cycleID))/\(LegacyHTML.escape(z.zoneID))\">\(LegacyHTML.escape(z.zoneID))</a></td>"
            s += "<td>\(d.visits)</td><td>\(num(d.visitsPerDay, 1))</td><td>\(d.visits == 0 ? "-" : pct(d.recommendedShare))</td><td>\(num(d.longestGapHours, 1)) h</td><td>\(pct(d.harmHourCoverage))</td>"
            s += "<td class=\"l\">\(d.flags.isEmpty ? "-" : "<span class=\"low-patrol\">" + LegacyHTML.escape(d.flags.map(\.text).joined(separator: "; ")) + "</span>")</td>"
            s += "<td>\(LegacyHTML.escape(e.overall.contactsToEnforcement))</td>"
            s += "<td class=\"l\">\(e.alerts.isEmpty ? "-" : "<span class=\"enforcement-alert\">" + LegacyHTML.escape(e.alerts.map(\.text).joined(separator: "; ")) + "</span>")</td></tr>"
        }
        s += "</tbody></table>"
        let flagged = r.zones.filter { $0.dosage.flagged }.count, alerted = r.zones.filter { $0.enforcement.alerted }.count
        s += "<p>Cycle \(LegacyHTML.escape(r.cycleID)): \(flagged) zone(s) flagged for little patrol, \(alerted) with an enforcement alert.</p>"
        s += "<p class=\"note\">Low patrol is \(LegacyHTML.escape(r.dosageThresholds.description)); \(LegacyHTML.escape(r.enforcementThresholds.description)).</p>"
        return s
    }

    /// The dashboard's headline card: relationship actions to enforcement actions in the cycle in force.
    static func contactsRatioCard(cycleID: String, activities a: PatrolActivities, visits: Int) -> String {
        let ratio = a.enforcementActions > 0 ? String(format: "%.1f contacts per enforcement action", Double(a.relationshipActions) / Double(a.enforcementActions))
            : (a.relationshipActions > 0 ? "no enforcement action" : "nothing logged yet")
        return "<div class=\"cards\" id=\"contacts-enforcement\"><div class=\"card\"><div class=\"n\">\(a.relationshipActions) : \(a.enforcementActions)</div>"
            + "<div>community contacts &amp; business checks : enforcement actions in the zones, cycle \(LegacyHTML.escape(cycleID))</div>"
            + "<div class=\"note\">\(LegacyHTML.escape(ratio)); \(visits) visit(s)</div></div></div>"
    }
}

extension Array where Element == Double {
    fileprivate subscript(safe k: Int) -> Double { indices.contains(k) ? self[k] : 0 }
}
