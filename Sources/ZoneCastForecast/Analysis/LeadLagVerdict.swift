import Foundation
import ZoneCastCore

/// One line per lead-lag pair saying what the two p-values mean together, for `zonecast factors` and its report.
///
/// Which p-value to trust: **the permutation p-value**. The chi-squared p-value takes the likelihood-ratio statistic
/// as χ²(1), which holds only if every cell-window count were an independent Poisson draw. Incidents cluster (repeat
/// places, retaliation, same-day bursts), so counts are overdispersed and neighbouring cells and weeks are not
/// independent: the statistic's real spread is far wider and p(chi2) far too small, more so when counts are sparse
/// (most cell-windows hold 0, where the χ² approximation is poorest). The chi-squared test also credits A for
/// *where* it happens, since A's smoothed history marks A's places. Shuffling A's event times among A's own
/// events keeps A's places and counts and the clustering of B, and breaks only A's timing, so p(perm) asks the
/// question "factors" means: does A's recent activity near a place foretell B there? Hence p(chi2) = 0.0000 beside
/// p(perm) = 1.000 reads "A and B share places; A's timing adds nothing".
///
/// The smallest p(perm) attainable is 1/(1 + permutations): with too few permutations no lead can be shown.
///
/// Many pairs are tested at once (42 for seven categories), so by chance alone about one in twenty clears p ≤ 0.05: a
/// lead must clear alpha / pairs (Bonferroni), and an effect beyond 5 on the log scale (a rate ratio above e⁵ ≈ 150)
/// comes from a fit separating a sparse category, not from a factor, so it is reported as degenerate.
public struct LeadLagVerdict: Hashable, Sendable, Codable {
    public enum Finding: String, Hashable, Sendable, Codable {
        /// p(perm) ≤ alpha: A's timing adds to B's own history.
        case leads
        /// p(chi2) ≤ alpha but p(perm) > alpha: co-located, no lead.
        case sharedPlacesOnly = "shared-places-only"
        /// Both above alpha.
        case noEvidence = "no-evidence"
        /// Only p(chi2) is small and no permutation test could confirm it (none run, or too few to reach alpha).
        case unconfirmed
    }

    public var finding: Finding
    /// "p(perm)" or "p(chi2)": the value the verdict rests on.
    public var trusted: String
    public var text: String
}

extension LeadLagAnalysis.Pair {
    /// The verdict for this pair. `permutations` is the number of time permutations run (0: none); `tests` the
    /// number of pairs tested together; `mean` of B per cell-window is named when given (`followerEvents`, B's
    /// incidents in the outcome windows).
    public func verdict(permutations: Int, tests: Int = 1, followerEvents: Int? = nil, alpha: Double = 0.05) -> LeadLagVerdict {
        let a = leader.rawValue.replacingOccurrences(of: "_", with: " "), b = follower.rawValue.replacingOccurrences(of: "_", with: " ")
        let chi = "p(chi2)=" + Self.p(pValueChiSquared)
        let sparse = followerEvents.map { n in rows > 0 ? "; \(FixedText.fixed(Double(n) / Double(rows), 3)) \(b) per cell-window" : "" } ?? ""
        let direction = effect >= 0 ? "raises" : "lowers"
        guard let perm = pValuePermutation, permutations > 0 else {
            if pValueChiSquared <= alpha {
                return LeadLagVerdict(finding: .unconfirmed, trusted: "p(chi2)",
                                      text: "\(a) -> \(b): unconfirmed: only \(chi), which clustered incidents make too small\(sparse); "
                                          + "run the permutation test to tell a lead from shared places")
            }
            return LeadLagVerdict(finding: .noEvidence, trusted: "p(chi2)",
                                  text: "\(a) -> \(b): no sign of a lead (\(chi); the chi-squared test errs towards a lead, so its no holds)")
        }
        let pp = "p(perm)=" + Self.p(perm)
        let familyAlpha = alpha / Double(max(1, tests))
        if perm <= alpha, abs(effect) > 5 {
            return LeadLagVerdict(finding: .unconfirmed, trusted: "p(perm)",
                                  text: "\(a) -> \(b): degenerate fit, not a finding: effect \(FixedText.fixed(effect, 2)) is a rate ratio above e^5, "
                                      + "which a category too sparse to fit produces (\(pp))")
        }
        if perm <= alpha, perm > familyAlpha {
            let floor = 1 / Double(1 + permutations)
            let more = floor > familyAlpha ? "; \(permutations) permutations cannot go below \(Self.p(floor)), run at least "
                + "\(Int((1 / familyAlpha).rounded(.up))) (--lead-lag-permutations)" : ""
            return LeadLagVerdict(finding: .unconfirmed, trusted: "p(perm)",
                                  text: "\(a) -> \(b): unconfirmed: \(pp) does not clear \(Self.p(familyAlpha)), the bar for one of \(tests) pairs "
                                      + "tested together (about one in twenty clears 0.05 by chance)\(more)")
        }
        if perm <= alpha {
            return LeadLagVerdict(finding: .leads, trusted: "p(perm)",
                                  text: "\(a) -> \(b): \(a) nearby \(direction) \(b) in the next window beyond \(b)'s own history (\(pp), "
                                      + "effect \(FixedText.fixed(effect, 2)) ± \(FixedText.fixed(standardError, 2)))")
        }
        let floor = 1 / Double(1 + permutations)
        if pValueChiSquared <= alpha && floor > alpha {
            return LeadLagVerdict(finding: .unconfirmed, trusted: "p(perm)",
                                  text: "\(a) -> \(b): unconfirmed: \(chi) but \(permutations) permutations cannot reach p ≤ \(Self.p(alpha)) "
                                      + "(smallest \(Self.p(floor))); run more")
        }
        if pValueChiSquared <= alpha {
            return LeadLagVerdict(finding: .sharedPlacesOnly, trusted: "p(perm)",
                                  text: "\(a) -> \(b): shared places, no lead: trust \(pp), not \(chi) (chi-squared treats clustered "
                                      + "cell-windows as independent and credits \(a)'s places, which shuffling \(a)'s times keeps\(sparse))")
        }
        return LeadLagVerdict(finding: .noEvidence, trusted: "p(perm)", text: "\(a) -> \(b): no sign of a lead (\(pp), \(chi))")
    }

    /// "0.0312", "<0.0001", "1.000".
    static func p(_ x: Double) -> String {
        if x < 0.0001 { return "<0.0001" }
        return x >= 0.1 ? FixedText.fixed(x, 3) : FixedText.fixed(x, 4)
    }
}
