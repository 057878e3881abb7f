import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastMaps
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
        // The proposal card says how its model did at its zones' area (worked out once per cycle).
        if viewer.may(.viewAllZones), let proposed = page.proposed { page.proposalRecord = try await env.recentRecordText(proposed.cycle) }
        if !page.activeZones.isEmpty || !page.proposedZones.isEmpty {
            let cycles = [page.active?.cycle.id, page.proposedZones.isEmpty ? nil : page.proposed?.cycle.id].compactMap { $0 }
            try await env.audit(viewer, .viewZones, cycles.joined(separator: ","),
                          "dashboard: \(page.activeZones.count) active, \(page.proposedZones.count) proposed zone(s)")
        }
        // MapRequestMiddleware lets the tile server's origin into the page's img-src, as on every page with a map.
        return html(Layout.page(title: "\(jurisdiction.displayName): dashboard", viewer: viewer, current: "/", body: DashboardView.page(page)))
    }
}

/// What the dashboard shows, loaded for one viewer.
enum DashboardData {
    static func page(_ viewer: Viewer, jurisdiction: Jurisdiction, env: WebEnvironment) async throws -> DashboardView.Page {
        // The cycle clock, the cycle in force and its patrol run at the database's time (the data's own in an exercise);
        // notices, meetings and intelligence are recorded by the wall clock and filtered by it.
        let now = try await env.dataTime().now
        let wallClock = env.clock()
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
        let notices = try await env.store.documents(Notice.self, group: viewer.role.rawValue)
            .filter { wallClock.timeIntervalSince($0.createdAt) < 14 * 86_400 }
        let meetings = try await env.store.documents(Meeting.self)
            .filter { $0.status == .scheduled && $0.scheduledAt >= wallClock.addingTimeInterval(-3 * 3_600) }
        let seesAll = viewer.may(.viewAllZones)
        let layers = MapLayers(active: active, activeZones: active?.visibleZones(for: viewer.account) ?? [],
                               proposed: seesAll ? proposed : nil, proposedZones: seesAll ? (proposed?.zones ?? []) : [])
        let ratio = try await (seesAll && viewer.may(.viewOversight) ? active : nil).asyncMap { try await contactsRatio($0, env: env, now: now) }
        return DashboardView.Page(viewer: viewer, now: now, timeZone: TimeZone(identifier: jurisdiction.timeZoneIdentifier) ?? .gmt,
                                  isSynthetic: jurisdiction.isSynthetic, active: active, activeZones: layers.activeZones, proposed: layers.proposed,
                                  proposedZones: layers.proposedZones, notices: notices, nextMeeting: meetings.first, recent: recent, summary: summary,
                                  contactsRatio: ratio,
                                  map: try await map(viewer, jurisdiction: jurisdiction, layers: layers, recent: recent, env: env, now: wallClock))
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

    /// The city map, drawn by `PageMap` like every other page's: streets, the boundary and the recent incidents for
    /// everyone; the forecast surface and the proposal for roles that see all zones; the zones in force as the viewer
    /// may see them; intelligence for roles that record it. Zoomable and pannable without script.
    static func map(_ viewer: Viewer, jurisdiction: Jurisdiction, layers: MapLayers, recent: DashboardCache.RecentIncidents, env: WebEnvironment,
                    now: Date) async throws -> HTML? {
        guard let frame = PageMap.box(of: jurisdiction) else { return nil }
        var content = MapContent(boundary: jurisdiction.boundary, incidents: recent.incidents)
        if viewer.may(.recordIntelligence) {
            content.markers = try await intelligenceMarkers(viewer, jurisdiction: jurisdiction, env: env, now: now)
        }
        if let shown = layers.active ?? layers.proposed {
            let grid = await env.surfaces.grid(for: jurisdiction, cellSizeMeters: shown.cycle.provenance.cellSizeMeters)
            content.lattice = PageMap.lattice(grid)
            if viewer.may(.viewAllZones), let surface = try? await env.surfaces.surface(of: shown.cycle, store: env.store),
               surface.values.count == grid.cellCount {
                content.surface = surface.values
            }
            // Proposed first, so the zones in force are drawn over them where a zone is kept.
            for (view, zones, status) in [(layers.proposed, layers.proposedZones, MapZoneStatus.proposed), (layers.active, layers.activeZones, .active)] {
                content.zones += zones.map { z in
                    MapZone(id: z.id, label: z.id, cells: z.zone.cells, status: status, link: view.map { "/zones/\($0.cycle.id)/\(z.id)" })
                }
            }
        }
        // Drawn once per content and view: the city's streets and 3,000 incidents took 5 ms a dashboard, most of its time.
        // The surface is the shown cycle's own (fixed), so its cycle id stands for it; the recent incidents' own key
        // stands for the points.
        var key = Hasher()
        key.combine(recent.key)
        key.combine(content.markers)
        key.combine(content.zones)
        let request = MapRequest.current
        let surfaceKey = content.surface == nil ? "no surface" : (layers.active ?? layers.proposed).map { "surface of \($0.cycle.id)" } ?? ""
        return env.dashboardMaps.value(for: "\(key.finalize())|\(surfaceKey)|\(jurisdiction.name)|\(request.figureKey)") {
            PageMap.figure(id: "map", title: "Map of \(jurisdiction.displayName)", projection: jurisdiction.projection, frame: frame,
                           surfaceCellLimit: DashboardView.maxSurfaceCells, content: content, zoomable: true, request: request)
        }
    }

    /// Current intelligence with a location (sensitive items only for roles that see all zones).
    static func intelligenceMarkers(_ viewer: Viewer, jurisdiction: Jurisdiction, env: WebEnvironment, now: Date) async throws -> [MapMarker] {
        let items = try await env.store.documents(IntelligenceItem.self).filter { $0.isCurrent(at: now) && $0.status != .new }
            .filter { $0.sensitivity == .normal || viewer.may(.viewAllZones) }
        let projection = jurisdiction.projection.prepared()
        return items.compactMap { i in
            guard let lat = i.latitude, let lon = i.longitude else { return nil }
            return MapMarker(position: projection.project(GeoPoint(latitude: lat, longitude: lon)), title: "\(i.kind.label): \(i.summary)")
        }
    }

    /// The last 28 days of incidents (police-initiated excluded) before `reference`: counts, and the newest points
    /// for the map.
    static func recentIncidents(store: any IncidentStore, jurisdiction: Jurisdiction, reference: Date) async throws -> DashboardCache.RecentIncidents {
        let recent = try await store.incidents(IncidentQuery(occurredFrom: reference.addingTimeInterval(-28 * 86_400), occurredBefore: reference,
                                                       includePoliceInitiated: false, includeRawRow: false))
        var byCategory: [HarmCategory: Int] = [:]
        for i in recent { byCategory[i.category, default: 0] += 1 }
        // The newest few thousand points: enough to read a month of harm, small enough for a phone.
        let plotted = recent.suffix(DashboardView.maxPoints).map { MapIncident(position: $0.position, category: $0.category) }
        return DashboardCache.RecentIncidents(reference: reference, total: recent.count, byCategory: byCategory, incidents: plotted)
    }
}
