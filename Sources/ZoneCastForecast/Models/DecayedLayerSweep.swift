import Foundation
import ZoneCastCore

/// Exponentially decayed Gaussian layers of a fixed set of events, carried forward in time: the boosted model's
/// target densities and its triggering feature at each training origin and at the forecast origin.
///
/// Layer l at time t is L_l(cell, t) = s_l sum_{i available by t} e^{-r_l (t - m_i)} K_{b_l}(cell - cell_i), with m_i the
/// middle of the event's precision interval (an age below 0 counts as 0), r_l a decay rate per day, s_l a scale
/// and K_b the truncated (4 sigma), normalised Gaussian of `GaussianSmoother`, applied as the outer product of the
/// two 1-D kernels. Moving from t to t' > t multiplies every layer by e^{-r_l (t' - t)} and adds the footprints of
/// the events that became available in (t, t'] at their own decay (the exact recursion `DensitySweep` uses), so a
/// fit's 17 origins cost about one full computation plus a few dozen footprints each, where smoothing every layer
/// afresh at each origin cost O(cells x kernel width) per layer and origin (15 % of a Chicago backtest's time).
///
/// A half-life h in days is the rate ln 2 / h. A class, so the builder that owns it can stay a value whose
/// `features(at:cells:)` reads like a pure function; origins must come in non-decreasing order.
final class DecayedLayerSweep {
    struct Layer {
        var bandwidthMeters: Double
        var ratePerDay: Double
        var scale: Double
    }

    let grid: Grid
    let layers: [Layer]
    /// Layers back to back: layer l at [l * cellCount, (l + 1) * cellCount).
    private(set) var values: [Double]
    private var time = -Double.infinity
    private var next = 0
    /// The events in order of availability.
    private let available: [Double], middle: [Double], cell: [Int]
    private let kernels: [(radius: Int, weights: [Double])]

    /// `available`, `middle` and `cell` describe the events, already sorted by availability.
    init(grid: Grid, layers: [Layer], available: [Double], middle: [Double], cell: [Int]) {
        precondition(available.count == middle.count && middle.count == cell.count, "one time and cell per event")
        self.grid = grid
        self.layers = layers
        self.available = available
        self.middle = middle
        self.cell = cell
        values = [Double](repeating: 0, count: layers.count * grid.cellCount)
        kernels = layers.map { DensitySweep.kernel(bandwidthMeters: $0.bandwidthMeters, cellSizeMeters: grid.cellSizeMeters) }
    }

    @inline(__always)
    func value(layer l: Int, cell c: Int) -> Double { values[l * grid.cellCount + c] }

    /// Moves every layer to time t (seconds since the epoch).
    func advance(to t: Double) {
        precondition(t >= time, "the sweep only moves forward")
        let n = grid.cellCount
        if time > -.infinity && t > time {
            for (l, layer) in layers.enumerated() where layer.ratePerDay > 0 {
                let factor = exp(-layer.ratePerDay * (t - time) / 86_400)
                values.withUnsafeMutableBufferPointer { p in for i in (l * n)..<((l + 1) * n) { p[i] *= factor } }
            }
        }
        time = t
        let cols = grid.columns, rows = grid.rows
        let layers = self.layers, kernels = self.kernels
        values.withUnsafeMutableBufferPointer { v in
            while next < available.count, available[next] <= t {
                let e = next
                next += 1
                let age = max(0, t - middle[e]) / 86_400
                let c = cell[e], c0 = c % cols, r0 = c / cols
                for (l, layer) in layers.enumerated() {
                    let w = layer.scale * exp(-layer.ratePerDay * age)
                    if w == 0 { continue }
                    let kern = kernels[l], R = kern.radius
                    let rlo = max(0, r0 - R), rhi = min(rows - 1, r0 + R), clo = max(0, c0 - R), chi = min(cols - 1, c0 + R)
                    kern.weights.withUnsafeBufferPointer { k in
                        for rr in rlo...rhi {
                            let wy = w * k[rr - r0 + R]
                            let base = l * n + rr * cols
                            for cc in clo...chi { v[base + cc] += wy * k[cc - c0 + R] }
                        }
                    }
                }
            }
        }
    }
}
