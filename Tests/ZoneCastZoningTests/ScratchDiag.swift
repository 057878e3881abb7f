import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastZoning

@Suite struct ScratchDiag {
    @Test func diag() throws {
        var rng = SplitMix64(seed: 20_240_611)
        for i in 0..<200 {
            let inst = ZoningFixtures.smallInstance(i, &rng)
            let h = try ZoneOptimizer(constraints: inst.constraints).optimize(inst.surface)
            let e = try ExhaustiveZoneSolver(constraints: inst.constraints).solve(inst.surface)
            let g = ZoningFixtures.gap(h.totalValue, optimum: e.totalValue)
            if g > 0.01 {
                let c = inst.constraints
                print("#\(i) kind \(i % 3) gap \(g) k=\(c.maxZones) cap=\(c.maxCells(on: inst.surface.grid)) diam=\(c.maxDiameterMeters) sep=\(c.minSeparationMeters) cols=\(inst.surface.grid.columns)")
                print("  H: \(h.zones.map { ($0.cells, $0.value) })")
                print("  E: \(e.zones.map { ($0.cells, $0.value) })")
            }
        }
    }
}
