import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastZoning

/// Surfaces and random instances shared by the zoning tests. All randomness comes from a seeded SplitMix64.
enum ZoningFixtures {
    static let window = ForecastWindow(start: Date(timeIntervalSince1970: 1_700_000_000), hours: 24)

    static func surface(_ grid: Grid, _ values: [Double]) -> RiskSurface {
        RiskSurface(grid: grid, window: window, values: values)
    }

    /// A `columns` x `rows` grid of 100 m cells whose values are zero except the given (column, row) cells.
    static func surface(columns: Int, rows: Int, hot: [(Int, Int, Double)], active: [Bool]? = nil) -> RiskSurface {
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: columns, rows: rows, active: active)
        var v = [Double](repeating: 0, count: grid.cellCount)
        for (c, r, x) in hot { v[r * columns + c] = x }
        return surface(grid, v)
    }

    static func uniform(_ rng: inout SplitMix64) -> Double { Double(rng.next() >> 11) / Double(1 << 53) }

    static func int(_ range: ClosedRange<Int>, _ rng: inout SplitMix64) -> Int {
        range.lowerBound + Int(rng.next() % UInt64(range.count))
    }

    /// Values of one of three kinds, by `kind`: smooth hot spots (Gaussian bumps over faint noise, like a
    /// kernel-density forecast), sparse counts (mostly zero, like a naive count model: zones must bridge zero
    /// cells), or heavy-tailed independent noise (rugged, the hardest for greedy growth).
    static func values(columns: Int, rows: Int, kind: Int, _ rng: inout SplitMix64) -> [Double] {
        var v = [Double](repeating: 0, count: columns * rows)
        switch kind % 3 {
        case 0:
            for _ in 0..<int(2...4, &rng) {
                let cx: Double = uniform(&rng) * Double(columns)
                let cy: Double = uniform(&rng) * Double(rows)
                let sigma: Double = 0.6 + 1.6 * uniform(&rng)
                let amp: Double = 0.5 + 2.5 * uniform(&rng)
                for r in 0..<rows {
                    for c in 0..<columns {
                        let dx: Double = Double(c) + 0.5 - cx
                        let dy: Double = Double(r) + 0.5 - cy
                        let d2: Double = dx * dx + dy * dy
                        v[r * columns + c] += amp * exp(-d2 / (2 * sigma * sigma))
                    }
                }
            }
            for i in v.indices { v[i] += 0.05 * uniform(&rng) }
        case 1:
            for i in v.indices where uniform(&rng) < 0.25 { v[i] = Double(int(1...5, &rng)) as Double }
        default:
            for i in v.indices { let u: Double = uniform(&rng); v[i] = u * u * u }
        }
        return v
    }

    struct Instance {
        var surface: RiskSurface
        var constraints: ZoneConstraints
    }

    /// An 8x8 to 10x10 grid of 100 m cells with a few inactive and excluded cells, up to 2 zones of 4 to 8
    /// cells, and diameter and separation limits that bind at this scale.
    static func smallInstance(_ i: Int, _ rng: inout SplitMix64) -> Instance {
        let columns = int(8...10, &rng), rows = int(8...10, &rng)
        var active = [Bool](repeating: true, count: columns * rows)
        for k in active.indices where uniform(&rng) < 0.08 as Double { active[k] = false }
        let grid = Grid(originX: 500, originY: -300, cellSizeMeters: 100, columns: columns, rows: rows, active: active)
        let surface = surface(grid, values(columns: columns, rows: rows, kind: i, &rng))
        let cap = int(4...8, &rng)
        var excluded = Set<Int>()
        for _ in 0..<int(0...2, &rng) { excluded.insert(int(0...(grid.cellCount - 1), &rng)) }
        let constraints = ZoneConstraints(maxZones: i % 5 == 0 ? 1 : 2, maxAreaKm2: Double(cap) * 0.01,
                                          maxDiameterMeters: [1_200, 500, 400][int(0...2, &rng)],
                                          minSeparationMeters: [400, 200, 100, 0][int(0...3, &rng)], excluded: excluded)
        return Instance(surface: surface, constraints: constraints)
    }

    /// Relative shortfall of `value` below `optimum` (0 when the optimum is 0).
    static func gap(_ value: Double, optimum: Double) -> Double { optimum > 0 ? (optimum - value) / optimum : 0 }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
