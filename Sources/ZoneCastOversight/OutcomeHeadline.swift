import Foundation
import ZoneCastCore

/// What an outcome line leads with. A bold "−32 %" after two days misleads when its interval runs from −90 % to
/// +500 %: the effect is shown as a headline only when the interval is informative, and the counts and the interval
/// always come first, so a reader sees how little lies behind a figure before the figure.
///
/// Informative: the estimate exists (enough incidents, see `OutcomeStatistics`) and its interval spans at most a
/// factor of `maxIntervalRatio` (upper ÷ lower; 4 by default, e.g. −50 % to +100 %). Otherwise the headline is
/// "too few incidents to say", still followed by the counts and, when there is one, the interval.
public struct OutcomeHeadline: Hashable, Sendable, Codable {
    public var informative: Bool
    /// "−38 %" when informative, else "too few incidents to say".
    public var headline: String
    /// "25 violent incidents during, 40 before; 95 % CI −62 % to +2 %" (or the reason there is no interval).
    public var detail: String

    /// "25 violent incidents during, 40 before; 95 % CI −62 % to +2 %: −38 %", counts first, for plain text.
    public var text: String { "\(detail): \(headline)" }

    public static let maxIntervalRatioDefault = 4.0
}

extension Oversight {
    /// The headline for `estimate`, the change between `before` and `during` counts of `noun` ("violent incident").
    public static func headline(during: Int, before: Int, estimate: ChangeEstimate, noun: String = "violent incident",
                                maxIntervalRatio: Double = OutcomeHeadline.maxIntervalRatioDefault) -> OutcomeHeadline {
        var detail = "\(PlainWords.count(during, noun)) during, \(FixedText.grouped(before)) before"
        guard estimate.status == .estimated, let ratio = estimate.ratio, let lower = estimate.lower, let upper = estimate.upper else {
            if !estimate.reason.isEmpty { detail += " (\(estimate.reason))" }
            return OutcomeHeadline(informative: false, headline: "too few incidents to say", detail: detail)
        }
        detail += "; \(Int((estimate.confidence * 100).rounded())) % CI \(percent(lower)) to \(percent(upper))"
        let informative = lower > 0 && upper.isFinite && upper / lower <= maxIntervalRatio
        return OutcomeHeadline(informative: informative, headline: informative ? percent(ratio) : "too few incidents to say", detail: detail)
    }

    /// A ratio as a signed whole percentage change: 0.62 → "−38 %", 1.02 → "+2 %", 1 → "0 %", ∞ → "+∞ %".
    public static func percent(_ ratio: Double) -> String {
        guard ratio.isFinite else { return "+∞ %" }
        let p = ((ratio - 1) * 100).rounded()
        return (p > 0 ? "+" : p < 0 ? "−" : "") + String(Int(abs(p))) + " %"
    }
}
