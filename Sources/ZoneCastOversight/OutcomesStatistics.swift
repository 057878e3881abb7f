import Foundation

/// A change in incidents or harm, as a ratio with a confidence interval, or an honest "too few to say".
///
/// `ratio` < 1 is a fall: 0.8 means 20 % fewer. For a before/during comparison of one place it is during / before
/// (periods of equal length); for a difference-in-differences against comparison places it is the relative
/// effect size (zone during/before) ÷ (comparison during/before).
public struct ChangeEstimate: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable {
        case estimated
        /// Too few incidents for an interval that means anything (see `reason`).
        case tooFew = "too_few"
    }

    public var status: Status
    public var ratio: Double?
    public var lower: Double?
    public var upper: Double?
    public var confidence: Double
    /// How the interval was computed (shown on the page and in JSON).
    public var method: String
    /// Empty when estimated; otherwise why not, naming the counts.
    public var reason: String

    public static func tooFew(_ reason: String, confidence: Double, method: String) -> ChangeEstimate {
        ChangeEstimate(status: .tooFew, ratio: nil, lower: nil, upper: nil, confidence: confidence, method: method, reason: reason)
    }

    /// (ratio − 1) × 100: "−20" for a 20 % fall.
    public var percentChange: Double? { ratio.map { ($0 - 1) * 100 } }

    /// Whether the interval excludes no change (1).
    public var isSignificant: Bool {
        guard let l = lower, let u = upper else { return false }
        return u < 1 || l > 1
    }

    /// "−20 % (95 % CI −45 % to +15 %)" or "too few incidents to say".
    public var text: String {
        guard status == .estimated, let r = ratio else { return "too few incidents to say" }
        func pct(_ x: Double) -> String {
            guard x.isFinite else { return "+∞ %" }
            let p = ((x - 1) * 100).rounded()
            return (p > 0 ? "+" : p < 0 ? "−" : "") + String(Int(abs(p))) + " %"
        }
        var s = pct(r)
        if let l = lower, let u = upper { s += " (\(Int((confidence * 100).rounded())) % CI \(pct(l)) to \(pct(u)))" }
        return s
    }
}

/// The statistics behind the outcomes page, kept small and checked by hand in `OutcomesStatisticsTests`.
public enum OutcomeStatistics {
    /// Exact interval for the ratio of two Poisson counts observed over equal exposure (the same place over two
    /// periods of equal length): conditional on n = during + before, during ~ Binomial(n, p) with
    /// p = λ_during / (λ_during + λ_before), so the Clopper-Pearson interval for p (Clopper & Pearson 1934) maps to
    /// an exact interval for the rate ratio p / (1 − p) (Ulm 1990, Am. J. Epidemiol. 131:373; the conditional
    /// method of R's `poisson.test`).
    ///
    /// Shown only when n ≥ `minimumEvents` and the before count is positive; otherwise "too few to say".
    public static func poissonRateRatio(during: Int, before: Int, confidence: Double = 0.95, minimumEvents: Int = 10) -> ChangeEstimate {
        let method = "exact conditional (Clopper-Pearson) interval for a ratio of Poisson counts"
        let n = during + before
        guard n >= minimumEvents else {
            return .tooFew("\(n) incident\(n == 1 ? "" : "s") in both periods together, fewer than \(minimumEvents)", confidence: confidence, method: method)
        }
        guard before > 0 else {
            return .tooFew("none before, so the ratio is unbounded", confidence: confidence, method: method)
        }
        let (pl, pu) = clopperPearson(successes: during, trials: n, confidence: confidence)
        let ratio = Double(during) / Double(before)
        let lower = pl / (1 - pl)
        let upper = pu >= 1 ? Double.infinity : pu / (1 - pu)
        return ChangeEstimate(status: .estimated, ratio: ratio, lower: lower, upper: upper, confidence: confidence, method: method, reason: "")
    }

    /// One group's total and the sum of its squared weights: for counts both are the count; for harm the total
    /// is Σw and the variance of a compound Poisson total is Σw².
    public struct Total: Hashable, Sendable, Codable {
        public var total: Double
        public var sumOfSquares: Double
        /// Incidents behind the total.
        public var incidents: Int
        public init(total: Double, sumOfSquares: Double, incidents: Int) {
            self.total = total
            self.sumOfSquares = sumOfSquares
            self.incidents = incidents
        }
        public static func count(_ n: Int) -> Total { Total(total: Double(n), sumOfSquares: Double(n), incidents: n) }
    }

    /// Difference in differences on the log scale: the relative effect size
    /// RES = (zone during / zone before) ÷ (comparison during / comparison before), with a log-normal interval
    /// from the delta method: var(ln RES) = Σ over the four groups of Var(T)/T². For Poisson counts that is
    /// 1/a + 1/b + 1/c + 1/d (Farrington & Welsh 2002, Home Office Research Study 251; Welsh & Farrington 2009,
    /// Justice Quarterly 26:716, the measure of the Campbell reviews of place-based prevention). For harm, a sum of
    /// weights over Poisson incidents (compound Poisson), Var(T) = Σw², so the same formula weighs each group by
    /// Σw²/(Σw)²; with unit weights it reduces to the count formula.
    ///
    /// Counts are not over-dispersion-corrected (Farrington & Welsh inflate the variance when a series is
    /// available); the interval is therefore the narrowest defensible one, which the page states.
    ///
    /// Too few to say when the zone's incidents over both periods are fewer than `minimumEvents` or any of the
    /// four groups is empty (ln 0).
    public static func relativeEffectSize(zoneBefore: Total, zoneDuring: Total, comparisonBefore: Total, comparisonDuring: Total,
                                          confidence: Double = 0.95, minimumEvents: Int = 10) -> ChangeEstimate {
        let method = "relative effect size (difference in differences of logs), delta-method log-normal interval"
        let n = zoneBefore.incidents + zoneDuring.incidents
        guard n >= minimumEvents else {
            return .tooFew("\(n) incident\(n == 1 ? "" : "s") in the zone in both periods together, fewer than \(minimumEvents)",
                           confidence: confidence, method: method)
        }
        let groups = [("zone before", zoneBefore), ("zone during", zoneDuring), ("comparison places before", comparisonBefore),
                      ("comparison places during", comparisonDuring)]
        let empty = groups.filter { $0.1.total <= 0 }.map(\.0)
        guard empty.isEmpty else {
            return .tooFew("no incidents in: \(empty.joined(separator: ", "))", confidence: confidence, method: method)
        }
        let res = (zoneDuring.total / zoneBefore.total) / (comparisonDuring.total / comparisonBefore.total)
        let variance = groups.reduce(0.0) { $0 + $1.1.sumOfSquares / ($1.1.total * $1.1.total) }
        let z = normalQuantile(0.5 + confidence / 2)
        let half = z * variance.squareRoot()
        return ChangeEstimate(status: .estimated, ratio: res, lower: res * exp(-half), upper: res * exp(half), confidence: confidence, method: method,
                              reason: "")
    }

    /// Clopper-Pearson interval for a binomial proportion: lower = B⁻¹(α/2; x, n−x+1), upper = B⁻¹(1−α/2; x+1, n−x)
    /// with B⁻¹ the inverse of the regularised incomplete beta function (0 and 1 at the edges).
    public static func clopperPearson(successes x: Int, trials n: Int, confidence: Double = 0.95) -> (lower: Double, upper: Double) {
        precondition(n > 0 && x >= 0 && x <= n, "need 0 ≤ successes ≤ trials and trials > 0")
        let alpha = 1 - confidence
        let lower = x == 0 ? 0 : inverseRegularizedBeta(alpha / 2, a: Double(x), b: Double(n - x + 1))
        let upper = x == n ? 1 : inverseRegularizedBeta(1 - alpha / 2, a: Double(x + 1), b: Double(n - x))
        return (lower, upper)
    }

    /// I_x(a, b) by the continued fraction of Numerical Recipes (Press et al. 2007, §6.4, modified Lentz).
    public static func regularizedBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lnBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let lnPowers: Double = a * log(x) + b * log(1 - x)
        let lnFront = lnBeta + lnPowers
        if x < (a + 1) / (a + b + 2) {
            return exp(lnFront) * betaContinuedFraction(x, a: a, b: b) / a
        }
        return 1 - exp(lnFront) * betaContinuedFraction(1 - x, a: b, b: a) / b
    }

    private static func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((a - 1 + m2) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }

    /// The p with I_p(a, b) = q, by bisection (I is increasing in p; 200 halvings reach double precision).
    public static func inverseRegularizedBeta(_ q: Double, a: Double, b: Double) -> Double {
        var lo = 0.0, hi = 1.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if regularizedBeta(mid, a: a, b: b) < q { lo = mid } else { hi = mid }
            if hi - lo < 1e-16 { break }
        }
        return (lo + hi) / 2
    }

    /// The standard normal quantile Φ⁻¹(p) (Acklam's rational approximation, relative error below 1.2e-9).
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "a quantile needs 0 < p < 1")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        // Horner's rule; `tail` is the constant term appended after the coefficients.
        func poly(_ coefficients: [Double], _ x: Double, tail: Double? = nil) -> Double {
            var v = 0.0
            for k in coefficients { v = v * x + k }
            if let tail { v = v * x + tail }
            return v
        }
        let low = 0.02425
        if p < low {
            let q: Double = (-2 * log(p)).squareRoot()
            return poly(c, q) / poly(d, q, tail: 1)
        }
        if p > 1 - low {
            let q: Double = (-2 * log(1 - p)).squareRoot()
            return -poly(c, q) / poly(d, q, tail: 1)
        }
        let q = p - 0.5, r = q * q
        return poly(a, r) * q / poly(b, r, tail: 1)
    }
}
