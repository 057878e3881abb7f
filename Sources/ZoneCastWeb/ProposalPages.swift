import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastHTML
import ZoneCastReports
import ZoneCastStore
import ZoneCastZoning

/// A proposal with everything its review needs: the recorded cycle, its grid and surface, the analysts'
/// adjustments and the proposal as adjusted, and the zones in force it was proposed against.
struct ProposalContext: Sendable {
    let view: CycleView
    let jurisdiction: Jurisdiction
    let timeZone: TimeZone
    let grid: Grid
    let surface: RiskSurface
    let adjustments: [ProposalAdjustment]
    let adjusted: AdjustedProposal
    /// The zones in force when the proposal was made (ids from that cycle when found), with their cells.
    let activeCycleID: String?
    let activeZones: [(id: String, cells: [Int])]

    var cycle: ZoneCycle { view.cycle }
    var cycleID: String { view.cycle.id }
    /// Adjustments and decisions are open while the stored cycle is a proposal.
    var isOpen: Bool { view.record.status == .proposed }
    var comparison: [ZoneComparison] { ZoneComparison.compare(proposed: adjusted.zones, active: activeZones, surface: surface) }
}

extension PlanningInputError {
    var web: WebError { WebError.invalid(field, value, reason) }
}

extension WebEnvironment {
    func proposalContext(_ cycleID: String) async throws -> ProposalContext {
        let view = try cycleView(id: cycleID)
        guard let jurisdiction = try store.jurisdiction() else { throw WebError(.notFound, "no jurisdiction: import incidents first") }
        let grid = await surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters)
        let surface = try await surfaces.surface(of: view.cycle, store: store)
        let adjustments = try store.documents(ProposalAdjustment.self, group: cycleID).inOrder
        let adjusted: AdjustedProposal
        do { adjusted = try ProposalAdjustments.apply(adjustments, to: view.cycle.zones, surface: surface) } catch {
            throw WebError(.conflict, "the recorded adjustments of cycle \(cycleID) no longer apply: \(error)")
        }
        // Name the zones in force after the cycle they came from, matched by their cells.
        let p = view.cycle.provenance
        var named: [(id: String, cells: [Int])] = []
        let activeView = try p.activeCycleID.flatMap { try store.cycle(id: $0) }.map(cycleView)
        for (k, cells) in p.activeZones.enumerated() {
            let id = activeView?.cycle.zones.first { $0.zone.cells == cells }?.id ?? "A\(k + 1)"
            named.append((named.contains { $0.id == id } ? "A\(k + 1)" : id, cells))
        }
        return ProposalContext(view: view, jurisdiction: jurisdiction, timeZone: TimeZone(identifier: jurisdiction.timeZoneIdentifier) ?? .gmt, grid: grid,
                               surface: surface, adjustments: adjustments, adjusted: adjusted, activeCycleID: p.activeCycleID, activeZones: named)
    }
}

enum ProposalPage {
    static func number(_ x: Double) -> String { String(format: x >= 100 ? "%.0f" : "%.1f", x) }

    static func percent(_ x: Double, of total: Double) -> String { total > 0 ? String(format: "%.1f %%", 100 * x / total) : "-" }

    /// A map framed on some zones (the whole jurisdiction when there are none).
    static func map(id: String, label: String, ctx: ProposalContext, zones: [(id: String, cells: [Int], kind: MapCanvas.ZoneKind)], surface: Bool, width: Double = 520) -> HTML {
        let cells = zones.flatMap(\.cells)
        var canvas: MapCanvas?
        if cells.isEmpty {
            canvas = MapCanvas(jurisdiction: ctx.jurisdiction, width: width)
        } else {
            let g = ctx.grid, s = g.cellSizeMeters
            let cols = cells.map(g.column(of:)), rows = cells.map(g.row(of:))
            let box = PlanarBoundingBox(minX: g.originX + Double(cols.min()!) * s, minY: g.originY + Double(rows.min()!) * s,
                                        maxX: g.originX + Double(cols.max()! + 1) * s, maxY: g.originY + Double(rows.max()! + 1) * s)
            canvas = MapCanvas(projection: ctx.jurisdiction.projection, bounds: box, width: width, marginMeters: 600)
        }
        guard var canvas else { return .empty }
        if surface { canvas.addSurface(ctx.surface, count: 600) }
        canvas.addBoundary(ctx.jurisdiction.boundary)
        for z in zones { canvas.addZone(id: z.id, cells: z.cells, grid: ctx.grid, kind: z.kind, link: nil) }
        return canvas.svg(id: id, label: label)
    }

    /// Where a set of cells is, in words an officer can use: the centre's latitude and longitude.
    static func centre(_ cells: [Int], ctx: ProposalContext) -> String {
        guard !cells.isEmpty else { return "" }
        let pts = cells.map(ctx.grid.center(of:))
        let c = PlanarPoint(xMeters: pts.reduce(0) { $0 + $1.xMeters } / Double(pts.count), yMeters: pts.reduce(0) { $0 + $1.yMeters } / Double(pts.count))
        let g = ctx.jurisdiction.projection.unproject(c)
        return String(format: "%.5f, %.5f", g.latitude, g.longitude)
    }

    static func actionLabel(_ a: ProposalAdjustment.Action) -> String {
        switch a {
        case .addCells: "add cells"
        case .suppressCells: "suppress cells"
        case .drawZone: "draw a zone"
        case .dropZone: "drop the zone"
        }
    }

    static func cellText(_ cells: [Int]) -> String {
        cells.count > 40 ? cells.prefix(40).map(String.init).joined(separator: ", ") + " … (\(cells.count) cells)" : cells.map(String.init).joined(separator: ", ")
    }

    /// The differences between the proposal as adjusted and the zones in force.
    static func differences(_ ctx: ProposalContext) -> String {
        let total = ctx.surface.total
        var s = "<table id=\"differences\"><thead><tr><th class=\"l\">proposed</th><th class=\"l\">in force</th><th class=\"l\">change</th><th>cells</th><th>cells added</th><th>cells removed</th><th>forecast harm (proposed)</th><th>share of city</th><th>forecast harm (zone in force)</th></tr></thead><tbody>"
        for c in ctx.comparison {
            let cells = c.proposedID.flatMap { ctx.adjusted.zone($0) }?.zone.cells.count
            s += "<tr class=\"change-\(c.change.rawValue)\"><td class=\"l\">\(LegacyHTML.escape(c.proposedID ?? "-"))</td><td class=\"l\">\(LegacyHTML.escape(c.activeID ?? "-"))</td><td class=\"l\">\(c.change.rawValue)</td>"
            s += "<td>\(cells.map(String.init) ?? "-")</td><td>\(c.cellsAdded.count)</td><td>\(c.cellsRemoved.count)</td>"
            s += "<td>\(c.proposedHarm.map(number) ?? "-")</td><td>\(c.proposedHarm.map { percent($0, of: total) } ?? "-")</td><td>\(c.activeHarm.map(number) ?? "-")</td></tr>"
        }
        let inForce = ctx.activeZones.reduce(0) { $0 + ctx.surface.value(of: $1.cells) }
        s += "</tbody><tfoot><tr><th class=\"l\" colspan=\"3\">all zones</th><td>\(ctx.adjusted.zones.reduce(0) { $0 + $1.zone.cells.count })</td><td></td><td></td>"
        s += "<td>\(number(ctx.adjusted.totalHarm))</td><td>\(percent(ctx.adjusted.totalHarm, of: total))</td><td>\(ctx.activeZones.isEmpty ? "-" : number(inForce))</td></tr></tfoot></table>"
        s += "<p class=\"note\">Forecast harm is the cycle's forecast (\(LegacyHTML.escape(ctx.cycle.provenance.model)) model, harm-weighted) summed over a zone's cells; zones in force are measured on the same forecast.</p>"
        for d in ctx.adjusted.dropped {
            s += "<p class=\"notice\">\(LegacyHTML.escape(d.zone.id)) was dropped by \(LegacyHTML.escape(d.adjustment.adjustedBy)): \(LegacyHTML.escape(d.adjustment.reason))</p>"
        }
        return s
    }

    /// One zone of the proposal as adjusted: size, harm, what the analysts changed and the optimiser's reasons.
    static func zoneSection(_ z: AdjustedZone, ctx: ProposalContext, headingLevel: Int = 3) -> String {
        let total = ctx.surface.total
        var s = "<h\(headingLevel) id=\"zone-\(LegacyHTML.escape(z.id))\">\(LegacyHTML.escape(z.id))\(z.origin == .drawn ? " (drawn by an analyst)" : z.isAdjusted ? " (adjusted)" : "")</h\(headingLevel)>"
        s += "<p>\(z.zone.cells.count) cells, \(String(format: "%.2f", z.zone.areaKm2)) km², \(String(format: "%.0f", z.zone.diameterMeters)) m across, centre \(LegacyHTML.escape(centre(z.zone.cells, ctx: ctx))). "
        s += "Forecast harm \(number(z.zone.value)) (\(percent(z.zone.value, of: total)) of the city)"
        if let p = z.proposed, z.isAdjusted { s += "; the optimiser's zone had \(number(p.zone.value)) over \(p.zone.cells.count) cells" }
        s += ".</p>"
        if !z.addedCells.isEmpty && z.origin == .optimiser { s += "<p>Cells added: \(LegacyHTML.escape(cellText(z.addedCells)))</p>" }
        if !z.removedCells.isEmpty { s += "<p>Cells suppressed: \(LegacyHTML.escape(cellText(z.removedCells)))</p>" }
        if let p = z.proposed {
            if !p.reason.isEmpty { s += "<p>Status against the zones in force: \(p.status.rawValue) (\(LegacyHTML.escape(p.reason))).</p>" }
            s += "<p class=\"explanation\"><strong>Optimiser's explanation:</strong> \(LegacyHTML.escape(p.explanation.text))</p>"
        } else {
            s += "<p class=\"explanation\">Drawn by an analyst; the optimiser did not propose it.</p>"
        }
        if !z.adjustments.isEmpty {
            s += "<ul class=\"zone-adjustments\">"
            for a in z.adjustments {
                s += "<li>\(LegacyHTML.escape(actionLabel(a.action)))\(a.cells.isEmpty ? "" : " (\(a.cells.count) cells)") by \(LegacyHTML.escape(a.adjustedBy)) at \(LegacyHTML.escape(localText(a.adjustedAt, timeZone: ctx.timeZone))): \(LegacyHTML.escape(a.reason))</li>"
            }
            s += "</ul>"
        }
        s += "<details><summary>Cell numbers</summary><p>\(LegacyHTML.escape(cellText(z.zone.cells)))</p></details>"
        return s
    }

    static func adjustmentsTable(_ ctx: ProposalContext) -> String {
        guard !ctx.adjustments.isEmpty else { return "<p id=\"adjustments\">No adjustments recorded: the proposal stands as the optimiser made it.</p>" }
        var s = "<table id=\"adjustments\"><thead><tr><th>#</th><th class=\"l\">when</th><th class=\"l\">by</th><th class=\"l\">action</th><th class=\"l\">zone</th><th class=\"l\">cells</th><th class=\"l\">reason</th></tr></thead><tbody>"
        for (k, a) in ctx.adjustments.enumerated() {
            s += "<tr><td>\(k + 1)</td><td class=\"l\">\(LegacyHTML.escape(localText(a.adjustedAt, timeZone: ctx.timeZone)))</td><td class=\"l\">\(LegacyHTML.escape(a.adjustedBy))</td><td class=\"l\">\(LegacyHTML.escape(actionLabel(a.action)))</td>"
            s += "<td class=\"l\">\(LegacyHTML.escape(a.zoneID))</td><td class=\"l\">\(LegacyHTML.escape(cellText(a.cells)))</td><td class=\"l\">\(LegacyHTML.escape(a.reason))</td></tr>"
        }
        return s + "</tbody></table>"
    }

    /// The analyst's form: one adjustment at a time, each with a reason.
    static func adjustForm(_ ctx: ProposalContext, viewer: Viewer) -> String {
        let zoneOptions = ctx.adjusted.zones.map { "<option value=\"\(LegacyHTML.escape($0.id))\">\(LegacyHTML.escape($0.id))</option>" }.joined()
        let next = ProposalAdjustments.nextDrawnID(ctx.adjusted)
        return """
            <form class="stack" id="adjust-form" method="post" action="/proposals/\(LegacyHTML.escape(ctx.cycleID))/adjustments">\(Layout.csrfField(viewer))
            <label>Adjustment <select name="action">
            <option value="add-cells">Add cells to a zone</option><option value="suppress-cells">Suppress cells from a zone</option>
            <option value="draw-zone">Draw a new zone (it will be \(LegacyHTML.escape(next)))</option><option value="drop-zone">Drop a zone</option></select></label>
            <label>Zone (not used when drawing) <select name="zone">\(zoneOptions)</select></label>
            <p class="note">Give the cells in any of three ways (they are combined): cell numbers, a point with a radius, or points.</p>
            <label>Cell numbers, separated by commas <input type="text" name="cells" inputmode="numeric" placeholder="e.g. 48211, 48212"></label>
            <label>A point (latitude, longitude) <input type="text" name="point" placeholder="e.g. 39.0997, -94.5786"></label>
            <label>Radius around the point in metres <input type="number" name="radius" min="1" max="2000" step="1" placeholder="150"></label>
            <label>Points, one per line (one or two: the cells holding them; three or more: the outline of an area) <textarea name="points" rows="3"></textarea></label>
            <label>Reason (required; it is logged and shown at the IRIS meeting) <textarea name="reason" required rows="3"></textarea></label>
            <button type="submit">Record the adjustment</button>
            </form>
            """
    }
}
