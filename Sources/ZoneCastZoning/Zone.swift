public import ZoneCastCore
public import ZoneCastForecast

/// One patrol zone: a set of grid cells with the harm it captures and the measures an analyst reads off a map.
/// Built from any cell set (the optimiser's or an analyst's); whether it is allowed is the constraints' job
/// (`ZoneConstraints.violations(ofCells:grid:)`), not the initialiser's.
public struct Zone: Hashable, Sendable, Codable {
    /// Grid cell indices, ascending.
    public let cells: [Int]
    /// Forecast harm captured: the sum of the surface over the cells.
    public let value: Double
    /// cells × cell area.
    public let areaKm2: Double
    /// See `ZoneGeometry`: farthest centre-to-centre distance plus one cell width.
    public let diameterMeters: Double
    /// Mean of the cell centres (unweighted: the geometric middle of the zone, where a briefing map centres).
    public let centroid: PlanarPoint
    /// Outer edges of the cell squares.
    public let boundingBox: PlanarBoundingBox

    /// Measures `cells` on a surface. Cells must be on the surface's grid (precondition); duplicates are dropped.
    public init<C: Collection<Int>>(cells: C, surface: RiskSurface) {
        let grid = surface.grid
        let sorted = Array(Set(cells)).sorted()
        precondition(!sorted.isEmpty, "a zone needs at least one cell")
        precondition(sorted.first! >= 0 && sorted.last! < grid.cellCount, "zone cells must be on the grid")
        self.cells = sorted
        value = surface.value(of: sorted)
        areaKm2 = Double(sorted.count) * grid.cellAreaKm2
        diameterMeters = ZoneGeometry.diameterMeters(of: sorted, grid: grid)
        var sx = 0.0, sy = 0.0
        var minC = Int.max, maxC = Int.min, minR = Int.max, maxR = Int.min
        for c in sorted {
            let p = grid.center(of: c)
            sx += p.xMeters
            sy += p.yMeters
            minC = min(minC, grid.column(of: c)); maxC = max(maxC, grid.column(of: c))
            minR = min(minR, grid.row(of: c)); maxR = max(maxR, grid.row(of: c))
        }
        centroid = PlanarPoint(xMeters: sx / Double(sorted.count), yMeters: sy / Double(sorted.count))
        let s = grid.cellSizeMeters
        boundingBox = PlanarBoundingBox(minX: grid.originX + Double(minC) * s, minY: grid.originY + Double(minR) * s,
                                        maxX: grid.originX + Double(maxC + 1) * s, maxY: grid.originY + Double(maxR + 1) * s)
    }
}

extension RiskSurface {
    /// Harm captured by a set of cells: the sum of their values, each cell counted once, in ascending cell order
    /// (so the same set always gives the same floating-point sum). Cells off the grid are a precondition failure.
    public func value<C: Collection<Int>>(of cells: C) -> Double {
        Set(cells).sorted().reduce(0) { $0 + values[$1] }
    }
}
