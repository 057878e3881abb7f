import Foundation
import ZoneCastCore
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastZoning
import ZoneCastStore
import ZoneCastAccess

/// One IRIS meeting: the agenda filled from the data, the proposal as adjusted with a decision per zone, the
/// decisions so far, the minutes and closing.
struct MeetingView {
    let viewer: Viewer
    let meeting: Meeting
    let agenda: MeetingAgenda
    let jurisdiction: Jurisdiction?
    let timeZone: TimeZone
    let now: Date
    /// Whether the viewer keeps minutes (commanders and analysts).
    let mayKeepMinutes: Bool

    var html: HTML { Layout.page(title: meeting.title, viewer: viewer, current: "/meetings", body: body) }

    private var isOpen: Bool { meeting.status == .scheduled }

    private var body: HTML {
        """
        \(Self.decisionStyle)\(Layout.syntheticBanner(jurisdiction?.isSynthetic ?? false))\
        \(Layout.confidential(viewer, at: now, timeZone: timeZone))\(summary)\
        <h2>Attendees</h2>\(Self.attendeesList(meeting))\(Self.agendaFigures(agenda, jurisdiction: jurisdiction, timeZone: timeZone))\
        <h2 id="proposal">The proposal</h2>\(proposal)<h2>Decisions</h2>\(Self.decisionsTable(meeting, timeZone: timeZone))\
        <h2 id="minutes">Minutes</h2>\(minutes)\(closing)
        """
    }

    /// When, whether open, who scheduled it, the proposal it reviews, the briefing; the outcome once closed.
    private var summary: HTML {
        let reviews: HTML? = meeting.cycleID.map { id -> HTML in " · reviews <a href=\"/proposals/\(id)\">proposal \(id)</a>" }
        let outcome: HTML? = isOpen ? nil : """
            <p class="ok" id="outcome">Closed\(meeting.closedBy.map { " by \($0)" } ?? "")\
            \(meeting.closedAt.map { " at \(localText($0, timeZone: timeZone))" } ?? ""). \(meeting.outcome ?? "")</p>
            """
        return """
            <p>\(localText(meeting.scheduledAt, timeZone: timeZone)) · \(isOpen ? "open" : "closed") · scheduled by \(meeting.createdBy)\
            \(reviews) · <a href="/meetings/\(meeting.id)/briefing">printable briefing</a></p>\(outcome)
            """
    }

    private var proposal: HTML {
        guard let ctx = agenda.proposal else { return "<p>No proposal is under review at this meeting.</p>" }
        let tz = timeZone
        let zones = ProposalView.mapZones(ctx.activeZones, status: .active)
            + ProposalView.mapZones(ctx.adjusted.zones.map { ($0.id, $0.zone.cells) }, status: .proposed)
        let map = ProposalView.map(id: "meeting-map", label: "Proposed zones of cycle \(ctx.cycleID) as adjusted", ctx: ctx, zones: zones, surface: true)
        let differences: HTML = ProposalView.differences(ctx)
        let reviews = ctx.adjusted.zones.map { zoneReview($0, ctx: ctx) }
        let none: HTML? = ctx.adjusted.zones.isEmpty ? "<p>The proposal as adjusted has no zones.</p>" : nil
        return """
            <p>Cycle \(ctx.cycleID) from \(localText(ctx.cycle.startsAt, timeZone: tz)) to \(localText(ctx.cycle.endsAt, timeZone: tz)), \
            as adjusted by the analysts (\(ctx.adjustments.count) adjustment(s)); status \(ctx.view.record.status.rawValue).</p>\
            \(map)\(differences)\(reviews)\(none)
            """
    }

    /// A zone of the proposal: what it is, the decision on it so far, and the decision form for commanders.
    private func zoneReview(_ z: AdjustedZone, ctx: ProposalContext) -> HTML {
        let section: HTML = ProposalView.zoneSection(z, ctx: ctx)
        let current = meeting.currentDecisions[z.id]
        let decision: HTML
        if let d = current {
            let stale: HTML? = z.adjustments.last.flatMap { later -> HTML? in
                later.adjustedAt > d.decidedAt ? "<p class=\"error\">The analysts adjusted \(z.id) after this decision: review it again.</p>" : nil
            }
            decision = """
                <p class="ok">Decision: \(Self.decisionWord(d.decision)) by \(d.decidedBy)\(d.reason.isEmpty ? "" : ": \(d.reason)")</p>\(stale)
                """
        } else {
            decision = "<p class=\"notice\">No decision yet.</p>"
        }
        let mayDecide = viewer.may(.decideZones) && isOpen && ctx.isOpen
        let form: HTML? = mayDecide ? Self.decisionForm(meeting, zone: z.id, current: current, viewer: viewer) : nil
        return "<section class=\"zone-review\">\(section)\(decision)\(form)</section>"
    }

    private var minutes: HTML {
        guard isOpen && mayKeepMinutes else { return Self.minutesText(meeting) }
        return """
            <form class="stack" id="minutes-form" method="post" action="/meetings/\(meeting.id)/minutes">\(Layout.csrfField(viewer))\
            <label for="minutes-text">Minutes (discussion, actions, who follows up)</label>\
            <textarea id="minutes-text" name="minutes" rows="8">\(meeting.minutes)</textarea><button type="submit">Save the minutes</button></form>
            """
    }

    /// Closing the meeting (commanders, while it and the proposal are open): what is still to decide, the button.
    private var closing: HTML? {
        guard isOpen && viewer.may(.decideZones), let ctx = agenda.proposal, ctx.isOpen else { return nil }
        let current = meeting.currentDecisions
        let missing = ctx.adjusted.zones.map(\.id).filter { current[$0] == nil }
        let state: HTML = missing.isEmpty ? """
            <p>Every zone has a decision. Closing approves cycle \(ctx.cycleID) with the approved and modified zones, as adjusted; \
            the meeting can then no longer change.</p>
            """ : "<p class=\"notice\">Still to decide: \(missing.joined(separator: ", ")).</p>"
        return """
            <h2>Close the meeting</h2>\(state)<form method="post" id="close-form" action="/meetings/\(meeting.id)/close">\
            \(Layout.csrfField(viewer))<button type="submit">Close the meeting and approve the cycle</button></form>\
            <p class="note">You will be asked to confirm before anything is saved.</p>
            """
    }

    /// The confirmation step before closing: what closing approves (the cycle, its window, the zones approved and
    /// rejected), a form that posts again with confirm=yes and the CSRF token, and the way back. Works without script.
    static func confirmClose(_ meeting: Meeting, cycle: ZoneCycle, approved: [String], rejected: [String], summary: String, viewer: Viewer,
                             timeZone tz: TimeZone, now: Date) -> HTML {
        let none = "none"
        let body: HTML = """
            <div class="notice" id="confirm-close" role="alert"><p><strong>Closing approves cycle \(cycle.id) and cannot be undone.</strong> \
            The meeting's decisions, minutes and attendees can then no longer change.</p></div>\
            <p>Cycle \(cycle.id) runs from \(PlainWords.dateTime(cycle.startsAt, timeZone: tz, now: now)) to \
            \(PlainWords.dateTime(cycle.endsAt, timeZone: tz, now: now)).</p>\
            <ul><li id="confirm-approved">Zones approved (approved or modified): \(approved.isEmpty ? none : approved.joined(separator: ", "))</li>\
            <li id="confirm-rejected">Zones rejected: \(rejected.isEmpty ? none : rejected.joined(separator: ", "))</li></ul>\
            <p class="note">\(summary)</p>\
            <form method="post" id="confirm-close-form" action="/meetings/\(meeting.id)/close">\(Layout.csrfField(viewer))\
            <input type="hidden" name="confirm" value="yes"><button type="submit">Yes, close the meeting and approve cycle \(cycle.id)</button></form>\
            <p><a href="/meetings/\(meeting.id)">No, back to the meeting</a></p>
            """
        return Layout.page(title: "Close \(meeting.title)?", viewer: viewer, current: "/meetings", body: body)
    }

    /// Decision forms lay out like the stacked forms (labels above full-width fields, large targets on phones).
    static let decisionStyle: HTML = """
        <style>form.decision label{display:block;margin:.5rem 0 .2rem}form.decision select,form.decision textarea{display:block;width:100%;\
        max-width:32rem;padding:.4rem;font-size:1rem}form.decision button{margin-top:.4rem}section.zone-review{border-top:1px solid #ccd;\
        margin-top:1rem}</style>
        """

    /// A zone's decision form (commanders, while the meeting is open).
    static func decisionForm(_ meeting: Meeting, zone: String, current: ZoneDecisionRecord?, viewer: Viewer) -> HTML {
        let options = ZoneDecisionRecord.Decision.allCases.map { d -> HTML in
            let label = d == .approve ? "Approve" : d == .modify ? "Approve as modified" : "Reject"
            return "<option value=\"\(d.rawValue)\"\(current?.decision == d ? " selected" : "")>\(label)</option>"
        }
        return """
            <form class="decision" data-zone="\(zone)" method="post" action="/meetings/\(meeting.id)/decisions">\(Layout.csrfField(viewer))
            <input type="hidden" name="zone" value="\(zone)">
            <label for="decision-\(zone)">Decision on \(zone)</label><select id="decision-\(zone)" name="decision">\(options)</select>
            <label for="reason-\(zone)">Reason (required to modify or reject)</label><textarea id="reason-\(zone)" name="reason" rows="2"></textarea>
            <button type="submit">Record the decision on \(zone)</button>
            </form>
            """
    }
}
