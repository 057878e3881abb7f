public import ZoneCastForecast

/// The places a zone is measured against, chosen by rule from the forecast, never by hand.
public enum ComparisonPlaces {
    /// The buffer ring of a zone: active cells outside the zone whose centre lies within `widthMeters` of the
    /// zone's area (the union of its cell squares). Cells are rasterised by their centre, the convention of
    /// `Grid.covering`. The distance from a centre to a square of side s whose centre is (Δc·s, Δr·s) away is
    /// √(max(0, |Δc|·s − s/2)² + max(0, |Δr|·s − s/2)²): with 150 m cells and 400 m, three rings of cells
    /// (375 m ≤ 400 m) straight out and fewer on the diagonals.
    public static func bufferRing(of cells: [Int], grid: Grid, widthMeters: Double) -> [Int] {
        let zone = Set(cells)
        let s = grid.cellSizeMeters
        let reach = Int((widthMeters / s + 0.5).rounded(.up))
        var ring = Set<Int>()
        for z in zone {
            let zc = grid.column(of: z), zr = grid.row(of: z)
            for dr in -reach...reach {
                let r = zr + dr
                guard r >= 0, r < grid.rows else { continue }
                let dy = max(0, Double(abs(dr)) * s - s / 2)
                for dc in -reach...reach {
                    let c = zc + dc
                    guard c >= 0, c < grid.columns else { continue }
                    let dx = max(0, Double(abs(dc)) * s - s / 2)
                    guard dx * dx + dy * dy <= widthMeters * widthMeters + 1e-9 else { continue }
                    let cell = r * grid.columns + c
                    if grid.active[cell] && !zone.contains(cell) { ring.insert(cell) }
                }
            }
        }
        return ring.sorted()
    }

    /// A comparison place: the zone's shape moved by (columns, rows), with its forecast.
    public struct Place: Hashable, Sendable, Codable {
        public var cells: [Int]
        public var forecast: Double
        public var shiftColumns: Int
        public var shiftRows: Int
    }

    /// Up to `count` comparison places for a zone, matched on forecast risk.
    ///
    /// The rule: every translation of the zone's own shape (same cells, same layout, so the same area and
    /// compactness) to a position where all its cells are active and none is `excluded` (the zones and their
    /// buffer rings, so displacement cannot leak into the comparison, and places already picked) is a candidate;
    /// its forecast is the sum of the cycle's forecast surface over its cells. Candidates are ranked by
    /// |forecast − zone forecast|, ties by the position of the moved shape's first cell (row-major, the lowest
    /// first), and taken greedily, skipping any that overlaps one already taken. Nothing depends on who runs it.
    ///
    /// Zones are where the forecast is highest, so the nearest matches usually sit a little below the zone's
    /// forecast; the page shows both so the balance can be judged.
    public static func match(zone cells: [Int], forecast values: [Double], grid: Grid, excluded: Set<Int>, count: Int) -> [Place] {
        precondition(values.count == grid.cellCount, "one forecast value per cell")
        guard count > 0, !cells.isEmpty else { return [] }
        let sorted = Array(Set(cells)).sorted()
        let c0 = sorted.map { grid.column(of: $0) }.min()!, r0 = sorted.map { grid.row(of: $0) }.min()!
        let c1 = sorted.map { grid.column(of: $0) }.max()!, r1 = sorted.map { grid.row(of: $0) }.max()!
        let offsets = sorted.map { (dc: grid.column(of: $0) - c0, dr: grid.row(of: $0) - r0) }
        let target = sorted.reduce(0.0) { $0 + values[$1] }
        let width = c1 - c0, height = r1 - r0
        var candidates: [(distance: Double, anchor: Int, forecast: Double, column: Int, row: Int)] = []
        for row in 0..<(grid.rows - height) {
            for column in 0..<(grid.columns - width) {
                var sum = 0.0
                var ok = true
                for o in offsets {
                    let cell = (row + o.dr) * grid.columns + column + o.dc
                    if !grid.active[cell] || excluded.contains(cell) { ok = false; break }
                    sum += values[cell]
                }
                guard ok else { continue }
                let anchor = (row + offsets[0].dr) * grid.columns + column + offsets[0].dc
                candidates.append((abs(sum - target), anchor, sum, column, row))
            }
        }
        candidates.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.anchor < $1.anchor }
        var taken = Set<Int>()
        var places: [Place] = []
        for cand in candidates {
            let placeCells = offsets.map { (cand.row + $0.dr) * grid.columns + cand.column + $0.dc }
            if placeCells.contains(where: taken.contains) { continue }
            taken.formUnion(placeCells)
            places.append(Place(cells: placeCells.sorted(), forecast: cand.forecast, shiftColumns: cand.column - c0, shiftRows: cand.row - r0))
            if places.count == count { break }
        }
        return places
    }
}
