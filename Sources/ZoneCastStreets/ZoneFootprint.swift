public import ZoneCastCore

/// Square cells over a jurisdiction in its planar projection, described without the forecast's `Grid` (which this
/// pure target cannot see): cell `i` is at column `i % columns`, row `i / columns`, counted from the lower-left
/// corner at (`originX`, `originY`), exactly as `ZoneCastForecast.Grid` numbers them, so a page passes
/// `CellLattice(originX: g.originX, originY: g.originY, cellSizeMeters: g.cellSizeMeters, columns: g.columns, rows: g.rows)`.
public struct CellLattice: Hashable, Sendable, Codable {
    public var originX: Double
    public var originY: Double
    public var cellSizeMeters: Double
    public var columns: Int
    public var rows: Int

    public init(originX: Double, originY: Double, cellSizeMeters: Double, columns: Int, rows: Int) {
        self.originX = originX
        self.originY = originY
        self.cellSizeMeters = cellSizeMeters
        self.columns = columns
        self.rows = rows
    }

    public var cellCount: Int { columns * rows }

    /// The square of a cell (edges included).
    public func square(of cell: Int) -> PlanarBoundingBox {
        let x = originX + Double(cell % columns) * cellSizeMeters, y = originY + Double(cell / columns) * cellSizeMeters
        return PlanarBoundingBox(minX: x, minY: y, maxX: x + cellSizeMeters, maxY: y + cellSizeMeters)
    }

    public func center(of cell: Int) -> PlanarPoint {
        PlanarPoint(xMeters: originX + (Double(cell % columns) + 0.5) * cellSizeMeters,
                    yMeters: originY + (Double(cell / columns) + 0.5) * cellSizeMeters)
    }

    /// The cell holding a position, nil outside the lattice; points on a lower/left edge belong to that cell.
    public func cell(containing p: PlanarPoint) -> Int? {
        let c = Int(((p.xMeters - originX) / cellSizeMeters).rounded(.down)), r = Int(((p.yMeters - originY) / cellSizeMeters).rounded(.down))
        guard c >= 0, c < columns, r >= 0, r < rows else { return nil }
        return r * columns + c
    }
}

/// Where a zone is on the ground: its cells on a lattice, or one polygon ring (an analyst's drawing, a test's
/// block), in the same planar metres as the zoning and the street layer.
public struct ZoneFootprint: Sendable {
    enum Shape: Sendable {
        case cells(Set<Int>, CellLattice)
        case ring([PlanarPoint])
    }

    let shape: Shape
    /// The outer corners, for extents in any rotated frame.
    public let vertices: [PlanarPoint]
    public let bounds: PlanarBoundingBox
    /// The middle: the mean of cell centres, or the ring's area centroid.
    public let centroid: PlanarPoint

    /// A zone of grid cells. Cells off the lattice are ignored; no cell at all is an error.
    public init<C: Collection<Int>>(cells: C, lattice: CellLattice) throws(StreetsError) {
        let valid = Set(cells.filter { $0 >= 0 && $0 < lattice.cellCount })
        guard !valid.isEmpty, lattice.cellSizeMeters > 0, lattice.cellSizeMeters.isFinite else {
            throw .invalidGeometry(what: "zone footprint", reason: "no cell on the lattice (cells \(Array(cells.prefix(5))))")
        }
        shape = .cells(valid, lattice)
        let squares = valid.sorted().map(lattice.square)
        vertices = squares.flatMap {
            [PlanarPoint(xMeters: $0.minX, yMeters: $0.minY), PlanarPoint(xMeters: $0.maxX, yMeters: $0.minY),
             PlanarPoint(xMeters: $0.maxX, yMeters: $0.maxY), PlanarPoint(xMeters: $0.minX, yMeters: $0.maxY)]
        }
        bounds = PlanarGeometry.bounds(vertices)!
        let centres = valid.map(lattice.center)
        centroid = PlanarPoint(xMeters: centres.map(\.xMeters).reduce(0, +) / Double(centres.count),
                               yMeters: centres.map(\.yMeters).reduce(0, +) / Double(centres.count))
    }

    /// A zone drawn as one ring (closed implicitly) of at least three points with a non-zero area.
    public init(ring: [PlanarPoint]) throws(StreetsError) {
        var area = 0.0, cx = 0.0, cy = 0.0
        for k in 0..<ring.count {
            let a = ring[k], b = ring[(k + 1) % ring.count]
            let cross = a.xMeters * b.yMeters - b.xMeters * a.yMeters
            area += cross
            cx += (a.xMeters + b.xMeters) * cross
            cy += (a.yMeters + b.yMeters) * cross
        }
        guard ring.count >= 3, abs(area) > 1e-6, area.isFinite else {
            throw .invalidGeometry(what: "zone footprint", reason: "a ring needs three or more points enclosing an area (\(ring.count) points)")
        }
        shape = .ring(ring)
        vertices = ring
        bounds = PlanarGeometry.bounds(ring)!
        centroid = PlanarPoint(xMeters: cx / (3 * area), yMeters: cy / (3 * area))
    }

    public func contains(_ p: PlanarPoint) -> Bool {
        switch shape {
        case .cells(let cells, let lattice): return lattice.cell(containing: p).map(cells.contains) ?? false
        case .ring(let ring): return PlanarGeometry.ringsContain([ring], p)
        }
    }

    /// Metres of segment a→b inside the zone. For cells, the covered stretches of each square are merged before
    /// summing, so a street running exactly along the edge between two zone cells counts once, not twice.
    public func lengthInside(_ a: PlanarPoint, _ b: PlanarPoint) -> Double {
        let total = a.distanceMeters(to: b)
        guard total > 0, let box = PlanarGeometry.bounds([a, b]), PlanarGeometry.intersects(box, bounds) else { return 0 }
        var intervals = [(Double, Double)]()
        switch shape {
        case .cells(let cells, let lattice):
            let s = lattice.cellSizeMeters
            let c0 = max(0, Int(((box.minX - lattice.originX) / s).rounded(.down))), c1 = min(lattice.columns - 1, Int((box.maxX - lattice.originX) / s))
            let r0 = max(0, Int(((box.minY - lattice.originY) / s).rounded(.down))), r1 = min(lattice.rows - 1, Int((box.maxY - lattice.originY) / s))
            guard c0 <= c1, r0 <= r1 else { return 0 }
            for r in r0...r1 {
                for c in c0...c1 where cells.contains(r * lattice.columns + c) {
                    if let t = PlanarGeometry.clip(a, b, to: lattice.square(of: r * lattice.columns + c)), t.t1 > t.t0 { intervals.append(t) }
                }
            }
        case .ring(let ring):
            var cuts = [0.0, 1.0]
            for k in 0..<ring.count {
                if let t = PlanarGeometry.crossing(a, b, ring[k], ring[(k + 1) % ring.count]) { cuts.append(t) }
            }
            cuts.sort()
            for k in 1..<cuts.count where cuts[k] > cuts[k - 1]
                && PlanarGeometry.ringsContain([ring], PlanarGeometry.lerp(a, b, (cuts[k - 1] + cuts[k]) / 2)) {
                intervals.append((cuts[k - 1], cuts[k]))
            }
        }
        intervals.sort { $0.0 < $1.0 }
        var covered = 0.0, end = -1.0
        for (t0, t1) in intervals {
            let start = max(t0, end)
            if t1 > start { covered += t1 - start }
            end = max(end, t1)
        }
        return covered * total
    }
}
