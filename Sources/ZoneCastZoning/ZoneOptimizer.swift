public import ZoneCastForecast

/// Chooses up to `maxZones` patrol zones that together capture as much forecast harm as the constraints allow.
///
/// The exact problem (pick disjoint, separated, connected, compact cell sets of maximum total value) is a
/// prize-collecting connected-subgraph problem, NP-hard in general, so this is a heuristic, deterministic for a
/// given input (no randomness, fixed tie-breaks). On a 200,000-cell grid it touches the whole grid only a few times:
/// to check the values, to build the allowed-cell mask and to pick the `candidatePoolSize` highest cells
/// (`RiskSurface.topCells`, a bounded heap). Everything else works on zones and their neighbourhoods:
///
/// 1. **Candidates.** Seeds are taken from the pool in ranking order: the first `denseSeeds` usable ones, then
///    up to `seedsPerZone` more skipping cells an earlier candidate of the same round already holds (so seeds
///    spread over distinct hot spots). Each seed grows best-first: repeatedly add the usable edge neighbour of
///    highest value that keeps the diameter, or, when the frontier is poor, a path of up to four cells whose
///    mean value beats it (to cross low cells to a hot one), until the area cap (⌊maxAreaKm2 / cell area⌋
///    cells) or nothing of positive value is in reach. The zone is then hill-climbed: add a neighbour while
///    below the cap, or swap a non-articulation cell `r` for a neighbour `a` with v(a) > v(r) that keeps
///    connectivity and diameter; zero-value cells that bridge nothing are trimmed.
/// 2. **Beam.** Partial plans start empty; each level extends every kept plan by its `branching` best
///    candidates that respect separation from the plan's zones, and keeps the `beamWidth` best plans by total
///    value (at most two of any group of overlapping plans). Candidates grown with no other zones in place are
///    cached by seed and reused wherever they still avoid the forbidden cells.
/// 3. **Polish**, up to `polishRounds` rounds: each zone is re-optimised with the others fixed (fresh
///    candidates, and ruin-and-regrow of the current zone and the best candidates); then each pair of zones
///    (and a zone with an empty slot) is regrown side by side from their best cells, taking turns, so a zone
///    on a hot spot can shrink or shift to make room for a second one. Changes are kept only when the total
///    rises, so the polish never makes a plan worse.
///
/// Quality is checked against `ExhaustiveZoneSolver` on small instances (see the tests).
public struct ZoneOptimizer: Sendable {
    public var constraints: ZoneConstraints
    public var settings: ZoneSearchSettings

    public init(constraints: ZoneConstraints = ZoneConstraints(), settings: ZoneSearchSettings = ZoneSearchSettings()) {
        self.constraints = constraints
        self.settings = settings
    }

    /// The best plan found for a surface.
    public func optimize(_ surface: RiskSurface) throws(ZoningError) -> ZonePlan {
        try optimize(surface, fixed: [])
    }

    /// Keeps the `fixed` zones (re-measured on this surface) and fills the remaining `maxZones − fixed.count`
    /// slots with zones that keep the separation from them, e.g. to carry last week's zones forward. The fixed
    /// zones must themselves satisfy the constraints; otherwise this throws `constraintViolated`.
    public func optimize(_ surface: RiskSurface, fixed: [Zone]) throws(ZoningError) -> ZonePlan {
        let grid = surface.grid
        try constraints.check(for: grid)
        try settings.check()
        for (i, v) in surface.values.enumerated() where !v.isFinite { throw .invalidSurfaceValue(cell: i, value: v) }
        guard fixed.count <= constraints.maxZones else {
            throw .tooManyFixedZones(count: fixed.count, maxZones: constraints.maxZones)
        }
        for (i, z) in fixed.enumerated() {
            if let bad = z.cells.first(where: { $0 < 0 || $0 >= grid.cellCount }) {
                throw .cellOutOfRange(cell: bad, cellCount: grid.cellCount, context: "fixed zone \(i + 1)")
            }
        }
        let kept = fixed.map { Zone(cells: $0.cells, surface: surface) }
        let total = surface.total
        let keptViolations = constraints.violations(of: ZonePlan(zones: kept, surfaceTotal: total), grid: grid)
        guard keptViolations.isEmpty else { throw .constraintViolated(context: "fixed zones", reasons: keptViolations) }

        var allowed = grid.active
        for c in constraints.excluded { allowed[c] = false }
        let rules = GridRules(constraints: constraints, grid: grid)
        let pool = surface.topCells(settings.candidatePoolSize).filter { allowed[$0] && surface.values[$0] > 0 }
        var search = PlanSearch(grower: ZoneGrower(rules: rules, values: surface.values, allowed: allowed),
                                pool: pool, fixed: kept.map(\.cells), cap: rules.maxCells, settings: settings)
        let found = search.run(slots: constraints.maxZones - kept.count)
        return ZonePlan(zones: kept + found.map { Zone(cells: $0.cells, surface: surface) }, surfaceTotal: total)
    }
}
