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
import ZoneCastZoning

/// The IRIS agenda, filled from the data: what happened since the last meeting, near-repeat chains, how the
/// zones in force did, open intelligence, and the proposal (as adjusted) to decide.
struct MeetingAgenda: Sendable {
    struct ZoneResult: Sendable {
        var id: String
        var during: Int
        var before: Int
    }

    let since: Date
    let until: Date
    let previousMeeting: Meeting?
    let byCategory: [(category: HarmCategory, count: Int)]
    let incidentCount: Int
    let chains: [NearRepeatChain]
    let activeCycleID: String?
    let activeFrom: Date?
    let activeTo: Date?
    let zoneResults: [ZoneResult]
    let intelligence: [IntelligenceItem]
    let proposal: ProposalContext?
    /// Patrol dosage (low-patrol flags) and the non-enforcement monitor (alerts) for the zones in force.
    var patrol: CyclePatrolOversight? = nil

    static let chainDistanceMeters = 400.0
    static let chainDays = 7.0
}

extension WebEnvironment {
    /// Schedulers: commanders decide, analysts propose; both schedule meetings and keep minutes.
    func mayRunMeetings(_ viewer: Viewer) -> Bool { viewer.may(.decideZones) || viewer.may(.proposeZones) }

    func meeting(_ id: String) throws -> Meeting {
        guard let m = try store.document(Meeting.self, id: id) else { throw WebError(.notFound, "no IRIS meeting \(id)") }
        return m
    }

    /// When a new meeting defaults to: 14 days after the last one (moved on by fortnights until it is in the
    /// future), or the next weekday at 10:00 when there has been none.
    func defaultMeetingTime(after meetings: [Meeting], timeZone tz: TimeZone) -> Date {
        let now = clock()
        if let last = meetings.map(\.scheduledAt).max() {
            var t = last.addingTimeInterval(Meeting.defaultInterval)
            while t < now { t = t.addingTimeInterval(Meeting.defaultInterval) }
            return t
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = tz
        var day = calendar.startOfDay(for: now)
        repeat {
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        } while [1, 7].contains(calendar.component(.weekday, from: day))
        return calendar.date(bySettingHour: 10, minute: 0, second: 0, of: day)!
    }

    func agenda(for meeting: Meeting) async throws -> MeetingAgenda {
        let now = clock()
        let until = min(now, meeting.closedAt ?? meeting.scheduledAt)
        // The last meeting held before this one (a meeting still ahead is not "the last meeting").
        let previous = try store.documents(Meeting.self).filter { $0.id != meeting.id && $0.scheduledAt < meeting.scheduledAt && $0.scheduledAt < until }.max { $0.scheduledAt < $1.scheduledAt }
        var since = previous?.scheduledAt ?? until.addingTimeInterval(-Meeting.defaultInterval)
        if since >= until { since = until.addingTimeInterval(-Meeting.defaultInterval) }
        let recent = try store.incidents(IncidentQuery(occurredFrom: since, occurredBefore: until, includePoliceInitiated: false, includeRawRow: false))
        var counts: [HarmCategory: Int] = [:]
        for i in recent { counts[i.category, default: 0] += 1 }
        let byCategory = HarmCategory.allCases.compactMap { c in counts[c].map { (c, $0) } }
        let chains = NearRepeat.chains(recent, distanceMeters: MeetingAgenda.chainDistanceMeters, days: MeetingAgenda.chainDays)

        // The zones in force at the meeting: incidents inside during the cycle so far against the same length before.
        var results: [MeetingAgenda.ZoneResult] = []
        var activeID: String?, activeFrom: Date?, activeTo: Date?
        if let record = try store.cycleInForce(at: until), let jurisdiction = try store.jurisdiction() {
            let view = try cycleView(record)
            let grid = await surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters)
            let from = view.cycle.startsAt, to = min(until, view.cycle.endsAt)
            let length = to.timeIntervalSince(from)
            activeID = record.id
            activeFrom = from
            activeTo = to
            let zones = view.zones
            if length > 0, !zones.isEmpty {
                let inside = try store.incidents(IncidentQuery(occurredFrom: from.addingTimeInterval(-length), occurredBefore: to, includePoliceInitiated: false, includeRawRow: false))
                var cellZone: [Int: String] = [:]
                for z in zones { for c in z.zone.cells { cellZone[c] = z.id } }
                var during: [String: Int] = [:], before: [String: Int] = [:]
                for i in inside {
                    guard let c = grid.cell(containing: i.position), let z = cellZone[c] else { continue }
                    if i.occurredAt >= from { during[z, default: 0] += 1 } else { before[z, default: 0] += 1 }
                }
                results = zones.map { MeetingAgenda.ZoneResult(id: $0.id, during: during[$0.id] ?? 0, before: before[$0.id] ?? 0) }
            }
        }
        let intelligence = try store.documents(IntelligenceItem.self).filter { $0.isCurrent(at: now) && $0.status == .open }.sorted { $0.createdAt > $1.createdAt }
        var proposal: ProposalContext?
        if let id = meeting.cycleID { proposal = try await proposalContext(id) }
        var agenda = MeetingAgenda(since: since, until: until, previousMeeting: previous, byCategory: byCategory, incidentCount: recent.count, chains: chains,
                                   activeCycleID: activeID, activeFrom: activeFrom, activeTo: activeTo, zoneResults: results, intelligence: intelligence, proposal: proposal)
        agenda.patrol = try await patrolOversightInForce(at: until)
        return agenda
    }
}

enum MeetingPage {
    static func decisionWord(_ d: ZoneDecisionRecord.Decision) -> String {
        switch d {
        case .approve: "approved"
        case .modify: "approved as modified"
        case .reject: "rejected"
        }
    }

    static func attendeesList(_ meeting: Meeting) -> String {
        guard !meeting.attendees.isEmpty else { return "<p>No attendees recorded.</p>" }
        return "<ul id=\"attendees\">" + meeting.attendees.map { "<li>\(LegacyHTML.escape($0))</li>" }.joined() + "</ul>"
    }

    /// The agenda's figures: incidents by category, near-repeat chains, the zones in force, open intelligence.
    static func agendaFigures(_ a: MeetingAgenda, jurisdiction: Jurisdiction?, timeZone tz: TimeZone, headingLevel h: Int = 2) -> String {
        var s = "<h\(h) id=\"since\">Since the last meeting</h\(h)>"
        s += "<p>\(LegacyHTML.escape(localText(a.since, timeZone: tz))) to \(LegacyHTML.escape(localText(a.until, timeZone: tz)))"
        if let p = a.previousMeeting { s += " (after <a href=\"/meetings/\(LegacyHTML.escape(p.id))\">\(LegacyHTML.escape(p.title))</a>)" }
        s += ": \(a.incidentCount) incident(s), police-initiated records left out.</p>"
        if !a.byCategory.isEmpty {
            s += "<table id=\"incidents-by-category\"><thead><tr><th class=\"l\">category</th><th>incidents</th></tr></thead><tbody>"
            for (c, n) in a.byCategory { s += "<tr><td class=\"l\">\(LegacyHTML.escape(c.displayName))</td><td>\(n)</td></tr>" }
            s += "</tbody></table>"
        }
        s += "<h\(h) id=\"chains\">Near-repeat chains</h\(h)>"
        s += "<p class=\"note\">Violent incidents within \(Int(MeetingAgenda.chainDistanceMeters)) m and \(Int(MeetingAgenda.chainDays)) days of one another, linked in chains (possible retaliation or a continuing dispute).</p>"
        if a.chains.isEmpty {
            s += "<p>No chains since the last meeting.</p>"
        } else {
            let projection = jurisdiction?.projection.prepared()
            s += "<table id=\"near-repeat-chains\"><thead><tr><th>size</th><th class=\"l\">place</th><th class=\"l\">from</th><th class=\"l\">to</th><th class=\"l\">what</th></tr></thead><tbody>"
            for c in a.chains.prefix(15) {
                let centre = projection.map { p -> String in let g = p.unproject(c.centre); return String(format: "%.5f, %.5f", g.latitude, g.longitude) } ?? ""
                let place = [c.place, centre.isEmpty ? nil : "near \(centre)"].compactMap { $0 }.joined(separator: ", ")
                let what = c.categories.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { $0.key.counted($0.value) }.joined(separator: ", ")
                s += "<tr><td>\(c.size)</td><td class=\"l\">\(LegacyHTML.escape(place))</td><td class=\"l\">\(LegacyHTML.escape(localText(c.first, timeZone: tz)))</td><td class=\"l\">\(LegacyHTML.escape(localText(c.last, timeZone: tz)))</td><td class=\"l\">\(LegacyHTML.escape(what))</td></tr>"
            }
            s += "</tbody></table>"
            if a.chains.count > 15 { s += "<p class=\"note\">The 15 largest of \(a.chains.count) chains.</p>" }
        }
        s += "<h\(h) id=\"active-zones\">How the zones in force did</h\(h)>"
        if let id = a.activeCycleID, let from = a.activeFrom, let to = a.activeTo {
            let days = to.timeIntervalSince(from) / 86_400
            s += "<p>Cycle \(LegacyHTML.escape(id)): incidents inside each zone from \(LegacyHTML.escape(localText(from, timeZone: tz))) (\(String(format: "%.1f", days)) days) against the \(String(format: "%.1f", days)) days before it started.</p>"
            if a.zoneResults.isEmpty {
                s += "<p>No time in force yet to compare.</p>"
            } else {
                s += "<table id=\"zone-results\"><thead><tr><th class=\"l\">zone</th><th>during the cycle</th><th>same length before</th><th>change</th></tr></thead><tbody>"
                for r in a.zoneResults { s += "<tr><td class=\"l\">\(LegacyHTML.escape(r.id))</td><td>\(r.during)</td><td>\(r.before)</td><td>\(r.during - r.before >= 0 ? "+" : "")\(r.during - r.before)</td></tr>" }
                let d = a.zoneResults.reduce(0) { $0 + $1.during }, b = a.zoneResults.reduce(0) { $0 + $1.before }
                s += "</tbody><tfoot><tr><th class=\"l\">all zones</th><td>\(d)</td><td>\(b)</td><td>\(d - b >= 0 ? "+" : "")\(d - b)</td></tr></tfoot></table>"
                s += "<p class=\"note\">Short periods hold few incidents: read the change as a signal to discuss, not as a measured effect.</p>"
            }
        } else {
            s += "<p>No cycle was in force.</p>"
        }
        s += PatrolOversightPage.agendaSection(a.patrol, headingLevel: h)
        s += "<h\(h) id=\"intelligence\">Open intelligence</h\(h)>"
        if a.intelligence.isEmpty {
            s += "<p>No open intelligence items.</p>"
        } else {
            s += "<table id=\"open-intelligence\"><thead><tr><th class=\"l\">kind</th><th class=\"l\">summary</th><th class=\"l\">where</th><th class=\"l\">sensitivity</th><th class=\"l\">recorded</th><th class=\"l\">expires</th></tr></thead><tbody>"
            for i in a.intelligence {
                s += "<tr><td class=\"l\">\(LegacyHTML.escape(i.kind.label))</td><td class=\"l\">\(LegacyHTML.escape(i.summary))</td><td class=\"l\">\(LegacyHTML.escape(i.locationText))</td><td class=\"l\">\(i.sensitivity.rawValue)</td>"
                s += "<td class=\"l\">\(LegacyHTML.escape(localText(i.createdAt, timeZone: tz)))</td><td class=\"l\">\(LegacyHTML.escape(localText(i.expiresAt, timeZone: tz)))</td></tr>"
            }
            s += "</tbody></table>"
        }
        return s
    }

    /// The decisions recorded so far, every revision included.
    static func decisionsTable(_ meeting: Meeting, timeZone tz: TimeZone) -> String {
        guard !meeting.decisions.isEmpty else { return "<p id=\"decisions\">No decisions recorded yet.</p>" }
        var s = "<table id=\"decisions\"><thead><tr><th class=\"l\">zone</th><th class=\"l\">decision</th><th class=\"l\">reason</th><th class=\"l\">by</th><th class=\"l\">when</th></tr></thead><tbody>"
        let current = meeting.currentDecisions
        for d in meeting.decisions {
            let superseded = current[d.zoneID] != d
            s += "<tr\(superseded ? " class=\"superseded\"" : "")><td class=\"l\">\(LegacyHTML.escape(d.zoneID))</td><td class=\"l\">\(LegacyHTML.escape(decisionWord(d.decision)))\(superseded ? " (revised later)" : "")</td>"
            s += "<td class=\"l\">\(LegacyHTML.escape(d.reason))</td><td class=\"l\">\(LegacyHTML.escape(d.decidedBy))</td><td class=\"l\">\(LegacyHTML.escape(localText(d.decidedAt, timeZone: tz)))</td></tr>"
        }
        return s + "</tbody></table>"
    }

    /// Decision forms lay out like the stacked forms (labels above full-width fields, large targets on phones).
    static let decisionStyle = "<style>form.decision label{display:block;margin:.5rem 0 .2rem}form.decision select,form.decision textarea{display:block;width:100%;max-width:32rem;padding:.4rem;font-size:1rem}form.decision button{margin-top:.4rem}section.zone-review{border-top:1px solid #ccd;margin-top:1rem}</style>"

    /// A zone's decision form (commanders, while the meeting is open).
    static func decisionForm(_ meeting: Meeting, zone: String, current: ZoneDecisionRecord?, viewer: Viewer) -> String {
        let options = ZoneDecisionRecord.Decision.allCases.map { d in
            "<option value=\"\(d.rawValue)\"\(current?.decision == d ? " selected" : "")>\(LegacyHTML.escape(d == .approve ? "Approve" : d == .modify ? "Approve as modified" : "Reject"))</option>"
        }.joined()
        let zid = LegacyHTML.escape(zone)
        return """
            <form class="decision" data-zone="\(zid)" method="post" action="/meetings/\(LegacyHTML.escape(meeting.id))/decisions">\(Layout.csrfField(viewer))
            <input type="hidden" name="zone" value="\(zid)">
            <label for="decision-\(zid)">Decision on \(zid)</label><select id="decision-\(zid)" name="decision">\(options)</select>
            <label for="reason-\(zid)">Reason (required to modify or reject)</label><textarea id="reason-\(zid)" name="reason" rows="2"></textarea>
            <button type="submit">Record the decision on \(zid)</button>
            </form>
            """
    }

    /// A zone's map, framed on the zone.
    static func zoneMap(_ z: AdjustedZone, ctx: ProposalContext) -> String {
        ProposalPage.map(id: "map-\(z.id)", label: "Zone \(z.id) of cycle \(ctx.cycleID)", ctx: ctx, zones: [(z.id, z.zone.cells, .proposed)], surface: true, width: 420)
    }
}
