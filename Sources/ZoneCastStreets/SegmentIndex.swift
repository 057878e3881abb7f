import ZoneCastCore

/// A uniform bucket grid over line segments (planar metres), for "which segments come near this box" in time
/// proportional to the answer rather than to the layer. Each segment is listed in every bucket its bounding box
/// touches; buckets are stored flat (compressed rows: `start[b]..<start[b + 1]` in `entries`), so a city of
/// 100,000 segments is three arrays, not 100,000 small ones.
///
/// Why a grid and not an R-tree: street segments are short and fairly even in size, so a grid with buckets of a
/// few hundred metres holds a handful each, builds in one counting pass, and needs no balancing.
struct SegmentIndex: Sendable {
    let originX: Double, originY: Double, bucketMeters: Double
    let columns: Int, rows: Int
    let start: [Int32]
    let entries: [Int32]

    /// Indexes segments given by their bounding boxes (index `i` is the caller's segment `i`).
    init(boxes: [PlanarBoundingBox], bucketMeters requested: Double = 250) {
        guard let first = boxes.first else {
            originX = 0; originY = 0; bucketMeters = max(requested, 1); columns = 1; rows = 1
            start = [0, 0]; entries = []
            return
        }
        var minX = first.minX, minY = first.minY, maxX = first.maxX, maxY = first.maxY
        for b in boxes {
            minX = min(minX, b.minX); minY = min(minY, b.minY); maxX = max(maxX, b.maxX); maxY = max(maxY, b.maxY)
        }
        // At most about a million buckets, whatever the extent (a stray feature 1,000 km away widens buckets
        // rather than exhausting memory).
        var size = max(requested, 1)
        while ((maxX - minX) / size + 1) * ((maxY - minY) / size + 1) > 1_000_000 { size *= 2 }
        originX = minX; originY = minY; bucketMeters = size
        columns = Int((maxX - minX) / size) + 1
        rows = Int((maxY - minY) / size) + 1
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        func range(_ b: PlanarBoundingBox, _ gx: Double, _ gy: Double, _ s: Double, _ c: Int, _ r: Int)
            -> (ClosedRange<Int>, ClosedRange<Int>) {
            let c0 = min(max(Int((b.minX - gx) / s), 0), c - 1), c1 = min(max(Int((b.maxX - gx) / s), 0), c - 1)
            let r0 = min(max(Int((b.minY - gy) / s), 0), r - 1), r1 = min(max(Int((b.maxY - gy) / s), 0), r - 1)
            return (c0...c1, r0...r1)
        }
        for b in boxes {
            let (cs, rs) = range(b, minX, minY, size, columns, rows)
            for r in rs { for c in cs { counts[r * columns + c + 1] += 1 } }
        }
        for k in 1..<counts.count { counts[k] += counts[k - 1] }
        var fill = counts
        var entries = [Int32](repeating: 0, count: Int(counts[counts.count - 1]))
        for (i, b) in boxes.enumerated() {
            let (cs, rs) = range(b, minX, minY, size, columns, rows)
            for r in rs {
                for c in cs {
                    let bucket = r * columns + c
                    entries[Int(fill[bucket])] = Int32(i)
                    fill[bucket] += 1
                }
            }
        }
        start = counts
        self.entries = entries
    }

    /// Calls `body` with every segment whose bucket overlaps `box`, possibly more than once and possibly for
    /// segments that miss the box (the caller tests exactly; this only narrows).
    func forEachCandidate(in box: PlanarBoundingBox, _ body: (Int) -> Void) {
        guard box.maxX >= originX, box.maxY >= originY else { return }
        let c0 = max(Int((box.minX - originX) / bucketMeters), 0), c1 = min(Int((box.maxX - originX) / bucketMeters), columns - 1)
        let r0 = max(Int((box.minY - originY) / bucketMeters), 0), r1 = min(Int((box.maxY - originY) / bucketMeters), rows - 1)
        guard c0 <= c1, r0 <= r1 else { return }
        for r in r0...r1 {
            for c in c0...c1 {
                let bucket = r * columns + c
                for k in Int(start[bucket])..<Int(start[bucket + 1]) { body(Int(entries[k])) }
            }
        }
    }

    /// The distinct candidates in `box`, ascending.
    func candidates(in box: PlanarBoundingBox) -> [Int] {
        var found = [Int]()
        forEachCandidate(in: box) { found.append($0) }
        found.sort()
        var unique = [Int]()
        unique.reserveCapacity(found.count)
        for i in found where unique.last != i { unique.append(i) }
        return unique
    }
}
