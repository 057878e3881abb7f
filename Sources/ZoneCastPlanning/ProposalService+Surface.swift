import Foundation
import ZoneCastCore
public import ZoneCastForecast
public import ZoneCastStore

extension ProposalService {
    /// The risk surface a recorded proposal was optimised on, recomputed from its provenance (same incidents,
    /// model, grid and window), for maps. Unlike `replay` it does not optimise or explain, so it is quick.
    public static func surface(of cycle: ZoneCycle, store: any IncidentStore) async throws -> RiskSurface {
        guard let jurisdiction = try await store.jurisdiction() else { throw ProposalError.noJurisdiction }
        let p = cycle.provenance
        let at = p.origin
        let incidents = try await store.incidents(IncidentQuery(occurredFrom: at.addingTimeInterval(-p.trainingDays * 86_400), occurredBefore: at,
                                                          includePoliceInitiated: p.includePoliceInitiated, includeRawRow: false))
            .filter { ($0.batchID ?? 0) <= p.latestBatchID && $0.occurredAt.addingTimeInterval(Double($0.occurredPrecision.intervalSeconds)) <= at }
        let grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: p.cellSizeMeters)
        let input = ForecastInput(history: EventSet(incidents, includePoliceInitiated: p.includePoliceInitiated), grid: grid,
                                  window: ForecastWindow(start: at, hours: p.windowHours), targets: Set(p.targets), weights: p.weights)
        return try recordedForecast(p, input: input).surface.boosted(by: p.priorityBoosts ?? [], projection: jurisdiction.projection).surface
    }
}
