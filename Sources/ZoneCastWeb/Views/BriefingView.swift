import Foundation
import ZoneCastCore
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastZoning
import ZoneCastAccess

/// An IRIS meeting's printable briefing: the agenda, each zone with its map and decision, the decisions and the
/// minutes, with the confidentiality banner at the top and the foot of the printout.
struct BriefingView {
    let viewer: Viewer
    let meeting: Meeting
    let agenda: MeetingAgenda
    let jurisdiction: Jurisdiction?
    let timeZone: TimeZone
    let now: Date

    var html: HTML { Layout.page(title: "IRIS briefing: \(meeting.title)", viewer: viewer, current: "/meetings", body: body) }

    /// Repeated on every printed page (Chromium repeats a `position: fixed` element on each page in print), so a
    /// loose page still says whose copy it was and when it was printed.
    private var runningBanner: HTML {
        """
        <div class="running-confidential" aria-hidden="true">CONFIDENTIAL: patrol zone locations. \(viewer.account.displayName) \
        (\(viewer.username)), \(localText(Layout.viewedAt(now), timeZone: timeZone)). Do not share outside the department.</div>
        """
    }

    /// The city overview: every zone of the proposal on one map, on the first printed page. The zones follow, one
    /// page each, then the agenda's figures, the decisions and the minutes in a compact print (so four zones print
    /// on six pages at most; the footer banner is left to the running one in print).
    /// Once the cycle is approved it shows the approved zones only, as zones in force: a walk-through's briefing drew
    /// a rejected zone on its first pages exactly like the approved ones, where an officer might take it for one.
    private var overview: HTML? {
        guard let ctx = agenda.proposal, !ctx.adjusted.zones.isEmpty else { return nil }
        let approvedCells = ctx.cycle.approvedZones.map { Set($0.map(\.cells)) }
        let shown = approvedCells.map { cells in ctx.adjusted.zones.filter { cells.contains($0.zone.cells) } } ?? ctx.adjusted.zones
        let left = ctx.adjusted.zones.map(\.id).filter { id in !shown.contains { $0.id == id } }
        let zones = ProposalView.mapZones(shown.map { ($0.id, $0.zone.cells) }, status: approvedCells == nil ? .proposed : .active)
        let label = approvedCells == nil ? "All zones of cycle \(ctx.cycleID)" : "Approved zones of cycle \(ctx.cycleID)"
        let map = ProposalView.map(id: "overview-map", label: label, ctx: ctx, zones: zones, surface: true,
                                   width: 640, zoomable: false, maxHeightPixels: 520)
        let note: HTML? = left.isEmpty ? nil : "<p class=\"note\" id=\"overview-not-approved\">Not approved, not drawn: \(left.joined(separator: ", ")).</p>"
        return "<section class=\"briefing-overview\"><h2>City overview</h2>\(map)\(note)</section>"
    }

    private var body: HTML {
        let tz = timeZone
        let banner = Layout.confidential(viewer, at: now, timeZone: tz)
        let proposal: HTML? = meeting.cycleID.map { id -> HTML in " · proposal \(id)" }
        let outcome: HTML? = meeting.outcome.map { o -> HTML in "<p><strong>Outcome:</strong> \(o)</p>" }
        return """
            \(runningBanner)\(banner)\(Layout.syntheticBanner(jurisdiction?.isSynthetic ?? false))<p class="no-print">Use the browser's Print command; \
            navigation and forms are left off the printout. <a href="/meetings/\(meeting.id)">Back to the meeting</a></p>\
            <p>\(localText(meeting.scheduledAt, timeZone: tz)) · \(meeting.status == .closed ? "closed" : "open")\(proposal)</p>\(outcome)\
            <h2>Attendees</h2>\(MeetingView.attendeesList(meeting))\(overview)<h2 class="no-print">Zones</h2>\(zones)\
            <section class="briefing-agenda"><p class="print-only note">Printed tables show their first 6 rows, without the notes; \
            the meeting page has them all.</p>\
            \(MeetingView.agendaFigures(agenda, jurisdiction: jurisdiction, timeZone: tz))\
            <h2>Decisions</h2>\(MeetingView.decisionsTable(meeting, timeZone: tz))\
            <h2>Minutes</h2>\(MeetingView.minutesText(meeting))</section><footer id="briefing-footer" class="no-print">\(banner)</footer>
            """
    }

    private var zones: HTML {
        guard let ctx = agenda.proposal else { return "<p>No proposal under review.</p>" }
        let approvedCells = ctx.cycle.approvedZones.map { Set($0.map(\.cells)) }
        let sections = ctx.adjusted.zones.map { z -> HTML in
            let section: HTML = ProposalView.zoneSection(z, ctx: ctx)
            let inForce: HTML? = approvedCells.map { cells -> HTML in
                "<p>\(cells.contains(z.zone.cells) ? "In force in the approved cycle." : "Not in the approved cycle.")</p>"
            }
            return """
                <section class="briefing-zone" data-zone="\(z.id)">\(section)\(Self.zoneMap(z, ctx: ctx))\(Self.units(z.id, ctx: ctx))\
                <div class="guidance">\(OfficerView.guidanceText)</div>\(decision(on: z.id))\(inForce)</section>
                """
        }
        let dropped = ctx.adjusted.dropped.map { d -> HTML in "<p>\(d.zone.id) was dropped by the analysts: \(d.adjustment.reason)</p>" }
        return "\(sections)\(dropped)"
    }

    private func decision(on zone: String) -> HTML {
        guard let d = meeting.currentDecisions[zone] else { return "<p><strong>Decision:</strong> not yet taken.</p>" }
        return """
            <p><strong>Decision:</strong> \(MeetingView.decisionWord(d.decision)) by \(d.decidedBy) at \(localText(d.decidedAt, timeZone: timeZone))\
            \(d.reason.isEmpty ? "" : ": \(d.reason)")</p>
            """
    }

    /// The units assigned to a zone in the cycle's deployment (an approved cycle's; none before the meeting approves it).
    static func units(_ zone: String, ctx: ProposalContext) -> HTML {
        let units = ctx.view.deployments[zone].map { $0.units.isEmpty ? "none (withdrawn)" : $0.units.map(\.name).joined(separator: ", ") }
        return "<p class=\"briefing-units\" id=\"units-\(zone)\"><strong>Units assigned:</strong> \(units ?? "not assigned yet")</p>"
    }

    /// A zone's map, framed on the zone.
    static func zoneMap(_ z: AdjustedZone, ctx: ProposalContext) -> HTML {
        ProposalView.map(id: "map-\(z.id)", label: "Zone \(z.id) of cycle \(ctx.cycleID)", ctx: ctx,
                         zones: ProposalView.mapZones([(z.id, z.zone.cells)], status: .proposed), surface: true, width: 640, zoomable: false)
    }
}
