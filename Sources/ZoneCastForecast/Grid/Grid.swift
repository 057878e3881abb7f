public import ZoneCastCore

/// Square cells over the jurisdiction in its planar projection. Cell `i` is at column `i % columns`, row
/// `i / columns`, counted from the lower-left corner. Cells whose centre lies outside the boundary are inactive:
/// they hold no risk and are never flagged.
public struct Grid: Hashable, Sendable {
    public let originX: Double
    public let originY: Double
    public let cellSizeMeters: Double
    public let columns: Int
    public let rows: Int
    /// Active (inside the jurisdiction) flag per cell.
    public let active: [Bool]
    /// Indices of active cells, ascending.
    public let activeCells: [Int]

    public init(originX: Double, originY: Double, cellSizeMeters: Double, columns: Int, rows: Int, active: [Bool]? = nil) {
        precondition(cellSizeMeters > 0 && columns > 0 && rows > 0, "a grid needs a positive cell size and at least one cell")
        self.originX = originX
        self.originY = originY
        self.cellSizeMeters = cellSizeMeters
        self.columns = columns
        self.rows = rows
        let mask = active ?? Array(repeating: true, count: columns * rows)
        precondition(mask.count == columns * rows, "mask size must equal the cell count")
        self.active = mask
        activeCells = mask.indices.filter { mask[$0] }
    }

    public var cellCount: Int { columns * rows }
    public var cellAreaKm2: Double { cellSizeMeters * cellSizeMeters / 1e6 }
    public var activeAreaKm2: Double { Double(activeCells.count) * cellAreaKm2 }

    /// The cell holding a position, or nil outside the grid. Points on a cell's lower/left edge belong to it.
    @inline(__always)
    public func cell(containing p: PlanarPoint) -> Int? { cell(x: p.xMeters, y: p.yMeters) }

    @inline(__always)
    public func cell(x: Double, y: Double) -> Int? {
        let c = ((x - originX) / cellSizeMeters).rounded(.down), r = ((y - originY) / cellSizeMeters).rounded(.down)
        guard c >= 0, r >= 0, c < Double(columns), r < Double(rows) else { return nil }
        return Int(r) * columns + Int(c)
    }

    public func column(of cell: Int) -> Int { cell % columns }
    public func row(of cell: Int) -> Int { cell / columns }

    public func center(of cell: Int) -> PlanarPoint {
        PlanarPoint(xMeters: originX + (Double(column(of: cell)) + 0.5) * cellSizeMeters,
                    yMeters: originY + (Double(row(of: cell)) + 0.5) * cellSizeMeters)
    }

    /// A grid over a boundary: cells whose centres fall inside it are active.
    public static func covering(_ boundary: GeoMultiPolygon, projection: TransverseMercator, cellSizeMeters: Double) -> Grid {
        let prepared = projection.prepared()
        let corners = boundary.polygons.flatMap(\.outer).map { prepared.project($0) }
        let minX = corners.map(\.xMeters).min() ?? 0, maxX = corners.map(\.xMeters).max() ?? cellSizeMeters
        let minY = corners.map(\.yMeters).min() ?? 0, maxY = corners.map(\.yMeters).max() ?? cellSizeMeters
        // A micrometre of slack: projecting a boundary built on an exact multiple of the cell size must not add a
        // sliver column of floating-point noise.
        let columns = max(1, Int(((maxX - minX - 1e-6) / cellSizeMeters).rounded(.up)))
        let rows = max(1, Int(((maxY - minY - 1e-6) / cellSizeMeters).rounded(.up)))
        var mask = [Bool](repeating: false, count: columns * rows)
        for r in 0..<rows {
            for c in 0..<columns {
                let center = PlanarPoint(xMeters: minX + (Double(c) + 0.5) * cellSizeMeters, yMeters: minY + (Double(r) + 0.5) * cellSizeMeters)
                mask[r * columns + c] = boundary.contains(prepared.unproject(center))
            }
        }
        return Grid(originX: minX, originY: minY, cellSizeMeters: cellSizeMeters, columns: columns, rows: rows, active: mask)
    }

    /// A grid over the bounding box of some positions (every cell active), as peers do when no boundary is given.
    public static func covering(_ points: [PlanarPoint], cellSizeMeters: Double) -> Grid {
        let minX = points.map(\.xMeters).min() ?? 0, maxX = points.map(\.xMeters).max() ?? 0
        let minY = points.map(\.yMeters).min() ?? 0, maxY = points.map(\.yMeters).max() ?? 0
        let columns = max(1, Int(((maxX - minX) / cellSizeMeters).rounded(.down)) + 1)
        let rows = max(1, Int(((maxY - minY) / cellSizeMeters).rounded(.down)) + 1)
        return Grid(originX: minX, originY: minY, cellSizeMeters: cellSizeMeters, columns: columns, rows: rows)
    }
}
