import Foundation
import ZoneCastCore
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastZoning
import ZoneCastForecast
import ZoneCastStreets

/// Sections of a proposal shared by its review page and the IRIS meeting pages: maps, the differences from the
/// zones in force, one zone with the optimiser's reasons, the adjustments recorded and the analyst's form.
extension ProposalView {
    static func number(_ x: Double) -> String { HarmText.amount(x) }

    static func percent(_ x: Double, of total: Double) -> String { total > 0 ? String(format: "%.1f %%", 100 * x / total) : "-" }

    /// A map framed on some zones (the whole jurisdiction when there are none), drawn by `PageMap`: the forecast
    /// as a muted background when `surface`, zones as outlines (in force solid, proposed dashed), the grid's cells
    /// clickable when `adjustField` names the input they fill.
    static func map(id: String, label: String, ctx: ProposalContext, zones: [MapZone], surface: Bool, width: Double = 520,
                    zoomable: Bool = true, adjustField: String? = nil, maxHeightPixels: Double? = nil) -> HTML {
        guard let frame = PageMap.box(of: zones.flatMap(\.cells), grid: ctx.grid) ?? PageMap.box(of: ctx.jurisdiction) else { return .empty }
        let margin = zones.isEmpty ? 0.0 : 600
        var content = MapContent(lattice: PageMap.lattice(ctx.grid), surface: surface ? ctx.surface.values : nil,
                                 boundary: ctx.jurisdiction.boundary, zones: zones)
        if adjustField != nil { content.clickableCells = ctx.grid.activeCells }
        return PageMap.figure(id: id, title: label, projection: ctx.jurisdiction.projection, frame: frame, widthPixels: width,
                              marginMeters: margin, maxHeightPixels: maxHeightPixels, content: content, zoomable: zoomable,
                              adjustField: adjustField)
    }

    /// Zones as the map draws them, each linked to its zone page when a `cycleID` is given.
    static func mapZones(_ zones: [(id: String, cells: [Int])], status: MapZoneStatus, cycleID: String? = nil) -> [MapZone] {
        zones.map { z in
            MapZone(id: "\(status.rawValue)-\(z.id)", label: z.id, cells: z.cells, status: status, link: cycleID.map { "/zones/\($0)/\(z.id)" })
        }
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
        let shown = cells.prefix(40).map(String.init).joined(separator: ", ")
        return cells.count > 40 ? shown + " … (\(cells.count) cells)" : shown
    }

    /// The differences between the proposal as adjusted and the zones in force.
    static func differences(_ ctx: ProposalContext) -> HTML {
        let total = ctx.surface.total
        let rows = ctx.comparison.map { c -> HTML in
            let cells = c.proposedID.flatMap { ctx.adjusted.zone($0) }?.zone.cells.count
            return """
                <tr class="change-\(c.change.rawValue)"><td class="l">\(c.proposedID ?? "-")</td><td class="l">\(c.activeID ?? "-")</td>\
                <td class="l">\(c.change.rawValue)</td><td>\(cells.map(String.init) ?? "-")</td><td>\(c.cellsAdded.count)</td>\
                <td>\(c.cellsRemoved.count)</td><td>\(c.proposedHarm.map(number) ?? "-")</td>\
                <td>\(c.proposedHarm.map { percent($0, of: total) } ?? "-")</td><td>\(c.activeHarm.map(number) ?? "-")</td></tr>
                """
        }
        let inForce = ctx.activeZones.reduce(0) { $0 + ctx.surface.value(of: $1.cells) }
        let dropped = ctx.adjusted.dropped.map { d -> HTML in
            "<p class=\"notice\">\(d.zone.id) was dropped by \(d.adjustment.adjustedBy): \(d.adjustment.reason)</p>"
        }
        return """
            <table id="differences"><thead><tr><th class="l">proposed</th><th class="l">in force</th><th class="l">change</th><th>cells</th>\
            <th>cells added</th><th>cells removed</th><th>forecast harm (proposed)</th><th>share of city</th>\
            <th>forecast harm (zone in force)</th></tr></thead><tbody>\(rows)</tbody><tfoot><tr><th class="l" colspan="3">all zones</th>\
            <td>\(ctx.adjusted.zones.reduce(0) { $0 + $1.zone.cells.count })</td><td></td><td></td><td>\(number(ctx.adjusted.totalHarm))</td>\
            <td>\(percent(ctx.adjusted.totalHarm, of: total))</td><td>\(ctx.activeZones.isEmpty ? "-" : number(inForce))</td></tr></tfoot></table>\
            <p class="note">Forecast harm is the cycle's forecast (\(ctx.cycle.provenance.modelShown) model, harm-weighted) summed over a zone's \
            cells; zones in force are measured on the same forecast.</p>\(dropped)
            """
    }

    /// One zone of the proposal as adjusted: size, harm, what the analysts changed and the optimiser's reasons.
    static func zoneSection(_ z: AdjustedZone, ctx: ProposalContext, headingLevel h: Int = 3) -> HTML {
        let total = ctx.surface.total
        let kind: HTML? = z.origin == .drawn ? " (drawn by an analyst)" : z.isAdjusted ? " (adjusted)" : nil
        let optimiserHad: HTML? = z.proposed.flatMap { p -> HTML? in
            z.isAdjusted ? "; the optimiser's zone had \(number(p.zone.value)) over \(p.zone.cells.count) cells" : nil
        }
        let added: HTML? = !z.addedCells.isEmpty && z.origin == .optimiser ? "<p>Cells added: \(cellText(z.addedCells))</p>" : nil
        let suppressed: HTML? = z.removedCells.isEmpty ? nil : "<p>Cells suppressed: \(cellText(z.removedCells))</p>"
        let reasons: HTML
        if let p = z.proposed {
            let status: HTML? = p.reason.isEmpty ? nil : "<p>Status against the zones in force: \(p.status.rawValue) (\(p.reason)).</p>"
            reasons = "\(status)<p class=\"explanation\"><strong>Optimiser's explanation:</strong> \(p.explanation.text)</p>"
        } else {
            reasons = "<p class=\"explanation\">Drawn by an analyst; the optimiser did not propose it.</p>"
        }
        let items = z.adjustments.map { a -> HTML in
            let count: HTML? = a.cells.isEmpty ? nil : " (\(a.cells.count) cells)"
            return "<li>\(actionLabel(a.action))\(count) by \(a.adjustedBy) at \(localText(a.adjustedAt, timeZone: ctx.timeZone)): \(a.reason)</li>"
        }
        let adjustments: HTML? = items.isEmpty ? nil : "<ul class=\"zone-adjustments\">\(items)</ul>"
        return """
            <h\(h) id="zone-\(z.id)">\(z.id)\(kind)</h\(h)><p>\(z.zone.cells.count) cells, \(z.zone.areaKm2, decimals: 2) km², \
            \(z.zone.diameterMeters, decimals: 0) m across, centre \(centre(z.zone.cells, ctx: ctx)). Forecast harm \(number(z.zone.value)) \
            (\(percent(z.zone.value, of: total)) of the city)\(optimiserHad).</p>\(ZoneLocationText.paragraph(ctx.locations[z.id], id: "location-\(z.id)"))\
            \(added)\(suppressed)\(reasons)\(adjustments)\
            <details><summary>Cell numbers</summary><p>\(cellText(z.zone.cells))</p></details>
            """
    }

    static func adjustmentsTable(_ ctx: ProposalContext) -> HTML {
        guard !ctx.adjustments.isEmpty else {
            return "<p id=\"adjustments\">No adjustments recorded: the proposal stands as the optimiser made it.</p>"
        }
        let rows = ctx.adjustments.enumerated().map { k, a -> HTML in
            """
            <tr><td>\(k + 1)</td><td class="l">\(localText(a.adjustedAt, timeZone: ctx.timeZone))</td><td class="l">\(a.adjustedBy)</td>\
            <td class="l">\(actionLabel(a.action))</td><td class="l">\(a.zoneID)</td><td class="l">\(cellText(a.cells))</td>\
            <td class="l">\(a.reason)</td></tr>
            """
        }
        return """
            <table id="adjustments"><thead><tr><th>#</th><th class="l">when</th><th class="l">by</th><th class="l">action</th>\
            <th class="l">zone</th><th class="l">cells</th><th class="l">reason</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    /// The analyst's form: one adjustment at a time, each with a reason; after a refusal, refilled with what was sent.
    static func adjustForm(_ ctx: ProposalContext, viewer: Viewer, form: Form? = nil) -> HTML {
        func typed(_ name: String) -> String { form?[name] ?? "" }
        func selected(_ name: String, _ value: String) -> HTML? { form?[name] == value ? " selected" : nil }
        let zoneOptions = ctx.adjusted.zones.map { z -> HTML in "<option value=\"\(z.id)\"\(selected("zone", z.id))>\(z.id)</option>" }
        let next = ProposalAdjustments.nextDrawnID(ctx.adjusted)
        let labels: [(ProposalAdjustment.Action, String)] = [(.addCells, "Add cells to a zone"), (.suppressCells, "Suppress cells from a zone"),
                                                             (.drawZone, "Draw a new zone (it will be \(next))"), (.dropZone, "Drop a zone")]
        let actions = labels.map { a, label -> HTML in "<option value=\"\(a.rawValue)\"\(selected("action", a.rawValue))>\(label)</option>" }
        // An example in this city (the first zone's centre), not a fixed Kansas City point.
        let first = centre(ctx.adjusted.zones.first?.zone.cells ?? [], ctx: ctx)
        let pointExample = first.isEmpty ? "latitude, longitude" : "e.g. \(first)"
        return """
            <form class="stack" id="adjust-form" method="post" action="/proposals/\(ctx.cycleID)/adjustments">\(Layout.csrfField(viewer))
            <label>Adjustment <select name="action">\(actions)</select></label>
            <label>Zone (not used when drawing) <select name="zone">\(zoneOptions)</select></label>
            <p class="note">Give the cells in any of three ways (they are combined): cell numbers, a point with a radius, or points.</p>
            <label>Cell numbers, separated by commas (or click cells on the map above) <input type="text" id="adjust-cells" name="cells" \
            inputmode="numeric" placeholder="e.g. 48211, 48212" value="\(typed("cells"))"></label>
            <label>A point (latitude, longitude) <input type="text" name="point" placeholder="\(pointExample)" value="\(typed("point"))"></label>
            <label>Radius around the point in metres <input type="number" name="radius" min="1" max="2000" step="1" placeholder="150" \
            value="\(typed("radius"))"></label>
            <label>Points, one per line (one or two: the cells holding them; three or more: the outline of an area) \
            <textarea name="points" rows="3">\(typed("points"))</textarea></label>
            <label>Reason (required; it is logged and shown at the IRIS meeting) <textarea name="reason" required rows="3">\(typed("reason"))</textarea></label>
            <button type="submit">Record the adjustment</button>
            </form>
            """
    }
}
