import Foundation
import ZoneCastAPI
import ZoneCastCore
import ZoneCastForecast
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastZoning
import ZoneCastOperations
import ZoneCastAccess
import ZoneCastStreets

/// GET /api/zones and GET /api/zones.geojson: the zones the caller may see, audited.
extension APIHandlers {
    static let confidential = "CONFIDENTIAL"

    func listZones(_ input: Operations.ListZones.Input) async throws -> Operations.ListZones.Output {
        let caller = try APICaller.viewer
        let active = try await env.activeCycle()
        let proposed = await caller.may(.viewAllZones) ? try env.pendingProposal() : nil
        let activeZones = active?.visibleZones(for: caller.account) ?? []
        let subject = [active?.cycle.id, proposed?.cycle.id].compactMap { $0 }.joined(separator: ",")
        try await env.audit(caller, .viewZones, subject, "api: \(activeZones.count) active, \(proposed?.zones.count ?? 0) proposed")
        let activeWhere = try await active.asyncMap { try await env.zoneLocations($0, zones: activeZones) } ?? [:]
        let proposedWhere = try await proposed.asyncMap { try await env.zoneLocations($0, zones: $0.zones) } ?? [:]
        let body = Components.Schemas.ZonesResponse(
            classification: Self.confidential,
            active: Nullable(active.map { v in
                .init(cycle: v.cycle.id, status: v.status.rawValue, startsAt: v.cycle.startsAt, endsAt: v.cycle.endsAt,
                      zones: summaries(v, activeZones, locations: activeWhere))
            }),
            proposed: Nullable(proposed.map { v in
                .init(cycle: v.cycle.id, startsAt: v.cycle.startsAt, endsAt: v.cycle.endsAt, zones: summaries(v, v.zones, locations: proposedWhere))
            }))
        return .ok(.init(body: .json(body)))
    }

    private func summaries(_ view: CycleView, _ zones: [ZoneCycle.ExplainedZone], locations: [String: ZoneLocation]) -> [Components.Schemas.ZoneSummary] {
        zones.map { z in
            .init(id: z.id, status: z.status.rawValue, cells: z.zone.cells, areaKm2: APIQuery.rounded(z.zone.areaKm2, 1e4),
                  forecastHarm: z.explanation.forecastHarm, explanation: z.explanation.text,
                  locationDescription: ZoneLocationText.description(locations[z.id]), streets: locations[z.id]?.streets ?? [],
                  units: view.deployments[z.id]?.units.map(\.name) ?? [])
        }
    }

    func exportZonesGeoJSON(_ input: Operations.ExportZonesGeoJSON.Input) async throws -> Operations.ExportZonesGeoJSON.Output {
        let caller = try APICaller.viewer
        let views: [CycleView]
        if let id = APIQuery.text(input.query.cycle) {
            guard let record = try await env.store.cycle(id: id) else { throw WebError(.notFound, "no cycle \(id)", api: true) }
            views = await [try env.cycleView(record)]
        } else {
            views = await [try env.activeCycle(), caller.may(.viewAllZones) ? try env.pendingProposal() : nil].compactMap { $0 }
        }
        guard let jurisdiction = try await env.store.jurisdiction() else { throw WebError(.notFound, "no jurisdiction: import data first", api: true) }
        let projection = jurisdiction.projection.prepared()
        var features: [Components.Schemas.ZoneFeature] = []
        for view in views {
            let grid = await env.surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters)
            let zones = view.visibleZones(for: caller.account)
            let locations = try await env.zoneLocations(zones.map { ($0.id, $0.zone.cells) }, grid: grid, jurisdiction: jurisdiction)
            for z in zones {
                features.append(feature(z, of: view, grid: grid, projection: projection, synthetic: jurisdiction.isSynthetic, location: locations[z.id]))
            }
        }
        try await env.audit(caller, .export, "geojson", features.isEmpty ? "no zones" : features.map(\.id).joined(separator: ","))
        let collection = Components.Schemas.FeatureCollection(
            _type: .featureCollection,
            properties: .init(classification: Self.confidential, note: "Patrol zone locations: do not share outside the department.",
                              exportedBy: caller.username, exportedAt: env.clock()),
            features: features)
        return .ok(.init(headers: .init(contentDisposition: "attachment; filename=\"zonecast-zones.geojson\""), body: .applicationGeoJson(collection)))
    }

    /// One MultiPolygon feature per zone: each grid cell a closed square ring of WGS84 positions (1e-7 degrees).
    private func feature(_ z: ZoneCycle.ExplainedZone, of view: CycleView, grid: Grid, projection: TransverseMercator.Prepared, synthetic: Bool,
                         location: ZoneLocation?) -> Components.Schemas.ZoneFeature {
        let s = grid.cellSizeMeters
        let polygons: [[[[Double]]]] = z.zone.cells.map { c in
            let x0 = grid.originX + Double(grid.column(of: c)) * s, y0 = grid.originY + Double(grid.row(of: c)) * s
            let ring = [(x0, y0), (x0 + s, y0), (x0 + s, y0 + s), (x0, y0 + s), (x0, y0)].map { p -> [Double] in
                let g = projection.unproject(PlanarPoint(xMeters: p.0, yMeters: p.1))
                return [APIQuery.rounded(g.longitude, 1e7), APIQuery.rounded(g.latitude, 1e7)]
            }
            return [ring]
        }
        return .init(
            _type: .feature, id: "\(view.cycle.id)/\(z.id)",
            properties: .init(id: z.id, cycle: view.cycle.id, status: z.status.rawValue, cycleStatus: view.status.rawValue, startsAt: view.cycle.startsAt,
                              endsAt: view.cycle.endsAt, areaKm2: APIQuery.rounded(z.zone.areaKm2, 1e4), forecastHarm: z.explanation.forecastHarm,
                              units: view.deployments[z.id]?.units.map(\.name) ?? [], classification: Self.confidential, synthetic: synthetic,
                              locationDescription: ZoneLocationText.description(location), streets: location?.streets ?? []),
            geometry: .init(_type: .multiPolygon, coordinates: polygons))
    }
}
