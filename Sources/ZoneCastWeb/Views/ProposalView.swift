import Foundation
import ZoneCastAccess
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastZoning
import ZoneCastCore

/// Proposal review: the list of every cycle, and one proposal against the zones in force with the optimiser's
/// reasons and the analysts' adjustments.
enum ProposalView {
    /// One recorded cycle in the list.
    struct ListRow {
        let record: CycleRecord
        let status: CycleStatus
        /// "3", "2 approved of 3", or "?" when the document does not decode.
        let zones: String
        let adjustments: Int
        let meeting: Meeting?
    }

    static func list(_ rows: [ListRow], timeZone tz: TimeZone) -> HTML {
        let intro: HTML = """
            <p>Every recorded cycle, newest first. A proposal awaits its IRIS meeting; analysts may adjust it until the meeting approves it.</p>
            """
        guard !rows.isEmpty else { return intro + "<p>No proposals yet: an analyst runs <code>zonecast propose</code>.</p>" }
        let body = rows.map { r -> HTML in
            let meeting: HTML = r.meeting.map { m -> HTML in "<a href=\"/meetings/\(m.id)\">\(m.title)</a> (\(m.status.rawValue))" } ?? "-"
            return """
                <tr><td class="l"><a href="/proposals/\(r.record.id)">\(r.record.id)</a></td><td class="l">\(r.status.rawValue)</td>\
                <td class="l">\(localText(r.record.startsAt, timeZone: tz))</td><td class="l">\(localText(r.record.endsAt, timeZone: tz))</td>\
                <td>\(r.zones)</td><td>\(r.adjustments)</td><td class="l">\(meeting)</td></tr>
                """
        }
        return intro + """
            <table id="proposals"><thead><tr><th class="l">cycle</th><th class="l">status</th><th class="l">from</th><th class="l">to</th>\
            <th>zones</th><th>adjustments</th><th class="l">IRIS meeting</th></tr></thead><tbody>\(body)</tbody></table>
            """
    }

    /// One proposal: what it is, the maps, the differences from the zones in force, each zone with its reasons, the
    /// adjustments recorded and (for analysts, while it is open) the form to adjust it. After a refused adjustment,
    /// `refusal` says why at the top and the form keeps what was typed.
    static func page(_ ctx: ProposalContext, viewer: Viewer, meeting: Meeting?, now: Date, refusal: (message: String, form: Form)? = nil) -> HTML {
        let tz = ctx.timeZone
        let review: HTML? = meeting.map { m -> HTML in
            """
            <p>Under review at <a href="/meetings/\(m.id)">\(m.title)</a>, \(localText(m.scheduledAt, timeZone: tz)) (\(m.status.rawValue)).</p>
            """
        }
        let approved: HTML? = ctx.cycle.approvalReason.map { "<p class=\"ok\">Approved: \($0)</p>" }
        let zones = ctx.adjusted.zones.map { z -> HTML in "<section class=\"zone-review\">\(zoneSection(z, ctx: ctx))</section>" }
        let retired = ctx.cycle.retired.map { r -> HTML in "<p class=\"notice\">Retired by the stability rules: \(r.reason)</p>" }
        let refused: HTML? = refusal.map { r -> HTML in
            """
            <p class="error" role="alert" id="adjust-error">The adjustment was not recorded: \(r.message). \
            <a href="#adjust-form">Correct it in the form</a>, which keeps what you typed.</p>
            """
        }
        let record: HTML? = ctx.recentRecord.map { r -> HTML in "<p id=\"recent-record\">\(r)</p>" }
        return """
            \(Layout.syntheticBanner(ctx.jurisdiction.isSynthetic))\(Layout.confidential(viewer, at: now, timeZone: tz))\(refused)\
            <p>Cycle \(ctx.cycleID) (\(ctx.view.status.rawValue)), \(localText(ctx.cycle.startsAt, timeZone: tz)) to \
            \(localText(ctx.cycle.endsAt, timeZone: tz)); \(ctx.cycle.provenance.modelShown) forecast from \(ctx.cycle.provenance.incidentCount) \
            incidents; \(ctx.cycle.zones.count) zone(s) proposed by the optimiser, \(ctx.adjusted.zones.count) after \
            \(ctx.adjustments.count) adjustment(s).</p>\(record)\(review)\(approved)\(maps(ctx))\
            <h2>Differences from the zones in force</h2>\(differences(ctx))<h2>Zones and the optimiser's reasons</h2>\(zones)\(retired)\
            <h2>Adjustments recorded</h2>\(adjustmentsTable(ctx))\(adjusting(ctx, viewer: viewer, form: refusal?.form))
            """
    }

    /// The proposal as adjusted over the forecast, beside the zones in force with the proposal over them.
    static func maps(_ ctx: ProposalContext) -> HTML {
        let proposed = mapZones(ctx.adjusted.zones.map { ($0.id, $0.zone.cells) }, status: .proposed)
        let adjustField: String? = ctx.isOpen ? "adjust-cells" : nil
        let proposalMap = map(id: "proposal-map", label: "Proposed zones of cycle \(ctx.cycleID) as adjusted, over the forecast", ctx: ctx,
                              zones: proposed, surface: true, adjustField: adjustField)
        let inForce: HTML
        if ctx.activeZones.isEmpty {
            inForce = "<p>No zones were in force when this proposal was made.</p>"
        } else {
            let active = mapZones(ctx.activeZones, status: .active)
            let activeMap = map(id: "active-map", label: "Zones in force when cycle \(ctx.cycleID) was proposed", ctx: ctx,
                                zones: active + proposed, surface: false)
            inForce = "\(activeMap)<p class=\"note\">Solid outlines: zones in force; dashed outlines: the proposal as adjusted.</p>"
        }
        let cycle: HTML? = ctx.activeCycleID.map { " (cycle \($0))" }
        return """
            <div class="cols"><div><h2>The proposal as adjusted</h2>\(proposalMap)</div>\
            <div><h2>Zones in force\(cycle)</h2>\(inForce)</div></div>
            """
    }

    /// For analysts: the form while the cycle is a proposal, or why adjustments are closed.
    static func adjusting(_ ctx: ProposalContext, viewer: Viewer, form typed: Form? = nil) -> HTML? {
        guard viewer.may(.adjustProposal) else { return nil }
        let form: HTML = ctx.isOpen ? adjustForm(ctx, viewer: viewer, form: typed)
            : "<p>The cycle is \(ctx.view.record.status.rawValue): adjustments are closed.</p>"
        return "<h2 class=\"no-print\">Adjust the proposal</h2>\(form)"
    }
}
