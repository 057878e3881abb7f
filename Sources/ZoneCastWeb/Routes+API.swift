import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastPlanning

/// The JSON API. Callers authenticate with a session cookie or a bearer token; zone locations are logged.
func addAPIRoutes(to router: Router<BasicRequestContext>, env: WebEnvironment) {
    router.get("/api/zones") { request, _ -> Response in
        let caller = try await env.apiCaller(request, requiring: .viewZoneLocations)
        let active = try env.activeCycle()
        let proposed = caller.may(.viewAllZones) ? try env.pendingProposal() : nil
        func zones(_ view: CycleView?, _ list: [ZoneCycle.ExplainedZone]) -> [[String: Any]] {
            list.map { z in
                ["id": z.id, "status": z.status.rawValue, "cells": z.zone.cells, "areaKm2": (z.zone.areaKm2 * 1e4).rounded() / 1e4,
                 "forecastHarm": z.explanation.forecastHarm, "explanation": z.explanation.text,
                 "units": view?.deployments[z.id]?.units.map(\.name) ?? []]
            }
        }
        let activeZones = active?.visibleZones(for: caller.account) ?? []
        try env.audit(caller, .viewZones, [active?.cycle.id, proposed?.cycle.id].compactMap { $0 }.joined(separator: ","), "api: \(activeZones.count) active, \(proposed?.zones.count ?? 0) proposed")
        return json([
            "classification": "CONFIDENTIAL",
            "active": active.map { (v: CycleView) -> Any in ["cycle": v.cycle.id, "status": v.status.rawValue, "startsAt": iso(v.cycle.startsAt), "endsAt": iso(v.cycle.endsAt), "zones": zones(v, activeZones)] } ?? NSNull(),
            "proposed": proposed.map { (v: CycleView) -> Any in ["cycle": v.cycle.id, "startsAt": iso(v.cycle.startsAt), "endsAt": iso(v.cycle.endsAt), "zones": zones(v, v.zones)] } ?? NSNull(),
        ])
    }
}

func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }
