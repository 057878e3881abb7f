import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastZoning

/// Proposal review: every cycle with its status; one proposal against the zones in force, with the optimiser's
/// reasons and the analysts' adjustments (recorded beside the proposal, never in it).
func addProposalsRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.pages(requiring: .viewAllZones, env: env).get("/proposals") { request, context -> Response in
        let viewer = try context.viewer
        let rows = try await proposalRows(env)
        return await html(Layout.page(title: "Proposals", viewer: viewer, current: "/proposals", body: ProposalView.list(rows, timeZone: try env.timeZone())))
    }

    router.pages(requiring: .viewAllZones, env: env).get("/proposals/{cycle}") { request, context -> Response in
        let viewer = try context.viewer
        let cycleID = try context.parameters.require("cycle")
        var ctx = try await env.proposalContext(cycleID)
        ctx.recentRecord = try await env.recentRecordText(ctx.cycle)
        let meeting = try await env.store.documents(Meeting.self, group: cycleID).last
        let body = ProposalView.page(ctx, viewer: viewer, meeting: meeting, now: env.clock())
        try await env.audit(viewer, .viewZones, "proposal \(cycleID)")
        return html(Layout.page(title: "Proposal \(cycleID)", viewer: viewer, current: "/proposals", body: body))
    }

    router.pages(requiring: .adjustProposal, env: env).post("/proposals/{cycle}/adjustments") { request, context -> Response in
        let viewer = try context.viewer
        let form = try context.form
        let cycleID = try context.parameters.require("cycle")
        let ctx = try await env.proposalContext(cycleID)
        guard ctx.isOpen else {
            throw WebError(.conflict, "Cycle \(cycleID) is \(ctx.view.record.status.rawValue): a proposal can no longer be adjusted once an IRIS meeting "
                           + "has approved it.")
        }
        do {
            try await recordAdjustment(form, ctx: ctx, env: env, viewer: viewer)
            return redirect("/proposals/\(cycleID)#adjustments")
        } catch let error as WebError where error.kind == .badRequest {
            return try await refusedAdjustment(error.message, form: form, ctx: ctx, env: env, viewer: viewer)
        } catch let error as PlanningInputError {
            return try await refusedAdjustment(error.web.message, form: form, ctx: ctx, env: env, viewer: viewer)
        }
    }
}

/// Checks and records one adjustment from the form; bad input is a 400 `WebError` or a `PlanningInputError` naming
/// the field and value, and nothing is recorded.
private func recordAdjustment(_ form: Form, ctx: ProposalContext, env: WebEnvironment, viewer: Viewer) async throws {
    let cycleID = ctx.cycleID
    let action = try form.choice("action", ProposalAdjustment.Action.self)
    let reason = try form.text("reason", maxLength: 2_000)
    let zoneID = action == .drawZone ? ProposalAdjustments.nextDrawnID(ctx.adjusted) : try form.text("zone")
    let cells = action == .dropZone ? [] : try selectedCells(form, ctx: ctx)
    var adjustment = ProposalAdjustment(id: env.newID("adj"), cycleID: cycleID, zoneID: zoneID, action: action, cells: cells, reason: reason,
                                        adjustedBy: viewer.username, adjustedAt: env.clock())
    adjustment.sequence = (ctx.adjustments.compactMap(\.sequence).max() ?? ctx.adjustments.count) + 1
    let after = try ProposalAdjustments.validate(adjustment, on: ctx.adjusted, constraints: ctx.cycle.provenance.constraints, surface: ctx.surface)
    let harm = after.zone(zoneID).map { ProposalView.number($0.zone.value) } ?? "-"
    try await env.store.apply([.save(adjustment), .audit(env.draft(viewer, .adjustProposal, "\(cycleID)/\(zoneID)",
                                                              "\(action.rawValue) \(cells.count) cell(s); forecast harm now \(harm): \(reason)"))])
}

/// A refused adjustment: the proposal page again (400), inside the normal layout, saying why at the top, with the
/// form holding what was typed. The page shows zone locations, so it is logged like the GET.
private func refusedAdjustment(_ message: String, form: Form, ctx: ProposalContext, env: WebEnvironment, viewer: Viewer) async throws -> Response {
    var ctx = ctx
    ctx.recentRecord = try await env.recentRecordText(ctx.cycle)
    let meeting = try await env.store.documents(Meeting.self, group: ctx.cycleID).last
    let why = message.hasSuffix(".") ? String(message.dropLast()) : message
    let body = ProposalView.page(ctx, viewer: viewer, meeting: meeting, now: env.clock(), refusal: (why, form))
    try await env.audit(viewer, .viewZones, "proposal \(ctx.cycleID)", "adjustment refused: \(why)")
    return html(Layout.page(title: "Proposal \(ctx.cycleID)", viewer: viewer, current: "/proposals", body: body), status: .badRequest)
}

/// Every recorded cycle, newest first, with its zones, adjustments and IRIS meeting; statuses at the database's time
/// (in an exercise, the data's), as the dashboard and deployments read them.
private func proposalRows(_ env: WebEnvironment) async throws -> [ProposalView.ListRow] {
    let now = try await env.dataTime().now
    let meetings = try await env.store.documents(Meeting.self)
    return try await env.store.cycles().asyncMap { r in
        let cycle = try? JSONDecoder.zoneCast.decode(ZoneCycle.self, from: r.document)
        let zones = cycle.map { c in c.approvedZones.map { "\($0.count) approved of \(c.zones.count)" } ?? String(c.zones.count) } ?? "?"
        return ProposalView.ListRow(record: r, status: r.status(at: now), zones: zones,
                                    adjustments: try await env.store.documents(kind: ProposalAdjustment.kind, group: r.id).count,
                                    meeting: meetings.last { $0.cycleID == r.id })
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
