import Foundation
import ZoneCastCore

/// Builds the boosted model's feature rows (see `BoostedTreesModel`) at any origin, from events available then.
struct BoostedFeatureBuilder {
    let grid: Grid
    let names: [String]
    private let categories: [HarmCategory]
    private let periods: [Double]
    private let densities: [(Double, Double)]
    private let trigger: SelfExcitingParameters?
    private let windowSeconds: Double
    private let historyStart: Double
    /// Per event with a cell: availability time, middle time, cell, category index (-1 if not a feature category),
    /// target flag; sorted by availability.
    private let available: [Double], middle: [Double], cell: [Int], categoryIndex: [Int], isTarget: [Bool]
    /// Static layers: per layer, distance per cell (capped) and points per cell.
    private let staticDistance: [[Float]], staticCounts: [[Double]]
    /// The target densities (one layer per (bandwidth, half-life)) and, with a trigger, its layer last.
    private let sweep: DecayedLayerSweep

    init(history h: EventSet, grid: Grid, targets: Set<HarmCategory>, windowSeconds: Double, historyStart: Double, periodsDays: [Double],
         densities: [(Double, Double)], trigger: SelfExcitingParameters?, staticLayers: [BoostedTreesModel.StaticLayer]) {
        self.grid = grid
        categories = Array(Set(h.category).subtracting([.other])).sorted()
        periods = periodsDays
        self.densities = densities
        self.trigger = trigger
        self.windowSeconds = windowSeconds
        self.historyStart = historyStart
        var names: [String] = []
        for c in categories { for p in periods { for r in 0...2 { names.append("n.\(c.rawValue).\(LearnedFeature.format(p))d.r\(r)") } } }
        for (b, hl) in densities { names.append("kde.b\(LearnedFeature.format(b))m.h\(LearnedFeature.format(hl))d") }
        names += ["since.r0", "since.r1"]
        if trigger != nil { names.append("sepp.trigger") }
        for l in staticLayers { names += ["static.\(l.name).dist", "static.\(l.name).n"] }
        names += ["season.sin", "season.cos", "weekend"]
        self.names = names
        let catIndex = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        var rows: [(Double, Double, Int, Int, Bool)] = []
        for i in 0..<h.count {
            guard let c = grid.cell(x: h.x[i], y: h.y[i]) else { continue }
            rows.append((h.time[i] + h.precisionSeconds[i], h.time[i] + h.precisionSeconds[i] / 2, c, catIndex[h.category[i]] ?? -1,
                         targets.contains(h.category[i])))
        }
        rows.sort { $0.0 != $1.0 ? $0.0 < $1.0 : ($0.1 != $1.1 ? $0.1 < $1.1 : $0.2 < $1.2) }
        available = rows.map(\.0); middle = rows.map(\.1); cell = rows.map(\.2); categoryIndex = rows.map(\.3); isTarget = rows.map(\.4)
        var distances: [[Float]] = [], counts: [[Double]] = []
        for l in staticLayers {
            var bins = [Double](repeating: 0, count: grid.cellCount)
            for p in l.points { if let c = grid.cell(containing: p) { bins[c] += 1 } }
            counts.append(Self.boxSum(bins, grid: grid, radius: 1))
            distances.append(Self.nearestDistance(l.points, grid: grid, cap: 2_000))
        }
        staticDistance = distances
        staticCounts = counts
        var layers = densities.map { DecayedLayerSweep.Layer(bandwidthMeters: $0.0, ratePerDay: M_LN2 / $0.1, scale: 1) }
        if let p = trigger {
            layers.append(DecayedLayerSweep.Layer(bandwidthMeters: p.sigmaMeters, ratePerDay: p.omegaPerDay,
                                                  scale: p.branchingRatio * (1 - exp(-p.omegaPerDay * windowSeconds / 86_400))))
        }
        let targetRows = rows.indices.filter { rows[$0].4 }
        sweep = DecayedLayerSweep(grid: grid, layers: layers, available: targetRows.map { rows[$0].0 }, middle: targetRows.map { rows[$0].1 },
                                  cell: targetRows.map { rows[$0].2 })
    }

    /// The 3 x 3 and 5 x 5 sums around one cell.
    static func rings(_ v: [Double], grid: Grid, cell: Int) -> (Double, Double) {
        let C = grid.columns, R = grid.rows, c0 = cell % C, r0 = cell / C
        var r1 = 0.0, r2 = 0.0
        for r in max(0, r0 - 2)...min(R - 1, r0 + 2) {
            for c in max(0, c0 - 2)...min(C - 1, c0 + 2) {
                let x = v[r * C + c]
                if x == 0 { continue }
                r2 += x
                if abs(r - r0) <= 1 && abs(c - c0) <= 1 { r1 += x }
            }
        }
        return (r1, r2)
    }

    /// Sum over the (2 radius + 1)^2 neighbourhood of each cell, via a summed-area table.
    static func boxSum(_ v: [Double], grid: Grid, radius: Int) -> [Double] {
        let C = grid.columns, R = grid.rows
        var sat = [Double](repeating: 0, count: (C + 1) * (R + 1))
        for r in 0..<R {
            var rowSum = 0.0
            for c in 0..<C {
                rowSum += v[r * C + c]
                sat[(r + 1) * (C + 1) + c + 1] = sat[r * (C + 1) + c + 1] + rowSum
            }
        }
        var out = [Double](repeating: 0, count: v.count)
        for r in 0..<R {
            let r0 = max(0, r - radius), r1 = min(R - 1, r + radius) + 1
            for c in 0..<C {
                let c0 = max(0, c - radius), c1 = min(C - 1, c + radius) + 1
                out[r * C + c] = sat[r1 * (C + 1) + c1] - sat[r0 * (C + 1) + c1] - sat[r1 * (C + 1) + c0] + sat[r0 * (C + 1) + c0]
            }
        }
        return out
    }

    /// Distance from each cell's centre to the nearest point, capped (brute force over points in reach, bucketed).
    static func nearestDistance(_ points: [PlanarPoint], grid: Grid, cap: Double) -> [Float] {
        var out = [Float](repeating: Float(cap), count: grid.cellCount)
        guard !points.isEmpty else { return out }
        let side = cap
        var buckets: [Int64: [PlanarPoint]] = [:]
        func key(_ x: Double, _ y: Double) -> (Int64, Int64) { (Int64((x / side).rounded(.down)), Int64((y / side).rounded(.down))) }
        for p in points { let (a, b) = key(p.xMeters, p.yMeters); buckets[a << 32 | (b & 0xFFFF_FFFF), default: []].append(p) }
        for c in grid.activeCells {
            let q = grid.center(of: c)
            let (a, b) = key(q.xMeters, q.yMeters)
            var best = cap * cap
            for da in -1...1 { for db in -1...1 {
                for p in buckets[(a + Int64(da)) << 32 | ((b + Int64(db)) & 0xFFFF_FFFF)] ?? [] {
                    let dx = p.xMeters - q.xMeters, dy = p.yMeters - q.yMeters
                    best = min(best, dx * dx + dy * dy)
                }
            }}
            out[c] = Float(best.squareRoot())
        }
        return out
    }

    /// Feature rows (row-major, `names.count` per row) for `cells` at origin o, from events available by o. Origins
    /// must come in non-decreasing order (the decayed layers are carried forward, see `DecayedLayerSweep`).
    func features(at o: Double, cells: [Int]) -> [Float] {
        let F = names.count, n = grid.cellCount
        var out = [Float](repeating: 0, count: cells.count * F)
        // Events available by o: a prefix of the availability order.
        var end = 0
        do {
            var lo = 0, hi = available.count
            while lo < hi { let m = (lo + hi) / 2; if available[m] <= o { lo = m + 1 } else { hi = m } }
            end = lo
        }
        var f = 0
        // Counts per category and period, in rings: a few cells sum their rings directly, the whole grid goes through
        // a summed-area table.
        let direct = cells.count * 34 < n * 6
        var bins = [Double](repeating: 0, count: n)
        var touched: [Int] = []
        for (ci, _) in categories.enumerated() {
            for p in periods {
                let from = o - p * 86_400
                for c in touched { bins[c] = 0 }
                touched.removeAll(keepingCapacity: true)
                for e in 0..<end where categoryIndex[e] == ci && middle[e] >= from {
                    if bins[cell[e]] == 0 { touched.append(cell[e]) }
                    bins[cell[e]] += 1
                }
                if !touched.isEmpty {
                    if direct {
                        for (r, c) in cells.enumerated() {
                            let (r1, r2) = Self.rings(bins, grid: grid, cell: c)
                            out[r * F + f] = Float(bins[c]); out[r * F + f + 1] = Float(r1); out[r * F + f + 2] = Float(r2)
                        }
                    } else {
                        let r1 = Self.boxSum(bins, grid: grid, radius: 1), r2 = Self.boxSum(bins, grid: grid, radius: 2)
                        for (r, c) in cells.enumerated() {
                            out[r * F + f] = Float(bins[c]); out[r * F + f + 1] = Float(r1[c]); out[r * F + f + 2] = Float(r2[c])
                        }
                    }
                }
                f += 3
            }
        }
        // Decayed target densities, then (after the recency features) the triggering, from the carried layers.
        sweep.advance(to: o)
        for l in densities.indices {
            for (r, c) in cells.enumerated() { out[r * F + f] = Float(sweep.value(layer: l, cell: c)) }
            f += 1
        }
        // Days since the last target event in the cell and its 3 x 3 neighbourhood.
        let cap = max(1, (o - historyStart) / 86_400)
        var last = [Double](repeating: -.infinity, count: n)
        for e in 0..<end where isTarget[e] { last[cell[e]] = max(last[cell[e]], middle[e]) }
        let C = grid.columns, R = grid.rows
        for (r, c) in cells.enumerated() {
            let since0 = last[c] > -.infinity ? min(cap, (o - last[c]) / 86_400) : cap
            var latest = -Double.infinity
            let cc = c % C, rr = c / C
            for dr in -1...1 { for dc in -1...1 {
                let r2 = rr + dr, c2 = cc + dc
                if r2 >= 0, r2 < R, c2 >= 0, c2 < C { latest = max(latest, last[r2 * C + c2]) }
            }}
            out[r * F + f] = Float(since0)
            out[r * F + f + 1] = Float(latest > -.infinity ? min(cap, (o - latest) / 86_400) : cap)
        }
        f += 2
        // Near-repeat triggering expected in [o, o + W): sum_i theta e^{-omega age_i} (1 - e^{-omega W}) G_sigma(cell - x_i).
        if trigger != nil {
            for (r, c) in cells.enumerated() { out[r * F + f] = Float(sweep.value(layer: densities.count, cell: c)) }
            f += 1
        }
        for l in staticDistance.indices {
            for (r, c) in cells.enumerated() { out[r * F + f] = staticDistance[l][c]; out[r * F + f + 1] = Float(staticCounts[l][c]) }
            f += 2
        }
        // Season and weekend share of the window (UTC days).
        let mid = o + windowSeconds / 2
        let dayOfYear = (mid / 86_400).truncatingRemainder(dividingBy: 365.2425) / 365.2425 * 2 * Double.pi
        var weekendHours = 0.0, hours = 0.0
        var t = o
        while t < o + windowSeconds {
            let weekday = Int((t / 86_400).rounded(.down)) % 7  // 0 = Thursday 1970-01-01
            if weekday == 2 || weekday == 3 { weekendHours += 1 }
            hours += 1
            t += 3_600
        }
        let season = [Float(sin(dayOfYear)), Float(cos(dayOfYear)), Float(hours > 0 ? weekendHours / hours : 0)]
        for r in 0..<cells.count { for s in 0..<3 { out[r * F + f + s] = season[s] } }
        f += 3
        precondition(f == F, "feature count")
        return out
    }
}
