import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastZoning

/// The dashboard: the jurisdiction drawn by the app with the layers the viewer may see, the cycle clock and
/// headline counts.
func addDashboardRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.pages(requiring: nil, env: env).get("/") { request, context -> Response in
        let viewer = try context.viewer
        guard let jurisdiction = try await env.store.jurisdiction() else {
            return html(Layout.page(title: "ZoneCast", viewer: viewer, current: "/", body: DashboardView.noData))
        }
        var page = try await DashboardData.page(viewer, jurisdiction: jurisdiction, env: env)
        // What needs doing next about the approved cycle to come (deploy units, schedule the next meeting).
        if viewer.may(.viewAllZones) { page.upcoming = try await env.deployableCycles().upcoming.first }
        if !page.activeZones.isEmpty || !page.proposedZones.isEmpty {
            let cycles = [page.active?.cycle.id, page.proposedZones.isEmpty ? nil : page.proposed?.cycle.id].compactMap { $0 }
            try await env.audit(viewer, .viewZones, cycles.joined(separator: ","),
                          "dashboard: \(page.activeZones.count) active, \(page.proposedZones.count) proposed zone(s)")
        }
        var response = html(Layout.page(title: "\(jurisdiction.displayName): dashboard", viewer: viewer, current: "/", body: DashboardView.page(page)))
        if let origin = env.configuration.tileOrigin {
            response.headers[.contentSecurityPolicy] = contentSecurityPolicy.replacingOccurrences(of: "img-src 'self' data:",
                                                                                                  with: "img-src 'self' data: \(origin)")
        }
        return response
    }
}

/// What the dashboard shows, loaded for one viewer.
enum DashboardData {
    static func page(_ viewer: Viewer, jurisdiction: Jurisdiction, env: WebEnvironment) async throws -> DashboardView.Page {
        let now = env.clock()
        let (active, proposed) = try await env.currentViews()
        let version = try await env.store.dataVersion()
        let summary = try await env.dashboard.summary(version: version) { try await env.store.summary() }
        // Counts end at the newest data, so a database of past incidents still shows its last four weeks. The
        // reference moves by the hour, so the cached points are at most an hour behind the clock between imports.
        let hour = 3_600.0
        let reference = min((now.timeIntervalSince1970 / hour).rounded(.up) * hour, summary.lastOccurredAt.map { $0.timeIntervalSince1970 + 1 } ?? .infinity)
        let recent = try await env.dashboard.recent(key: "\(version)|\(reference)") {
            try await recentIncidents(store: env.store, jurisdiction: jurisdiction, reference: Date(timeIntervalSince1970: reference))
        }
        let notices = try await env.store.documents(Notice.self, group: viewer.role.rawValue).filter { now.timeIntervalSince($0.createdAt) < 14 * 86_400 }
        let meetings = try await env.store.documents(Meeting.self).filter { $0.status == .scheduled && $0.scheduledAt >= now.addingTimeInterval(-3 * 3_600) }
        let seesAll = viewer.may(.viewAllZones)
        let layers = MapLayers(active: active, activeZones: active?.visibleZones(for: viewer.account) ?? [],
                               proposed: seesAll ? proposed : nil, proposedZones: seesAll ? (proposed?.zones ?? []) : [])
        let ratio = try await (seesAll && viewer.may(.viewOversight) ? active : nil).asyncMap { try await contactsRatio($0, env: env, now: now) }
        return DashboardView.Page(viewer: viewer, now: now, timeZone: TimeZone(identifier: jurisdiction.timeZoneIdentifier) ?? .gmt,
                                  isSynthetic: jurisdiction.isSynthetic, active: active, activeZones: layers.activeZones, proposed: layers.proposed,
                                  proposedZones: layers.proposedZones, notices: notices, nextMeeting: meetings.first, recent: recent, summary: summary,
                                  contactsRatio: ratio,
                                  map: try await map(viewer, jurisdiction: jurisdiction, layers: layers, recent: recent, env: env, now: now))
    }

    /// The cycles and zones drawn, as the viewer may see them.
    struct MapLayers {
        let active: CycleView?
        let activeZones: [ZoneCycle.ExplainedZone]
        let proposed: CycleView?
        let proposedZones: [ZoneCycle.ExplainedZone]
    }

    /// The non-enforcement promise in one figure: relationship actions to enforcement actions in the zones in force.
    static func contactsRatio(_ active: CycleView, env: WebEnvironment, now: Date) async throws -> HTML {
        let zoneIDs = Set(active.zones.map(\.id))
        // Summed in place, by index: the cycle's visits can be thousands, and filtering (or `for v in`) copied each one.
        var activities = PatrolActivities(), count = 0
        let visits = try await env.patrolVisits(cycleID: active.cycle.id)
        for i in visits.indices where visits[i].startedAt < now && zoneIDs.contains(visits[i].zoneID) {
            activities = activities + visits[i].activities
            count += 1
        }
        return PatrolOversightView.contactsRatioCard(cycleID: active.cycle.id, activities: activities, visits: count)
    }

    /// Layers: zones and the surface only for roles that see them; intelligence for roles that record it.
    static func map(_ viewer: Viewer, jurisdiction: Jurisdiction, layers: MapLayers, recent: DashboardCache.RecentIncidents, env: WebEnvironment,
                    now: Date) async throws -> HTML? {
        guard var canvas = MapCanvas(jurisdiction: jurisdiction) else { return nil }
        let shown = layers.active ?? layers.proposed
        if let template = env.configuration.tileURLTemplate { canvas.addTiles(template: template) }
        if viewer.may(.viewAllZones), let shown, let layer = await env.dashboard.surfaceLayer(cycleID: shown.cycle.id, compute: { [canvas] in
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
            await canvas.addMarkers(try intelligenceMarkers(viewer, jurisdiction: jurisdiction, env: env, now: now), layer: "intel")
        }
        if let shown {
            let grid = await env.surfaces.grid(for: jurisdiction, cellSizeMeters: shown.cycle.provenance.cellSizeMeters)
            for (view, zones, kind) in [(layers.proposed, layers.proposedZones, MapCanvas.ZoneKind.proposed), (layers.active, layers.activeZones, .active)] {
                for z in zones { canvas.addZone(id: z.id, cells: z.zone.cells, grid: grid, kind: kind, link: view.map { "/zones/\($0.cycle.id)/\(z.id)" }) }
            }
        }
        return canvas.svg(label: "Map of \(jurisdiction.displayName)")
    }

    /// Current intelligence with a location (sensitive items only for roles that see all zones).
    static func intelligenceMarkers(_ viewer: Viewer, jurisdiction: Jurisdiction, env: WebEnvironment,
                                    now: Date) async throws -> [(point: PlanarPoint, title: String)] {
        let items = try await env.store.documents(IntelligenceItem.self).filter { $0.isCurrent(at: now) && $0.status != .new }
            .filter { $0.sensitivity == .normal || viewer.may(.viewAllZones) }
        let projection = jurisdiction.projection.prepared()
        return items.compactMap { i in
            guard let lat = i.latitude, let lon = i.longitude else { return nil }
            return (projection.project(GeoPoint(latitude: lat, longitude: lon)), "\(i.kind.label): \(i.summary)")
        }
    }

    /// The last 28 days of incidents (police-initiated excluded) before `reference`: counts, and the newest points
    /// drawn as one layer per category.
    static func recentIncidents(store: any IncidentStore, jurisdiction: Jurisdiction, reference: Date) async throws -> DashboardCache.RecentIncidents {
        let recent = try await store.incidents(IncidentQuery(occurredFrom: reference.addingTimeInterval(-28 * 86_400), occurredBefore: reference,
                                                       includePoliceInitiated: false, includeRawRow: false))
        var byCategory: [HarmCategory: Int] = [:]
        for i in recent { byCategory[i.category, default: 0] += 1 }
        var layers: [HTML] = []
        if var canvas = MapCanvas(jurisdiction: jurisdiction) {
            // The newest few thousand points: enough to read a month of harm, small enough for a phone.
            let plotted = recent.suffix(DashboardView.maxPoints)
            for category in HarmCategory.allCases {
                let points = plotted.filter { $0.category == category }.map(\.position)
                if !points.isEmpty { canvas.addPoints(points, layer: "inc-\(category.rawValue)", colour: CategoryColour.of(category)) }
            }
            layers = canvas.layers
        }
        return DashboardCache.RecentIncidents(reference: reference, total: recent.count, byCategory: byCategory, layers: layers)
    }
}
