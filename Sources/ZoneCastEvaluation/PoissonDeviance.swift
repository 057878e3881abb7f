import Foundation

/// Poisson deviance of a surface read as expected counts, against the observed test counts per active cell:
///
///   D = 2 x sum over active cells [ y log(y / mu) - (y - mu) ],   with y log(y / mu) = 0 when y = 0
///
/// (McCullagh & Nelder 1989, Generalized Linear Models, 2nd ed., section 2.3). Lower is better; 0 only when
/// mu = y everywhere. Unlike hit rate it rewards calibrated magnitudes, not just the order of cells, so it is
/// only meaningful for surfaces in expected-count units for the window (NaiveModel's are; a harm-weighted or
/// prospective-hotspot score is not, and its deviance mostly measures its scale).
///
/// mu is floored at `expectedCountFloor` = 1e-9 events per cell: a surface that puts exactly 0 where an event
/// happens would otherwise score an infinite deviance (and JSON cannot carry infinity). At the floor each such
/// event costs about 2 x ln(1e9) = 41.4, a heavy but finite penalty. Events outside the active area are not in
/// any cell and do not enter the deviance.
///
/// `uniformDeviance` is the same sum for a constant surface with the same total over the active cells
/// (mu = total / A): the deviance a surface with no spatial information but the same overall level would get.
/// A surface worth using should beat it.
public struct DevianceScore: Hashable, Sendable, Codable {
    public var deviance: Double
    public var uniformDeviance: Double

    public init(deviance: Double, uniformDeviance: Double) {
        self.deviance = deviance
        self.uniformDeviance = uniformDeviance
    }

    public static let expectedCountFloor = 1e-9

    /// D for `expected` against `observed`, both indexed by cell, summed over `cells`.
    public static func deviance(expected: [Double], observed: [Int], cells: [Int]) -> Double {
        var d = 0.0
        for c in cells { d += term(y: Double(observed[c]), mu: expected[c]) }
        return 2 * d
    }

    /// D of a constant surface mu over `cells`.
    public static func deviance(constant mu: Double, observed: [Int], cells: [Int]) -> Double {
        var d = 0.0
        for c in cells { d += term(y: Double(observed[c]), mu: mu) }
        return 2 * d
    }

    @inline(__always)
    static func term(y: Double, mu rawMu: Double) -> Double {
        let mu = max(rawMu, expectedCountFloor)
        return (y > 0 ? y * log(y / mu) : 0) - (y - mu)
    }
}
