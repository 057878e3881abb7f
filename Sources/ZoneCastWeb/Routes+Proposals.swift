import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastHTML
import ZoneCastReports
import ZoneCastStore

/// Proposal review: every cycle with its status; one proposal against the zones in force, with the optimiser's
/// reasons and the analysts' adjustments (recorded beside the proposal, never in it).
func addProposalsRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.get("/proposals") { request, _ -> Response in
        let viewer = try await env.viewer(request, requiring: .viewAllZones)
        let tz = try env.timeZone()
        let now = env.clock()
        let meetings = try env.store.documents(Meeting.self)
        var body = "<p>Every recorded cycle, newest first. A proposal awaits its IRIS meeting; analysts may adjust it until the meeting approves it.</p>"
        let records = try env.store.cycles()
        if records.isEmpty {
            body += "<p>No proposals yet: an analyst runs <code>zonecast propose</code>.</p>"
        } else {
            body += "<table id=\"proposals\"><thead><tr><th class=\"l\">cycle</th><th class=\"l\">status</th><th class=\"l\">from</th><th class=\"l\">to</th><th>zones</th><th>adjustments</th><th class=\"l\">IRIS meeting</th></tr></thead><tbody>"
            for r in records {
                let cycle = try? JSONDecoder.zoneCast.decode(ZoneCycle.self, from: r.document)
                let adjustments = try env.store.documents(kind: ProposalAdjustment.kind, group: r.id).count
                let meeting = meetings.last { $0.cycleID == r.id }
                let zones = cycle.map { c in c.approvedZones.map { "\($0.count) approved of \(c.zones.count)" } ?? String(c.zones.count) } ?? "?"
                body += "<tr><td class=\"l\"><a href=\"/proposals/\(LegacyHTML.escape(r.id))\">\(LegacyHTML.escape(r.id))</a></td><td class=\"l\">\(r.status(at: now).rawValue)</td>"
                body += "<td class=\"l\">\(LegacyHTML.escape(localText(r.startsAt, timeZone: tz)))</td><td class=\"l\">\(LegacyHTML.escape(localText(r.endsAt, timeZone: tz)))</td>"
                body += "<td>\(LegacyHTML.escape(zones))</td><td>\(adjustments)</td><td class=\"l\">\(meeting.map { "<a href=\"/meetings/\(LegacyHTML.escape($0.id))\">\(LegacyHTML.escape($0.title))</a> (\($0.status.rawValue))" } ?? "-")</td></tr>"
            }
            body += "</tbody></table>"
        }
        return html(Layout.page(title: "Proposals", viewer: viewer, current: "/proposals", body: body))
    }

    router.get("/proposals/{cycle}") { request, context -> Response in
        let viewer = try await env.viewer(request, requiring: .viewAllZones)
        let cycleID = try context.parameters.require("cycle")
        let ctx = try await env.proposalContext(cycleID)
        let now = env.clock()
        let tz = ctx.timeZone
        let meeting = try env.store.documents(Meeting.self, group: cycleID).last
        var body = Layout.syntheticBanner(ctx.jurisdiction.isSynthetic) + Layout.confidential(viewer, at: now, timeZone: tz)
        body += "<p>Cycle \(LegacyHTML.escape(cycleID)) (\(ctx.view.status.rawValue)), \(LegacyHTML.escape(localText(ctx.cycle.startsAt, timeZone: tz))) to \(LegacyHTML.escape(localText(ctx.cycle.endsAt, timeZone: tz))); "
        body += "\(LegacyHTML.escape(ctx.cycle.provenance.model)) forecast from \(ctx.cycle.provenance.incidentCount) incidents; \(ctx.cycle.zones.count) zone(s) proposed by the optimiser, \(ctx.adjusted.zones.count) after \(ctx.adjustments.count) adjustment(s).</p>"
        if let meeting {
            body += "<p>Under review at <a href=\"/meetings/\(LegacyHTML.escape(meeting.id))\">\(LegacyHTML.escape(meeting.title))</a>, \(LegacyHTML.escape(localText(meeting.scheduledAt, timeZone: tz))) (\(meeting.status.rawValue)).</p>"
        }
        if let reason = ctx.cycle.approvalReason { body += "<p class=\"ok\">Approved: \(LegacyHTML.escape(reason))</p>" }
        body += "<div class=\"cols\"><div><h2>The proposal as adjusted</h2>"
        body += ProposalPage.map(id: "proposal-map", label: "Proposed zones of cycle \(cycleID) as adjusted, over the forecast", ctx: ctx,
                                 zones: ctx.adjusted.zones.map { ($0.id, $0.zone.cells, MapCanvas.ZoneKind.proposed) }, surface: true)
        body += "</div><div><h2>Zones in force\(ctx.activeCycleID.map { " (cycle \(LegacyHTML.escape($0)))" } ?? "")</h2>"
        if ctx.activeZones.isEmpty {
            body += "<p>No zones were in force when this proposal was made.</p>"
        } else {
            body += ProposalPage.map(id: "active-map", label: "Zones in force when cycle \(cycleID) was proposed", ctx: ctx,
                                     zones: ctx.activeZones.map { ($0.id, $0.cells, MapCanvas.ZoneKind.active) } + ctx.adjusted.zones.map { ($0.id, $0.zone.cells, MapCanvas.ZoneKind.proposed) }, surface: false)
            body += "<p class=\"note\">Blue: zones in force; orange: the proposal as adjusted.</p>"
        }
        body += "</div></div>"
        body += "<h2>Differences from the zones in force</h2>" + ProposalPage.differences(ctx)
        body += "<h2>Zones and the optimiser's reasons</h2>"
        for z in ctx.adjusted.zones { body += "<section class=\"zone-review\">" + ProposalPage.zoneSection(z, ctx: ctx) + "</section>" }
        for r in ctx.cycle.retired { body += "<p class=\"notice\">Retired by the stability rules: \(LegacyHTML.escape(r.reason))</p>" }
        body += "<h2>Adjustments recorded</h2>" + ProposalPage.adjustmentsTable(ctx)
        if viewer.may(.adjustProposal) {
            body += "<h2 class=\"no-print\">Adjust the proposal</h2>"
            body += ctx.isOpen ? ProposalPage.adjustForm(ctx, viewer: viewer)
                : "<p>The cycle is \(ctx.view.record.status.rawValue): adjustments are closed.</p>"
        }
        try env.audit(viewer, .viewZones, "proposal \(cycleID)")
        return html(Layout.page(title: "Proposal \(cycleID)", viewer: viewer, current: "/proposals", body: body))
    }

    router.post("/proposals/{cycle}/adjustments") { request, context -> Response in
        let viewer = try await env.viewer(request, requiring: .adjustProposal)
        let form = try await Form.read(request)
        try env.checkCSRF(form, viewer)
        let cycleID = try context.parameters.require("cycle")
        let ctx = try await env.proposalContext(cycleID)
        guard ctx.isOpen else {
            throw WebError(.conflict, "Cycle \(cycleID) is \(ctx.view.record.status.rawValue): a proposal can no longer be adjusted once an IRIS meeting has approved it.")
        }
        let action = try form.choice("action", ProposalAdjustment.Action.self)
        let reason = try form.text("reason", maxLength: 2_000)
        let zoneID = action == .drawZone ? ProposalAdjustments.nextDrawnID(ctx.adjusted) : try form.text("zone")
        let cells = action == .dropZone ? [] : try selectedCells(form, ctx: ctx)
        var adjustment = ProposalAdjustment(id: env.newID("adj"), cycleID: cycleID, zoneID: zoneID, action: action, cells: cells, reason: reason,
                                            adjustedBy: viewer.username, adjustedAt: env.clock())
        adjustment.sequence = (ctx.adjustments.compactMap(\.sequence).max() ?? ctx.adjustments.count) + 1
        let after: AdjustedProposal
        do { after = try ProposalAdjustments.validate(adjustment, on: ctx.adjusted, constraints: ctx.cycle.provenance.constraints, surface: ctx.surface) } catch let e as PlanningInputError { throw e.web }
        let harm = after.zone(zoneID).map { ProposalPage.number($0.zone.value) } ?? "-"
        try env.store.apply([.save(adjustment), .audit(env.draft(viewer, .adjustProposal, "\(cycleID)/\(zoneID)",
                                                                  "\(action.rawValue) \(cells.count) cell(s); forecast harm now \(harm): \(reason)"))])
        return redirect("/proposals/\(cycleID)#adjustments")
    }
}

/// The cells an analyst gave: cell numbers, a point with a radius, points (one or two) or an outline (three or
/// more), combined. Each field's mistakes are reported by name.
private func selectedCells(_ form: Form, ctx: ProposalContext) throws -> [Int] {
    var cells = Set<Int>()
    let projection = ctx.jurisdiction.projection.prepared()
    do {
        let numbers = try form.text("cells", required: false, maxLength: 20_000)
        cells.formUnion(try CellSelection.indices(numbers))
        let pointText = try form.text("point", required: false, maxLength: 100)
        let radius = try form.double("radius", range: 1...2_000)
        if !pointText.isEmpty {
            guard let radius else { throw WebError.invalid("radius", "", "give a radius in metres with the point") }
            let point = try CellSelection.point(pointText, field: "point")
            let found = CellSelection.cells(around: projection.project(point), radiusMeters: radius, grid: ctx.grid)
            if found.isEmpty { throw WebError.invalid("point", pointText, "is outside the jurisdiction's grid") }
            cells.formUnion(found)
        } else if let radius {
            throw WebError.invalid("point", "", "give a point (latitude, longitude) for the \(Int(radius)) m radius")
        }
        let pointsText = try form.text("points", required: false, maxLength: 20_000)
        let points = try CellSelection.points(pointsText, field: "points")
        if !points.isEmpty {
            let found = try CellSelection.cells(outlinedBy: points.map { projection.project($0) }, grid: ctx.grid, field: "points")
            if found.isEmpty { throw WebError.invalid("points", pointsText, "no cell of the jurisdiction's grid lies there") }
            cells.formUnion(found)
        }
    } catch let e as PlanningInputError {
        throw e.web
    }
    guard !cells.isEmpty else {
        throw WebError.invalid("cells", "", "give cell numbers, a point with a radius, or points")
    }
    if cells.count > 2_000 { throw WebError.invalid("cells", "\(cells.count) cells", "too many cells for one zone") }
    return cells.sorted()
}
