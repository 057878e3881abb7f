import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastPlanning
import ZoneCastHTML
import ZoneCastReports
import ZoneCastStore

/// One zone: why it was chosen, what happened inside it, its trend and the patrol it has had this cycle.
func addZoneRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.get("/zones/{cycle}/{zone}") { request, context -> Response in
        let viewer = try await env.viewer(request, requiring: .viewZoneLocations)
        let cycleID = try context.parameters.require("cycle"), zoneID = try context.parameters.require("zone")
        guard let record = try env.store.cycle(id: cycleID) else { throw WebError(.notFound, "no cycle \(cycleID)") }
        let view = try env.cycleView(record)
        // Officers learn nothing, not even that the zone exists, unless it is assigned to their unit.
        guard let zone = view.visibleZones(for: viewer.account).first(where: { $0.id == zoneID }) ?? (viewer.may(.viewAllZones) ? view.zone(zoneID) : nil) else {
            throw WebError(.notFound, "no zone \(zoneID) in cycle \(cycleID) that you may see")
        }
        guard let jurisdiction = try env.store.jurisdiction() else { throw WebError(.notFound, "no jurisdiction") }
        let tz = TimeZone(identifier: jurisdiction.timeZoneIdentifier) ?? .gmt
        let now = env.clock()
        let grid = await env.surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters)
        // Up to the end of the current hour (nothing is recorded in the future), so repeated views share one query.
        let hourEnd = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 3_600).rounded(.up) * 3_600)
        // The map, trend and incident list are the same for everyone who may see the zone and change only with the
        // data (or the hour): rendered once and reused.
        let key = "\(try env.store.dataVersion())|\(cycleID)|\(zoneID)|\(zone.zone.cells.hashValue)|\(view.isApproved)|\(hourEnd.timeIntervalSince1970)|\(Int(now.timeIntervalSince1970 / 60))"
        let parts = try env.zonePageParts.value(for: key) {
            try ZonePage.dataSections(env: env, view: view, zone: zone, jurisdiction: jurisdiction, grid: grid, now: now, hourEnd: hourEnd, timeZone: tz)
        }

        var body = Layout.syntheticBanner(jurisdiction.isSynthetic) + Layout.confidential(viewer, at: now, timeZone: tz)
        body += "<p>Cycle \(LegacyHTML.escape(cycleID)) (\(view.status.rawValue)), \(LegacyHTML.escape(localText(view.cycle.startsAt, timeZone: tz))) to \(LegacyHTML.escape(localText(view.cycle.endsAt, timeZone: tz))). Status in the proposal: \(zone.status.rawValue)\(zone.reason.isEmpty ? "" : " (\(LegacyHTML.escape(zone.reason)))"). Units: \(LegacyHTML.escape(view.deployments[zoneID]?.units.map(\.name).joined(separator: ", ") ?? "not assigned yet")).</p>"
        body += parts.top
        // Dosage (with the hour-of-day harm profile and low-patrol flags) for everyone who sees the zone; the
        // non-enforcement monitor for the roles that oversee (commanders are notified of alerts once a day).
        if let oversight = try await env.patrolOversight(view, zones: [zone]), let z = oversight.zones.first {
            body += PatrolOversightPage.dosageSection(z.dosage, report: oversight, timeZone: tz)
            if viewer.may(.viewOversight) { body += PatrolOversightPage.enforcementSection(z.enforcement, timeZone: tz) }
        }
        body += parts.incidents
        try env.audit(viewer, .viewZone, "\(cycleID)/\(zoneID)")
        return html(Layout.page(title: "Zone \(zoneID), cycle \(cycleID)", viewer: viewer, body: body))
    }
}

enum ZonePage {
    /// The parts of the zone page that depend only on the data: the explanation, the map, the trend and the list
    /// of incidents inside.
    static func dataSections(env: WebEnvironment, view: CycleView, zone: ZoneCycle.ExplainedZone, jurisdiction: Jurisdiction, grid: Grid,
                             now: Date, hourEnd: Date, timeZone tz: TimeZone) throws -> (top: String, incidents: String) {
        let cells = Set(zone.zone.cells)
        let box = zone.zone.boundingBox
        let margin = 400.0
        let around = PlanarBoundingBox(minX: box.minX - margin, minY: box.minY - margin, maxX: box.maxX + margin, maxY: box.maxY + margin)
        // Two years before the cycle to now: enough for the trend, and what happened since it started.
        let from = view.cycle.startsAt.addingTimeInterval(-730 * 86_400)
        let nearby = try env.placeQueries.incidents(IncidentQuery(occurredFrom: from, occurredBefore: max(hourEnd, view.cycle.startsAt), bounds: around,
                                                                  includePoliceInitiated: false, includeRawRow: false), store: env.store)
        let until = max(now, view.cycle.startsAt)
        let inside = nearby.filter { $0.occurredAt < until && (grid.cell(containing: $0.position).map(cells.contains) ?? false) }
        let yearBefore = view.cycle.startsAt.addingTimeInterval(-365 * 86_400)
        var top = "<h2>Why this zone</h2><p id=\"explanation\">\(LegacyHTML.escape(zone.explanation.text))</p>"
        top += LegacyHTML.table(header: ["category", "7 days", "28 days", "365 days"], rows: zone.explanation.categories.map {
            [$0.category.displayName, String($0.last7Days), String($0.last28Days), String($0.last365Days)]
        })
        top += "<div class=\"cols\"><div><h2>Map</h2>"
        if var canvas = MapCanvas(projection: jurisdiction.projection, bounds: around, width: 560) {
            canvas.addZone(id: zone.id, cells: zone.zone.cells, grid: grid, kind: view.isApproved ? "active" : "proposed", link: nil)
            var byCategory: [HarmCategory: [PlanarPoint]] = [:]
            for i in inside where i.occurredAt >= yearBefore { byCategory[i.category, default: []].append(i.position) }
            for c in HarmCategory.allCases {
                if let pts = byCategory[c] { canvas.addPoints(pts, layer: "inc-\(c.rawValue)", colour: CategoryColour.of(c), radius: 3.5) }
            }
            top += canvas.svg(id: "zone-map", label: "Zone \(zone.id) and incidents inside it in the year before the cycle")
        }
        top += "</div><div><h2>Trend</h2>" + trendChart(inside, end: until, timeZone: tz) + "</div></div>"
        var list = "<h2>Incidents inside (last 365 days before the cycle, and since)</h2>"
        let listed = inside.filter { $0.occurredAt >= yearBefore }.sorted { $0.occurredAt > $1.occurredAt }
        list += "<table id=\"zone-incidents\"><thead><tr><th class=\"l\">when</th><th class=\"l\">category</th><th class=\"l\">offence</th><th class=\"l\">address</th><th class=\"l\">record</th></tr></thead><tbody>"
        for i in listed.prefix(500) {
            list += "<tr\(i.occurredAt >= view.cycle.startsAt ? " class=\"since-start\"" : "")><td class=\"l\">\(LegacyHTML.escape(localText(i.occurredAt, timeZone: tz)))</td><td class=\"l\">\(LegacyHTML.escape(i.category.displayName))</td><td class=\"l\">\(LegacyHTML.escape(i.offence))</td><td class=\"l\">\(LegacyHTML.escape(i.address ?? ""))</td><td class=\"l\">\(LegacyHTML.escape(i.id.description))</td></tr>"
        }
        list += "</tbody></table>"
        if listed.count > 500 { list += "<p class=\"note\">Showing the newest 500 of \(listed.count).</p>" }
        return (top, list)
    }

    /// Monthly counts of incidents inside the zone over the last 24 months, by category, as stacked bars.
    static func trendChart(_ incidents: [Incident], end: Date, timeZone tz: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = tz
        let endMonth = calendar.date(from: calendar.dateComponents([.year, .month], from: end))!
        let months = (0..<24).reversed().map { calendar.date(byAdding: .month, value: -$0, to: endMonth)! }
        var counts = Array(repeating: [HarmCategory: Int](), count: months.count)
        for i in incidents {
            let m = calendar.date(from: calendar.dateComponents([.year, .month], from: i.occurredAt))!
            if let k = months.firstIndex(of: m) { counts[k][i.category, default: 0] += 1 }
        }
        let peak = max(1, counts.map { $0.values.reduce(0, +) }.max() ?? 1)
        let w = 520.0, h = 200.0, left = 30.0, bottom = 30.0, barW = (w - left) / Double(months.count)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"trend\" role=\"img\" aria-label=\"Monthly incidents inside the zone\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"10\">"
        s += "<text x=\"0\" y=\"10\">\(peak)</text><text x=\"0\" y=\"\(Int(h - bottom))\">0</text>"
        let f = DateFormatter()
        f.timeZone = tz
        f.dateFormat = "MMM yy"
        for (k, month) in months.enumerated() {
            var y = h - bottom
            let total = counts[k].values.reduce(0, +)
            for c in HarmCategory.allCases {
                guard let n = counts[k][c], n > 0 else { continue }
                let bh = Double(n) / Double(peak) * (h - bottom - 12)
                y -= bh
                s += "<rect x=\(String(format: "\"%.1f\"", left + Double(k) * barW + 1)) y=\(String(format: "\"%.1f\"", y)) width=\(String(format: "\"%.1f\"", barW - 2)) height=\(String(format: "\"%.1f\"", bh)) fill=\"\(CategoryColour.of(c))\"><title>\(LegacyHTML.escape(f.string(from: month))): \(LegacyHTML.escape(c.counted(n)))</title></rect>"
            }
            if k % 3 == 0 { s += "<text x=\(String(format: "\"%.1f\"", left + Double(k) * barW)) y=\"\(Int(h - 12))\">\(LegacyHTML.escape(f.string(from: month)))</text>" }
            _ = total
        }
        return s + "</svg>"
    }
}
