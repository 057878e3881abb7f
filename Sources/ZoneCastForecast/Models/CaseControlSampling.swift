import Foundation

/// Case-control (zero-subsampling) design for sparse counts (METHODS.md): keep every row with y > 0 and each
/// zero row independently with probability q, weighting kept zeros by 1/q. The weighted log-likelihood is then
/// an unbiased estimate of the full one (Horvitz & Thompson 1952), so the fitted coefficients estimate the
/// full-data fit, intercept included (no prior-correction needed, unlike unweighted case-control logistic
/// regression; King & Zeng 2001). The draw for a row is a hash of (seed, key), so it is reproducible and does
/// not depend on the order rows are visited in.
public enum CaseControlSampling {
    /// The zero-row keep probability that keeps about `targetZeroRows` of `zeroRows` zeros (at most 1).
    public static func keepProbability(zeroRows: Int, targetZeroRows: Int) -> Double {
        guard zeroRows > 0 else { return 1 }
        return min(1, Double(max(1, targetZeroRows)) / Double(zeroRows))
    }

    /// Whether the zero row identified by `key` is kept at probability `q`.
    @inline(__always)
    public static func keeps(seed: UInt64, key: UInt64, probability q: Double) -> Bool {
        if q >= 1 { return true }
        return uniform(seed: seed, key: key) < q
    }

    /// A uniform in [0, 1) from SplitMix64 of seed and key (Steele, Lea & Flood 2014).
    @inline(__always)
    public static func uniform(seed: UInt64, key: UInt64) -> Double {
        var z = seed &+ key &* 0x9E37_79B9_7F4A_7C15 &+ 0x6A09_E667_F3BC_C909
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) * 0x1.0p-53
    }

    /// Indices and weights of a case-control sample of `y`: all positives, zeros kept with probability q.
    public static func sample(y: [Double], keepProbability q: Double, seed: UInt64) -> (indices: [Int], weights: [Double]) {
        var idx = [Int](), wts = [Double]()
        for i in y.indices {
            if y[i] > 0 { idx.append(i); wts.append(1) }
            else if keeps(seed: seed, key: UInt64(i), probability: q) { idx.append(i); wts.append(q >= 1 ? 1 : 1 / q) }
        }
        return (idx, wts)
    }
}
