import Foundation

/// Draws from the distributions the generator needs, built only on `SeededGenerator.next()` so they are as
/// reproducible as the generator itself. (The standard library's `Double.random(in:using:)` is avoided because
/// its exact use of the generator's bits is not a documented, stable contract.)
extension SeededGenerator {
    /// Uniform on [0, 1): the top 53 bits of one draw scaled by 2^-53, so every value is exactly representable.
    @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform on (0, 1]: safe to take the logarithm of.
    @inline(__always)
    public mutating func uniformPositive() -> Double {
        1 - uniform()
    }

    /// Uniform on [lower, upper).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * uniform()
    }

    /// Uniform integer in 0..<bound (Lemire's multiply-shift with rejection, unbiased). `bound` must be > 0.
    public mutating func uniformInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// True with probability `p`.
    @inline(__always)
    public mutating func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// Two independent standard normal draws by the Box-Muller transform (Box & Muller 1958). Returning the
    /// pair keeps the generator stateless beyond its RNG words and suits 2-D displacements, which need both.
    public mutating func standardNormalPair() -> (Double, Double) {
        let r = (-2 * log(uniformPositive())).squareRoot()
        let theta = 2 * Double.pi * uniform()
        return (r * cos(theta), r * sin(theta))
    }

    /// One normal draw with the given mean and standard deviation (the pair's second value is discarded).
    public mutating func normal(mean: Double = 0, standardDeviation: Double = 1) -> Double {
        mean + standardDeviation * standardNormalPair().0
    }

    /// Exponential with the given rate (mean 1/rate), by inversion.
    public mutating func exponential(rate: Double) -> Double {
        -log(uniformPositive()) / rate
    }

    /// Poisson with the given mean. Knuth's multiplication method below mean 30 (exact, cost grows with the
    /// mean); above it, Hörmann's PTRS transformed rejection (W. Hörmann 1993, "The transformed rejection method
    /// for generating Poisson random variables", Insurance: Mathematics and Economics 12:39-45), which is exact
    /// and runs in constant expected time.
    public mutating func poisson(mean lambda: Double) -> Int {
        guard lambda > 0, lambda.isFinite else { return 0 }
        if lambda < 30 {
            let limit = exp(-lambda)
            var k = 0
            var product = uniform()
            while product > limit {
                k += 1
                product *= uniform()
            }
            return k
        }
        let slam = lambda.squareRoot()
        let logLambda = log(lambda)
        let b = 0.931 + 2.53 * slam
        let a = -0.059 + 0.02483 * b
        let invAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = uniform() - 0.5
            let v = uniform()
            let us = 0.5 - abs(u)
            let k = floor((2 * a / us + b) * u + lambda + 0.43)
            if us >= 0.07 && v <= vr { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(invAlpha) - log(a / (us * us) + b) <= -lambda + k * logLambda - lgamma(k + 1) {
                return Int(k)
            }
        }
    }
}
