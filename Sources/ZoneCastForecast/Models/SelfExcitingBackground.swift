import Foundation

/// Evaluates the background density mu(x_j) = (1/T) sum_k p_kk K_b(x_j - x_k) at every event, each EM iteration.
///
/// Two exact-enough strategies, chosen by cost:
/// - sparse: the Gaussian weights K_b(x_j - x_k) of every pair within 4 bandwidths are computed once (they do not
///   change between iterations), so an iteration is one sparse matrix-vector product. Cheap when events are
///   sparse (a city's homicides: a few neighbours each).
/// - grid: weights binned on a fine grid, smoothed with `GaussianSmoother`, read back bilinearly. Cost per
///   iteration is proportional to the grid, not to the pairs, so it wins for dense data (tens of thousands of
///   events with hundreds of neighbours each).
enum SelfExcitingBackground {
    case sparse(start: [Int], neighbour: [Int32], kernel: [Double])
    case grid(SelfExcitingBackgroundGrid)

    /// Neighbour entries above which the grid is used (memory about 12 bytes each).
    static let maximumSparseEntries = 4_000_000

    /// The density at every event of the kernels of `sources` (all events if nil), all of one bandwidth.
    init(x: [Double], y: [Double], bandwidth: Double, sources: [Int]? = nil) {
        if let sparse = Self.sparse(x: x, y: y, bandwidth: bandwidth, sources: sources) {
            self = sparse
        } else {
            self = .grid(SelfExcitingBackgroundGrid(x: x, y: y, bandwidth: bandwidth, sources: sources))
        }
    }

    func density(weights w: [Double], scale: Double) -> [Double] {
        switch self {
        case .grid(let g):
            return g.density(weights: w, scale: scale)
        case .sparse(let start, let neighbour, let kernel):
            var out = [Double](repeating: 0, count: w.count)
            out.withUnsafeMutableBufferPointer { buffer in
                Self.addSparse(start: start, neighbour: neighbour, kernel: kernel, weights: w, scale: scale, events: 0..<w.count,
                               into: buffer.baseAddress!)
            }
            return out
        }
    }

    /// Adds each event j of `events` its neighbours' weighted kernel sum, `scale` × Σ w[neighbour] × kernel (terms in
    /// list order), to `out[j]`: the one loop of the sparse density, for a whole group or a range of events.
    static func addSparse(start: [Int], neighbour: [Int32], kernel: [Double], weights: [Double], scale: Double, events: Range<Int>,
                          into out: UnsafeMutablePointer<Double>) {
        start.withUnsafeBufferPointer { start in
            neighbour.withUnsafeBufferPointer { neighbour in
                kernel.withUnsafeBufferPointer { kernel in
                    weights.withUnsafeBufferPointer { w in
                        for j in events {
                            var s = 0.0
                            for e in start[j]..<start[j + 1] { s += w[Int(neighbour[e])] * kernel[e] }
                            out[j] += s * scale
                        }
                    }
                }
            }
        }
    }

    /// Neighbour lists within 4 bandwidths (self included) among `sources` (all events if nil), or nil when they
    /// would be too large.
    static func sparse(x: [Double], y: [Double], bandwidth: Double, sources: [Int]? = nil) -> SelfExcitingBackground? {
        let n = x.count
        guard n > 0, bandwidth > 0 else { return nil }
        let reach = 4 * bandwidth, reach2 = reach * reach
        let minX = x.min()!, minY = y.min()!
        var buckets: [Int64: [Int32]] = [:]
        func key(_ c: Int64, _ r: Int64) -> Int64 { c << 32 | (r & 0xFFFF_FFFF) }
        for i in sources ?? Array(0..<n) { buckets[key(Int64((x[i] - minX) / reach), Int64((y[i] - minY) / reach)), default: []].append(Int32(i)) }
        let norm = 1 / (2 * Double.pi * bandwidth * bandwidth), c2 = 1 / (2 * bandwidth * bandwidth)
        var start = [0], neighbour: [Int32] = [], kernel: [Double] = []
        start.reserveCapacity(n + 1)
        for j in 0..<n {
            let cj = Int64((x[j] - minX) / reach), rj = Int64((y[j] - minY) / reach)
            for dc in -1...1 { for dr in -1...1 {
                guard let list = buckets[key(cj + Int64(dc), rj + Int64(dr))] else { continue }
                for k in list {
                    let dx = x[Int(k)] - x[j], dy = y[Int(k)] - y[j]
                    let d2 = dx * dx + dy * dy
                    guard d2 <= reach2 else { continue }
                    neighbour.append(k)
                    kernel.append(norm * exp(-c2 * d2))
                }
            }}
            if neighbour.count > maximumSparseEntries { return nil }
            start.append(neighbour.count)
        }
        return .sparse(start: start, neighbour: neighbour, kernel: kernel)
    }
}


/// mu(x_j) with a bandwidth of its own per source event (variable, k-nearest-neighbour bandwidths): sources are
/// grouped by bandwidth (the fit quantises them to a geometric ladder, so there are a few dozen groups at most)
/// and each group is one fixed-bandwidth `SelfExcitingBackground` over its sources; the density is their sum.
struct SelfExcitingVariableBackground {
    var groups: [(bandwidth: Double, engine: SelfExcitingBackground)]

    init(x: [Double], y: [Double], bandwidths: [Double]) {
        precondition(bandwidths.count == x.count, "one bandwidth per event")
        var members: [Double: [Int]] = [:]
        for (i, b) in bandwidths.enumerated() { members[b, default: []].append(i) }
        groups = members.keys.sorted().map { b in (b, SelfExcitingBackground(x: x, y: y, bandwidth: b, sources: members[b]!)) }
    }

    func density(weights w: [Double], scale: Double) -> [Double] {
        if let sparse = sparseDensity(weights: w, scale: scale) { return sparse }
        var out = [Double](repeating: 0, count: w.count)
        for g in groups {
            let d = g.engine.density(weights: w, scale: scale)
            for j in out.indices { out[j] += d[j] }
        }
        return out
    }

    /// The same sums when every group is sparse, each event's taken group by group in the same order, but over
    /// fixed ranges of events side by side on the machine's cores: each event's density is computed by one range
    /// alone, so it is the same whatever the number of cores. It runs every EM iteration, and in a proposal the fit
    /// is what is left running once the zones are found. Nil when a group uses the grid.
    private func sparseDensity(weights w: [Double], scale: Double) -> [Double]? {
        var found: [(start: [Int], neighbour: [Int32], kernel: [Double])] = []
        for g in groups {
            guard case .sparse(let start, let neighbour, let kernel) = g.engine else { return nil }
            found.append((start, neighbour, kernel))
        }
        let lists = found
        let n = w.count, chunks = min(n, 16)
        var out = [Double](repeating: 0, count: n)
        guard chunks > 0 else { return out }
        out.withUnsafeMutableBufferPointer { buffer in
            let target = UnsafeSendablePointer(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let events = (n * c / chunks)..<(n * (c + 1) / chunks)
                // Group by group, as the plain sum: each event's total gains the groups' terms in group order.
                for l in lists {
                    SelfExcitingBackground.addSparse(start: l.start, neighbour: l.neighbour, kernel: l.kernel, weights: w, scale: scale,
                                                     events: events, into: target.base)
                }
            }
        }
        return out
    }
}

/// A buffer's address for concurrent iterations that write disjoint elements of it.
private struct UnsafeSendablePointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
}
