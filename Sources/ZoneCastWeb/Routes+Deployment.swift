import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastStreets

/// Deployment: a commander assigns units to each approved zone of an approved or active cycle. Every assignment
/// is kept; the latest per zone is in force and officers of those units see the zone at once. Changing an
/// assignment while the cycle is active needs a reason.
func addDeploymentRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.pages(requiring: .assignUnits, env: env).get("/deployments") { request, context -> Response in
        let viewer = try context.viewer
        let cycles = try await env.deployableCycles()
        let shown = [cycles.inForce].compactMap { $0 } + cycles.upcoming
        guard !shown.isEmpty else {
            return await html(DeploymentView.noCycle(viewer: viewer, pendingProposal: try env.pendingProposal()?.cycle.id))
        }
        // The overview names zones and their units (no map, no cells), logged like the per-cycle page.
        try await env.audit(viewer, .viewZones, shown.map(\.cycle.id).joined(separator: ","),
                            "deployments: " + shown.map { "\($0.cycle.id) \($0.zones.count) zone(s)" }.joined(separator: ", "))
        return await html(DeploymentView.overview(inForce: cycles.inForce, upcoming: cycles.upcoming, viewer: viewer, now: cycles.now,
                                                  timeZone: try env.timeZone()))
    }

    router.pages(requiring: .assignUnits, env: env).get("/deployments/{cycle}") { request, context -> Response in
        let viewer = try context.viewer
        // Past cycles stay readable (their history); only approved and active ones can change.
        let view = try await env.cycleView(id: context.parameters.require("cycle"))
        if view.status == .proposed { _ = try await env.deployableView(view.cycle.id) }
        let saved = request.uri.queryParameters["saved"].map(String.init)
        let page = DeploymentView(data: try await env.deploymentPageData(view), viewer: viewer, saved: saved, error: nil, form: nil)
        try await env.audit(viewer, .viewZones, view.cycle.id, "deployment: \(view.zones.count) zone(s)")
        return html(page.html)
    }

    router.pages(requiring: .assignUnits, env: env).post("/deployments/{cycle}") { request, context -> Response in
        let viewer = try context.viewer
        let form = try context.form
        let view = try await env.deployableView(context.parameters.require("cycle"))
        do {
            let zoneID = try await env.assignUnits(form, view: view, viewer: viewer)
            return redirect("/deployments/\(view.cycle.id)?saved=\(zoneID)")
        } catch let error as WebError where error.kind == .badRequest {
            let page = DeploymentView(data: try await env.deploymentPageData(view), viewer: viewer, saved: nil, error: error.message, form: form)
            // The page shown again holds the zone map: a read of zone locations, logged like the GET.
            try await env.audit(viewer, .viewZones, view.cycle.id, "deployment (form refused): \(view.zones.count) zone(s)")
            return html(page.html, status: .badRequest)
        }
    }
}

/// What the deployment page shows besides the cycle: the units a commander may assign, every assignment made
/// (newest first), and the jurisdiction with the cycle's grid for the map.
struct DeploymentPageData: Sendable {
    let view: CycleView
    let units: [PatrolUnit]
    let history: [Deployment]
    let jurisdiction: Jurisdiction?
    let grid: Grid?
    let now: Date
    let timeZone: TimeZone
    /// Where each approved zone is, in words from the street layer (by zone id).
    var locations: [String: ZoneLocation] = [:]
}

extension WebEnvironment {
    func deploymentPageData(_ view: CycleView) async throws -> DeploymentPageData {
        let history = try await store.documents(Deployment.self, group: view.cycle.id).sorted { ($0.assignedAt, $0.id) > ($1.assignedAt, $1.id) }
        let jurisdiction = try await store.jurisdiction()
        var grid: Grid?
        if let jurisdiction { grid = await surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters) }
        // "In force, ends …" / "upcoming, starts …" at the database's time, as the view's status is.
        var data = await DeploymentPageData(view: view, units: try knownUnits(), history: history, jurisdiction: jurisdiction, grid: grid,
                                            now: try dataTime().now, timeZone: try timeZone())
        data.locations = try await zoneLocations(view, zones: view.zones)
        return data
    }

    /// Saves a zone's units from the form and returns the zone's id. Refusals are 400s naming the field: an unknown
    /// zone or unit, the same units again, no unit for an unassigned zone, no reason for a change while active.
    func assignUnits(_ form: Form, view: CycleView, viewer: Viewer) async throws -> String {
        let zoneID = form["zone"] ?? ""
        guard let zone = view.zones.first(where: { $0.id == zoneID }) else {
            throw WebError.invalid("zone", zoneID, "not an approved zone of cycle \(view.cycle.id) (approved: \(view.zones.map(\.id).joined(separator: ", ")))")
        }
        let known = try await knownUnits()
        var units: [PatrolUnit] = []
        for name in form.all("unit") where !name.isEmpty {
            guard let unit = known.first(where: { $0.name == name }) else {
                throw WebError.invalid("unit", name, "not a known unit (\(known.map(\.name).joined(separator: ", ")))")
            }
            if !units.contains(unit) { units.append(unit) }
        }
        units.sort()
        let reason = try form.text("reason", label: "reason", required: false, maxLength: 1_000)
        let existing = view.deployments[zone.id]
        if let existing {
            guard Set(existing.units) != Set(units) else {
                throw WebError.invalid("unit", units.map(\.name).joined(separator: ", "),
                                       "\(zone.id) already has exactly these units; change the selection or leave it")
            }
            if view.status == .active && reason.isEmpty {
                throw WebError.invalid("reason", "", "changing \(zone.id)'s units while the cycle is active needs a reason (officers on patrol are affected)")
            }
        } else if units.isEmpty {
            throw WebError.invalid("unit", "", "choose at least one unit for \(zone.id)")
        }
        // The id sorts after the zone's earlier assignments even within one clock tick (the latest is in force).
        let sequence = try await store.documents(Deployment.self, group: view.cycle.id).filter { $0.zoneID == zone.id }.count + 1
        let id = "dep-\(view.cycle.id)-\(zone.id)-\(String(format: "%04d", sequence))-\(randomToken().prefix(6))"
        let deployment = Deployment(id: id, cycleID: view.cycle.id, zoneID: zone.id, units: units, assignedBy: viewer.username,
                                    assignedAt: clock(), reason: reason)
        let was = existing.map { $0.units.isEmpty ? "none" : $0.units.map(\.name).joined(separator: ", ") } ?? "unassigned"
        let now = units.isEmpty ? "none (withdrawn)" : units.map(\.name).joined(separator: ", ")
        let detail = "\(was) → \(now)\(reason.isEmpty ? "" : ": \(reason)")"
        try await store.apply([.save(deployment), .audit(draft(viewer, .assignUnits, "\(view.cycle.id)/\(zone.id)", detail))])
        return zone.id
    }

    /// The cycles a commander deploys: the one in force and every approved one still to start (soonest first), so
    /// the next cycle's units can be assigned as soon as the IRIS meeting approves it, before it starts. Both at the
    /// database's time (`now`, returned for the labels): on historical data, the exercise's own cycles.
    func deployableCycles() async throws -> (inForce: CycleView?, upcoming: [CycleView], now: Date) {
        let now = try await dataTime().now
        let upcoming = try await store.cycles().filter { $0.status(at: now) == .approved && $0.startsAt > now }.sorted { $0.startsAt < $1.startsAt }
        return (try await store.cycleInForce(at: now).asyncMap { try await cycleView($0, at: now) },
                try await upcoming.asyncMap { try await cycleView($0, at: now) }, now)
    }

    /// A cycle whose units may be assigned: approved (not yet started) or active. Anything else is a 409 that says why.
    func deployableView(_ id: String) async throws -> CycleView {
        let view = try await cycleView(id: id)
        switch view.status {
        case .approved, .active: return view
        case .proposed: throw WebError(.conflict, "Cycle \(id) is still a proposal: units are assigned to zones after an IRIS meeting approves it.")
        case .expired: throw WebError(.conflict, "Cycle \(id) has ended: its deployment can no longer change.")
        case .superseded: throw WebError(.conflict, "Cycle \(id) was superseded by a newer cycle: assign units there.")
        }
    }

    /// The units a commander may assign: the department's flexible units and any unit named on an account.
    func knownUnits() async throws -> [PatrolUnit] {
        let extra = Set(try await store.accounts().flatMap(\.units)).subtracting(PatrolUnit.defaults).sorted()
        return PatrolUnit.defaults + extra
    }
}
