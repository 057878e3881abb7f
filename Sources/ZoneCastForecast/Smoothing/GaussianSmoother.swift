import Foundation

/// Separable Gaussian convolution of a grid of values: two 1-D passes with a kernel truncated at 4 sigma and
/// renormalised, so mass is conserved away from the edges. Cost O(cells x kernel width), independent of the
/// number of events (METHODS.md, kernel density on a grid; Silverman 1986 for the kernel).
public enum GaussianSmoother {
    /// The share of a cell's own value that `smooth` leaves in that cell (away from the edges): the square of the
    /// 1-D kernel's centre weight. A model that must not count a cell's events as evidence about that same cell
    /// (a leave-own-cell-out density) subtracts this share.
    public static func centreWeight(cellSizeMeters: Double, bandwidthMeters: Double) -> Double {
        let sigmaCells = bandwidthMeters / cellSizeMeters
        guard sigmaCells > 1e-9 else { return 1 }
        let k = kernel(sigmaCells: sigmaCells)
        return k[k.count / 2] * k[k.count / 2]
    }

    /// The 1-D kernel: Gaussian weights at whole-cell offsets out to 4 sigma (at least one cell), summing to 1.
    static func kernel(sigmaCells: Double) -> [Double] {
        let radius = max(1, Int((4 * sigmaCells).rounded(.up)))
        let weights = (0...(2 * radius)).map { k -> Double in
            let d = Double(k - radius)
            return exp(-0.5 * d * d / (sigmaCells * sigmaCells))
        }
        let sum = weights.reduce(0, +)
        return weights.map { $0 / sum }
    }

    /// Smooths `values` (row-major, `columns` x `rows`) with standard deviation `bandwidthMeters`.
    public static func smooth(_ values: [Double], columns: Int, rows: Int, cellSizeMeters: Double, bandwidthMeters: Double) -> [Double] {
        let sigmaCells = bandwidthMeters / cellSizeMeters
        guard sigmaCells > 1e-9 else { return values }
        let kernel = Self.kernel(sigmaCells: sigmaCells)
        let radius = kernel.count / 2
        var tmp = [Double](repeating: 0, count: values.count)
        var out = [Double](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { src in
            tmp.withUnsafeMutableBufferPointer { dst in
                kernel.withUnsafeBufferPointer { k in
                    // Horizontal pass: scatter each non-zero value (sparse inputs are common).
                    for r in 0..<rows {
                        let base = r * columns
                        for c in 0..<columns {
                            let v = src[base + c]
                            if v == 0 { continue }
                            let lo = max(0, c - radius), hi = min(columns - 1, c + radius)
                            for cc in lo...hi { dst[base + cc] += v * k[cc - c + radius] }
                        }
                    }
                }
            }
        }
        tmp.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                kernel.withUnsafeBufferPointer { k in
                    // Vertical pass: a row of zeros is skipped whole; any other row is added from its first non-zero
                    // column to its last, without a test per cell, so the loop over contiguous columns vectorises
                    // (adding 0 x w changes nothing, so neither the zeros inside the span nor those skipped outside it
                    // change the sums).
                    guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                    for r in 0..<rows {
                        let row = s + r * columns
                        guard let first = (0..<columns).first(where: { row[$0] != 0 }),
                              let last = (first..<columns).last(where: { row[$0] != 0 }) else { continue }
                        let lo = max(0, r - radius), hi = min(rows - 1, r + radius)
                        for rr in lo...hi {
                            let w = k[rr - r + radius]
                            let target = d + rr * columns
                            for c in first...last { target[c] += row[c] * w }
                        }
                    }
                }
            }
        }
        return out
    }
}
