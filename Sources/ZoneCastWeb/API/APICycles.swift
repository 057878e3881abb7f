import Foundation
import ZoneCastAPI
import ZoneCastCore
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastZoning
import ZoneCastOperations
import ZoneCastAccess
import ZoneCastStreets

/// GET /api/cycles and GET /api/cycles/{id}. Which cycles exist and their status are not secret (an auditor checks
/// them); their zones are, and only roles that see zone locations get them (audited).
extension APIHandlers {
    func listCycles(_ input: Operations.ListCycles.Input) async throws -> Operations.ListCycles.Output {
        // Statuses at the database's time, as GET /api/cycles/{id} and the pages give them (the data's own in an exercise).
        let now = try await env.dataTime().now
        let cycles: [Components.Schemas.CycleSummary] = try await env.store.cycles().map { r in
            let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: r.document)
            return .init(id: r.id, status: r.status(at: now).rawValue, startsAt: r.startsAt, endsAt: r.endsAt, createdAt: r.createdAt,
                         zoneCount: cycle.approvedZones?.count ?? cycle.zones.count, proposedZoneCount: cycle.zones.count, model: cycle.provenance.model)
        }
        return .ok(.init(body: .json(.init(cycles: cycles, now: now))))
    }

    func getCycle(_ input: Operations.GetCycle.Input) async throws -> Operations.GetCycle.Output {
        let caller = try APICaller.viewer
        let id = input.path.id
        guard let record = try await env.store.cycle(id: id) else { throw WebError(.notFound, "no cycle \(id)", api: true) }
        let view = try await env.cycleView(record)
        let provenance = view.cycle.provenance
        var out = Components.Schemas.Cycle(
            id: view.cycle.id, status: view.status.rawValue, startsAt: view.cycle.startsAt, endsAt: view.cycle.endsAt, createdAt: record.createdAt,
            zoneCount: view.zones.count, model: provenance.model, cellSizeMeters: provenance.cellSizeMeters, incidentCount: provenance.incidentCount,
            incidentDigest: provenance.incidentDigest, zones: .null)
        if caller.may(.viewZoneLocations) {
            // Free text from the IRIS meeting, which can name streets and addresses and speaks of every zone (its
            // decision and reasons): only for roles that see every zone. An officer learns nothing of zones of
            // other units, not even that they exist.
            if caller.may(.viewAllZones) { out.approvalReason = Nullable(view.cycle.approvalReason) }
            out.classification = Self.confidential
            let visible = view.visibleZones(for: caller.account)
            let projection = try await env.store.jurisdiction()?.projection.prepared()
            let locations = try await env.zoneLocations(view, zones: visible)
            out.zones = .value(visible.map { zone($0, of: view, projection: projection, location: locations[$0.id]) })
            if caller.may(.viewAllZones) {
                out.retired = view.cycle.retired.map { .init(cells: $0.zone.cells, reason: $0.reason) }
            }
            try await env.audit(caller, .viewZones, id, "api: \(visible.count) zones")
        } else {
            out.zonesHidden = "the \(caller.role.rawValue) role may not see zone locations"
        }
        return .ok(.init(body: .json(out)))
    }

    private func zone(_ z: ZoneCycle.ExplainedZone, of view: CycleView, projection: TransverseMercator.Prepared?,
                      location: ZoneLocation?) -> Components.Schemas.CycleZone {
        let e = z.explanation
        let centre = projection.map { p -> Components.Schemas.Position in
            let c = p.unproject(z.zone.centroid)
            return .init(lat: APIQuery.rounded(c.latitude, 1e6), lon: APIQuery.rounded(c.longitude, 1e6))
        }
        return .init(
            id: z.id, status: z.status.rawValue, reason: z.reason, cells: z.zone.cells, areaKm2: APIQuery.rounded(z.zone.areaKm2, 1e4),
            forecastHarm: e.forecastHarm, shareOfCity: e.shareOfCity, explanation: e.text, places: e.places,
            units: view.deployments[z.id]?.units.map(\.name) ?? [],
            categories: e.categories.map { c in
                .init(category: c.category.rawValue, last7Days: c.last7Days, last28Days: c.last28Days, last365Days: c.last365Days)
            },
            centre: centre, locationDescription: ZoneLocationText.description(location), streets: location?.streets ?? [])
    }
}
