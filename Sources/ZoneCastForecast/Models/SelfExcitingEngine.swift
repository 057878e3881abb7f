import Foundation

/// Events prepared for the EM fit: sorted by the middle of their precision interval, in days since the start of
/// the observation period.
struct SelfExcitingEvents {
    /// Position in the caller's `EventSet` of each sorted event.
    var source: [Int]
    var x: [Double]
    var y: [Double]
    /// Middle of the precision interval, days since `originSeconds`.
    var mid: [Double]
    /// Half the precision interval, days (at least half a second, so two identical instants are never at a gap of 0).
    var half: [Double]
    /// Seconds since the epoch that day 0 stands for.
    var originSeconds: Double
    /// Records of one incident (see `SelfExcitingPositions.coRecorded`) share a group; a pair within a group is
    /// never a candidate (one incident does not trigger itself).
    var group: [Int]

    static let minimumHalfDays = 0.5 / 86_400

    /// `groups`, indexed like `events`, default: every event its own group.
    init(_ events: EventSet, originSeconds: Double, groups: [Int]? = nil) {
        let order = (0..<events.count).sorted { a, b in
            let ma = events.time[a] + events.precisionSeconds[a] / 2, mb = events.time[b] + events.precisionSeconds[b] / 2
            return ma != mb ? ma < mb : a < b
        }
        source = order
        x = order.map { events.x[$0] }
        y = order.map { events.y[$0] }
        mid = order.map { (events.time[$0] + events.precisionSeconds[$0] / 2 - originSeconds) / 86_400 }
        half = order.map { max(Self.minimumHalfDays, events.precisionSeconds[$0] / 2 / 86_400) }
        group = order.map { groups?[$0] ?? $0 }
        self.originSeconds = originSeconds
    }

    var count: Int { x.count }
}

/// Candidate (parent i, offspring j) pairs within the bounded windows, grouped by offspring (CSR layout):
/// pairs of offspring j are `start[j] ..< start[j + 1]`. Found with spatial buckets of `maxMeters` and a binary
/// search on time inside each bucket, never by looking at all pairs.
///
/// Timestamp precision: event k happened at an unknown time U_k, uniform over its precision interval
/// [m_k - a_k/2, m_k + a_k/2). For two events whose intervals do not overlap, the order is certain and the gap is
/// the gap between the middles. When they overlap (two events the same day with day precision, or a timed event
/// inside a dated one's day) either may have come first: the pair i -> j is kept with prior weight
/// P(U_i < U_j) and gap E[U_j - U_i | U_i < U_j], both computed exactly for two uniform intervals. Two events of
/// the same day thus get a gap of a/3 = 8 hours each way at weight 1/2, instead of a gap of 0, which is what
/// made omega run away in METHODS.md's known failure.
struct SelfExcitingPairs {
    var start: [Int]
    /// Gap in days (conditional expectation, see above).
    var dt: [Float]
    /// Squared distance, square metres.
    var d2: [Float]
    /// log P(parent came first): 0 unless the precision intervals overlap.
    var logPrior: [Float]
    /// Parent of each pair (sorted index); filled only when asked for.
    var parent: [Int32]

    var count: Int { dt.count }

    init(_ ev: SelfExcitingEvents, maxDays: Double, maxMeters: Double, storeParents: Bool) {
        let n = ev.count
        start = [0]
        start.reserveCapacity(n + 1)
        dt = []
        d2 = []
        logPrior = []
        parent = []
        guard n > 1 else {
            start = [Int](repeating: 0, count: n + 1)
            return
        }
        let maxHalf = ev.half.max() ?? 0
        let r2 = maxMeters * maxMeters
        // Buckets of side maxMeters, each holding its events in time order.
        let minX = ev.x.min() ?? 0, minY = ev.y.min() ?? 0
        func key(_ bx: Int, _ by: Int) -> Int64 { Int64(bx) << 32 | Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: by))) }
        var bucketOf = [Int64](repeating: 0, count: n)
        for k in 0..<n {
            let bx = Int(((ev.x[k] - minX) / maxMeters).rounded(.down)), by = Int(((ev.y[k] - minY) / maxMeters).rounded(.down))
            bucketOf[k] = key(bx, by)
        }
        // Stable sort by bucket keeps time order inside each bucket (events are already in time order).
        let byBucket = (0..<n).sorted { (i: Int, j: Int) -> Bool in bucketOf[i] != bucketOf[j] ? bucketOf[i] < bucketOf[j] : i < j }
        var ranges: [Int64: Range<Int>] = [:]
        var lo = 0
        while lo < n {
            var hi = lo + 1
            while hi < n && bucketOf[byBucket[hi]] == bucketOf[byBucket[lo]] { hi += 1 }
            ranges[bucketOf[byBucket[lo]]] = lo..<hi
            lo = hi
        }
        let bucketMid = byBucket.map { ev.mid[$0] }

        for j in 0..<n {
            let xj = ev.x[j], yj = ev.y[j], mj = ev.mid[j], hj = ev.half[j]
            let bxj = Int(((xj - minX) / maxMeters).rounded(.down)), byj = Int(((yj - minY) / maxMeters).rounded(.down))
            let earliest = mj - maxDays, latest = mj + hj + maxHalf
            for dbx in -1...1 {
                for dby in -1...1 {
                    guard let range = ranges[key(bxj + dbx, byj + dby)] else { continue }
                    // First event in the bucket with mid >= earliest.
                    var a = range.lowerBound, b = range.upperBound
                    while a < b {
                        let m = (a + b) / 2
                        if bucketMid[m] < earliest { a = m + 1 } else { b = m }
                    }
                    var p = a
                    while p < range.upperBound, bucketMid[p] < latest {
                        let i = byBucket[p]
                        p += 1
                        if i == j || ev.group[i] == ev.group[j] { continue }
                        let dx = ev.x[i] - xj, dy = ev.y[i] - yj
                        let dd = dx * dx + dy * dy
                        if dd > r2 { continue }
                        guard let (prior, gap) = Self.order(parentMid: ev.mid[i], parentHalf: ev.half[i], childMid: mj, childHalf: hj),
                              gap <= maxDays else { continue }
                        dt.append(Float(gap))
                        d2.append(Float(dd))
                        logPrior.append(Float(log(prior)))
                        if storeParents { parent.append(Int32(i)) }
                    }
                }
            }
            start.append(dt.count)
        }
    }

    /// P(U_i < U_j) and E[U_j - U_i | U_i < U_j] for U_i, U_j uniform on [m - h, m + h); nil if i cannot precede j.
    /// For overlapping intervals, with Phi2(z) = max(z,0)^2/2 and Phi3(z) = max(z,0)^3/6 (Phi'' = 1(z>0), resp. max(z,0)):
    ///   P       = [Phi2(v1-u0) - Phi2(v0-u0) - Phi2(v1-u1) + Phi2(v0-u1)] / (a_i a_j)
    ///   E[X; X>0] = same with Phi3,   X = U_j - U_i, [u0,u1) and [v0,v1) the intervals of i and j.
    static func order(parentMid mi: Double, parentHalf hi: Double, childMid mj: Double, childHalf hj: Double) -> (Double, Double)? {
        let u0 = mi - hi - mj, u1 = mi + hi - mj, v0 = -hj, v1 = hj  // relative to the child's middle
        if u1 <= v0 { return (1, mj - mi) }
        if v1 <= u0 { return nil }
        @inline(__always) func phi2(_ z: Double) -> Double { z > 0 ? z * z / 2 : 0 }
        @inline(__always) func phi3(_ z: Double) -> Double { z > 0 ? z * z * z / 6 : 0 }
        let area = (u1 - u0) * (v1 - v0)
        let p = (phi2(v1 - u0) - phi2(v0 - u0) - phi2(v1 - u1) + phi2(v0 - u1)) / area
        guard p > 1e-9 else { return nil }
        let e = (phi3(v1 - u0) - phi3(v0 - u0) - phi3(v1 - u1) + phi3(v0 - u1)) / area
        return (min(1, p), max(e / p, 1e-9))
    }
}

/// A fine grid over the events (padded by four bandwidths) for evaluating the background density
/// mu(x_j) = (1/T) sum_k p_kk K_b(x_j - x_k) at every event: weights binned per cell, smoothed with
/// `GaussianSmoother`, read back by bilinear interpolation between cell centres.
struct SelfExcitingBackgroundGrid {
    let originX: Double, originY: Double, cellSize: Double, columns: Int, rows: Int, bandwidth: Double
    /// Cell of each event.
    let cell: [Int]
    /// Bilinear corners (4 per event) and weights.
    let corner: [Int]
    let weight: [Double]

    /// Events whose kernels are binned (all if nil); the density is read back at every event.
    let sources: [Int]?

    static let maximumCells = 1_500_000

    init(x: [Double], y: [Double], bandwidth: Double, sources: [Int]? = nil) {
        self.sources = sources
        let pad = 4 * bandwidth
        let minX = (x.min() ?? 0) - pad, maxX = (x.max() ?? 0) + pad
        let minY = (y.min() ?? 0) - pad, maxY = (y.max() ?? 0) + pad
        var size = bandwidth / 3
        let area = (maxX - minX) * (maxY - minY)
        if area / (size * size) > Double(Self.maximumCells) { size = (area / Double(Self.maximumCells)).squareRoot() }
        originX = minX
        originY = minY
        cellSize = size
        columns = max(2, Int(((maxX - minX) / size).rounded(.up)) + 1)
        rows = max(2, Int(((maxY - minY) / size).rounded(.up)) + 1)
        self.bandwidth = bandwidth
        var cell = [Int](), corner = [Int](), weight = [Double]()
        cell.reserveCapacity(x.count)
        corner.reserveCapacity(4 * x.count)
        weight.reserveCapacity(4 * x.count)
        let cols = columns, rws = rows
        for k in x.indices {
            let fx = (x[k] - minX) / size, fy = (y[k] - minY) / size
            let c = min(cols - 1, max(0, Int(fx.rounded(.down)))), r = min(rws - 1, max(0, Int(fy.rounded(.down))))
            cell.append(r * cols + c)
            // Bilinear between the centres around the point.
            let gx = fx - 0.5, gy = fy - 0.5
            let c0 = min(cols - 2, max(0, Int(gx.rounded(.down)))), r0 = min(rws - 2, max(0, Int(gy.rounded(.down))))
            let tx = min(1, max(0, gx - Double(c0))), ty = min(1, max(0, gy - Double(r0)))
            corner.append(contentsOf: [r0 * cols + c0, r0 * cols + c0 + 1, (r0 + 1) * cols + c0, (r0 + 1) * cols + c0 + 1])
            weight.append(contentsOf: [(1 - tx) * (1 - ty), tx * (1 - ty), (1 - tx) * ty, tx * ty])
        }
        self.cell = cell
        self.corner = corner
        self.weight = weight
    }

    /// Density at each event of sum_k w_k K_b(. - x_k), per square metre, times `scale`.
    func density(weights w: [Double], scale: Double) -> [Double] {
        var bins = [Double](repeating: 0, count: columns * rows)
        if let sources { for k in sources { bins[cell[k]] += w[k] } } else { for k in w.indices { bins[cell[k]] += w[k] } }
        let smooth = GaussianSmoother.smooth(bins, columns: columns, rows: rows, cellSizeMeters: cellSize, bandwidthMeters: bandwidth)
        let perArea = scale / (cellSize * cellSize)
        return w.indices.map { k in
            let b = 4 * k
            return (smooth[corner[b]] * weight[b] + smooth[corner[b + 1]] * weight[b + 1]
                    + smooth[corner[b + 2]] * weight[b + 2] + smooth[corner[b + 3]] * weight[b + 3]) * perArea
        }
    }
}

/// Raw buffers shared by the E-step's concurrent chunks, which write disjoint ranges only.
private struct Buffers: @unchecked Sendable {
    let start: UnsafePointer<Int>, dt: UnsafePointer<Float>, d2: UnsafePointer<Float>, lp: UnsafePointer<Float>, mu: UnsafePointer<Double>
    let pBg: UnsafeMutablePointer<Double>, lambda: UnsafeMutablePointer<Double>, partial: UnsafeMutablePointer<Double>
}

/// Result of one E-step: p_jj per event and the triggering sums the M-step needs.
struct SelfExcitingEStep {
    /// Chunks the E-step's sums are split into: 1 below 200,000 pairs, else 64, whatever the machine.
    static func chunkCount(pairs: Int) -> Int { pairs < 200_000 ? 1 : 64 }

    var backgroundProbability: [Double]
    /// sum p_ij, sum p_ij (t_j - t_i), sum p_ij |x_j - x_i|^2 over all pairs.
    var s0 = 0.0, s1 = 0.0, s2 = 0.0
    /// lambda(t_j, x_j) per event.
    var intensity: [Double]

    /// p_ij = pi_ij g(dt_ij, d_ij) / lambda_j and p_jj = mu_j / lambda_j with lambda_j = mu_j + sum_i pi_ij g(dt_ij, d_ij)
    /// (pi_ij the order prior, 1 unless the precision intervals overlap). One exponential per pair.
    init(pairs: SelfExcitingPairs, mu: [Double], parameters p: SelfExcitingParameters) {
        let n = mu.count
        let s2sig = p.sigmaMeters * p.sigmaMeters
        let amplitude = p.branchingRatio * p.omegaPerDay / (2 * Double.pi * s2sig)
        let omega = p.omegaPerDay, c2 = 1 / (2 * s2sig)
        var pBg = [Double](repeating: 1, count: n), lambda = [Double](repeating: 0, count: n)
        // Offspring are split into a fixed number of chunks of about equal pair counts, run concurrently; each chunk
        // writes its own events' p_jj and lambda and its own partial sums, added up in chunk order. The chunk count
        // depends on the data only (never on the machine's cores), so the sums, and the fit, are identical everywhere.
        let chunks = Self.chunkCount(pairs: pairs.count)
        var bounds = [0]
        for c in 1..<chunks {
            let target = pairs.count * c / chunks
            var lo = bounds[c - 1], hi = n
            while lo < hi {
                let m = (lo + hi) / 2
                if pairs.start[m] < target { lo = m + 1 } else { hi = m }
            }
            bounds.append(lo)
        }
        bounds.append(n)
        var partial = [Double](repeating: 0, count: 3 * chunks)
        let bnd = bounds
        pairs.start.withUnsafeBufferPointer { start in
            pairs.dt.withUnsafeBufferPointer { dt in
                pairs.d2.withUnsafeBufferPointer { d2 in
                    pairs.logPrior.withUnsafeBufferPointer { lp in
                        mu.withUnsafeBufferPointer { mu in
                            pBg.withUnsafeMutableBufferPointer { pBg in
                                lambda.withUnsafeMutableBufferPointer { lambda in
                                    partial.withUnsafeMutableBufferPointer { partial in
                                        // Chunks touch disjoint ranges of pBg, lambda and partial.
                                        let b = Buffers(start: start.baseAddress!, dt: dt.baseAddress!, d2: d2.baseAddress!, lp: lp.baseAddress!,
                                                        mu: mu.baseAddress!, pBg: pBg.baseAddress!, lambda: lambda.baseAddress!,
                                                        partial: partial.baseAddress!)
                                        let body: @Sendable (Int) -> Void = { c in
                                            var t0 = 0.0, t1 = 0.0, t2 = 0.0
                                            for j in bnd[c]..<bnd[c + 1] {
                                                var a0 = 0.0, a1 = 0.0, a2 = 0.0
                                                for k in b.start[j]..<b.start[j + 1] {
                                                    let t = Double(b.dt[k]), d = Double(b.d2[k])
                                                    let e = exp(Double(b.lp[k]) - omega * t - c2 * d)
                                                    a0 += e
                                                    a1 += e * t
                                                    a2 += e * d
                                                }
                                                let l = b.mu[j] + amplitude * a0
                                                b.lambda[j] = l
                                                guard l > 0 else { continue }
                                                let inv = amplitude / l
                                                b.pBg[j] = b.mu[j] / l
                                                t0 += a0 * inv
                                                t1 += a1 * inv
                                                t2 += a2 * inv
                                            }
                                            b.partial[3 * c] = t0
                                            b.partial[3 * c + 1] = t1
                                            b.partial[3 * c + 2] = t2
                                        }
                                        if chunks == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: body) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var t0 = 0.0, t1 = 0.0, t2 = 0.0
        for c in 0..<chunks {
            t0 += partial[3 * c]
            t1 += partial[3 * c + 1]
            t2 += partial[3 * c + 2]
        }
        backgroundProbability = pBg
        intensity = lambda
        s0 = t0
        s1 = t1
        s2 = t2
    }
}
