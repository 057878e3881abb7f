import Foundation
import Testing
import ZoneCastForecast
import ZoneCastSynthetic

struct PoissonRegressionTests {
    @Test func givenNoFeatures_whenFittingAtAlphaZero_thenExpInterceptIsTheWeightedMeanAndItsStandardErrorIsOneOverRootSumY() async throws {
        let y: [Double] = [0, 3, 1, 0, 2, 5, 0, 1]
        let w: [Double] = [1, 2, 1, 3, 1, 0.5, 1, 1]
        let fit = try PoissonRegression(alpha: 0).fit(design: [], featureCount: 0, y: y, weights: w)
        let wy = zip(y, w).map { $0 * $1 }.reduce(0, +), ws = w.reduce(0, +)
        #expect(fit.converged)
        #expect(abs(exp(fit.intercept) - wy / ws) < 1e-10)
        // Var(b0) = 1 / sum w mu = 1 / sum w y at the optimum.
        #expect(abs(fit.standardErrors[0] - 1 / wy.squareRoot()) < 1e-10)

        let unweighted = try PoissonRegression(alpha: 0).fit(design: [], featureCount: 0, y: y)
        #expect(abs(unweighted.standardErrors[0] - 1 / y.reduce(0, +).squareRoot()) < 1e-10)
    }

    @Test func givenOneBinaryFeature_whenFittingAtAlphaZero_thenExpSlopeIsTheRatioOfGroupMeans() async throws {
        let x: [Double] = [0, 0, 0, 0, 1, 1, 1, 1, 1]
        let y: [Double] = [1, 0, 2, 1, 4, 3, 6, 2, 5]
        let mean0 = 4.0 / 4, mean1 = 20.0 / 5
        let fit = try PoissonRegression(alpha: 0).fit(design: x, featureCount: 1, y: y, names: ["group"])
        #expect(fit.converged)
        #expect(abs(exp(fit.coefficients[0]) - mean0) < 1e-9)
        #expect(abs(exp(fit.coefficients[1]) - mean1 / mean0) < 1e-9)
        // Closed-form standard error of a log rate ratio: sqrt(1 / n1 + 1 / n0) with n the group totals.
        #expect(abs(fit.standardErrors[1] - (1 / 20.0 + 1 / 4.0).squareRoot()) < 1e-8)
        #expect(abs(fit.predict([1]) - mean1) < 1e-8)

        // Standardised internally: same fitted values, coefficient scaled by the feature's standard deviation.
        let std = try PoissonRegression(alpha: 0, standardize: true).fit(design: x, featureCount: 1, y: y, names: ["group"])
        let sd = ((5.0 / 9) * (4.0 / 9)).squareRoot()
        #expect(abs(std.coefficients[1] - fit.coefficients[1] * sd) < 1e-8)
        #expect(abs(std.rawCoefficients[1] - fit.coefficients[1]) < 1e-8)
        #expect(abs(std.rawCoefficients[0] - fit.coefficients[0]) < 1e-8)
        #expect(abs(std.standardErrors[1] - fit.standardErrors[1] * sd) < 1e-7)
        #expect(std.names == ["group"])
    }

    @Test func givenASmallRandomProblem_whenFitting_thenItMatchesABruteForceOptimum() async throws {
        var rng = SeededGenerator(seed: 11)
        let n = 60, p = 2, alpha = 0.7
        var X = [Double](), y = [Double]()
        for _ in 0..<n {
            let a = rng.normal(), b = rng.uniform(-1, 1)
            X += [a, b]
            y.append(Double(rng.poisson(mean: exp(0.3 + 0.5 * a - 0.8 * b))))
        }
        let fit = try PoissonRegression(alpha: alpha).fit(design: X, featureCount: p, y: y)
        #expect(fit.converged)

        func objective(_ beta: [Double]) -> Double {
            var s = 0.0
            for i in 0..<n {
                let eta = beta[0] + beta[1] * X[i * p] + beta[2] * X[i * p + 1]
                s += y[i] * eta - exp(eta)
            }
            return s - alpha / 2 * (beta[1] * beta[1] + beta[2] * beta[2])
        }
        // Brute force: cyclic coordinate golden-section search, many sweeps.
        var beta = [0.0, 0.0, 0.0]
        let phi = (5.0.squareRoot() - 1) / 2
        for _ in 0..<300 {
            for j in 0..<3 {
                var lo = beta[j] - 2, hi = beta[j] + 2
                for _ in 0..<80 {
                    let a = hi - phi * (hi - lo), b = lo + phi * (hi - lo)
                    var ba = beta, bb = beta
                    ba[j] = a; bb[j] = b
                    if objective(ba) > objective(bb) { hi = b } else { lo = a }
                }
                beta[j] = (lo + hi) / 2
            }
        }
        for j in 0..<3 { #expect(abs(fit.coefficients[j] - beta[j]) < 1e-5, "coefficient \(j): \(fit.coefficients[j]) vs \(beta[j])") }
        #expect(objective(fit.coefficients) >= objective(beta) - 1e-9)
    }

    @Test func givenDuplicatedRows_whenFitting_thenItEqualsWeightTwo() async throws {
        var rng = SeededGenerator(seed: 5)
        var X = [Double](), y = [Double](), w = [Double]()
        var Xd = [Double](), yd = [Double]()
        for i in 0..<40 {
            let a = rng.normal(), b = rng.normal()
            let yi = Double(rng.poisson(mean: exp(0.2 + 0.4 * a)))
            X += [a, b]; y.append(yi)
            let dup = i % 3 == 0
            w.append(dup ? 2 : 1)
            Xd += [a, b]; yd.append(yi)
            if dup { Xd += [a, b]; yd.append(yi) }
        }
        for standardize in [false, true] {
            let reg = PoissonRegression(alpha: 0.5, standardize: standardize)
            let weighted = try reg.fit(design: X, featureCount: 2, y: y, weights: w)
            let duplicated = try reg.fit(design: Xd, featureCount: 2, y: yd)
            for j in 0..<3 {
                #expect(abs(weighted.coefficients[j] - duplicated.coefficients[j]) < 1e-9)
                #expect(abs(weighted.standardErrors[j] - duplicated.standardErrors[j]) < 1e-9)
            }
            #expect(abs(weighted.logLikelihood - duplicated.logLikelihood) < 1e-8)
        }
    }

    @Test func givenARidgePenalty_whenAlphaGrows_thenSlopesShrinkButTheInterceptMatchesTheMeanAtZeroSlopes() async throws {
        let x: [Double] = [0, 0, 0, 1, 1, 1]
        let y: [Double] = [0, 1, 1, 3, 4, 5]
        var last = Double.infinity
        for alpha in [0.0, 1, 10, 100, 1e6] {
            let fit = try PoissonRegression(alpha: alpha).fit(design: x, featureCount: 1, y: y)
            #expect(fit.coefficients[1] < last && fit.coefficients[1] > 0)
            last = fit.coefficients[1]
        }
        let huge = try PoissonRegression(alpha: 1e9).fit(design: x, featureCount: 1, y: y)
        #expect(abs(exp(huge.intercept) - 14.0 / 6) < 1e-4)
    }

    @Test func givenAConstantFeature_whenStandardising_thenItIsAliasedAtZero() async throws {
        let X: [Double] = [1, 3, 2, 3, 3, 3, 4, 3]   // second column constant
        let y: [Double] = [0, 1, 2, 4]
        let fit = try PoissonRegression(alpha: 0, standardize: true).fit(design: X, featureCount: 2, y: y, names: ["a", "const"])
        #expect(fit.aliased == ["const"])
        #expect(fit.coefficients[2] == 0)
        #expect(fit.standardErrors[2].isNaN)
        #expect(fit.converged)
    }

    @Test func givenBadInput_whenFitting_thenItThrows() async {
        #expect(throws: PoissonRegression.FitError.noPositiveResponse) {
            try PoissonRegression().fit(design: [1, 2], featureCount: 1, y: [0, 0])
        }
        #expect(throws: PoissonRegression.FitError.self) {
            try PoissonRegression().fit(design: [1, 2, 3], featureCount: 1, y: [0, 1])
        }
        #expect(throws: PoissonRegression.FitError.singularHessian) {
            try PoissonRegression(alpha: 0).fit(design: [1, 1, 2, 2, 3, 3], featureCount: 2, y: [1, 2, 3])
        }
    }

    @Test func givenCaseControlSampling_whenFittingTheSample_thenItApproximatesTheFullFit() async throws {
        var rng = SeededGenerator(seed: 99)
        let n = 20_000
        var X = [Double](), y = [Double]()
        for _ in 0..<n {
            let a = rng.normal()
            X.append(a)
            y.append(Double(rng.poisson(mean: exp(-4 + 0.8 * a))))
        }
        let full = try PoissonRegression(alpha: 0).fit(design: X, featureCount: 1, y: y)
        let q = CaseControlSampling.keepProbability(zeroRows: y.filter { $0 == 0 }.count, targetZeroRows: 4_000)
        let (idx, w) = CaseControlSampling.sample(y: y, keepProbability: q, seed: 1)
        #expect(idx.count < 5_000)
        #expect(idx.filter { y[$0] > 0 }.count == y.filter { $0 > 0 }.count)
        let sampled = try PoissonRegression(alpha: 0).fit(design: idx.map { X[$0] }, featureCount: 1, y: idx.map { y[$0] }, weights: w)
        #expect(abs(sampled.coefficients[0] - full.coefficients[0]) < 0.1)
        #expect(abs(sampled.coefficients[1] - full.coefficients[1]) < 0.1)
        #expect(abs(sampled.weightSum - Double(n)) / Double(n) < 0.05)
        // The same seed draws the same sample.
        #expect(CaseControlSampling.sample(y: y, keepProbability: q, seed: 1).indices == idx)
    }

    @Test func givenAPoissonMean_whenScoringDeviance_thenPerfectPredictionsScoreZero() async {
        #expect(PoissonRegression.unitDeviance(y: 3, mu: 3) == 0)
        #expect(abs(PoissonRegression.unitDeviance(y: 0, mu: 0.5) - 1) < 1e-12)
        #expect(PoissonRegression.meanDeviance(y: [0, 2], mu: [0.5, 2], weights: [2, 2]) == 0.5)
    }
}
