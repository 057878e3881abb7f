import Foundation
public import ZoneCastCore
public import ZoneCastForecast
public import ZoneCastStore
import ZoneCastZoning

/// The two forecasts a proposal's sensitivity to police-initiated records compares (see
/// `PoliceInitiatedSensitivity` in ZoneCastOversight): the surface as proposed (police-initiated records left out,
/// unless the proposal included them) and the same forecast with them included.
public struct PoliceInitiatedSurfaces: Sendable {
    /// Police-initiated records excluded (the default inputs).
    public var without: RiskSurface
    /// Police-initiated records included.
    public var with: RiskSurface
    /// Police-initiated records in the proposal's training data.
    public var policeInitiatedRecords: Int
    /// Those records by category: a model that gives a category no weight (the harm model leaves out "other") cannot
    /// be moved by records of it.
    public var policeInitiatedByCategory: [HarmCategory: Int]
    /// Zones the proposal's optimiser (same constraints) picks on `with`; nil when not asked for.
    public var reoptimised: [[Int]]?
}

extension ProposalService {
    /// Recomputes a recorded proposal's forecast from its provenance twice: once without police-initiated records
    /// and once with them. Same incidents' bounds (import batch and training window), model, grid, window, targets,
    /// weights and priority boosts (for auto, the option the proposal selected, so a change is the data's, not another
    /// choice of model); only `includePoliceInitiated` differs. With `reoptimise`, the optimiser also runs
    /// on the second surface, so one can say whether each zone would still be chosen.
    public static func policeInitiatedSurfaces(of cycle: ZoneCycle, store: any IncidentStore, reoptimise: Bool = true) async throws -> PoliceInitiatedSurfaces {
        guard let jurisdiction = try await store.jurisdiction() else { throw ProposalError.noJurisdiction }
        let p = cycle.provenance
        let at = p.origin
        let all = try await store.incidents(IncidentQuery(occurredFrom: at.addingTimeInterval(-p.trainingDays * 86_400), occurredBefore: at,
                                                    includePoliceInitiated: true, includeRawRow: false))
            .filter { ($0.batchID ?? 0) <= p.latestBatchID && $0.occurredAt.addingTimeInterval(Double($0.occurredPrecision.intervalSeconds)) <= at }
        let grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: p.cellSizeMeters)
        let window = ForecastWindow(start: at, hours: p.windowHours)
        func surface(_ include: Bool) throws -> RiskSurface {
            let input = ForecastInput(history: EventSet(all, includePoliceInitiated: include), grid: grid, window: window, targets: Set(p.targets),
                                      weights: p.weights)
            return try recordedForecast(p, input: input).surface.boosted(by: p.priorityBoosts ?? [], projection: jurisdiction.projection).surface
        }
        let without = try surface(false), with = try surface(true)
        let reoptimised = reoptimise ? try ZoneOptimizer(constraints: p.constraints).optimize(with).zones.map(\.cells) : nil
        let police = all.filter(\.policeInitiated)
        return PoliceInitiatedSurfaces(without: without, with: with, policeInitiatedRecords: police.count,
                                       policeInitiatedByCategory: Dictionary(police.map { ($0.category, 1) }, uniquingKeysWith: +), reoptimised: reoptimised)
    }
}
