import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
@testable import ZoneCastEvaluation

@Suite("Poisson deviance")
struct PoissonDevianceTests {
    /// Two cells side by side.
    static let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 2, rows: 1)

    @Test("given mu = (1, 2) and y = (2, 0) when the deviance is taken then D = 4 ln 2 + 2 and the uniform D = 4 ln(4/3) + 2")
    func handCase() async throws {
        let surface = Fixture.surface([0: 1, 1: 2], grid: Self.grid)
        let events = Fixture.events([(0, .robbery), (0, .robbery)], grid: Self.grid)
        let d = try SurfaceEvaluator.evaluate(surface, against: events, weights: Fixture.weights, budgets: Fixture.budgets([0.5])).deviance
        // D = 2 [ (2 ln(2/1) - (2 - 1)) + (0 - (0 - 2)) ] = 2 [2 ln 2 + 1] = 4 ln 2 + 2 = 4.7726
        #expect(abs(d.deviance - (4 * log(2.0) + 2)) < 1e-12)
        // Uniform, same total 3: mu = 1.5 each. 2 [ (2 ln(2/1.5) - 0.5) + 1.5 ] = 4 ln(4/3) + 2 = 3.1507
        #expect(abs(d.uniformDeviance - (4 * log(4.0 / 3) + 2)) < 1e-12)
    }

    @Test("given mu = 0 where an event happened when the deviance is taken then mu is floored at 1e-9 and D is finite")
    func flooredExpectation() async throws {
        let surface = Fixture.surface([1: 3], grid: Self.grid)
        let events = Fixture.events([(0, .robbery)], grid: Self.grid)
        let d = try SurfaceEvaluator.evaluate(surface, against: events, weights: Fixture.weights, budgets: Fixture.budgets([0.5])).deviance
        // D = 2 [ (1 ln(1/1e-9) - (1 - 1e-9)) + (0 - (0 - 3)) ] = 2 (ln 1e9 + 2 + 1e-9) = 45.4465
        #expect(abs(d.deviance - 2 * (log(1e9) + 2 + 1e-9)) < 1e-9)
        // Uniform mu = 1.5: 2 [ (ln(1/1.5) + 0.5) + 1.5 ] = 2 (2 - ln 1.5)
        #expect(abs(d.uniformDeviance - 2 * (2 - log(1.5))) < 1e-12)
    }

    @Test("given mu equal to y in every cell when the deviance is taken then it is 0")
    func perfect() async {
        #expect(DevianceScore.deviance(expected: [2, 0.5, 3], observed: [2, 0, 3], cells: [0, 2]) == 0)
        // An empty cell with mu = 0.5 contributes 2 x 0.5 = 1.
        #expect(abs(DevianceScore.deviance(expected: [2, 0.5, 3], observed: [2, 0, 3], cells: [0, 1, 2]) - 1) < 1e-12)
    }
}
