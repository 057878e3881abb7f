import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastZoning

@Suite("Exhaustive zone solver")
struct ExhaustiveSolverTests {
    @Test("given a 4x4 grid when connected sets are enumerated then they match a brute force over all 65,536 subsets")
    func enumerationMatchesBruteForce() async throws {
        var active = [Bool](repeating: true, count: 16)
        active[5] = false
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 4, rows: 4, active: active)
        for (cap, diameter) in [(5, 1_200.0), (6, 300.0), (16, 1_200.0)] {
            let c = ZoneConstraints(maxAreaKm2: Double(cap) * 0.01, maxDiameterMeters: diameter, excluded: [10])
            let enumerated = try ExhaustiveZoneSolver(constraints: c).allowedZones(on: grid)
            var brute: [[Int]] = []
            for mask in 1..<(1 << 16) {
                let cells = (0..<16).filter { mask & (1 << $0) != 0 }
                if c.violations(ofCells: cells, grid: grid).isEmpty { brute.append(cells) }
            }
            #expect(Set(enumerated) == Set(brute))
            #expect(enumerated.count == brute.count, "no duplicates (cap \(cap))")
        }
    }

    @Test("given too large an instance when solved exhaustively then it refuses")
    func limit() async {
        let s = ZoningFixtures.surface(columns: 10, rows: 10, hot: [(1, 1, 1)])
        #expect(throws: ZoningError.enumerationLimitExceeded(limit: 100)) {
            try ExhaustiveZoneSolver(constraints: ZoneConstraints(), maxEnumeratedZones: 100).solve(s)
        }
    }

    @Test("given two hot spots when solved exhaustively then it splits them into the best separated pair")
    func smallOptimum() async throws {
        let s = ZoningFixtures.surface(columns: 10, rows: 4, hot: [(0, 1, 5), (1, 1, 4), (8, 1, 3), (9, 1, 1), (4, 1, 2)])
        let c = ZoneConstraints(maxZones: 2, maxAreaKm2: 0.02, minSeparationMeters: 300)
        let plan = try ExhaustiveZoneSolver(constraints: c).solve(s)
        #expect(plan.zones.map(\.cells) == [[10, 11], [18, 19]])
        #expect(plan.totalValue == 13)
    }
}
