import Foundation
import Hummingbird
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOversight
import ZoneCastHTML
import ZoneCastServices
import ZoneCastStore
import ZoneCastPlanning
import ZoneCastOperations
import ZoneCastAccess

/// GET /outcomes: did the zones reduce harm, against the same places before and against comparison places matched
/// on forecast risk, and did it move into the buffer rings (Weighted Displacement Quotient). Figures for everyone
/// with oversight; the map of zones, buffers and comparison places only for roles that may see zone locations.
func addOutcomesRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.pages(requiring: .viewOversight, env: env).get("/outcomes") { request, context -> Response in
        let viewer = try context.viewer
        let bufferMeters = try outcomesBuffer(Form(request.uri.query ?? ""))
        let settings = try await OutcomeSettings(bufferMeters: bufferMeters, weights: try env.store.harmWeights())
        let now = try await env.dataTime().now  // an exercise measures up to the data's end, not to today
        let tz = try await env.timeZone()
        let jurisdiction = try await env.store.jurisdiction()
        let found = try await OutcomesData.approvedCycles(store: env.store)
        let measured = try await outcomesReport(found, jurisdiction: jurisdiction, settings: settings, now: now, env: env)
        let showMap = viewer.may(.viewZoneLocations) && !(measured?.report.places.isEmpty ?? true)
        var results: HTML?
        if let measured, let jurisdiction {
            let report = measured.report
            results = OutcomesView.results(report, settings: settings, otherGrid: found.otherGrid, map: showMap ? (measured.grid, jurisdiction) : nil,
                                           timeZone: tz, cycleStarts: Dictionary(found.cycles.map { ($0.id, $0.startsAt) }, uniquingKeysWith: { a, _ in a }))
            if showMap {
                try await env.audit(viewer, .viewZones, "outcomes", "outcomes map of \(report.places.count) places, buffer \(Int(settings.bufferMeters)) m")
            } else {
                try await env.audit(viewer, .viewOversight, "outcomes", "figures for \(report.places.count) places, no map")
            }
        }
        let confidential = showMap ? Layout.confidential(viewer, at: now, timeZone: tz) : nil
        return html(OutcomesView.page(viewer: viewer, isSynthetic: jurisdiction?.isSynthetic ?? false, confidential: confidential,
                                      bufferMeters: bufferMeters, results: results))
    }
}

/// The buffer ring width asked for (`buffer`, metres), 400 when not given.
private func outcomesBuffer(_ query: Form) throws -> Double {
    guard let text = query["buffer"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return 400 }
    guard let v = Double(text), v.isFinite, OutcomeSettings.bufferRange.contains(v) else {
        throw WebError(.badRequest, "buffer \"\(text)\": the buffer width must be a number of metres between 100 and 2000")
    }
    return v
}

/// The outcomes of the approved cycles on their grid, or nil without a jurisdiction or an approved cycle.
private func outcomesReport(_ found: OutcomesData.Cycles, jurisdiction: Jurisdiction?, settings: OutcomeSettings, now: Date,
                            env: WebEnvironment) async throws -> (report: OutcomesReport, grid: Grid)? {
    guard let jurisdiction, let size = found.cellSizeMeters else { return nil }
    let grid = await env.surfaces.grid(for: jurisdiction, cellSizeMeters: size)
    var surfaces: [String: RiskSurface] = [:]
    for c in OutcomesData.needingSurfaces(found.cycles, now: now) { surfaces[c.id] = try await env.surfaces.surface(of: c, store: env.store) }
    let report = try await OutcomesData.report(store: env.store, cycles: found.cycles, surfaces: surfaces, grid: grid, now: now, settings: settings)
    return (report, grid)
}
