import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastZoning
import ZoneCastServices
import ZoneCastStreets

/// One zone: why it was chosen, what happened inside it, its trend and the patrol it has had this cycle.
func addZoneRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.pages(requiring: .viewZoneLocations, env: env).get("/zones/{cycle}/{zone}") { request, context -> Response in
        let viewer = try context.viewer
        let cycleID = try context.parameters.require("cycle"), zoneID = try context.parameters.require("zone")
        guard let record = try await env.store.cycle(id: cycleID) else { throw WebError(.notFound, "no cycle \(cycleID)") }
        let view = try await env.cycleView(record)
        // Officers learn nothing, not even that the zone exists, unless it is assigned to their unit.
        let visible = view.visibleZones(for: viewer.account).first { $0.id == zoneID }
        guard let zone = visible ?? (viewer.may(.viewAllZones) ? view.zone(zoneID) : nil) else {
            throw WebError(.notFound, "no zone \(zoneID) in cycle \(cycleID) that you may see")
        }
        guard let jurisdiction = try await env.store.jurisdiction() else { throw WebError(.notFound, "no jurisdiction") }
        let tz = TimeZone(identifier: jurisdiction.timeZoneIdentifier) ?? .gmt
        // The database's time (the data's own in an exercise): the cycle's status, the trend and the card's "starts".
        let now = try await env.dataTime().now
        if !viewer.may(.viewAllZones) {
            // An officer on a phone: the compact zone card (issue #15).
            let body = try await ZoneData.card(env: env, view: view, zone: zone, jurisdiction: jurisdiction, page: request.uri.queryParameters["page"],
                                               now: now, timeZone: tz, viewer: viewer)
            try await env.audit(viewer, .viewZone, "\(cycleID)/\(zoneID)")
            return html(Layout.page(title: "Zone \(zoneID)", viewer: viewer, current: "/officer", body: body))
        }
        // The trend and the incidents end at the database's now: the data's own in an exercise (2017 data charts 2017).
        let sections = try await ZoneData.sections(env: env, view: view, zone: zone, jurisdiction: jurisdiction, now: now, timeZone: tz,
                                                   mapNote: ZoneData.mapNote(view, now: now, timeZone: tz))
        let patrol = try await ZoneData.patrol(env: env, view: view, zone: zone, viewer: viewer, timeZone: tz)
        let location = try await ZoneData.location(env: env, view: view, zone: zone, jurisdiction: jurisdiction)
        let body = ZoneView.page(view: view, zone: zone, viewer: viewer, isSynthetic: jurisdiction.isSynthetic, now: now, timeZone: tz,
                                 sections: sections, patrol: patrol, location: location)
        try await env.audit(viewer, .viewZone, "\(cycleID)/\(zoneID)")
        return html(Layout.page(title: "Zone \(zoneID), cycle \(cycleID)", viewer: viewer, body: body))
    }
}

/// What the zone page shows, loaded.
enum ZoneData {
    /// The map, trend and incident list, the same for everyone who may see the zone and changing only with the
    /// data (or the hour): rendered once and reused.
    static func sections(env: WebEnvironment, view: CycleView, zone: ZoneCycle.ExplainedZone, jurisdiction: Jurisdiction, now: Date,
                         timeZone tz: TimeZone, mapNote: String? = nil) async throws -> ZoneView.DataSections {
        let grid = await env.surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters)
        // Up to the end of the current hour (nothing is recorded in the future), so repeated views share one query.
        let hourEnd = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 3_600).rounded(.up) * 3_600)
        let key = [String(try await env.store.dataVersion()), view.cycle.id, zone.id, String(zone.zone.cells.hashValue), String(view.isApproved),
                   String(hourEnd.timeIntervalSince1970), String(Int(now.timeIntervalSince1970 / 60)), mapNote ?? ""].joined(separator: "|")
        return try await env.zonePageParts.value(for: key) {
            var inside = try await incidentsInside(env: env, view: view, zone: zone, grid: grid, now: now, hourEnd: hourEnd)
            inside.mapNote = mapNote
            return ZoneView.dataSections(inside, jurisdiction: jurisdiction, grid: grid, timeZone: tz)
        }
    }

    /// Incidents inside the zone from two years before the cycle to now: enough for the trend, and what happened
    /// since it started.
    static func incidentsInside(env: WebEnvironment, view: CycleView, zone: ZoneCycle.ExplainedZone, grid: Grid, now: Date,
                                hourEnd: Date) async throws -> ZoneView.Inside {
        let cells = Set(zone.zone.cells)
        let box = zone.zone.boundingBox
        let margin = 400.0
        let around = PlanarBoundingBox(minX: box.minX - margin, minY: box.minY - margin, maxX: box.maxX + margin, maxY: box.maxY + margin)
        let from = view.cycle.startsAt.addingTimeInterval(-730 * 86_400)
        let nearby = try await env.placeQueries.incidents(IncidentQuery(occurredFrom: from, occurredBefore: max(hourEnd, view.cycle.startsAt), bounds: around,
                                                                  includePoliceInitiated: false, includeRawRow: false), store: env.store)
        let until = max(now, view.cycle.startsAt)
        let inside = nearby.filter { $0.occurredAt < until && (grid.cell(containing: $0.position).map(cells.contains) ?? false) }
        return ZoneView.Inside(zone: zone, isApproved: view.isApproved, cycleStart: view.cycle.startsAt, incidents: inside, until: until,
                               yearBefore: view.cycle.startsAt.addingTimeInterval(-365 * 86_400), around: around)
    }

    /// The officer's zone card: the zone's incidents (one page of them listed) and this cycle's dosage in it.
    static func card(env: WebEnvironment, view: CycleView, zone: ZoneCycle.ExplainedZone, jurisdiction: Jurisdiction, page: Substring?, now: Date,
                     timeZone tz: TimeZone, viewer: Viewer) async throws -> HTML {
        let grid = await env.surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters)
        let hourEnd = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 3_600).rounded(.up) * 3_600)
        let inside = try await incidentsInside(env: env, view: view, zone: zone, grid: grid, now: now, hourEnd: hourEnd)
        let number = try ZoneCardView.page(page, count: ZoneCardView.listed(inside).count)
        let patrol = try await patrol(env: env, view: view, zone: zone, viewer: viewer, timeZone: tz)
        let location = try await env.zoneLocations([(zone.id, zone.zone.cells)], grid: grid, jurisdiction: jurisdiction)[zone.id]
        let card = ZoneCardView.Card(view: view, zone: zone, jurisdiction: jurisdiction, grid: grid, inside: inside, patrol: patrol,
                                     locationDescription: location?.locationDescription, page: number, now: now, timeZone: tz)
        return ZoneCardView.body(card, viewer: viewer)
    }

    /// What the map's tooltip says of an approved zone whose cycle is not in force: "upcoming, starts …" (or "ended
    /// …"), as the deployment page says, since the zone is drawn like a zone in force (issue #15: an upcoming cycle's
    /// zone was labelled "active"). Nil for a cycle in force or a proposal, whose status says it.
    static func mapNote(_ view: CycleView, now: Date, timeZone tz: TimeZone) -> String? {
        view.isApproved && view.status != .active ? DeploymentView.phase(view, now: now, timeZone: tz) : nil
    }

    /// Where the zone is in words, from the street layer (see `ZoneLocations`): computed per request, as the
    /// layer may be imported after the cycle was proposed.
    static func location(env: WebEnvironment, view: CycleView, zone: ZoneCycle.ExplainedZone, jurisdiction: Jurisdiction) async throws -> ZoneLocation? {
        let grid = await env.surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters)
        return try await env.zoneLocations([(zone.id, zone.zone.cells)], grid: grid, jurisdiction: jurisdiction)[zone.id]
    }

    /// Dosage (with the hour-of-day harm profile and low-patrol flags) for everyone who sees the zone; the
    /// non-enforcement monitor for the roles that oversee (commanders are notified of alerts once a day).
    /// A zone of a cycle never approved had no patrol to judge, so it carries no low-patrol flag (issue #15: a proposed
    /// zone showed a red "Little patrol").
    static func patrol(env: WebEnvironment, view: CycleView, zone: ZoneCycle.ExplainedZone, viewer: Viewer, timeZone tz: TimeZone) async throws -> HTML? {
        guard let oversight = try await env.patrolOversight(view, zones: [zone]), var z = oversight.zones.first else { return nil }
        var unpatrolled: HTML?
        if !view.isApproved {
            z.dosage.flags = []
            unpatrolled = """
                <p class="note" id="not-patrolled">Cycle \(view.cycle.id) is \(view.status.rawValue), not approved: no patrol is expected in its \
                zones yet, so none is flagged for little patrol.</p>
                """
        }
        let enforcement: HTML? = viewer.may(.viewOversight) ? PatrolOversightView.enforcementSection(z.enforcement, timeZone: tz) : nil
        // For the roles that oversee patrol: how many of the visits the officer's phone checked in the zone (counts only).
        var checks: HTML?
        if viewer.may(.viewOversight) { checks = try await InZoneChecks.byZone(env: env, report: oversight)[zone.id]?.paragraph(id: "in-zone-checks") }
        return "\(unpatrolled)\(PatrolOversightView.dosageSection(z.dosage, report: oversight, timeZone: tz))\(checks)\(enforcement)"
    }
}
