import Foundation
public import ZoneCastCore

/// The 1 km square a planar position falls in, as one integer: (column + 2^20) << 21 | (row + 2^20).
/// Columns and rows stay within ±2^20 km, far beyond any jurisdiction. Both database stores index incidents by it
/// (the same key, so a query means the same in each).
public enum SpatialCell {
    public static let sizeMeters = 1_000.0
    public static let bias: Int64 = 1 << 20

    public static func index(_ p: PlanarPoint) -> Int64 {
        key(column: Int64((p.xMeters / sizeMeters).rounded(.down)), row: Int64((p.yMeters / sizeMeters).rounded(.down)))
    }

    public static func key(column: Int64, row: Int64) -> Int64 { (column + bias) << 21 | (row + bias) }

    /// Every square a box touches, or nil when there are too many to list (the query then scans instead).
    public static func covering(_ box: PlanarBoundingBox, limit: Int = 4_096) -> [Int64]? {
        let c0 = Int64((box.minX / sizeMeters).rounded(.down)), c1 = Int64((box.maxX / sizeMeters).rounded(.down))
        let r0 = Int64((box.minY / sizeMeters).rounded(.down)), r1 = Int64((box.maxY / sizeMeters).rounded(.down))
        guard c1 >= c0, r1 >= r0, (c1 - c0 + 1) * (r1 - r0 + 1) <= Int64(limit) else { return nil }
        var keys: [Int64] = []
        for c in c0...c1 { for r in r0...r1 { keys.append(key(column: c, row: r)) } }
        return keys
    }
}
