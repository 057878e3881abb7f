/// The even-odd (crossing-number) rule for a point in a ring, shared by lon/lat polygons (`GeoPolygon`) and
/// projected ones (ZoneCastStreets' `PlanarGeometry`): a ray from the point towards +x crosses the ring's edges an odd
/// number of times exactly when the point is inside (Shimrat 1962, Algorithm 112; O'Rourke, Computational Geometry
/// in C, 7.4). Rings are closed implicitly; one with fewer than three vertices contains nothing.
public enum EvenOddRule {
    /// Whether (x, y) is inside the ring whose `count` vertices `vertex(i)` gives.
    @inlinable
    public static func ringContains(count: Int, x: Double, y: Double, vertex: (Int) -> (x: Double, y: Double)) -> Bool {
        guard count >= 3 else { return false }
        var inside = false
        var b = vertex(count - 1)
        for i in 0..<count {
            let a = vertex(i)
            if (a.y > y) != (b.y > y) {
                let xCross = (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x
                if x < xCross { inside.toggle() }
            }
            b = a
        }
        return inside
    }
}
