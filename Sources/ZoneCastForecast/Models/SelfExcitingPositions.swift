import Foundation
import ZoneCastCore

/// Positions for the point-process fit: stacked coordinates spread within the positional accuracy, and the
/// variable (k-nearest-neighbour) background bandwidths.
enum SelfExcitingPositions {
    /// Records geocoded to a block or an address point share identical coordinates; a pair of them is at distance 0,
    /// which pulls sigma to its lower bound whatever the real spread of triggering. A recorded position is only
    /// known to within the geocoding's accuracy r, so every event that shares its exact coordinates with another
    /// one is moved to a point drawn uniformly in the disc of radius r around it (offset r sqrt(u) at angle 2 pi v).
    /// The draw is a fixed function of the event's own coordinates, time, category and rank among its identical
    /// copies (SplitMix64 of their bits and `seed`), so an event moves the same way in every fit that holds it,
    /// on every machine. Events alone at their coordinates are not moved.
    ///
    /// Returns the positions and the number of events moved.
    static func spreadStacked(_ events: EventSet, radius: Double, seed: UInt64) -> (x: [Double], y: [Double], moved: Int) {
        var x = events.x, y = events.y
        guard radius > 0, events.count > 1 else { return (x, y, 0) }
        struct Key: Hashable { var x: UInt64, y: UInt64 }
        var members: [Key: [Int]] = [:]
        for i in 0..<events.count { members[Key(x: events.x[i].bitPattern, y: events.y[i].bitPattern), default: []].append(i) }
        var moved = 0
        for (_, list) in members where list.count > 1 {
            // Rank copies by time then category then input order, so the rank does not depend on the input's order
            // among events that differ.
            let ranked = list.sorted { a, b in
                if events.time[a] != events.time[b] { return events.time[a] < events.time[b] }
                if events.category[a] != events.category[b] { return events.category[a].rawValue < events.category[b].rawValue }
                return a < b
            }
            var rankOfSame: [UInt64: UInt64] = [:]
            for i in ranked {
                let categoryIndex = UInt64(HarmCategory.allCases.firstIndex(of: events.category[i]) ?? 0)
                let identity = (events.time[i].bitPattern &* 0x9E37_79B9_7F4A_7C15) ^ ((categoryIndex &+ 1) &* 0xC2B2_AE3D_27D4_EB4F)
                let rank = rankOfSame[identity, default: 0]
                rankOfSame[identity] = rank + 1
                var g = SplitMix64(seed: seed ^ (events.x[i].bitPattern &* 0xBF58_476D_1CE4_E5B9) ^ (events.y[i].bitPattern &* 0x94D0_49BB_1331_11EB)
                                   ^ identity ^ ((rank &+ 1) &* 0xD6E8_FEB8_6659_FD93))
                let u = Double(g.next() >> 11) / Double(1 << 53), v = Double(g.next() >> 11) / Double(1 << 53)
                let r = radius * u.squareRoot(), a = 2 * Double.pi * v
                x[i] += r * cos(a)
                y[i] += r * sin(a)
                moved += 1
            }
        }
        return (x, y, moved)
    }

    /// Records of one incident: events with identical coordinates and an identical time interval (start and
    /// precision), e.g. the victims of one assault recorded as separate rows. Returns, per event, the index of the
    /// first event of its set (its own index when alone).
    static func coRecorded(_ events: EventSet) -> [Int] {
        struct Key: Hashable { var x: UInt64, y: UInt64, t: UInt64, p: UInt64 }
        var first: [Key: Int] = [:]
        return (0..<events.count).map { i in
            let key = Key(x: events.x[i].bitPattern, y: events.y[i].bitPattern, t: events.time[i].bitPattern, p: events.precisionSeconds[i].bitPattern)
            if let f = first[key] { return f }
            first[key] = i
            return i
        }
    }

    /// Distance from each point to its k-th nearest other point, found with square buckets and rings searched
    /// outwards until no closer point can remain; `cap` where fewer than k points lie within `cap`.
    static func kthNeighbourDistance(x: [Double], y: [Double], k: Int, cap: Double) -> [Double] {
        let n = x.count
        guard n > 0, k >= 1 else { return [Double](repeating: cap, count: n) }
        let minX = x.min()!, minY = y.min()!
        // Buckets sized so that a bucket holds about k points on average over the occupied area (at least 25 m).
        let spanX = max(x.max()! - minX, 1), spanY = max(y.max()! - minY, 1)
        let side = max(25, min(cap, (spanX * spanY * Double(k) / Double(n)).squareRoot()))
        let columns = Int(spanX / side) + 1, rows = Int(spanY / side) + 1
        var bucketStart = [Int](repeating: 0, count: columns * rows + 1)
        let bucket = (0..<n).map { i in min(rows - 1, Int((y[i] - minY) / side)) * columns + min(columns - 1, Int((x[i] - minX) / side)) }
        for b in bucket { bucketStart[b + 1] += 1 }
        for b in 0..<(columns * rows) { bucketStart[b + 1] += bucketStart[b] }
        var fill = bucketStart, members = [Int](repeating: 0, count: n)
        for i in 0..<n { members[fill[bucket[i]]] = i; fill[bucket[i]] += 1 }
        let maxRing = Int((cap / side).rounded(.up)) + 1
        var out = [Double](repeating: cap, count: n)
        var best: [Double] = []  // the k smallest squared distances so far, ascending
        best.reserveCapacity(k + 1)
        for i in 0..<n {
            best.removeAll(keepingCapacity: true)
            let c0 = bucket[i] % columns, r0 = bucket[i] / columns
            var ring = 0
            while ring <= maxRing {
                for r in (r0 - ring)...(r0 + ring) where r >= 0 && r < rows {
                    let onEdgeRow = r == r0 - ring || r == r0 + ring
                    let step = onEdgeRow ? 1 : max(1, 2 * ring)
                    var c = c0 - ring
                    while c <= c0 + ring {
                        if c >= 0 && c < columns {
                            let b = r * columns + c
                            for m in bucketStart[b]..<bucketStart[b + 1] where members[m] != i {
                                let j = members[m]
                                let dx = x[j] - x[i], dy = y[j] - y[i], d2 = dx * dx + dy * dy
                                if best.count < k || d2 < best[k - 1] {
                                    var pos = best.count
                                    while pos > 0 && best[pos - 1] > d2 { pos -= 1 }
                                    best.insert(d2, at: pos)
                                    if best.count > k { best.removeLast() }
                                }
                            }
                        }
                        c += step
                    }
                }
                // Every point not yet seen is at least ring * side away.
                let reach = Double(ring) * side
                if best.count == k && best[k - 1] <= reach * reach { break }
                ring += 1
            }
            if best.count == k { out[i] = min(cap, best[k - 1].squareRoot()) }
        }
        return out
    }

    /// `value` rounded to the geometric ladder lower * ratio^m (m = 0, 1, ...), clamped to [lower, upper]: the
    /// background kernels then come in a few dozen bandwidths, one smoothing each.
    static func ladder(_ value: Double, lower: Double, upper: Double, ratio: Double = 1.2) -> Double {
        let v = min(upper, max(lower, value))
        let m = (log(v / lower) / log(ratio)).rounded()
        return min(upper, lower * pow(ratio, m))
    }
}
