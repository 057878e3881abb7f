import Foundation
import ZoneCastCore
import ZoneCastHTML
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastServices

/// The agenda's figures and the pieces the meeting page and its printable briefing share: attendees, incidents
/// since the last meeting, near-repeat chains, the zones in force, open intelligence, the decisions table.
extension MeetingView {
    static func decisionWord(_ d: ZoneDecisionRecord.Decision) -> String {
        switch d {
        case .approve: "approved"
        case .modify: "approved as modified"
        case .reject: "rejected"
        }
    }

    static func attendeesList(_ meeting: Meeting) -> HTML {
        guard !meeting.attendees.isEmpty else { return "<p>No attendees recorded.</p>" }
        return "<ul id=\"attendees\">\(meeting.attendees.map { name -> HTML in "<li>\(name)</li>" })</ul>"
    }

    /// The minutes as kept (line breaks shown), or a line saying there are none.
    static func minutesText(_ meeting: Meeting) -> HTML {
        meeting.minutes.isEmpty ? "<p>No minutes.</p>" : "<div class=\"minutes\" style=\"white-space:pre-wrap\">\(meeting.minutes)</div>"
    }

    /// The agenda's figures: incidents by category, near-repeat chains, the zones in force, open intelligence.
    static func agendaFigures(_ a: MeetingAgenda, jurisdiction: Jurisdiction?, timeZone tz: TimeZone, headingLevel h: Int = 2) -> HTML {
        let patrol: HTML = PatrolOversightView.agendaSection(a.patrol, headingLevel: h)
        return """
            \(sinceLastMeeting(a, timeZone: tz, headingLevel: h))\(chains(a, jurisdiction: jurisdiction, timeZone: tz, headingLevel: h))\
            \(zonesInForce(a, timeZone: tz, headingLevel: h))\(patrol)\(openIntelligence(a, timeZone: tz, headingLevel: h))
            """
    }

    private static func sinceLastMeeting(_ a: MeetingAgenda, timeZone tz: TimeZone, headingLevel h: Int) -> HTML {
        let after: HTML? = a.previousMeeting.map { p -> HTML in " (after <a href=\"/meetings/\(p.id)\">\(p.title)</a>)" }
        let rows = a.byCategory.map { c, n -> HTML in "<tr><td class=\"l\">\(c.displayName)</td><td>\(n)</td></tr>" }
        let table: HTML? = a.byCategory.isEmpty ? nil : """
            <table id="incidents-by-category"><thead><tr><th class="l">category</th><th>incidents</th></tr></thead>\
            <tbody>\(rows)</tbody></table>
            """
        return """
            <h\(h) id="since">Since the last meeting</h\(h)><p>\(localText(a.since, timeZone: tz)) to \(localText(a.until, timeZone: tz))\
            \(after): \(a.incidentCount) incident(s), police-initiated records left out.</p>\(table)
            """
    }

    private static func chains(_ a: MeetingAgenda, jurisdiction: Jurisdiction?, timeZone tz: TimeZone, headingLevel h: Int) -> HTML {
        let heading: HTML = """
            <h\(h) id="chains">Near-repeat chains</h\(h)><p class="note">Violent incidents within \(Int(MeetingAgendaData.chainDistanceMeters)) m \
            and \(Int(MeetingAgendaData.chainDays)) days of one another, linked in chains (possible retaliation or a continuing dispute).</p>
            """
        guard !a.chains.isEmpty else { return heading + "<p>No chains since the last meeting.</p>" }
        let projection = jurisdiction?.projection.prepared()
        let rows = a.chains.prefix(15).map { c -> HTML in
            let centre = projection.map { p -> String in
                let g = p.unproject(c.centre)
                return String(format: "%.5f, %.5f", g.latitude, g.longitude)
            } ?? ""
            let place = [c.place, centre.isEmpty ? nil : "near \(centre)"].compactMap { $0 }.joined(separator: ", ")
            let what = c.categories.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { $0.key.counted($0.value) }.joined(separator: ", ")
            return """
                <tr><td>\(c.size)</td><td class="l">\(place)</td><td class="l">\(localText(c.first, timeZone: tz))</td>\
                <td class="l">\(localText(c.last, timeZone: tz))</td><td class="l">\(what)</td></tr>
                """
        }
        let more: HTML? = a.chains.count > 15 ? "<p class=\"note\">The 15 largest of \(a.chains.count) chains.</p>" : nil
        return heading + """
            <table id="near-repeat-chains"><thead><tr><th>size</th><th class="l">place</th><th class="l">from</th><th class="l">to</th>\
            <th class="l">what</th></tr></thead><tbody>\(rows)</tbody></table>\(more)
            """
    }

    private static func zonesInForce(_ a: MeetingAgenda, timeZone tz: TimeZone, headingLevel h: Int) -> HTML {
        let heading: HTML = "<h\(h) id=\"active-zones\">How the zones in force did</h\(h)>"
        guard let id = a.activeCycleID, let from = a.activeFrom, let to = a.activeTo else { return heading + "<p>No cycle was in force.</p>" }
        let days = to.timeIntervalSince(from) / 86_400
        let intro: HTML = """
            <p>Cycle \(id): incidents inside each zone from \(localText(from, timeZone: tz)) (\(days, decimals: 1) days) \
            against the \(days, decimals: 1) days before it started.</p>
            """
        guard !a.zoneResults.isEmpty else { return heading + intro + "<p>No time in force yet to compare.</p>" }
        let rows = a.zoneResults.map { r -> HTML in
            "<tr><td class=\"l\">\(r.id)</td><td>\(r.during)</td><td>\(r.before)</td><td>\(signed(r.during - r.before))</td></tr>"
        }
        let d = a.zoneResults.reduce(0) { $0 + $1.during }, b = a.zoneResults.reduce(0) { $0 + $1.before }
        return heading + intro + """
            <table id="zone-results"><thead><tr><th class="l">zone</th><th>during the cycle</th><th>same length before</th><th>change</th></tr>\
            </thead><tbody>\(rows)</tbody><tfoot><tr><th class="l">all zones</th><td>\(d)</td><td>\(b)</td><td>\(signed(d - b))</td></tr>\
            </tfoot></table><p class="note">Short periods hold few incidents: read the change as a signal to discuss, not as a measured effect.</p>
            """
    }

    /// A change with its sign: "+2", "+0", "-3".
    private static func signed(_ n: Int) -> String { n >= 0 ? "+\(n)" : "\(n)" }

    private static func openIntelligence(_ a: MeetingAgenda, timeZone tz: TimeZone, headingLevel h: Int) -> HTML {
        let heading: HTML = "<h\(h) id=\"intelligence\">Open intelligence</h\(h)>"
        guard !a.intelligence.isEmpty else { return heading + "<p>No open intelligence items.</p>" }
        let rows = a.intelligence.map { i -> HTML in
            """
            <tr><td class="l">\(i.kind.label)</td><td class="l">\(i.summary)</td><td class="l">\(i.locationText)</td>\
            <td class="l">\(i.sensitivity.rawValue)</td><td class="l">\(localText(i.createdAt, timeZone: tz))</td>\
            <td class="l">\(localText(i.expiresAt, timeZone: tz))</td></tr>
            """
        }
        return heading + """
            <table id="open-intelligence"><thead><tr><th class="l">kind</th><th class="l">summary</th><th class="l">where</th>\
            <th class="l">sensitivity</th><th class="l">recorded</th><th class="l">expires</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    /// The decisions recorded so far, every revision included.
    static func decisionsTable(_ meeting: Meeting, timeZone tz: TimeZone) -> HTML {
        guard !meeting.decisions.isEmpty else { return "<p id=\"decisions\">No decisions recorded yet.</p>" }
        let current = meeting.currentDecisions
        let rows = meeting.decisions.map { d -> HTML in
            let superseded = current[d.zoneID] != d
            let rowClass: HTML? = superseded ? " class=\"superseded\"" : nil
            return """
                <tr\(rowClass)><td class="l">\(d.zoneID)</td><td class="l">\(decisionWord(d.decision))\(superseded ? " (revised later)" : "")</td>\
                <td class="l">\(d.reason)</td><td class="l">\(d.decidedBy)</td><td class="l">\(localText(d.decidedAt, timeZone: tz))</td></tr>
                """
        }
        return """
            <table id="decisions"><thead><tr><th class="l">zone</th><th class="l">decision</th><th class="l">reason</th><th class="l">by</th>\
            <th class="l">when</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }
}
