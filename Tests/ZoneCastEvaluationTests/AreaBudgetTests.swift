import Testing
@testable import ZoneCastEvaluation

@Suite("Area budgets")
struct AreaBudgetTests {
    @Test("given fractions of the active area when converted to cells then k = max(1, floor(f x A)) capped at A")
    func cellCounts() async throws {
        #expect(try AreaBudget(areaFraction: 0.01).flaggedCellCount(activeCellCount: 16) == 1)      // 0.16 -> 1 (minimum)
        #expect(try AreaBudget(areaFraction: 0.05).flaggedCellCount(activeCellCount: 1_000) == 50)
        #expect(try AreaBudget(areaFraction: 0.005).flaggedCellCount(activeCellCount: 26_999) == 134) // 134.995 -> 134
        #expect(try AreaBudget(areaFraction: 0.29).flaggedCellCount(activeCellCount: 100) == 29)     // 28.999999999999996 in binary
        #expect(try AreaBudget(areaFraction: 1).flaggedCellCount(activeCellCount: 16) == 16)
        #expect(try AreaBudget(areaFraction: 0.5).flaggedCellCount(activeCellCount: 0) == 0)
    }

    @Test("given fractions outside (0, 1] when a budget is made then invalidAreaFraction is thrown")
    func refusals() async {
        for f in [0, -0.1, 1.5, .nan, .infinity] {
            #expect(throws: EvaluationError.self) { try AreaBudget(areaFraction: f) }
        }
        #expect(throws: EvaluationError.invalidAreaFraction(2)) { try AreaBudget.budgets([0.01, 2]) }
    }
}
