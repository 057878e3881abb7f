/// Whether a boundary ring crosses or touches itself. Inside and outside of such a ring depend on the rule used to
/// read it (a figure-eight is half "outside" by the even-odd rule), so a city boundary drawn that way would drop or
/// keep records by accident; it is refused when the jurisdiction is made. Edges are straight in lon/lat, as GeoJSON
/// draws them; edges are bucketed on a grid so a detailed boundary is checked in about linear time.
public enum RingCrossings {
    /// The first two non-adjacent edges (by index, edge k runs from vertex k to k + 1) that cross or touch, if any.
    public static func first(in ring: [GeoPoint]) -> (Int, Int)? {
        var points = ring
        if points.count > 1, points.first == points.last { points.removeLast() }
        let n = points.count
        guard n >= 4 else { return nil }
        let xs = points.map(\.longitude), ys = points.map(\.latitude)
        let minX = xs.min()!, maxX = xs.max()!, minY = ys.min()!, maxY = ys.max()!
        let side = max(1, Int(Double(n).squareRoot()))
        let width = max(maxX - minX, 1e-12) / Double(side), height = max(maxY - minY, 1e-12) / Double(side)
        func column(_ x: Double) -> Int { min(side - 1, max(0, Int((x - minX) / width))) }
        func row(_ y: Double) -> Int { min(side - 1, max(0, Int((y - minY) / height))) }
        var buckets: [[Int]] = Array(repeating: [], count: side * side)
        for k in 0..<n {
            let a = k, b = (k + 1) % n
            for c in column(min(xs[a], xs[b]))...column(max(xs[a], xs[b])) {
                for r in row(min(ys[a], ys[b]))...row(max(ys[a], ys[b])) { buckets[r * side + c].append(k) }
            }
        }
        var found: (Int, Int)?
        for bucket in buckets where bucket.count > 1 {
            for i in 0..<(bucket.count - 1) {
                for j in (i + 1)..<bucket.count {
                    let e = bucket[i], f = bucket[j]
                    let gap = abs(e - f)
                    if gap <= 1 || gap == n - 1 { continue }
                    if Self.touch(points[e], points[(e + 1) % n], points[f], points[(f + 1) % n]) {
                        let pair = (min(e, f), max(e, f))
                        if found.map({ pair < $0 }) ?? true { found = pair }
                    }
                }
            }
        }
        return found
    }

    /// Whether segments ab and cd share a point.
    static func touch(_ a: GeoPoint, _ b: GeoPoint, _ c: GeoPoint, _ d: GeoPoint) -> Bool {
        func orient(_ p: GeoPoint, _ q: GeoPoint, _ r: GeoPoint) -> Double {
            (q.longitude - p.longitude) * (r.latitude - p.latitude) - (q.latitude - p.latitude) * (r.longitude - p.longitude)
        }
        func onSegment(_ p: GeoPoint, _ q: GeoPoint, _ r: GeoPoint) -> Bool {
            min(p.longitude, q.longitude) <= r.longitude && r.longitude <= max(p.longitude, q.longitude)
                && min(p.latitude, q.latitude) <= r.latitude && r.latitude <= max(p.latitude, q.latitude)
        }
        let d1 = orient(c, d, a), d2 = orient(c, d, b), d3 = orient(a, b, c), d4 = orient(a, b, d)
        if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return true }
        return (d1 == 0 && onSegment(c, d, a)) || (d2 == 0 && onSegment(c, d, b)) || (d3 == 0 && onSegment(a, b, c)) || (d4 == 0 && onSegment(a, b, d))
    }
}
