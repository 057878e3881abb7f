import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastHTML
import ZoneCastReports
import ZoneCastStore

/// The dashboard: the jurisdiction drawn by the app with the layers the viewer may see, the cycle clock and
/// headline counts.
func addDashboardRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.get("/") { request, _ -> Response in
        let viewer = try await env.viewer(request)
        guard let jurisdiction = try env.store.jurisdiction() else {
            return html(Layout.page(title: "ZoneCast", viewer: viewer, current: "/", body: "<p>No data yet: import incidents with <code>zonecast import</code>.</p>"))
        }
        let now = env.clock()
        let tz = TimeZone(identifier: jurisdiction.timeZoneIdentifier) ?? .gmt
        let (active, proposed) = try env.currentViews()
        let activeZones = active?.visibleZones(for: viewer.account) ?? []
        let proposedZones = viewer.may(.viewAllZones) ? (proposed?.zones ?? []) : []
        let version = try env.store.dataVersion()
        let summary = try await env.dashboard.summary(version: version) { try env.store.summary() }
        // Counts end at the newest data, so a database of past incidents still shows its last four weeks. The
        // reference moves by the hour, so the cached points are at most an hour behind the clock between imports.
        let hour = 3_600.0
        let reference = min((now.timeIntervalSince1970 / hour).rounded(.up) * hour, summary.lastOccurredAt.map { $0.timeIntervalSince1970 + 1 } ?? .infinity)
        let referenceDate = Date(timeIntervalSince1970: reference)
        let recent = try await env.dashboard.recent(key: "\(version)|\(reference)") {
            try DashboardPage.recentIncidents(store: env.store, jurisdiction: jurisdiction, reference: referenceDate)
        }
        let notices = try env.store.documents(Notice.self, group: viewer.role.rawValue).filter { now.timeIntervalSince($0.createdAt) < 14 * 86_400 }
        let meetings = try env.store.documents(Meeting.self).filter { $0.status == .scheduled && $0.scheduledAt >= now.addingTimeInterval(-3 * 3_600) }

        var body = Layout.syntheticBanner(jurisdiction.isSynthetic)
        if !activeZones.isEmpty || !proposedZones.isEmpty { body += Layout.confidential(viewer, at: now, timeZone: tz) }
        for n in notices.suffix(5).reversed() {
            body += "<div class=\"notice\">\(LegacyHTML.escape(localText(n.createdAt, timeZone: tz))): \(LegacyHTML.escape(n.text))\(n.link.map { " <a href=\"\(LegacyHTML.escape($0))\">Open</a>" } ?? "")</div>"
        }
        body += DashboardPage.clock(active: active, proposed: viewer.may(.viewAllZones) ? proposed : nil, nextMeeting: meetings.first, now: now, timeZone: tz)
        body += DashboardPage.headline(recent: recent, timeZone: tz, summary: summary)
        // The non-enforcement promise in one figure: relationship actions to enforcement actions in the zones in force.
        if viewer.may(.viewAllZones) && viewer.may(.viewOversight), let active {
            let zoneIDs = Set(active.zones.map(\.id))
            // Summed in place, by index: the cycle's visits can be thousands, and filtering (or `for v in`) copied each one.
            var activities = PatrolActivities(), count = 0
            let visits = try env.patrolVisits(cycleID: active.cycle.id)
            for i in visits.indices where visits[i].startedAt < now && zoneIDs.contains(visits[i].zoneID) {
                activities = activities + visits[i].activities
                count += 1
            }
            body += PatrolOversightPage.contactsRatioCard(cycleID: active.cycle.id, activities: activities, visits: count)
        }

        // Layers: zones and the surface only for roles that see them; intelligence for roles that record it.
        let shown = active ?? proposed
        var grid: Grid?
        if let shown { grid = await env.surfaces.grid(for: jurisdiction, cellSizeMeters: shown.cycle.provenance.cellSizeMeters) }
        var map = MapCanvas(jurisdiction: jurisdiction)
        if var canvas = map {
            if let template = env.configuration.tileURLTemplate { canvas.addTiles(template: template) }
            if viewer.may(.viewAllZones), let shown, let layer = await env.dashboard.surfaceLayer(cycleID: shown.cycle.id, compute: {
                guard let surface = try? await env.surfaces.surface(of: shown.cycle, store: env.store) else { return nil }
                var c = canvas
                c.layers = []
                c.addSurface(surface)
                return c.layers.joined()
            }) {
                canvas.add(layer)
            }
            canvas.addBoundary(jurisdiction.boundary)
            for layer in recent.layers { canvas.add(layer) }
            if viewer.may(.recordIntelligence) {
                let items = try env.store.documents(IntelligenceItem.self).filter { $0.isCurrent(at: now) && $0.status != .new }
                    .filter { $0.sensitivity == .normal || viewer.may(.viewAllZones) }
                let projection = jurisdiction.projection.prepared()
                canvas.addMarkers(items.compactMap { i in
                    guard let lat = i.latitude, let lon = i.longitude else { return nil }
                    return (projection.project(GeoPoint(latitude: lat, longitude: lon)), "\(i.kind.label): \(i.summary)")
                }, layer: "intel")
            }
            if let grid {
                for z in proposedZones { canvas.addZone(id: z.id, cells: z.zone.cells, grid: grid, kind: .proposed, link: proposed.map { "/zones/\($0.cycle.id)/\(z.id)" }) }
                for z in activeZones { canvas.addZone(id: z.id, cells: z.zone.cells, grid: grid, kind: .active, link: active.map { "/zones/\($0.cycle.id)/\(z.id)" }) }
            }
            map = canvas
        }
        body += DashboardPage.layerControls(viewer: viewer, categories: Set(recent.byCategory.keys))
        body += "<div class=\"mapwrap\">\(map?.svg(label: "Map of \(jurisdiction.displayName)") ?? "")</div>"
        body += "</div>"  // closes the layer-controls wrapper
        if recent.total > DashboardPage.maxPoints { body += "<p class=\"note\">The map shows the newest \(DashboardPage.maxPoints) of \(recent.total) incidents of the last 28 days.</p>" }
        body += DashboardPage.zoneTable(active: active, activeZones: activeZones, proposed: proposed, proposedZones: proposedZones)

        if !activeZones.isEmpty || !proposedZones.isEmpty {
            try env.audit(viewer, .viewZones, [active?.cycle.id, proposedZones.isEmpty ? nil : proposed?.cycle.id].compactMap { $0 }.joined(separator: ","),
                          "dashboard: \(activeZones.count) active, \(proposedZones.count) proposed zone(s)")
        }
        var response = html(Layout.page(title: "\(jurisdiction.displayName): dashboard", viewer: viewer, current: "/", body: body))
        if let origin = env.configuration.tileOrigin {
            response.headers[.contentSecurityPolicy] = contentSecurityPolicy.replacingOccurrences(of: "img-src 'self' data:", with: "img-src 'self' data: \(origin)")
        }
        return response
    }
}

enum DashboardPage {
    static let maxPoints = 3_000

    static func clock(active: CycleView?, proposed: CycleView?, nextMeeting: Meeting?, now: Date, timeZone tz: TimeZone) -> String {
        var s = "<div class=\"cards\" id=\"cycle-clock\">"
        if let active {
            let left = max(0, active.cycle.endsAt.timeIntervalSince(now)) / 3_600
            let length = active.cycle.endsAt.timeIntervalSince(active.cycle.startsAt) / 3_600
            s += "<div class=\"card\"><div>Cycle \(LegacyHTML.escape(active.cycle.id)) (\(active.status.rawValue))</div><div class=\"n\">\(String(format: "%.0f", left)) h left</div><div class=\"note\">of \(String(format: "%.0f", length)) h, ends \(LegacyHTML.escape(localText(active.cycle.endsAt, timeZone: tz)))</div></div>"
        } else {
            s += "<div class=\"card\"><div>No cycle in force</div><div class=\"note\">Zones patrol once an IRIS meeting approves a proposal.</div></div>"
        }
        if let proposed {
            s += "<div class=\"card\"><div>Proposal \(LegacyHTML.escape(proposed.cycle.id))</div><div class=\"n\">\(proposed.cycle.zones.count) zone(s)</div><div class=\"note\">from \(LegacyHTML.escape(localText(proposed.cycle.startsAt, timeZone: tz))) · <a href=\"/proposals/\(LegacyHTML.escape(proposed.cycle.id))\">review</a></div></div>"
        }
        if let nextMeeting {
            s += "<div class=\"card\"><div>Next IRIS meeting</div><div class=\"n\">\(LegacyHTML.escape(localText(nextMeeting.scheduledAt, timeZone: tz)))</div><div class=\"note\"><a href=\"/meetings/\(LegacyHTML.escape(nextMeeting.id))\">\(LegacyHTML.escape(nextMeeting.title))</a></div></div>"
        }
        return s + "</div>"
    }

    /// The last 28 days of incidents (police-initiated excluded) before `reference`: counts, and the newest points
    /// drawn as one layer per category.
    static func recentIncidents(store: any IncidentStore, jurisdiction: Jurisdiction, reference: Date) throws -> DashboardCache.RecentIncidents {
        let recent = try store.incidents(IncidentQuery(occurredFrom: reference.addingTimeInterval(-28 * 86_400), occurredBefore: reference,
                                                       includePoliceInitiated: false, includeRawRow: false))
        var byCategory: [HarmCategory: Int] = [:]
        for i in recent { byCategory[i.category, default: 0] += 1 }
        var layers: [String] = []
        if var canvas = MapCanvas(jurisdiction: jurisdiction) {
            // The newest few thousand points: enough to read a month of harm, small enough for a phone.
            let plotted = recent.suffix(maxPoints)
            for category in HarmCategory.allCases {
                let points = plotted.filter { $0.category == category }.map(\.position)
                if !points.isEmpty { canvas.addPoints(points, layer: "inc-\(category.rawValue)", colour: CategoryColour.of(category)) }
            }
            layers = canvas.layers
        }
        return DashboardCache.RecentIncidents(reference: reference, total: recent.count, byCategory: byCategory, layers: layers)
    }

    static func headline(recent: DashboardCache.RecentIncidents, timeZone tz: TimeZone, summary: StoreSummary) -> String {
        var s = "<h2>Last 28 days to \(LegacyHTML.escape(localText(recent.reference, timeZone: tz)))</h2><div class=\"cards\" id=\"headline\">"
        for c in HarmCategory.allCases where recent.byCategory[c] != nil {
            s += "<div class=\"card\"><div class=\"n\">\(recent.byCategory[c]!)</div><div>\(LegacyHTML.escape(c.pluralName))</div></div>"
        }
        s += "<div class=\"card\"><div class=\"n\">\(summary.incidents)</div><div>incidents on record</div></div></div>"
        return s
    }

    /// Layer toggles are checkboxes that CSS reads (no script needed); they must precede the map in the markup.
    static func layerControls(viewer: Viewer, categories: Set<HarmCategory>) -> String {
        var css = ""
        var s = "<div class=\"layers\"><p class=\"no-print\"><strong>Layers:</strong> "
        var boxes = ""
        if viewer.may(.viewAllZones) {
            boxes += "<input type=\"checkbox\" id=\"layer-surface\" checked> "
            s += "<label for=\"layer-surface\">Risk surface</label>"
            boxes += "<input type=\"checkbox\" id=\"layer-proposed\" checked> "
            s += "<label for=\"layer-proposed\">Proposed zones <span style=\"background:#e07b00\" class=\"swatch\">&#8203;</span></label>"
        }
        if viewer.may(.viewZoneLocations) {
            boxes += "<input type=\"checkbox\" id=\"layer-active\" checked> "
            s += "<label for=\"layer-active\">Active zones</label>"
        }
        if viewer.may(.recordIntelligence) {
            boxes += "<input type=\"checkbox\" id=\"layer-intel\" checked> "
            s += "<label for=\"layer-intel\">Intelligence</label>"
        }
        boxes += "<input type=\"checkbox\" id=\"layer-incidents\" checked> "
        s += "<label for=\"layer-incidents\">Incidents:</label>"
        for c in HarmCategory.allCases where categories.contains(c) {
            boxes += "<input type=\"checkbox\" id=\"layer-inc-\(c.rawValue)\" checked> "
            s += "<label for=\"layer-inc-\(c.rawValue)\"><span style=\"display:inline-block;width:.7rem;height:.7rem;border-radius:50%;background:\(CategoryColour.of(c))\"></span> \(LegacyHTML.escape(c.displayName))</label>"
            css += "#layer-inc-\(c.rawValue):not(:checked)~.mapwrap .layer-inc-\(c.rawValue){display:none}"
        }
        s += "</p>"
        // The checkboxes themselves sit just before the map (siblings), visually hidden; the labels above toggle them.
        return "<style>\(css).layers>input{position:absolute;opacity:0;pointer-events:none}</style>" + s + boxes
    }

    static func zoneTable(active: CycleView?, activeZones: [ZoneCycle.ExplainedZone], proposed: CycleView?, proposedZones: [ZoneCycle.ExplainedZone]) -> String {
        var s = ""
        func rows(_ view: CycleView, _ zones: [ZoneCycle.ExplainedZone]) -> String {
            var t = "<table id=\"zones-\(LegacyHTML.escape(view.cycle.id))\"><thead><tr><th class=\"l\">zone</th><th class=\"l\">status</th><th>km²</th><th class=\"l\">units</th><th class=\"l\">why</th></tr></thead><tbody>"
            for z in zones {
                let units = view.deployments[z.id]?.units.map(\.name).joined(separator: ", ") ?? "not assigned"
                t += "<tr><td class=\"l\"><a class=\"zone-link\" href=\"/zones/\(LegacyHTML.escape(view.cycle.id))/\(LegacyHTML.escape(z.id))\">\(LegacyHTML.escape(z.id))</a></td><td class=\"l\">\(z.status.rawValue)</td><td>\(String(format: "%.2f", z.zone.areaKm2))</td><td class=\"l\">\(LegacyHTML.escape(units))</td><td class=\"l\">\(LegacyHTML.escape(z.explanation.text))</td></tr>"
            }
            return t + "</tbody></table>"
        }
        if let active, !activeZones.isEmpty { s += "<h2>Zones in force (cycle \(LegacyHTML.escape(active.cycle.id)))</h2>" + rows(active, activeZones) }
        if let proposed, !proposedZones.isEmpty { s += "<h2>Proposed (cycle \(LegacyHTML.escape(proposed.cycle.id)), awaiting the IRIS meeting)</h2>" + rows(proposed, proposedZones) }
        return s
    }
}
