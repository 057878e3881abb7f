import Foundation
import Hummingbird
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOversight
import ZoneCastHTML
import ZoneCastReports

/// GET /outcomes: did the zones reduce harm, against the same places before and against comparison places matched
/// on forecast risk, and did it move into the buffer rings (Weighted Displacement Quotient). Figures for everyone
/// with oversight; the map of zones, buffers and comparison places only for roles that may see zone locations.
func addOutcomesRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.get("/outcomes") { request, _ -> Response in
        let viewer = try await env.viewer(request, requiring: .viewOversight)
        let query = Form(request.uri.query ?? "")
        var bufferMeters = 400.0
        if let text = query["buffer"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let v = Double(text), v.isFinite, OutcomeSettings.bufferRange.contains(v) else {
                throw WebError(.badRequest, "buffer \"\(text)\": the buffer width must be a number of metres between 100 and 2000")
            }
            bufferMeters = v
        }
        let settings: OutcomeSettings
        do { settings = try OutcomeSettings(bufferMeters: bufferMeters, weights: try env.store.harmWeights()) } catch let e as OutcomesError {
            throw WebError(.badRequest, e.description)
        }
        let now = env.clock()
        let tz = try env.timeZone()
        let jurisdiction = try env.store.jurisdiction()
        let found = try OutcomesData.approvedCycles(store: env.store)
        var report: OutcomesReport?
        var grid: Grid?
        if let jurisdiction, let size = found.cellSizeMeters {
            let g = await env.surfaces.grid(for: jurisdiction, cellSizeMeters: size)
            var surfaces: [String: RiskSurface] = [:]
            for c in OutcomesData.needingSurfaces(found.cycles, now: now) { surfaces[c.id] = try await env.surfaces.surface(of: c, store: env.store) }
            report = try OutcomesData.report(store: env.store, cycles: found.cycles, surfaces: surfaces, grid: g, now: now, settings: settings)
            grid = g
        }
        let showMap = viewer.may(.viewZoneLocations) && !(report?.places.isEmpty ?? true)

        var body = Layout.syntheticBanner(jurisdiction?.isSynthetic ?? false)
        if showMap { body += Layout.confidential(viewer, at: now, timeZone: tz) }
        body += "<form method=\"get\" action=\"/outcomes\" class=\"no-print\"><label>Buffer ring width (metres, 100-2000) <input type=\"number\" name=\"buffer\" min=\"100\" max=\"2000\" step=\"50\" value=\"\(OutcomesPage.number(bufferMeters))\"></label> <button>Recompute</button></form>"
        guard let report, let grid, let jurisdiction else {
            body += "<p id=\"outcomes-empty\">No approved cycle has been in force yet, so there is nothing to measure.</p>"
            return html(Layout.page(title: "Outcomes", viewer: viewer, current: "/outcomes", body: body))
        }
        if report.places.isEmpty {
            body += "<p id=\"outcomes-empty\">No approved cycle has been in force yet, so there is nothing to measure.</p>"
        } else {
            body += "<h2>All places together</h2>" + OutcomesPage.cumulative(report)
            body += "<h2>Each place against its comparison places</h2><p class=\"note\">Violent incidents: (zone during ÷ before) ÷ (comparison places during ÷ before), with the \(Int((settings.confidence * 100).rounded())) % interval; below 1 the zone did better.</p>"
            body += OutcomesPage.chart(report)
            body += OutcomesPage.placesTable(report, timeZone: tz)
            if showMap {
                body += "<h2>Map</h2>" + OutcomesPage.map(report, grid: grid, jurisdiction: jurisdiction)
            } else {
                body += "<p class=\"note\" id=\"no-map\">Zone locations are confidential: your role sees the figures, not the map.</p>"
            }
        }
        if !report.cyclesNotRun.isEmpty {
            body += "<p class=\"note\">Approved but never in force before now (not measured): \(LegacyHTML.escape(report.cyclesNotRun.joined(separator: ", "))).</p>"
        }
        if !found.otherGrid.isEmpty {
            body += "<p class=\"note\">Recorded on another grid cell size and left out: \(LegacyHTML.escape(found.otherGrid.joined(separator: ", "))).</p>"
        }
        body += "<h2>How these figures are made</h2><p id=\"outcomes-method\">\(LegacyHTML.escape(OutcomesReport.methodText))</p>"
        body += "<p class=\"note\">Before period: the same number of days immediately before each place first became a zone. Buffer ring: \(OutcomesPage.number(settings.bufferMeters)) m. Comparison places per zone: \(settings.comparisonsPerZone). Fewer than \(settings.minimumEvents) incidents in a zone over both periods: too few to say. Police-initiated records in these places left out: \(report.policeInitiatedExcluded).</p>"
        if showMap {
            try env.audit(viewer, .viewZones, "outcomes", "outcomes map of \(report.places.count) places, buffer \(Int(settings.bufferMeters)) m")
        } else {
            try env.audit(viewer, .viewOversight, "outcomes", "figures for \(report.places.count) places, no map")
        }
        return html(Layout.page(title: "Outcomes", viewer: viewer, current: "/outcomes", body: body))
    }
}
