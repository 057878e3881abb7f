import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
@testable import ZoneCastZoning

@Suite("zone grower's saved context")
struct GrowerContextTests {
    /// Which cells a grower forbids, cell by cell.
    static func blocked(_ grower: ZoneGrower) -> [Bool] { (0..<grower.rules.cellCount).map { grower.isBlocked($0) } }

    @Test("given random zones and random changes after saving, when the context is restored, then the grower forbids exactly the cells setContext forbids")
    func restoredContextEqualsAFreshOne() {
        var rng = SplitMix64(seed: 11)
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 50, columns: 41, rows: 29)
        let values = (0..<grid.cellCount).map { _ in Double(rng.next() % 100) }
        let rules = GridRules(constraints: ZoneConstraints(), grid: grid)
        let grower = ZoneGrower(rules: rules, values: values, allowed: grid.active)
        for trial in 0..<30 {
            let zones = (0..<Int(rng.next() % 3)).map { _ in (0..<Int(1 + rng.next() % 6)).map { _ in Int(rng.next() % UInt64(grid.cellCount)) } }
            var fresh = grower, reused = grower
            fresh.setContext(forbiddenBy: zones)
            reused.setContext(forbiddenBy: zones)
            let saved = reused.saveContext()
            // What pair-regrowth trials do between restores: forbid more, and set other contexts; several trials.
            for round in 0..<3 {
                reused.forbid(around: (0..<Int(1 + rng.next() % 4)).map { _ in Int(rng.next() % UInt64(grid.cellCount)) })
                if rng.next() % 2 == 0 { reused.setContext(forbiddenBy: [[Int(rng.next() % UInt64(grid.cellCount))]]) }
                reused.forbid(around: [Int(rng.next() % UInt64(grid.cellCount))])
                reused.restoreContext(saved)
                #expect(Self.blocked(reused) == Self.blocked(fresh), "trial \(trial), round \(round)")
            }
            reused.discardSavedContext()
            #expect(Self.blocked(fresh).contains(true) == !zones.isEmpty, "trial \(trial)")
            // A later context starts from a fresh token: nothing of the restored one leaks into it.
            let next = [[Int(rng.next() % UInt64(grid.cellCount))]]
            reused.setContext(forbiddenBy: next)
            fresh.setContext(forbiddenBy: next)
            #expect(Self.blocked(reused) == Self.blocked(fresh), "trial \(trial), next context")
        }
    }
}
