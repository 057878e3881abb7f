import Foundation

/// Separable Gaussian convolution of a grid of values: two 1-D passes with a kernel truncated at 4 sigma and
/// renormalised, so mass is conserved away from the edges. Cost O(cells x kernel width), independent of the
/// number of events (METHODS.md, kernel density on a grid; Silverman 1986 for the kernel).
public enum GaussianSmoother {
    /// Smooths `values` (row-major, `columns` x `rows`) with standard deviation `bandwidthMeters`.
    public static func smooth(_ values: [Double], columns: Int, rows: Int, cellSizeMeters: Double, bandwidthMeters: Double) -> [Double] {
        let sigmaCells = bandwidthMeters / cellSizeMeters
        guard sigmaCells > 1e-9 else { return values }
        let radius = max(1, Int((4 * sigmaCells).rounded(.up)))
        var kernel = (0...(2 * radius)).map { k -> Double in
            let d = Double(k - radius)
            return exp(-0.5 * d * d / (sigmaCells * sigmaCells))
        }
        let sum = kernel.reduce(0, +)
        kernel = kernel.map { $0 / sum }
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
