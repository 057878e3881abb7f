import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastPlanning
import ZoneCastReports
import ZoneCastZoning

/// Server-rendered pages. Everything from data is escaped; no external script, style or font.
enum Pages {
    static func layout(title: String, account: Account?, csrf: String?, body: String) -> String {
        let user = account.map { a in
            "<div class=\"user\">\(HTML.escape(a.displayName)) (\(a.role.rawValue))<form method=\"post\" action=\"/logout\" style=\"display:inline\"><input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(csrf ?? ""))\"><button>Sign out</button></form></div>"
        } ?? ""
        return HTML.page(title: title, body: user + body)
    }

    static func login(csrf: String, message: String?) -> String {
        let note = message.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? ""
        return HTML.page(title: "ZoneCast: sign in", body: """
            \(note)<form method="post" action="/login" class="login">
            <input type="hidden" name="csrf" value="\(HTML.escape(csrf))">
            <label>Username <input name="username" autocomplete="username" required></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">Sign in</button></form>
            """)
    }

    /// The dashboard: the jurisdiction and the zones this person may see, drawn by the app (no tiles).
    static func dashboard(account: Account, csrf: String, jurisdiction: Jurisdiction, cycle: ZoneCycle?, cycleStatus: String, visibleZones: [ZoneCycle.ExplainedZone], incidentCount: Int, now: Date) -> String {
        var body = jurisdiction.isSynthetic ? "<div class=\"synthetic\">SYNTHETIC DATA: fictional incidents from ZoneCast's generator.</div>" : ""
        body += "<p class=\"note\">CONFIDENTIAL: zone locations are for \(HTML.escape(account.displayName)) (\(account.role.rawValue)), \(ISO8601DateFormatter().string(from: now)).</p>"
        if let cycle {
            let left = max(0, cycle.endsAt.timeIntervalSince(now)) / 3_600
            body += "<p>Cycle \(HTML.escape(cycle.id)): \(HTML.escape(cycleStatus)), until \(ISO8601DateFormatter().string(from: cycle.endsAt)) (\(String(format: "%.0f", left)) h left). \(visibleZones.count) zone(s) shown; \(incidentCount) incidents on record.</p>"
        } else {
            body += "<p>No cycle yet. \(incidentCount) incidents on record.</p>"
        }
        let grid = cycle.map { Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: $0.provenance.cellSizeMeters) }
        body += map(jurisdiction: jurisdiction, zones: visibleZones, grid: grid)
        if !visibleZones.isEmpty {
            body += HTML.table(header: ["zone", "status", "km²", "why"], rows: visibleZones.map { [$0.id, $0.status.rawValue, String(format: "%.2f", $0.zone.areaKm2), $0.explanation.text] }, leftColumns: 4)
        }
        return layout(title: "ZoneCast: \(jurisdiction.displayName)", account: account, csrf: csrf, body: body)
    }

    /// The boundary and each zone's cells, drawn in the jurisdiction's projection.
    static func map(jurisdiction: Jurisdiction, zones: [ZoneCycle.ExplainedZone], grid: Grid?) -> String {
        let projection = jurisdiction.projection.prepared()
        let rings = jurisdiction.boundary.polygons.map { $0.outer.map(projection.project) }
        let all = rings.flatMap { $0 }
        guard let minX = all.map(\.xMeters).min(), let maxX = all.map(\.xMeters).max(), let minY = all.map(\.yMeters).min(), let maxY = all.map(\.yMeters).max(), maxX > minX, maxY > minY else { return "" }
        let width = 720.0, scale = width / (maxX - minX), height = (maxY - minY) * scale
        func px(_ p: PlanarPoint) -> String { String(format: "%.1f,%.1f", (p.xMeters - minX) * scale, height - (p.yMeters - minY) * scale) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"map\" viewBox=\"0 0 \(Int(width)) \(Int(height.rounded(.up)))\" width=\"\(Int(width))\" height=\"\(Int(height.rounded(.up)))\" style=\"background:#fafafa\" font-family=\"sans-serif\" font-size=\"12\">"
        for ring in rings { s += "<polygon fill=\"none\" stroke=\"#555\" points=\"\(ring.map(px).joined(separator: " "))\"/>" }
        for z in zones {
            s += "<g class=\"zone\" data-zone=\"\(HTML.escape(z.id))\" fill=\"#0057b8\" fill-opacity=\"0.45\">"
            if let grid {
                let side = max(1, grid.cellSizeMeters * scale)
                for c in z.zone.cells {
                    let corner = PlanarPoint(xMeters: grid.originX + Double(grid.column(of: c)) * grid.cellSizeMeters, yMeters: grid.originY + Double(grid.row(of: c) + 1) * grid.cellSizeMeters)
                    let xy = px(corner).split(separator: ",")
                    s += "<rect x=\"\(xy[0])\" y=\"\(xy[1])\" width=\"\(String(format: "%.2f", side))\" height=\"\(String(format: "%.2f", side))\"/>"
                }
            }
            let b = z.zone.boundingBox
            let label = px(PlanarPoint(xMeters: b.maxX, yMeters: b.maxY)).split(separator: ",").compactMap { Double($0) }
            s += "<text x=\"\(label[0] + 3)\" y=\"\(label[1] + 10)\" fill=\"#000\" fill-opacity=\"1\">\(HTML.escape(z.id))</text></g>"
        }
        return s + "</svg>"
    }
}
