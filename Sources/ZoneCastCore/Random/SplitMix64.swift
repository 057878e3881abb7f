/// SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators", OOPSLA): a small,
/// fast generator whose stream depends only on the seed, identical on every machine and Swift version, so
/// permutation tests, bootstrap intervals and samples are reproducible from their seeds. Draw indices with
/// `index(below:)`, not the standard library's `random(in:using:)`, whose algorithm is not promised to stay the same.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in [0, bound) by Lemire's multiply-and-reject method (Lemire 2019, ACM TOMACS 29:1),
    /// unbiased and stable.
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0)
        let s = UInt64(bound)
        var m = next().multipliedFullWidth(by: s)
        if m.low < s {
            let threshold = (0 &- s) % s
            while m.low < threshold { m = next().multipliedFullWidth(by: s) }
        }
        return Int(m.high)
    }
}
