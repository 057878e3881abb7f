/// A share of the ACTIVE area to flag, as a patrol plan would: "the riskiest 1 % of the city".
///
/// With equal cells, a fraction f of A active cells becomes k = max(1, floor(f x A + 1e-9)) cells, capped at A.
/// Rounding down keeps the flagged area within the budget (never more area than promised, so PAI is never
/// flattered by extra area); the floor of 1 keeps tiny grids scorable (it then flags MORE than f, which
/// `BudgetScore.flaggedAreaShare` reports honestly since a/A uses k, not f). The 1e-9 absorbs binary rounding:
/// 0.29 x 100 is 28.999999999999996 in floating point and must give 29 cells.
public struct AreaBudget: Hashable, Sendable, Codable {
    public let areaFraction: Double

    public init(areaFraction: Double) throws(EvaluationError) {
        guard areaFraction.isFinite, areaFraction > 0, areaFraction <= 1 else { throw .invalidAreaFraction(areaFraction) }
        self.areaFraction = areaFraction
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(areaFraction: c.decode(Double.self, forKey: .areaFraction))
    }

    /// 0.5 %, 1 %, 2 % and 5 % of the active area: NIJ 2017 allowed 0.25-0.75 sq mi, a few percent of a city,
    /// and the peer targets in METHODS.md are quoted at 1 %.
    public static let standardFractions: [Double] = [0.005, 0.01, 0.02, 0.05]

    /// Budgets for `fractions`, in the order given.
    public static func budgets(_ fractions: [Double] = standardFractions) throws(EvaluationError) -> [AreaBudget] {
        var out: [AreaBudget] = []
        for f in fractions { out.append(try AreaBudget(areaFraction: f)) }
        return out
    }

    /// k = max(1, floor(f x activeCellCount + 1e-9)), at most `activeCellCount` (0 for an empty grid).
    public func flaggedCellCount(activeCellCount: Int) -> Int {
        guard activeCellCount > 0 else { return 0 }
        let k = Int((areaFraction * Double(activeCellCount) + 1e-9).rounded(.down))
        return min(activeCellCount, max(1, k))
    }
}
