import Foundation
import ZoneCastAPI
import ZoneCastCore
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastOperations
import ZoneCastForecast

/// GET /api/incidents and GET /api/surface: the data behind forecasts, audited as api-access.
extension APIHandlers {
    func listIncidents(_ input: Operations.ListIncidents.Input) async throws -> Operations.ListIncidents.Output {
        let caller = try APICaller.viewer
        let query = input.query
        let tz = try await env.timeZone()
        let to = try APIQuery.instant(query.to, "to", timeZone: tz) ?? env.clock()
        let from = try APIQuery.instant(query.from, "from", timeZone: tz) ?? to.addingTimeInterval(-28 * 86_400)
        guard from < to else { throw APIQuery.invalid("from", APIQuery.text(query.from) ?? iso(from), "must be before to (\(iso(to)))") }
        let categories = try Self.categories(APIQuery.text(query.category))
        let limit = try APIQuery.integer(query.limit, "limit", range: 1...10_000, default: 1_000)
        let after = try APIQuery.position(query.after, "after")
        let rows = try await env.store.incidents(IncidentQuery(occurredFrom: from, occurredBefore: to, categories: categories, includePoliceInitiated: true,
                                                         limit: limit + 1, includeRawRow: false, after: after))
        let page = rows.prefix(limit)
        let incidents: [Components.Schemas.Incident] = page.map { i in
            .init(id: i.id.description, category: i.category.rawValue, occurredAt: i.occurredAt, precision: i.occurredPrecision.rawValue,
                  lat: APIQuery.rounded(i.location.latitude, 1e6), lon: APIQuery.rounded(i.location.longitude, 1e6), address: Nullable(i.address),
                  policeInitiated: i.policeInitiated, firearm: i.firearm, fatal: i.fatal)
        }
        var out = Components.Schemas.IncidentList(from: from, to: to, limit: limit, count: incidents.count, truncated: rows.count > limit, incidents: incidents)
        if rows.count > limit, let last = page.last {
            let category = APIQuery.text(query.category).map { "&category=\($0.replacingOccurrences(of: " ", with: ""))" } ?? ""
            out.next = "/api/incidents?from=\(iso(from))&to=\(iso(to))&limit=\(limit)\(category)&after=\(APIQuery.token(IncidentPosition(of: last)))"
        }
        let named = categories.map { " (\($0.map(\.rawValue).sorted().joined(separator: ",")))" } ?? ""
        try await env.audit(caller, .apiAccess, "incidents", "\(incidents.count) incidents \(iso(from)) to \(iso(to))\(named)")
        return .ok(.init(body: .json(out)))
    }

    /// "robbery" or "robbery, homicide": nil (every category) when absent.
    static func categories(_ raw: String?) throws(WebError) -> Set<HarmCategory>? {
        guard let raw else { return nil }
        var set = Set<HarmCategory>()
        for name in raw.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let c = HarmCategory(rawValue: name) else {
                let names = HarmCategory.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIQuery.invalid("category", name, "choose one of \(names) (comma-separated for several)")
            }
            set.insert(c)
        }
        return set
    }

    func getSurface(_ input: Operations.GetSurface.Input) async throws -> Operations.GetSurface.Output {
        let caller = try APICaller.viewer
        guard let id = APIQuery.text(input.query.cycle) else { throw WebError(.badRequest, "cycle is required (a cycle id, see /api/cycles)", api: true) }
        let top = try APIQuery.integer(input.query.top, "top", range: 1...5_000, default: 100)
        guard let record = try await env.store.cycle(id: id) else { throw WebError(.notFound, "no cycle \(id)", api: true) }
        let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        let surface = try await env.surfaces.surface(of: cycle, store: env.store)
        guard let jurisdiction = try await env.store.jurisdiction() else { throw WebError(.notFound, "no jurisdiction: import data first", api: true) }
        let projection = jurisdiction.projection.prepared()
        let total = surface.total
        let cells: [Components.Schemas.SurfaceCell] = surface.topCells(top).enumerated().map { rank, c in
            let g = projection.unproject(surface.grid.center(of: c))
            return .init(rank: rank + 1, cell: c, value: surface.values[c], share: total > 0 ? surface.values[c] / total : 0,
                         lat: APIQuery.rounded(g.latitude, 1e6), lon: APIQuery.rounded(g.longitude, 1e6))
        }
        try await env.audit(caller, .apiAccess, "surface \(id)", "top \(cells.count) cells")
        let out = Components.Schemas.Surface(cycle: id, model: cycle.provenance.model, cellSizeMeters: surface.grid.cellSizeMeters,
                                             windowStart: surface.window.start, windowEnd: surface.window.end, total: total,
                                             classification: Self.confidential, cells: cells)
        return .ok(.init(body: .json(out)))
    }
}
