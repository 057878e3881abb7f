import Foundation

/// Ridge-penalised Poisson regression with observation weights, fitted by Newton's method (equivalently IRLS:
/// for the canonical log link the Newton step is the iteratively reweighted least-squares step).
///
/// With rows x_i (p features), counts y_i >= 0 and weights w_i > 0, it maximises
///
///   l(beta) = sum_i w_i (y_i eta_i - exp(eta_i)) - (alpha / 2) sum_{j=1..p} beta_j^2,   eta_i = beta_0 + x_i . beta_{1..p}
///
/// (the log y_i! constant is dropped). The intercept beta_0 is not penalised. Gradient and Hessian:
///
///   g = X~' W (y - mu) - alpha P beta,   H = X~' diag(w mu) X~ + alpha P
///
/// with X~ = [1 X], mu = exp(X~ beta) and P = diag(0, 1, ..., 1). Each iteration solves H delta = g by Cholesky
/// (p is tens, so the dense (p + 1) x (p + 1) system is negligible next to the O(n p^2) pass that forms H), then
/// halves the step until the objective does not decrease. It stops after the step at which the Newton decrement
/// g' delta / 2 falls below `tolerance` x (1 + |l|) or the largest coefficient change below `tolerance` x
/// (1 + max |beta|).
/// References: McCullagh & Nelder (1989), Generalized Linear Models, 2nd ed., ch. 2 and 6 (IRLS, Poisson
/// log-linear models); Hoerl & Kennard (1970) for ridge; METHODS.md, "Regularised Poisson regression".
///
/// Standard errors are sqrt(diag(H^-1)) at the optimum, the inverse of the penalised observed information. For
/// alpha = 0 this is the usual maximum-likelihood asymptotic standard error. Under the ridge penalty it is only
/// approximate: the estimator is biased towards 0, and H^-1 is the curvature of the penalised objective (a
/// Bayesian posterior standard deviation under a N(0, 1/alpha) prior), not the sampling variance, which is
/// H^-1 I H^-1 and smaller. The "robust" (sandwich, Huber 1967 / White 1980) errors
/// sqrt(diag(H^-1 B H^-1)) with B = sum_i w_i^2 (y_i - mu_i)^2 x~_i x~_i' also allow for over-dispersion and
/// for the extra variance that inverse-probability weights add. Neither allows for correlation between rows
/// (the same place in successive windows, neighbouring cells); treat both as optimistic there.
///
/// With `standardize`, each feature is centred and scaled by its weighted mean and standard deviation before
/// fitting, so the penalty treats features alike and coefficients read "change in log mu per standard deviation";
/// `coefficients`, `standardErrors` and `names` are then on that standardised scale and `rawCoefficients` gives
/// the equivalent coefficients on the original scale. A feature that is constant over the rows is "aliased":
/// held at 0 with standard error NaN, and listed in `aliased`.
public struct PoissonRegression: Sendable {
    public var alpha: Double
    public var standardize: Bool
    public var maxIterations: Int
    public var tolerance: Double

    public init(alpha: Double = 0, standardize: Bool = false, maxIterations: Int = 100, tolerance: Double = 1e-10) {
        self.alpha = alpha
        self.standardize = standardize
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    public enum FitError: Error, Equatable, Sendable, CustomStringConvertible {
        case dimensionMismatch(String)
        case invalidValue(String)
        /// Every response (with positive weight) is zero: the intercept would run off to minus infinity.
        case noPositiveResponse
        /// The Hessian is not positive definite (collinear features with alpha = 0).
        case singularHessian

        public var description: String {
            switch self {
            case .dimensionMismatch(let s): "Poisson regression: dimension mismatch: \(s)"
            case .invalidValue(let s): "Poisson regression: invalid value: \(s)"
            case .noPositiveResponse: "Poisson regression: every response is zero"
            case .singularHessian: "Poisson regression: the Hessian is singular (collinear features?)"
            }
        }
    }

    /// A fitted model. Index 0 of `coefficients`, `standardErrors` and `robustStandardErrors` is the intercept;
    /// index j (1...p) is feature `names[j - 1]`.
    public struct Fit: Sendable, Hashable {
        public var names: [String]
        /// Intercept then one coefficient per feature; on the standardised scale when `standardized`.
        public var coefficients: [Double]
        /// Model-based standard errors, sqrt(diag(H^-1)) (approximate under the penalty; see the type's doc).
        public var standardErrors: [Double]
        /// Sandwich standard errors, sqrt(diag(H^-1 B H^-1)).
        public var robustStandardErrors: [Double]
        /// Inverse of the penalised Hessian, (p + 1) x (p + 1), row-major.
        public var covariance: [Double]
        public var alpha: Double
        public var standardized: Bool
        /// Per-feature centre and scale used when standardising (0 and 1 otherwise).
        public var means: [Double]
        public var scales: [Double]
        /// Features held at 0 because they were constant over the rows (standardised fits only).
        public var aliased: [String]
        public var iterations: Int
        public var converged: Bool
        /// sum_i w_i (y_i log mu_i - mu_i - log y_i!) at the optimum, the weighted log-likelihood.
        public var logLikelihood: Double
        /// The maximised objective: weighted log-likelihood less the penalty (log y! terms included).
        public var penalizedObjective: Double
        /// sum_i w_i d_i, the weighted Poisson deviance of the training rows.
        public var deviance: Double
        public var rowCount: Int
        public var weightSum: Double

        public var featureCount: Int { names.count }
        public var intercept: Double { coefficients[0] }

        /// Coefficients on the original feature scale: beta_j / s_j, and beta_0 - sum_j beta_j m_j / s_j.
        public var rawCoefficients: [Double] {
            var out = coefficients
            for j in 0..<featureCount {
                out[j + 1] = coefficients[j + 1] / scales[j]
                out[0] -= coefficients[j + 1] * means[j] / scales[j]
            }
            return out
        }

        /// log mu for one row of raw (unstandardised) features.
        public func linearPredictor(_ features: [Double]) -> Double {
            precondition(features.count == featureCount, "one value per feature")
            var eta = coefficients[0]
            for j in 0..<featureCount { eta += coefficients[j + 1] * (features[j] - means[j]) / scales[j] }
            return eta
        }

        /// The expected count mu = exp(eta) for one row of raw features.
        public func predict(_ features: [Double]) -> Double { exp(poissonCappedEta(linearPredictor(features))) }
    }

    /// Fits rows given as arrays of features (`rows[i].count == names.count`).
    public func fit(rows: [[Double]], y: [Double], weights: [Double]? = nil, names: [String]? = nil, initial: [Double]? = nil) throws -> Fit {
        let p = rows.first?.count ?? (names?.count ?? 0)
        var flat = [Double]()
        flat.reserveCapacity(rows.count * p)
        for r in rows {
            guard r.count == p else { throw FitError.dimensionMismatch("row of \(r.count) values, expected \(p)") }
            flat.append(contentsOf: r)
        }
        return try fit(design: flat, featureCount: p, y: y, weights: weights, names: names, initial: initial)
    }

    /// Fits a row-major design of `y.count` rows by `featureCount` features (no intercept column: it is added).
    /// `initial` (intercept then features, on the scale being fitted) warm-starts Newton, e.g. along an alpha path.
    public func fit(design: [Double], featureCount p: Int, y: [Double], weights: [Double]? = nil, names: [String]? = nil,
                    initial: [Double]? = nil) throws -> Fit {
        let n = y.count
        guard design.count == n * p else { throw FitError.dimensionMismatch("design has \(design.count) values, expected \(n) x \(p)") }
        let w = weights ?? [Double](repeating: 1, count: n)
        guard w.count == n else { throw FitError.dimensionMismatch("\(w.count) weights for \(n) rows") }
        let featureNames = names ?? (0..<p).map { "x\($0 + 1)" }
        guard featureNames.count == p else { throw FitError.dimensionMismatch("\(featureNames.count) names for \(p) features") }
        guard alpha >= 0, alpha.isFinite else { throw FitError.invalidValue("alpha = \(alpha)") }
        for i in 0..<n {
            guard y[i] >= 0, y[i].isFinite else { throw FitError.invalidValue("y[\(i)] = \(y[i])") }
            guard w[i] >= 0, w[i].isFinite else { throw FitError.invalidValue("weight[\(i)] = \(w[i])") }
        }
        for v in design where !v.isFinite { throw FitError.invalidValue("non-finite feature value \(v)") }

        var weightSum = 0.0, wy = 0.0
        for i in 0..<n { weightSum += w[i]; wy += w[i] * y[i] }
        guard wy > 0 else { throw FitError.noPositiveResponse }

        // Centre and scale (weighted), or identity.
        var means = [Double](repeating: 0, count: p), scales = [Double](repeating: 1, count: p)
        var aliasedMask = [Bool](repeating: false, count: p)
        if standardize {
            for i in 0..<n where w[i] > 0 { for j in 0..<p { means[j] += w[i] * design[i * p + j] } }
            for j in 0..<p { means[j] /= weightSum }
            var ss = [Double](repeating: 0, count: p)
            for i in 0..<n where w[i] > 0 {
                for j in 0..<p { let d = design[i * p + j] - means[j]; ss[j] += w[i] * d * d }
            }
            for j in 0..<p {
                let sd = (ss[j] / weightSum).squareRoot()
                if sd > 1e-12 * max(1, abs(means[j])) { scales[j] = sd } else { aliasedMask[j] = true }
            }
        }
        // Working design: standardised, with aliased columns removed. q = free features.
        let free = (0..<p).filter { !aliasedMask[$0] }
        let q = free.count, d = q + 1
        var X = [Double](repeating: 0, count: n * q)
        for i in 0..<n {
            for (k, j) in free.enumerated() { X[i * q + k] = (design[i * p + j] - means[j]) / scales[j] }
        }

        var beta = [Double](repeating: 0, count: d)
        beta[0] = log(wy / weightSum)
        if let initial {
            guard initial.count == p + 1 else { throw FitError.dimensionMismatch("initial has \(initial.count) values, expected \(p + 1)") }
            beta[0] = initial[0]
            for (k, j) in free.enumerated() { beta[k + 1] = initial[j + 1] }
        }

        let alpha = self.alpha
        func objective(_ b: [Double]) -> Double {
            var ll = 0.0
            X.withUnsafeBufferPointer { xp in
                for i in 0..<n where w[i] > 0 {
                    var eta = b[0]
                    for k in 0..<q { eta += xp[i * q + k] * b[k + 1] }
                    eta = poissonCappedEta(eta)
                    ll += w[i] * (y[i] * eta - exp(eta))
                }
            }
            var pen = 0.0
            for k in 1..<d { pen += b[k] * b[k] }
            return ll - alpha / 2 * pen
        }

        /// Gradient, Hessian (lower triangle filled, then mirrored) and, optionally, the sandwich meat.
        func derivatives(_ b: [Double], meat: Bool = false) -> (g: [Double], H: [Double], B: [Double]) {
            var g = [Double](repeating: 0, count: d)
            var H = [Double](repeating: 0, count: d * d)
            var B = meat ? [Double](repeating: 0, count: d * d) : []
            var row = [Double](repeating: 1, count: d)
            X.withUnsafeBufferPointer { xp in
                H.withUnsafeMutableBufferPointer { hp in
                    row.withUnsafeMutableBufferPointer { r in
                        for i in 0..<n where w[i] > 0 {
                            var eta = b[0]
                            for k in 0..<q { let v = xp[i * q + k]; r[k + 1] = v; eta += v * b[k + 1] }
                            let mu = exp(poissonCappedEta(eta))
                            let resid = w[i] * (y[i] - mu), curv = w[i] * mu
                            for a in 0..<d {
                                g[a] += resid * r[a]
                                let ca = curv * r[a]
                                let base = a * d
                                for c in 0...a { hp[base + c] += ca * r[c] }
                            }
                            if meat {
                                let s2 = resid * resid
                                for a in 0..<d { for c in 0...a { B[a * d + c] += s2 * r[a] * r[c] } }
                            }
                        }
                    }
                }
            }
            for k in 1..<d { g[k] -= alpha * b[k]; H[k * d + k] += alpha }
            for a in 0..<d { for c in 0..<a { H[c * d + a] = H[a * d + c]; if meat { B[c * d + a] = B[a * d + c] } } }
            return (g, H, B)
        }

        var f = objective(beta)
        var iterations = 0, converged = false
        while iterations < maxIterations {
            iterations += 1
            let (g, H, _) = derivatives(beta)
            guard let L = Self.cholesky(H, d) else { throw FitError.singularHessian }
            let delta = Self.solve(L, d, g)
            var decrement = 0.0
            for k in 0..<d { decrement += g[k] * delta[k] }
            let small = decrement / 2 <= tolerance * (1 + abs(f))
            var step = 1.0, accepted = false
            var trial = beta
            for _ in 0..<40 {
                for k in 0..<d { trial[k] = beta[k] + step * delta[k] }
                let ft = objective(trial)
                if ft >= f - 1e-12 * (1 + abs(f)) { accepted = true; f = ft; break }
                step /= 2
            }
            if !accepted { converged = small; break }
            let maxChange = (0..<d).map { abs(step * delta[$0]) }.max() ?? 0
            let maxBeta = beta.map(abs).max() ?? 0
            beta = trial
            // Stop after the step that met either criterion (Newton converges quadratically, so that step
            // leaves an error of the order of the criterion squared).
            if small || maxChange <= tolerance * (1 + maxBeta) { converged = true; break }
        }

        let (_, H, B) = derivatives(beta, meat: true)
        guard let L = Self.cholesky(H, d) else { throw FitError.singularHessian }
        var cov = [Double](repeating: 0, count: d * d)
        for c in 0..<d {
            var e = [Double](repeating: 0, count: d); e[c] = 1
            let col = Self.solve(L, d, e)
            for r in 0..<d { cov[r * d + c] = col[r] }
        }
        // Sandwich: cov B cov.
        var tmp = [Double](repeating: 0, count: d * d), sandwich = [Double](repeating: 0, count: d * d)
        for r in 0..<d { for c in 0..<d { var s = 0.0; for k in 0..<d { s += cov[r * d + k] * B[k * d + c] }; tmp[r * d + c] = s } }
        for r in 0..<d { for c in 0..<d { var s = 0.0; for k in 0..<d { s += tmp[r * d + k] * cov[k * d + c] }; sandwich[r * d + c] = s } }

        // Log-likelihood and deviance at the optimum.
        var ll = 0.0, dev = 0.0
        for i in 0..<n where w[i] > 0 {
            var eta = beta[0]
            for k in 0..<q { eta += X[i * q + k] * beta[k + 1] }
            let mu = exp(poissonCappedEta(eta))
            ll += w[i] * (y[i] * log(mu) - mu - lgamma(y[i] + 1))
            dev += w[i] * Self.unitDeviance(y: y[i], mu: mu)
        }
        var pen = 0.0
        for k in 1..<d { pen += beta[k] * beta[k] }

        // Expand back to all p features (aliased at 0 / NaN).
        var coefficients = [Double](repeating: 0, count: p + 1), se = [Double](repeating: .nan, count: p + 1)
        var rse = [Double](repeating: .nan, count: p + 1), fullCov = [Double](repeating: .nan, count: (p + 1) * (p + 1))
        let index = [0] + free.map { $0 + 1 }
        for (a, ia) in index.enumerated() {
            coefficients[ia] = beta[a]
            se[ia] = cov[a * d + a].squareRoot()
            rse[ia] = max(0, sandwich[a * d + a]).squareRoot()
            for (c, ic) in index.enumerated() { fullCov[ia * (p + 1) + ic] = cov[a * d + c] }
        }
        return Fit(names: featureNames, coefficients: coefficients, standardErrors: se, robustStandardErrors: rse,
                   covariance: fullCov, alpha: alpha, standardized: standardize, means: means, scales: scales,
                   aliased: (0..<p).filter { aliasedMask[$0] }.map { featureNames[$0] }, iterations: iterations,
                   converged: converged, logLikelihood: ll, penalizedObjective: ll - alpha / 2 * pen, deviance: dev,
                   rowCount: n, weightSum: weightSum)
    }

    /// The Poisson unit deviance d(y, mu) = 2 (y log(y / mu) - (y - mu)), with 0 log 0 = 0.
    public static func unitDeviance(y: Double, mu: Double) -> Double {
        let m = max(mu, 1e-300)
        return 2 * ((y > 0 ? y * log(y / m) : 0) - (y - m))
    }

    /// Weighted mean deviance sum_i w_i d(y_i, mu_i) / sum_i w_i: an out-of-sample score (lower is better).
    public static func meanDeviance(y: [Double], mu: [Double], weights: [Double]? = nil) -> Double {
        var s = 0.0, ws = 0.0
        for i in y.indices {
            let w = weights?[i] ?? 1
            s += w * unitDeviance(y: y[i], mu: mu[i]); ws += w
        }
        return ws > 0 ? s / ws : .nan
    }

    // MARK: Dense linear algebra (d is tens)

    /// Lower-triangular Cholesky factor of a symmetric d x d matrix, or nil if it is not positive definite.
    static func cholesky(_ A: [Double], _ d: Int) -> [Double]? {
        var L = [Double](repeating: 0, count: d * d)
        var maxDiag = 0.0
        for i in 0..<d { maxDiag = max(maxDiag, abs(A[i * d + i])) }
        for i in 0..<d {
            for j in 0...i {
                var s = A[i * d + j]
                for k in 0..<j { s -= L[i * d + k] * L[j * d + k] }
                if i == j {
                    guard s > 1e-13 * max(1, maxDiag), s.isFinite else { return nil }
                    L[i * d + i] = s.squareRoot()
                } else {
                    L[i * d + j] = s / L[j * d + j]
                }
            }
        }
        return L
    }

    /// Solves L L' x = b.
    static func solve(_ L: [Double], _ d: Int, _ b: [Double]) -> [Double] {
        var z = b
        for i in 0..<d {
            var s = z[i]
            for k in 0..<i { s -= L[i * d + k] * z[k] }
            z[i] = s / L[i * d + i]
        }
        for i in stride(from: d - 1, through: 0, by: -1) {
            var s = z[i]
            for k in (i + 1)..<d { s -= L[k * d + i] * z[k] }
            z[i] = s / L[i * d + i]
        }
        return z
    }
}

/// Caps eta so exp(eta) stays finite.
@inline(__always)
func poissonCappedEta(_ eta: Double) -> Double { Swift.min(eta, 700) }
