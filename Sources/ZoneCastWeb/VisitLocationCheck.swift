import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastZoning

/// The officer's optional in-zone check (issue #15). On the visit timer the officer may press "Check I'm in the
/// zone"; only then does the phone ask for its location (the browser asks for consent). The position goes to
/// `POST /patrols/check-location`, which answers inside or outside and stores nothing, and with the stopped visit
/// to `POST /patrols`, where the server works out the in/out flag from the zone's cells and keeps only the flag,
/// unless an admin set the department to keep coordinates (`FieldSettings`, off by default, at /settings/field).
func addVisitLocationRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.pages(requiring: .logPatrols, env: env).post("/patrols/check-location") { _, context -> Response in
        let viewer = try context.viewer
        let form = try context.form
        guard let point = try WebEnvironment.checkedPosition(form) else {
            throw WebError(.badRequest, "latitude and longitude are required for the check")
        }
        let (view, zoneID) = try await env.patrolledZone(form["zone"] ?? "", viewer: viewer)
        guard let zone = view.zone(zoneID) else { throw WebError(.notFound, "No zone \(form["zone"] ?? "") that your units patrol now.") }
        let inside = try await env.isInZone(point, cells: zone.zone.cells, cycle: view)
        // Nothing is stored or logged: the position answers this one question and is dropped.
        return json(["inZone": inside ? "yes" : "no", "zone": zoneID,
                     "text": inside ? "You are inside zone \(zoneID)." : "You are outside zone \(zoneID)."])
    }

    let admins = router.pages(requiring: .manageAccounts, env: env)
    admins.get("/settings/field") { request, context -> Response in
        let viewer = try context.viewer
        let saved = Form(request.uri.query ?? "")["saved"] != nil
        return html(FieldSettingsView.page(viewer, settings: try await env.fieldSettings(), saved: saved, timeZone: try await env.timeZone()))
    }

    admins.post("/settings/field") { _, context -> Response in
        let viewer = try context.viewer
        let form = try context.form
        let old = try await env.fieldSettings()
        let keep = try form.choice("keepVisitCoordinates", FieldSettingsView.Choice.self) == .keep
        guard keep != old.keepVisitCoordinates else { return redirect("/settings/field?saved=unchanged") }
        let updated = FieldSettings(keepVisitCoordinates: keep, updatedAt: env.clock(), updatedBy: viewer.username)
        let detail = "in-zone checks: \(old.keepVisitCoordinates ? "keep" : "discard") coordinates → \(keep ? "keep" : "discard") coordinates"
        try await env.store.apply([.save(updated), .audit(env.draft(viewer, .fieldSettings, FieldSettings.documentID, detail))])
        return redirect("/settings/field?saved=1")
    }
}

extension WebEnvironment {
    /// The field settings in force (saved by an admin, else coordinates are not kept).
    func fieldSettings() async throws -> FieldSettings {
        try await store.document(FieldSettings.self, id: FieldSettings.documentID) ?? .defaults
    }

    /// The position in a form: `latitude` and `longitude` both (degrees, in range) or neither; one alone is a 400.
    static func checkedPosition(_ form: Form) throws -> GeoPoint? {
        let latitude = try form.double("latitude", range: -90...90), longitude = try form.double("longitude", range: -180...180)
        switch (latitude, longitude) {
        case let (lat?, lon?): return GeoPoint(latitude: lat, longitude: lon)
        case (nil, nil): return nil
        case (nil, _): throw WebError.invalid("latitude", "", "is required with a longitude")
        case (_, nil): throw WebError.invalid("longitude", "", "is required with a latitude")
        }
    }

    /// A `cycle/zone` value the officer's units patrol now (as the patrol form checks it), or a 404.
    func patrolledZone(_ raw: String, viewer: Viewer) async throws -> (CycleView, String) {
        let parts = raw.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let view = try await patrolCycles().first(where: { $0.cycle.id == parts[0] }),
              view.visibleZones(for: viewer.account).contains(where: { $0.id == parts[1] }) else {
            throw WebError(.notFound, "No zone \(raw) that your units patrol now.")
        }
        return (view, parts[1])
    }

    /// Whether `point` falls in one of `cells` on the cycle's grid (outside the jurisdiction's grid: no).
    func isInZone(_ point: GeoPoint, cells: [Int], cycle: CycleView) async throws -> Bool {
        guard let jurisdiction = try await store.jurisdiction() else { return false }
        let grid = await surfaces.grid(for: jurisdiction, cellSizeMeters: cycle.cycle.provenance.cellSizeMeters)
        guard let cell = grid.cell(containing: jurisdiction.projection.project(point)) else { return false }
        return cells.contains(cell)
    }

    /// The visit with its in-zone flag worked out from the form's position, when one was sent; the coordinates are
    /// kept only when the department enabled it. A visit outside the zones (a comparison patrol) keeps no flag.
    /// Without a position, `previous` (the visit being corrected) keeps its flag.
    func withLocationCheck(_ visit: PatrolVisit, form: Form, previous: PatrolVisit? = nil) async throws -> PatrolVisit {
        var visit = visit
        visit.inZone = previous?.inZone
        visit.checkedPosition = previous?.checkedPosition
        guard let point = try Self.checkedPosition(form) else { return visit }
        guard visit.zoneID != PatrolVisit.outsideZones, let view = try await patrolCycles().first(where: { $0.cycle.id == visit.cycleID }),
              let zone = view.zone(visit.zoneID) else {
            visit.inZone = nil
            visit.checkedPosition = nil
            return visit
        }
        visit.inZone = try await isInZone(point, cells: zone.zone.cells, cycle: view)
        let keep = try await fieldSettings().keepVisitCoordinates
        visit.checkedPosition = keep ? VisitPosition(latitude: point.latitude, longitude: point.longitude) : nil
        return visit
    }
}
