import Foundation
import Testing
@testable import ZoneCastForecast

@Suite("Gaussian smoothing skips only zeros")
struct GaussianSmootherSpanTests {
    /// The two passes with nothing skipped: every cell of every row times every kernel weight, in the smoother's order.
    static func plain(_ v: [Double], columns: Int, rows: Int, sigmaCells: Double) -> [Double] {
        let radius = max(1, Int((4 * sigmaCells).rounded(.up)))
        var kernel = (0...(2 * radius)).map { k -> Double in exp(-0.5 * Double((k - radius) * (k - radius)) / (sigmaCells * sigmaCells)) }
        let sum = kernel.reduce(0, +)
        kernel = kernel.map { $0 / sum }
        var tmp = [Double](repeating: 0, count: v.count), out = tmp
        for r in 0..<rows { for c in 0..<columns where v[r * columns + c] != 0 {
            for cc in max(0, c - radius)...min(columns - 1, c + radius) { tmp[r * columns + cc] += v[r * columns + c] * kernel[cc - c + radius] }
        }}
        for r in 0..<rows { for rr in max(0, r - radius)...min(rows - 1, r + radius) {
            for c in 0..<columns { out[rr * columns + c] += tmp[r * columns + c] * kernel[rr - r + radius] }
        }}
        return out
    }

    @Test("given random layers with empty rows and events bunched in a few columns, when smoothed, then the result equals the plain passes exactly")
    func equalsThePlainPasses() {
        var state: UInt64 = 19
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        for trial in 0..<20 {
            let columns = 30 + trial, rows = 21
            let lo = Int(next() * Double(columns / 2)), hi = lo + Int(next() * Double(columns - lo))
            let values = (0..<(columns * rows)).map { i -> Double in
                let c = i % columns, r = i / columns
                return r % 3 != 0 && c >= lo && c <= hi && next() < 0.2 ? next() * 4 : 0
            }
            let bandwidth = [40.0, 150, 600][trial % 3]
            let fast = GaussianSmoother.smooth(values, columns: columns, rows: rows, cellSizeMeters: 100, bandwidthMeters: bandwidth)
            #expect(fast == Self.plain(values, columns: columns, rows: rows, sigmaCells: bandwidth / 100), "trial \(trial)")
        }
    }
}
