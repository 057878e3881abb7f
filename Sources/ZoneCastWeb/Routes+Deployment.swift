import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastHTML
import ZoneCastReports
import ZoneCastStore

/// Deployment: a commander assigns units to each approved zone of an approved or active cycle. Every assignment
/// is kept; the latest per zone is in force and officers of those units see the zone at once. Changing an
/// assignment while the cycle is active needs a reason.
func addDeploymentRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.get("/deployments") { request, _ -> Response in
        let viewer = try await env.viewer(request, requiring: .assignUnits)
        if let current = try env.deployableCycle() { return redirect("/deployments/\(current.id)") }
        let body = "<p>No approved cycle is in force or coming up. Units are assigned once an IRIS meeting approves a proposal.</p>"
            + (try env.pendingProposal().map { "<p>Proposal \(LegacyHTML.escape($0.cycle.id)) awaits its IRIS meeting.</p>" } ?? "")
        return html(Layout.page(title: "Deployment", viewer: viewer, current: "/deployments", body: body))
    }

    router.get("/deployments/{cycle}") { request, context -> Response in
        let viewer = try await env.viewer(request, requiring: .assignUnits)
        // Past cycles stay readable (their history); only approved and active ones can change.
        let view = try env.cycleView(id: context.parameters.require("cycle"))
        if view.status == .proposed { _ = try env.deployableView(view.cycle.id) }
        let saved = request.uri.queryParameters["saved"].map(String.init)
        let body = try await DeploymentPages.page(env: env, view: view, viewer: viewer, saved: saved, error: nil, form: nil)
        try env.audit(viewer, .viewZones, view.cycle.id, "deployment: \(view.zones.count) zone(s)")
        return html(Layout.page(title: "Deployment, cycle \(view.cycle.id)", viewer: viewer, current: "/deployments", body: body))
    }

    router.post("/deployments/{cycle}") { request, context -> Response in
        let viewer = try await env.viewer(request, requiring: .assignUnits)
        let form = try await Form.read(request)
        try env.checkCSRF(form, viewer)
        let view = try env.deployableView(context.parameters.require("cycle"))
        do {
            let zoneID = form["zone"] ?? ""
            guard let zone = view.zones.first(where: { $0.id == zoneID }) else {
                throw WebError.invalid("zone", zoneID, "not an approved zone of cycle \(view.cycle.id) (approved: \(view.zones.map(\.id).joined(separator: ", ")))")
            }
            let known = try env.knownUnits()
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
                    throw WebError.invalid("unit", units.map(\.name).joined(separator: ", "), "\(zone.id) already has exactly these units; change the selection or leave it")
                }
                if view.status == .active && reason.isEmpty {
                    throw WebError.invalid("reason", "", "changing \(zone.id)'s units while the cycle is active needs a reason (officers on patrol are affected)")
                }
            } else if units.isEmpty {
                throw WebError.invalid("unit", "", "choose at least one unit for \(zone.id)")
            }
            // The id sorts after the zone's earlier assignments even within one clock tick (the latest is in force).
            let sequence = try env.store.documents(Deployment.self, group: view.cycle.id).filter { $0.zoneID == zone.id }.count + 1
            let deployment = Deployment(id: "dep-\(view.cycle.id)-\(zone.id)-\(String(format: "%04d", sequence))-\(randomToken().prefix(6))", cycleID: view.cycle.id, zoneID: zone.id, units: units, assignedBy: viewer.username,
                                        assignedAt: env.clock(), reason: reason)
            let was = existing.map { $0.units.isEmpty ? "none" : $0.units.map(\.name).joined(separator: ", ") } ?? "unassigned"
            let now = units.isEmpty ? "none (withdrawn)" : units.map(\.name).joined(separator: ", ")
            try env.store.apply([.save(deployment), .audit(env.draft(viewer, .assignUnits, "\(view.cycle.id)/\(zone.id)", "\(was) → \(now)\(reason.isEmpty ? "" : ": \(reason)")"))])
            return redirect("/deployments/\(view.cycle.id)?saved=\(zone.id)")
        } catch let error as WebError where error.kind == .badRequest {
            let body = try await DeploymentPages.page(env: env, view: view, viewer: viewer, saved: nil, error: error.message, form: form)
            // The page shown again holds the zone map: a read of zone locations, logged like the GET.
            try env.audit(viewer, .viewZones, view.cycle.id, "deployment (form refused): \(view.zones.count) zone(s)")
            return html(Layout.page(title: "Deployment, cycle \(view.cycle.id)", viewer: viewer, current: "/deployments", body: body), status: .badRequest)
        }
    }
}

extension WebEnvironment {
    /// The cycle a commander deploys now: the one in force, else the next approved one.
    func deployableCycle() throws -> CycleRecord? {
        if let active = try store.cycleInForce(at: clock()) { return active }
        return try store.cycles().filter { $0.status(at: clock()) == .approved }.min { $0.startsAt < $1.startsAt }
    }

    /// A cycle whose units may be assigned: approved (not yet started) or active. Anything else is a 409 that says why.
    func deployableView(_ id: String) throws -> CycleView {
        let view = try cycleView(id: id)
        switch view.status {
        case .approved, .active: return view
        case .proposed: throw WebError(.conflict, "Cycle \(id) is still a proposal: units are assigned to zones after an IRIS meeting approves it.")
        case .expired: throw WebError(.conflict, "Cycle \(id) has ended: its deployment can no longer change.")
        case .superseded: throw WebError(.conflict, "Cycle \(id) was superseded by a newer cycle: assign units there.")
        }
    }

    /// The units a commander may assign: the department's flexible units and any unit named on an account.
    func knownUnits() throws -> [PatrolUnit] {
        let extra = Set(try store.accounts().flatMap(\.units)).subtracting(PatrolUnit.defaults).sorted()
        return PatrolUnit.defaults + extra
    }
}

enum DeploymentPages {
    static func page(env: WebEnvironment, view: CycleView, viewer: Viewer, saved: String?, error: String?, form: Form?) async throws -> String {
        let now = env.clock()
        let tz = try env.timeZone()
        let units = try env.knownUnits()
        let history = try env.store.documents(Deployment.self, group: view.cycle.id).sorted { ($0.assignedAt, $0.id) > ($1.assignedAt, $1.id) }
        var s = ""
        if let jurisdiction = try env.store.jurisdiction() { s += Layout.syntheticBanner(jurisdiction.isSynthetic) }
        s += Layout.confidential(viewer, at: now, timeZone: tz)
        if let saved, view.zone(saved) != nil { s += "<p class=\"ok\" role=\"status\">Units for \(LegacyHTML.escape(saved)) saved. Officers of those units see the zone now.</p>" }
        if let error { s += "<p class=\"error\" role=\"alert\">\(LegacyHTML.escape(error))</p>" }
        s += "<p>Cycle \(LegacyHTML.escape(view.cycle.id)) (\(view.status.rawValue)), \(LegacyHTML.escape(localText(view.cycle.startsAt, timeZone: tz))) to \(LegacyHTML.escape(localText(view.cycle.endsAt, timeZone: tz))).</p>"
        s += "<p class=\"note\">Flexible units patrol these zones for presence and relationships, not enforcement. Changing a zone's units while the cycle is active needs a reason; every change is kept below and in the audit log.</p>"
        if let jurisdiction = try env.store.jurisdiction(), var canvas = MapCanvas(jurisdiction: jurisdiction) {
            let grid = await env.surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters)
            canvas.addBoundary(jurisdiction.boundary)
            for z in view.zones { canvas.addZone(id: z.id, cells: z.zone.cells, grid: grid, kind: .active, link: "/zones/\(view.cycle.id)/\(z.id)") }
            s += "<div class=\"mapwrap\">\(canvas.svg(id: "deployment-map", label: "Approved zones of cycle \(view.cycle.id)"))</div>"
        }
        s += "<h2>Units by zone</h2><table id=\"deployments\"><thead><tr><th class=\"l\">zone</th><th>km²</th><th class=\"l\">units in force</th><th class=\"l\">since</th><th class=\"l\">why this zone</th></tr></thead><tbody>"
        for z in view.zones {
            let d = view.deployments[z.id]
            s += "<tr data-zone=\"\(LegacyHTML.escape(z.id))\"><td class=\"l\"><a href=\"/zones/\(LegacyHTML.escape(view.cycle.id))/\(LegacyHTML.escape(z.id))\">\(LegacyHTML.escape(z.id))</a></td><td>\(String(format: "%.2f", z.zone.areaKm2))</td>"
            s += "<td class=\"l units\">\(LegacyHTML.escape(d.map { $0.units.isEmpty ? "none (withdrawn)" : $0.units.map(\.name).joined(separator: ", ") } ?? "not assigned"))</td>"
            s += "<td class=\"l\">\(LegacyHTML.escape(d.map { "\(localText($0.assignedAt, timeZone: tz)) by \($0.assignedBy)" } ?? ""))</td><td class=\"l\">\(LegacyHTML.escape(z.explanation.text))</td></tr>"
        }
        s += "</tbody></table>"
        if view.zones.isEmpty { s += "<p>This cycle has no approved zones.</p>" }
        let editable = view.status == .approved || view.status == .active
        if !editable { s += "<p class=\"notice\">This cycle is \(view.status.rawValue): its deployment can no longer change.</p>" }
        s += editable ? "<h2>Assign units</h2><div class=\"cols\">" : "<div>"
        for z in view.zones where editable {
            let current = Set(view.deployments[z.id]?.units.map(\.name) ?? [])
            let retry = form?["zone"] == z.id ? form : nil
            let chosen = retry.map { Set($0.all("unit")) } ?? current
            s += "<div><form method=\"post\" action=\"/deployments/\(LegacyHTML.escape(view.cycle.id))\" class=\"stack assign\" data-zone=\"\(LegacyHTML.escape(z.id))\">\(Layout.csrfField(viewer))"
            s += "<input type=\"hidden\" name=\"zone\" value=\"\(LegacyHTML.escape(z.id))\"><fieldset><legend>Zone \(LegacyHTML.escape(z.id))</legend>"
            for u in units {
                s += "<label><input type=\"checkbox\" name=\"unit\" value=\"\(LegacyHTML.escape(u.name))\"\(chosen.contains(u.name) ? " checked" : "")> \(LegacyHTML.escape(u.name))</label>"
            }
            s += "<label>Reason\(view.deployments[z.id] != nil && view.status == .active ? " (required for a change now)" : " (optional)") <textarea name=\"reason\" maxlength=\"1000\">\(LegacyHTML.escape(retry?["reason"] ?? ""))</textarea></label>"
            s += "<button type=\"submit\">Save units for \(LegacyHTML.escape(z.id))</button></fieldset></form></div>"
        }
        s += "</div><h2>History of assignments</h2>"
        if history.isEmpty {
            s += "<p>No units assigned yet.</p>"
        } else {
            s += "<table id=\"deployment-history\"><thead><tr><th class=\"l\">when</th><th class=\"l\">zone</th><th class=\"l\">units</th><th class=\"l\">by</th><th class=\"l\">reason</th></tr></thead><tbody>"
            for d in history {
                s += "<tr><td class=\"l\">\(LegacyHTML.escape(localText(d.assignedAt, timeZone: tz)))</td><td class=\"l\">\(LegacyHTML.escape(d.zoneID))</td><td class=\"l\">\(LegacyHTML.escape(d.units.isEmpty ? "none (withdrawn)" : d.units.map(\.name).joined(separator: ", ")))</td><td class=\"l\">\(LegacyHTML.escape(d.assignedBy))</td><td class=\"l\">\(LegacyHTML.escape(d.reason))</td></tr>"
            }
            s += "</tbody></table>"
        }
        return s
    }
}
