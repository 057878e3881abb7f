/// The outline of where points lie: the union of the square cells holding points, holes filled (with any part lying
/// in a hole), parts holding too small a share of the points dropped. For a city with no city-limits file to hand, the outline of its own records
/// (or of its street intersections) bounds the area its records can come from far more tightly than a bounding box,
/// which takes in neighbouring towns, a lake or the desert and makes every share of the city's area too small.
///
/// Each part is one simple ring along cell edges (counter-clockwise, in the plane): cells touching only at a corner
/// are joined through one of the two cells beside them first, so no ring touches itself.
public struct PointOutline: Hashable, Sendable {
    public var cellSizeMeters: Double
    /// A cell belongs to the outline when it holds at least this many points.
    public var minimumPointsPerCell: Int
    /// A connected part is kept when it holds at least this share of the points (0...1).
    public var minimumShareOfPoints: Double

    public init(cellSizeMeters: Double, minimumPointsPerCell: Int = 1, minimumShareOfPoints: Double = 0.01) {
        self.cellSizeMeters = cellSizeMeters
        self.minimumPointsPerCell = minimumPointsPerCell
        self.minimumShareOfPoints = minimumShareOfPoints
    }

    /// One ring per kept part, its vertices in metres, straight runs merged; largest part first.
    public func rings(around points: [PlanarPoint]) -> [[PlanarPoint]] {
        guard cellSizeMeters > 0, !points.isEmpty else { return [] }
        var counts: [Cell: Int] = [:]
        for p in points where p.xMeters.isFinite && p.yMeters.isFinite {
            counts[Cell(x: Int((p.xMeters / cellSizeMeters).rounded(.down)), y: Int((p.yMeters / cellSizeMeters).rounded(.down))), default: 0] += 1
        }
        var occupied = Set(counts.filter { $0.value >= max(1, minimumPointsPerCell) }.keys)
        Self.joinCorners(&occupied)
        let total = Double(points.count)
        let filled = Self.components(occupied).map(Self.filled)
        // A part inside another's hole is part of that one once the hole is filled.
        let outermost = filled.enumerated().filter { k, part in
            let probe = part.min()!
            return !filled.indices.contains { $0 != k && filled[$0].count > part.count && filled[$0].contains(probe) }
        }.map(\.element)
        let parts = outermost
            .map { part in (cells: part, points: part.reduce(0) { $0 + (counts[$1] ?? 0) }) }
            .filter { Double($0.points) >= minimumShareOfPoints * total && $0.points > 0 }
            .sorted { ($0.points, $0.cells.count, $0.cells.min()!) > ($1.points, $1.cells.count, $1.cells.min()!) }
        return parts.map { part in
            Self.trace(part.cells).map { PlanarPoint(xMeters: Double($0.x) * cellSizeMeters, yMeters: Double($0.y) * cellSizeMeters) }
        }
    }

    /// Shoelace area of a ring in the plane (positive when counter-clockwise), in square metres.
    public static func areaSquareMeters(of ring: [PlanarPoint]) -> Double {
        guard ring.count >= 3 else { return 0 }
        var twice = 0.0
        for i in ring.indices {
            let a = ring[i], b = ring[(i + 1) % ring.count]
            twice += a.xMeters * b.yMeters - b.xMeters * a.yMeters
        }
        return twice / 2
    }

    struct Cell: Hashable, Comparable {
        var x: Int
        var y: Int
        static func < (a: Cell, b: Cell) -> Bool { (a.y, a.x) < (b.y, b.x) }
    }

    /// Where two occupied cells meet only at a corner (the other two of the 2 x 2 block empty), the lower of the
    /// empty two joins them; repeated until no such corner is left.
    static func joinCorners(_ cells: inout Set<Cell>) {
        var changed = true
        while changed {
            changed = false
            for c in cells.sorted() {
                let right = Cell(x: c.x + 1, y: c.y), up = Cell(x: c.x, y: c.y + 1)
                if cells.contains(Cell(x: c.x + 1, y: c.y + 1)), !cells.contains(right), !cells.contains(up) {
                    cells.insert(right)
                    changed = true
                }
                let left = Cell(x: c.x - 1, y: c.y)
                if cells.contains(Cell(x: c.x - 1, y: c.y + 1)), !cells.contains(left), !cells.contains(up) {
                    cells.insert(left)
                    changed = true
                }
            }
        }
    }

    /// Parts joined through shared edges.
    static func components(_ cells: Set<Cell>) -> [Set<Cell>] {
        var seen = Set<Cell>(), parts: [Set<Cell>] = []
        for start in cells.sorted() where !seen.contains(start) {
            var part: Set<Cell> = [start], stack = [start]
            seen.insert(start)
            while let c = stack.popLast() {
                for n in Self.edgeNeighbours(c) where cells.contains(n) && !seen.contains(n) {
                    seen.insert(n)
                    part.insert(n)
                    stack.append(n)
                }
            }
            parts.append(part)
        }
        return parts
    }

    static func edgeNeighbours(_ c: Cell) -> [Cell] {
        [Cell(x: c.x + 1, y: c.y), Cell(x: c.x - 1, y: c.y), Cell(x: c.x, y: c.y + 1), Cell(x: c.x, y: c.y - 1)]
    }

    /// The part with every cell it encloses: all cells of its bounding box that the outside cannot reach.
    static func filled(_ part: Set<Cell>) -> Set<Cell> {
        let xs = part.map(\.x), ys = part.map(\.y)
        let minX = xs.min()! - 1, maxX = xs.max()! + 1, minY = ys.min()! - 1, maxY = ys.max()! + 1
        var outside: Set<Cell> = [Cell(x: minX, y: minY)], stack = [Cell(x: minX, y: minY)]
        while let c = stack.popLast() {
            for n in Self.edgeNeighbours(c) where (minX...maxX).contains(n.x) && (minY...maxY).contains(n.y) && !part.contains(n) && !outside.contains(n) {
                outside.insert(n)
                stack.append(n)
            }
        }
        var filled = part
        for y in minY...maxY {
            for x in minX...maxX where !outside.contains(Cell(x: x, y: y)) { filled.insert(Cell(x: x, y: y)) }
        }
        return filled
    }

    /// The boundary of a filled part as corner points, counter-clockwise: each cell's edges run counter-clockwise,
    /// edges two cells share cancel, and what is left is one cycle (no hole, no corner-only contact).
    static func trace(_ cells: Set<Cell>) -> [Cell] {
        var next: [Cell: Cell] = [:]
        for c in cells {
            let corners = [Cell(x: c.x, y: c.y), Cell(x: c.x + 1, y: c.y), Cell(x: c.x + 1, y: c.y + 1), Cell(x: c.x, y: c.y + 1)]
            let outward = [Cell(x: c.x, y: c.y - 1), Cell(x: c.x + 1, y: c.y), Cell(x: c.x, y: c.y + 1), Cell(x: c.x - 1, y: c.y)]
            for k in 0..<4 where !cells.contains(outward[k]) { next[corners[k]] = corners[(k + 1) % 4] }
        }
        guard let start = next.keys.min() else { return [] }
        var ring = [start], at = next[start]!
        while at != start, ring.count <= next.count {
            ring.append(at)
            at = next[at]!
        }
        // Keep only the corners where the direction turns.
        return ring.indices.compactMap { i -> Cell? in
            let a = ring[(i + ring.count - 1) % ring.count], b = ring[i], c = ring[(i + 1) % ring.count]
            let turns = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x) != 0
            return turns ? b : nil
        }
    }
}
