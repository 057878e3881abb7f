public import ZoneCastForecast

/// The geometric definitions every zoning rule uses, in one place so the optimiser, the exhaustive solver and the
/// validator cannot disagree. With cell width `s` and two cells whose columns differ by `dc` and rows by `dr`:
///
/// - **Diameter** of a cell set: the largest distance between the centres of any two of its cells, plus one cell
///   width, `s · (max √(dc² + dr²) + 1)`. A single cell has diameter `s`; a straight run of `n` cells has `n · s`,
///   its real length. (The true extent of the squares can be up to `s(√2 − 1)` more along a diagonal; "centres
///   plus one width" keeps the rule exact in integers and matches what an analyst measures on a map.)
/// - **Separation** of two cell sets: the edge-to-edge distance between their closest cell squares,
///   `min s · √(max(|dc| − 1, 0)² + max(|dr| − 1, 0)²)`. Cells sharing an edge or a corner are 0 m apart, and a
///   separation of 400 m with 100 m cells leaves at least three empty cells between zones along a row.
/// - **Connectivity** is 4-connectivity: cells that share an edge are neighbours, cells that only touch at a
///   corner are not (a patrol cannot walk through a corner).
public enum ZoneGeometry {
    /// Diameter in metres (see the type's documentation); 0 for no cells.
    public static func diameterMeters<C: Collection<Int>>(of cells: C, grid: Grid) -> Double {
        guard !cells.isEmpty else { return 0 }
        let cs = Array(cells)
        var maxD2 = 0
        for i in cs.indices {
            let ci = grid.column(of: cs[i]), ri = grid.row(of: cs[i])
            for j in cs.indices where j > i {
                let dc = grid.column(of: cs[j]) - ci, dr = grid.row(of: cs[j]) - ri
                maxD2 = max(maxD2, dc * dc + dr * dr)
            }
        }
        return grid.cellSizeMeters * (Double(maxD2).squareRoot() + 1)
    }

    /// Edge-to-edge separation in metres between the closest squares of two non-empty sets; `.infinity` when
    /// either is empty, 0 when they touch or overlap.
    public static func separationMeters<A: Collection<Int>, B: Collection<Int>>(between a: A, and b: B, grid: Grid) -> Double {
        var minG2 = Int.max
        for x in a {
            let cx = grid.column(of: x), rx = grid.row(of: x)
            for y in b {
                let gx = max(abs(grid.column(of: y) - cx) - 1, 0), gy = max(abs(grid.row(of: y) - rx) - 1, 0)
                minG2 = min(minG2, gx * gx + gy * gy)
            }
        }
        return minG2 == Int.max ? .infinity : grid.cellSizeMeters * Double(minG2).squareRoot()
    }

    /// Whether the cells form one 4-connected piece (the empty set is not a zone, so it is not connected).
    public static func isConnected<C: Collection<Int>>(_ cells: C, grid: Grid) -> Bool {
        let set = Set(cells)
        guard let first = set.first else { return false }
        var seen: Set<Int> = [first], stack = [first]
        while let c = stack.popLast() {
            for n in neighbours(of: c, grid: grid) where set.contains(n) && !seen.contains(n) {
                seen.insert(n)
                stack.append(n)
            }
        }
        return seen.count == set.count
    }

    /// The up-to-four edge neighbours of a cell inside the grid, in a fixed order (left, right, below, above).
    public static func neighbours(of cell: Int, grid: Grid) -> [Int] {
        let c = grid.column(of: cell), r = grid.row(of: cell)
        var out: [Int] = []
        out.reserveCapacity(4)
        if c > 0 { out.append(cell - 1) }
        if c + 1 < grid.columns { out.append(cell + 1) }
        if r > 0 { out.append(cell - grid.columns) }
        if r + 1 < grid.rows { out.append(cell + grid.columns) }
        return out
    }
}

/// The constraints turned into exact integer tests in grid units for one grid, shared by the optimiser and the
/// exhaustive solver. Floating-point slack of one part in 10⁹ lets a cap that is an exact multiple of the cell
/// size (1,200 m with 100 m cells) admit the zone it names despite rounding.
struct GridRules: Sendable {
    let columns: Int
    let rows: Int
    let cellCount: Int
    /// Most cells a zone may hold: ⌊maxAreaKm2 / cell area⌋.
    let maxCells: Int
    /// Largest allowed squared centre distance, in cells², between two cells of one zone:
    /// the largest integer q with s(√q + 1) ≤ maxDiameterMeters.
    let maxPairD2: Int
    /// Offsets (dc, dr) of cells too close to a zone cell to belong to another zone, (0, 0) included:
    /// those with max(|dc| − 1, 0)² + max(|dr| − 1, 0)² < (minSeparationMeters / s)².
    let separationOffsets: [(dc: Int, dr: Int)]

    static let slack = 1e-9

    init(constraints: ZoneConstraints, grid: Grid) {
        columns = grid.columns
        rows = grid.rows
        cellCount = grid.cellCount
        maxCells = max(0, Int((constraints.maxAreaKm2 / grid.cellAreaKm2 + Self.slack).rounded(.down)))
        let t = constraints.maxDiameterMeters * (1 + Self.slack) / grid.cellSizeMeters - 1
        maxPairD2 = t < 0 ? -1 : Int((t * t).rounded(.down))
        let sep = constraints.minSeparationMeters / grid.cellSizeMeters
        let limit = sep * sep * (1 - Self.slack)
        let reach = Int(sep.rounded(.up)) + 1
        var offsets: [(dc: Int, dr: Int)] = [(0, 0)]
        if reach > 0 {
            for dr in -reach...reach {
                for dc in -reach...reach where !(dc == 0 && dr == 0) {
                    let gx = max(abs(dc) - 1, 0), gy = max(abs(dr) - 1, 0)
                    if Double(gx * gx + gy * gy) < limit { offsets.append((dc, dr)) }
                }
            }
        }
        separationOffsets = offsets
    }

    @inline(__always) func column(_ cell: Int) -> Int { cell % columns }
    @inline(__always) func row(_ cell: Int) -> Int { cell / columns }

    /// Calls `body` with every cell a zone holding `cell` forbids to other zones (itself included).
    @inline(__always)
    func forEachForbidden(around cell: Int, _ body: (Int) -> Void) {
        let c = cell % columns, r = cell / columns
        for o in separationOffsets {
            let cc = c + o.dc, rr = r + o.dr
            if cc >= 0, rr >= 0, cc < columns, rr < rows { body(rr * columns + cc) }
        }
    }
}
