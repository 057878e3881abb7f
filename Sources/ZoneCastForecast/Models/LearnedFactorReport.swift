public import Foundation

/// What a `LearnedFactorModel` fit found. Coefficients are on the standardised scale: exp(estimate) is the rate
/// ratio of target events for one standard deviation more of log(1 + density / city mean), other factors fixed.
public struct LearnedFactorReport: Sendable, Hashable {
    public struct Coefficient: Sendable, Hashable {
        public var feature: LearnedFeature
        public var estimate: Double
        /// Model-based, sqrt(diag(H^-1)) of the penalised Hessian (approximate: see `PoissonRegression`).
        public var standardError: Double
        /// Sandwich standard error (allows for over-dispersion).
        public var robustStandardError: Double

        public var name: String { feature.name }
        /// estimate / standardError.
        public var zScore: Double { estimate / standardError }
        /// 95 % Wald interval, estimate -/+ 1.96 standard errors.
        public var lower95: Double { estimate - 1.959964 * standardError }
        public var upper95: Double { estimate + 1.959964 * standardError }
        /// exp(estimate): rate ratio per standard deviation of the feature.
        public var rateRatio: Double { exp(estimate) }
        /// The 95 % interval excludes 0.
        public var isSignificant: Bool { lower95 > 0 || upper95 < 0 }
    }

    public struct CrossValidationRow: Sendable, Hashable {
        public var alpha: Double
        /// Weighted mean Poisson deviance per cell-window on the validation windows (lower is better).
        public var meanDeviance: Double
        public var folds: Int
    }

    public var origin: Date
    public var windowDays: Double
    public var alpha: Double
    /// One row per alpha of the grid, ascending alpha.
    public var crossValidation: [CrossValidationRow]
    public var trainingWindows: [ForecastWindow]
    public var sampledRows: Int
    public var positiveRows: Int
    public var targetEvents: Int
    /// Zero-cell keep probability per training window.
    public var zeroKeepProbabilities: [Double]
    public var intercept: Double
    public var interceptStandardError: Double
    public var coefficients: [Coefficient]
    /// Per feature: the city-average expected events per cell per window its layer implies (densities), or the
    /// layer's mean (extras); the "1" the log(1 + x / scale) transform divides by.
    public var featureScales: [String: Double] = [:]
    public var meanHarmPerEvent: Double
    public var converged: Bool
    public var iterations: Int
    public var notes: [String]

    public func coefficient(named name: String) -> Coefficient? { coefficients.first { $0.name == name } }

    /// Coefficients from the strongest positive association down (by z-score; NaN last).
    public var ranked: [Coefficient] {
        coefficients.sorted { a, b in
            let za = a.zScore.isNaN ? -.infinity : a.zScore, zb = b.zScore.isNaN ? -.infinity : b.zScore
            return za != zb ? za > zb : a.name < b.name
        }
    }

    /// A plain-text table for reports.
    public var summary: String {
        func f(_ v: Double) -> String { v.isNaN ? "n/a" : String(format: "%.3f", v) }
        var lines = ["Learned factors: alpha \(f(alpha)), \(trainingWindows.count) training windows, \(sampledRows) sampled cell-windows, "
                        + "\(targetEvents) target events",
                     "feature | estimate | s.e. | 95% interval | rate ratio | z"]
        lines.append("intercept | \(f(intercept)) | \(f(interceptStandardError)) | | |")
        for c in ranked {
            lines.append("\(c.name) | \(f(c.estimate)) | \(f(c.standardError)) | [\(f(c.lower95)), \(f(c.upper95))] | \(f(c.rateRatio)) | \(f(c.zScore))")
        }
        func g(_ v: Double) -> String { v.isNaN ? "n/a" : String(format: "%.6g", v) }
        lines.append("cross-validation (mean deviance per cell-window): "
                     + crossValidation.map { "alpha \(g($0.alpha)): \(g($0.meanDeviance))" }.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }
}
