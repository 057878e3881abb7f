public import ZoneCastCore

/// Small planar helpers the layer, the descriptions and the map share. All in metres.
public enum PlanarGeometry {
    /// Length of a polyline.
    public static func length(_ points: [PlanarPoint]) -> Double {
        guard points.count > 1 else { return 0 }
        var total = 0.0
        for k in 1..<points.count { total += points[k - 1].distanceMeters(to: points[k]) }
        return total
    }

    /// The box around some points, nil for none.
    public static func bounds<S: Sequence>(_ points: S) -> PlanarBoundingBox? where S.Element == PlanarPoint {
        var it = points.makeIterator()
        guard let first = it.next() else { return nil }
        var b = PlanarBoundingBox(minX: first.xMeters, minY: first.yMeters, maxX: first.xMeters, maxY: first.yMeters)
        while let p = it.next() {
            b.minX = min(b.minX, p.xMeters); b.maxX = max(b.maxX, p.xMeters)
            b.minY = min(b.minY, p.yMeters); b.maxY = max(b.maxY, p.yMeters)
        }
        return b
    }

    /// Whether two boxes share any point (edges included).
    public static func intersects(_ a: PlanarBoundingBox, _ b: PlanarBoundingBox) -> Bool {
        a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY
    }

    /// A box grown by `meters` on every side.
    public static func expanded(_ b: PlanarBoundingBox, by meters: Double) -> PlanarBoundingBox {
        PlanarBoundingBox(minX: b.minX - meters, minY: b.minY - meters, maxX: b.maxX + meters, maxY: b.maxY + meters)
    }

    /// The part of segment a→b inside a box, as parameters 0...1 along it (Liang-Barsky), or nil when it misses.
    public static func clip(_ a: PlanarPoint, _ b: PlanarPoint, to box: PlanarBoundingBox) -> (t0: Double, t1: Double)? {
        let dx = b.xMeters - a.xMeters, dy = b.yMeters - a.yMeters
        var t0 = 0.0, t1 = 1.0
        for (p, q) in [(-dx, a.xMeters - box.minX), (dx, box.maxX - a.xMeters), (-dy, a.yMeters - box.minY), (dy, box.maxY - a.yMeters)] {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let r = q / p
                if p < 0 { if r > t1 { return nil }; t0 = max(t0, r) } else { if r < t0 { return nil }; t1 = min(t1, r) }
            }
        }
        return t0 <= t1 ? (t0, t1) : nil
    }

    /// Where segment p→p2 crosses segment q→q2, as the parameter along p→p2, or nil when they do not cross
    /// (parallel segments never do here: a street running along a boundary edge stays on the side it started).
    public static func crossing(_ p: PlanarPoint, _ p2: PlanarPoint, _ q: PlanarPoint, _ q2: PlanarPoint) -> Double? {
        let rx = p2.xMeters - p.xMeters, ry = p2.yMeters - p.yMeters
        let sx = q2.xMeters - q.xMeters, sy = q2.yMeters - q.yMeters
        let denom = rx * sy - ry * sx
        guard abs(denom) > 1e-12 else { return nil }
        let qpx = q.xMeters - p.xMeters, qpy = q.yMeters - p.yMeters
        let t = (qpx * sy - qpy * sx) / denom
        let u = (qpx * ry - qpy * rx) / denom
        guard t >= 0, t <= 1, u >= 0, u <= 1 else { return nil }
        return t
    }

    /// The point a fraction `t` of the way from a to b.
    public static func lerp(_ a: PlanarPoint, _ b: PlanarPoint, _ t: Double) -> PlanarPoint {
        PlanarPoint(xMeters: a.xMeters + (b.xMeters - a.xMeters) * t, yMeters: a.yMeters + (b.yMeters - a.yMeters) * t)
    }

    /// Even-odd containment over any number of rings (outer rings and holes alike), so a multipolygon with holes
    /// is one call. Rings are closed implicitly.
    public static func ringsContain(_ rings: [[PlanarPoint]], _ p: PlanarPoint) -> Bool {
        // Crossings add up across rings, so the point is inside when an odd number of rings hold it.
        var inside = false
        for ring in rings where EvenOddRule.ringContains(count: ring.count, x: p.xMeters, y: p.yMeters, vertex: { (ring[$0].xMeters, ring[$0].yMeters) }) {
            inside.toggle()
        }
        return inside
    }

    /// Distance from p to segment a→b.
    public static func distance(from p: PlanarPoint, toSegment a: PlanarPoint, _ b: PlanarPoint) -> Double {
        let dx = b.xMeters - a.xMeters, dy = b.yMeters - a.yMeters
        let l2 = dx * dx + dy * dy
        guard l2 > 0 else { return p.distanceMeters(to: a) }
        let t = max(0, min(1, ((p.xMeters - a.xMeters) * dx + (p.yMeters - a.yMeters) * dy) / l2))
        return p.distanceMeters(to: lerp(a, b, t))
    }
}
