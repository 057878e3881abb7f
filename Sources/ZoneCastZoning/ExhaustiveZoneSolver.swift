public import ZoneCastForecast

/// The exact optimum, by enumeration, for small instances: the yardstick `ZoneOptimizer` is tested against, and
/// a way to settle "could a better plan exist?" on a small area.
///
/// 1. Every allowed zone (connected, within the area cap and diameter, active, not excluded) is enumerated once
///    with `ConnectedCellSets` (Redelmeier). Zones of non-positive value are dropped: they never raise a total.
/// 2. Each zone gets two bitsets over the grid: its cells, and every cell its separation rule forbids to other
///    zones (the union of per-cell forbidden neighbourhoods). Zones `A`, `B` are compatible iff
///    `cells(B) ∧ forbidden(A) = 0`.
/// 3. Branch and bound over zones sorted by value descending picks up to `maxZones` mutually compatible zones:
///    at depth `d` with running total `t`, the next zone `j` can at best give `t + v_j · (k − d)` (every later
///    zone is worth at most `v_j`), so the scan stops as soon as that cannot beat the best plan so far.
///
/// The number of connected sets grows exponentially with the area cap, so the solver refuses instances whose
/// enumeration exceeds `maxEnumeratedZones`.
public struct ExhaustiveZoneSolver: Sendable {
    public var constraints: ZoneConstraints
    /// Refuse (throw `enumerationLimitExceeded`) beyond this many connected cell sets.
    public var maxEnumeratedZones: Int

    public init(constraints: ZoneConstraints, maxEnumeratedZones: Int = 3_000_000) {
        self.constraints = constraints
        self.maxEnumeratedZones = maxEnumeratedZones
    }

    /// Every allowed zone on the surface's grid, as ascending cell lists (any value).
    public func allowedZones(on grid: Grid) throws(ZoningError) -> [[Int]] {
        try constraints.check(for: grid)
        var out: [[Int]] = []
        let complete = enumerator(grid).forEach(limit: maxEnumeratedZones) { out.append($0.sorted()) }
        guard complete else { throw .enumerationLimitExceeded(limit: maxEnumeratedZones) }
        return out
    }

    private func enumerator(_ grid: Grid) -> ConnectedCellSets {
        var allowed = grid.active
        for c in constraints.excluded where c >= 0 && c < grid.cellCount { allowed[c] = false }
        return ConnectedCellSets(rules: GridRules(constraints: constraints, grid: grid), allowed: allowed)
    }

    /// The plan of greatest total value (ties: the first found in value order, deterministic).
    public func solve(_ surface: RiskSurface) throws(ZoningError) -> ZonePlan {
        let grid = surface.grid
        try constraints.check(for: grid)
        for (i, v) in surface.values.enumerated() where !v.isFinite { throw .invalidSurfaceValue(cell: i, value: v) }
        let rules = GridRules(constraints: constraints, grid: grid)
        let words = (grid.cellCount + 63) / 64
        // Per-cell forbidden neighbourhood bitsets.
        var cellForbidden = [UInt64](repeating: 0, count: grid.cellCount * words)
        for c in 0..<grid.cellCount {
            rules.forEachForbidden(around: c) { n in cellForbidden[c * words + n / 64] |= 1 << UInt64(n % 64) }
        }
        var zones: [(cells: [Int], value: Double)] = []
        let values = surface.values
        let complete = enumerator(grid).forEach(limit: maxEnumeratedZones) { cells in
            let sorted = cells.sorted()
            let v = sorted.reduce(0) { $0 + values[$1] }
            if v > 0 { zones.append((sorted, v)) }
        }
        guard complete else { throw .enumerationLimitExceeded(limit: maxEnumeratedZones) }
        zones.sort { $0.value != $1.value ? $0.value > $1.value : $0.cells.lexicographicallyPrecedes($1.cells) }

        var bits = [UInt64](repeating: 0, count: zones.count * words)
        var forbidden = [UInt64](repeating: 0, count: zones.count * words)
        for (z, zone) in zones.enumerated() {
            for c in zone.cells {
                bits[z * words + c / 64] |= 1 << UInt64(c % 64)
                for w in 0..<words { forbidden[z * words + w] |= cellForbidden[c * words + w] }
            }
        }

        let k = constraints.maxZones
        var best = 0.0, bestChoice: [Int] = []
        var choice: [Int] = []
        var blocked = [UInt64](repeating: 0, count: words * (k + 1))
        func search(from start: Int, depth: Int, total: Double) {
            if total > best { best = total; bestChoice = choice }
            guard depth < k else { return }
            var j = start
            while j < zones.count {
                if total + zones[j].value * Double(k - depth) <= best { return }
                var compatible = true
                for w in 0..<words where bits[j * words + w] & blocked[depth * words + w] != 0 { compatible = false; break }
                if compatible {
                    for w in 0..<words { blocked[(depth + 1) * words + w] = blocked[depth * words + w] | forbidden[j * words + w] }
                    choice.append(j)
                    search(from: j + 1, depth: depth + 1, total: total + zones[j].value)
                    choice.removeLast()
                }
                j += 1
            }
        }
        search(from: 0, depth: 0, total: 0)
        return ZonePlan(zones: bestChoice.map { Zone(cells: zones[$0].cells, surface: surface) }, surfaceTotal: surface.total)
    }
}
