import Foundation
import ZoneCastCore

/// Carries the density layers forward in time (the recursion in `LearnedFactorModel`'s documentation).
struct DensitySweep {
    let grid: Grid
    let features: [LearnedFeature]
    /// Layers back to back: feature f at [f * cellCount, (f + 1) * cellCount).
    private(set) var layers: [Double]
    private var time = -Double.infinity
    /// Event indices (with a cell and a wanted category) in order of availability, and where the sweep is.
    private let order: [Int]
    private var next = 0
    private let available: [Double], middle: [Double], cell: [Int], group: [Int]
    /// Per (category group, bandwidth): the feature index of each half-life.
    private let groups: [HarmCategory]
    private let bandwidths: [Double], halfLives: [Double]
    private let kernels: [(radius: Int, weights: [Double])]

    init(model: LearnedFactorModel, grid: Grid, history h: EventSet, features: [LearnedFeature]) {
        self.grid = grid
        self.features = features
        groups = Array(Set(features.compactMap(\.category))).sorted()
        bandwidths = model.bandwidthsMeters
        halfLives = model.halfLivesDays
        layers = [Double](repeating: 0, count: features.count * grid.cellCount)
        let groupOf = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, $0) })
        var avail = [Double](), mid = [Double](), cells = [Int](), grp = [Int]()
        for i in 0..<h.count {
            guard let g = groupOf[h.category[i]], let c = grid.cell(x: h.x[i], y: h.y[i]) else { continue }
            avail.append(h.time[i] + h.precisionSeconds[i]); mid.append(h.time[i] + h.precisionSeconds[i] / 2)
            cells.append(c); grp.append(g)
        }
        available = avail; middle = mid; cell = cells; group = grp
        order = avail.indices.sorted { avail[$0] != avail[$1] ? avail[$0] < avail[$1] : $0 < $1 }
        kernels = model.bandwidthsMeters.map { Self.kernel(bandwidthMeters: $0, cellSizeMeters: grid.cellSizeMeters) }
    }

    /// The truncated (4 sigma), normalised 1-D Gaussian `GaussianSmoother` uses.
    static func kernel(bandwidthMeters: Double, cellSizeMeters: Double) -> (radius: Int, weights: [Double]) {
        let sigma = bandwidthMeters / cellSizeMeters
        guard sigma > 1e-9 else { return (0, [1]) }
        let radius = max(1, Int((4 * sigma).rounded(.up)))
        let k = (0...(2 * radius)).map { j -> Double in let d = Double(j - radius); return exp(-0.5 * d * d / (sigma * sigma)) }
        let s = k.reduce(0, +)
        return (radius, k.map { $0 / s })
    }

    /// Feature index of (group, bandwidth, half-life): features are category-major, then bandwidth, then half-life.
    @inline(__always)
    private func featureIndex(_ g: Int, _ b: Int, _ hl: Int) -> Int { (g * bandwidths.count + b) * halfLives.count + hl }

    func layer(_ f: Int) -> [Double] { Array(layers[(f * grid.cellCount)..<((f + 1) * grid.cellCount)]) }

    func withLayer(_ f: Int, _ body: (UnsafeBufferPointer<Double>) -> Void) {
        layers.withUnsafeBufferPointer { p in
            body(UnsafeBufferPointer(rebasing: p[(f * grid.cellCount)..<((f + 1) * grid.cellCount)]))
        }
    }

    /// Moves the layers to time t (seconds): decays them and adds the events available in (time, t].
    mutating func advance(to t: Double) {
        precondition(t >= time, "the sweep only moves forward")
        let n = grid.cellCount, nh = halfLives.count
        guard !features.isEmpty else { time = t; return }
        if time > -.infinity && t > time {
            for (hl, h) in halfLives.enumerated() {
                let factor = exp2(-(t - time) / 86_400 / h)
                for g in 0..<groups.count {
                    for b in 0..<bandwidths.count {
                        let base = featureIndex(g, b, hl) * n
                        layers.withUnsafeMutableBufferPointer { p in for i in base..<(base + n) { p[i] *= factor } }
                    }
                }
            }
        }
        time = t
        // Aggregate the new events by (group, cell), keeping first-seen order (deterministic sums).
        var slotOf: [Int: Int] = [:]
        var slotKey: [Int] = [], slotWeights: [Double] = []
        while next < order.count, available[order[next]] <= t {
            let e = order[next]
            next += 1
            let key = group[e] * n + cell[e]
            let slot: Int
            if let s = slotOf[key] { slot = s } else {
                slot = slotKey.count; slotOf[key] = slot; slotKey.append(key)
                slotWeights.append(contentsOf: repeatElement(0, count: nh))
            }
            let ageDays = max(0, t - middle[e]) / 86_400
            for (hl, h) in halfLives.enumerated() { slotWeights[slot * nh + hl] += exp2(-ageDays / h) }
        }
        guard !slotKey.isEmpty else { return }
        let cols = grid.columns, rows = grid.rows, nb = bandwidths.count, kernels = self.kernels
        layers.withUnsafeMutableBufferPointer { L in
            for (s, key) in slotKey.enumerated() {
                let g = key / n, c = key % n
                let c0 = c % cols, r0 = c / cols
                for (b, kern) in kernels.enumerated() {
                    let R = kern.radius
                    let rlo = max(0, r0 - R), rhi = min(rows - 1, r0 + R), clo = max(0, c0 - R), chi = min(cols - 1, c0 + R)
                    kern.weights.withUnsafeBufferPointer { k in
                        for hl in 0..<nh {
                            let v = slotWeights[s * nh + hl]
                            if v == 0 { continue }
                            let base = ((g * nb + b) * nh + hl) * n
                            for rr in rlo...rhi {
                                let wy = v * k[rr - r0 + R]
                                let rowBase = base + rr * cols
                                for cc in clo...chi { L[rowBase + cc] += wy * k[cc - c0 + R] }
                            }
                        }
                    }
                }
            }
        }
    }
}
