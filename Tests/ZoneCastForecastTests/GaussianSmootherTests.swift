import Foundation
import Testing
@testable import ZoneCastForecast

@Suite("Gaussian smoothing")
struct GaussianSmootherTests {
    /// Brute force: every output cell sums every input cell's Gaussian weight (normalised per axis like the
    /// truncated kernel). The separable pass must agree exactly away from the truncation.
    func bruteForce(_ v: [Double], columns: Int, rows: Int, sigmaCells: Double) -> [Double] {
        let radius = Int((4 * sigmaCells).rounded(.up))
        let twoSigmaSquared: Double = 2 * sigmaCells * sigmaCells
        let norm = (-radius...radius).reduce(0.0) { (sum: Double, d: Int) -> Double in sum + exp(-Double(d * d) / twoSigmaSquared) }
        var out = [Double](repeating: 0, count: v.count)
        for r in 0..<rows { for c in 0..<columns where v[r * columns + c] != 0 {
            for rr in 0..<rows { for cc in 0..<columns {
                let dr = rr - r, dc = cc - c
                guard abs(dr) <= radius, abs(dc) <= radius else { continue }
                let w = exp(-0.5 * Double(dr * dr) / (sigmaCells * sigmaCells)) / norm * exp(-0.5 * Double(dc * dc) / (sigmaCells * sigmaCells)) / norm
                out[rr * columns + cc] += v[r * columns + c] * w
            }}
        }}
        return out
    }

    @Test("given random sparse values, when smoothed, then the separable passes equal a brute-force 2-D convolution")
    func matchesBruteForce() async {
        var state: UInt64 = 7
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        let columns = 23, rows = 17
        let values = (0..<(columns * rows)).map { _ in next() < 0.1 ? Double(Int(next() * 5) + 1) : 0 }
        let fast = GaussianSmoother.smooth(values, columns: columns, rows: rows, cellSizeMeters: 150, bandwidthMeters: 225)
        let slow = bruteForce(values, columns: columns, rows: rows, sigmaCells: 1.5)
        for i in values.indices { #expect(abs(fast[i] - slow[i]) < 1e-12) }
    }

    @Test("given one event far from the edges, when smoothed, then its mass is conserved and peaks at its cell")
    func conservesMass() async {
        var v = [Double](repeating: 0, count: 41 * 41)
        v[20 * 41 + 20] = 3
        let s = GaussianSmoother.smooth(v, columns: 41, rows: 41, cellSizeMeters: 100, bandwidthMeters: 300)
        let mass: Double = s.reduce(0, +)
        #expect(abs(mass - 3) < 1e-9)
        #expect(s.firstIndex(of: s.max()!) == 20 * 41 + 20)
        // Symmetric.
        #expect(abs(s[20 * 41 + 17] - s[20 * 41 + 23]) < 1e-15)
        #expect(abs(s[17 * 41 + 20] - s[20 * 41 + 17]) < 1e-15)
    }
}
