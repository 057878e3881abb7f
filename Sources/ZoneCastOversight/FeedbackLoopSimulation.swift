import Foundation
import ZoneCastCore

/// The runaway feedback loop of predictive policing (Ensign, Friedler, Neville, Scheidegger & Venkatasubramanian,
/// "Runaway Feedback Loops in Predictive Policing", FAT* 2018, PMLR 81:160-171), simulated on an abstract city of a
/// few places with known true incident rates.
///
/// Each day:
/// 1. patrols go to the `patrols` places with the highest estimate (ties broken by a seeded random order);
/// 2. every place `r` has `N_r ~ Poisson(λ_r)` true incidents;
/// 3. the estimate is updated with what the department *observes*:
///    - `.discovered` (police-initiated records: drug possession, weapons, stops): each incident is found with
///      probability `discoveryProbability`, but **only where a patrol is** (`Binomial(N_r, d)` if patrolled, else 0);
///    - `.reported` (victim-reported harm: shootings, assaults, 911 calls, hospitals): each incident is reported with
///      probability `reportingProbability` **wherever it happens** (`Binomial(N_r, p)`), patrol or not.
///
/// With discovered inputs the estimate grows only where patrols already are, so the place that got the first
/// patrols keeps them whatever the true rates (Ensign et al.'s Pólya-urn argument, in its greedy "top place" form).
/// With reported inputs the cumulative counts grow at `p·λ_r` everywhere, so by the law of large numbers the ranking
/// converges to the true ranking and patrols follow the true rates. This is why ZoneCast leaves police-initiated
/// categories out of forecasts by default (METHODS.md, "Runaway feedback loops").
///
/// Deterministic: the only randomness is a `SplitMix64` seeded by the caller.
public struct FeedbackLoopSimulation: Hashable, Sendable, Codable {
    public enum Input: String, Hashable, Sendable, Codable, CaseIterable {
        /// Police-discovered incidents: observed only where patrols are.
        case discovered
        /// Victim-reported harm: observed everywhere at its true rate (times a reporting probability).
        case reported
    }

    /// True incidents per day in each place (λ_r ≥ 0).
    public var trueRates: [Double]
    public var days: Int
    /// Places patrolled each day (the top ones by estimate).
    public var patrols: Int
    public var discoveryProbability: Double
    public var reportingProbability: Double
    /// The estimate before day 1 (recorded history), one per place; e.g. a head start where patrols used to be.
    public var initialEstimates: [Double]

    public init(trueRates: [Double], days: Int = 365, patrols: Int = 1, discoveryProbability: Double = 0.5,
                reportingProbability: Double = 0.5, initialEstimates: [Double]? = nil) {
        precondition(!trueRates.isEmpty && trueRates.allSatisfy { $0 >= 0 && $0.isFinite }, "trueRates: one finite rate ≥ 0 per place")
        precondition(days > 0, "days must be positive")
        precondition(patrols >= 1 && patrols < trueRates.count, "patrols must be between 1 and the number of places - 1")
        precondition((0...1).contains(discoveryProbability) && (0...1).contains(reportingProbability), "probabilities must be in [0, 1]")
        precondition(initialEstimates == nil || initialEstimates!.count == trueRates.count, "initialEstimates needs one value per place")
        self.trueRates = trueRates
        self.days = days
        self.patrols = patrols
        self.discoveryProbability = discoveryProbability
        self.reportingProbability = reportingProbability
        self.initialEstimates = initialEstimates ?? Array(repeating: 0, count: trueRates.count)
    }

    public struct Result: Hashable, Sendable, Codable {
        public var input: Input
        public var seed: UInt64
        /// Days each place was patrolled.
        public var patrolDays: [Int]
        /// Incidents that truly happened in each place over the run.
        public var trueIncidents: [Int]
        /// Incidents the department observed (and fed to the estimate) in each place.
        public var observedIncidents: [Int]
        /// Places patrolled on day 1 and on the last day.
        public var firstPatrolled: [Int]
        public var lastPatrolled: [Int]
        /// Share of patrol days at the places with the highest true rates (the top `patrols` places by λ).
        public var shareAtHighestTrueRate: Double
        /// Share of patrol days at the places patrolled on day 1.
        public var shareAtFirstPatrolled: Double
        /// Cumulative share of patrol days at the highest-true-rate places after each day (for charts).
        public var shareAtHighestOverTime: [Double]

        public var patrolShare: [Double] {
            let total = Double(patrolDays.reduce(0, +))
            return patrolDays.map { total > 0 ? Double($0) / total : 0 }
        }
    }

    /// The places with the highest true rates (as many as there are patrols); ties go to the lower index.
    public var highestTrueRatePlaces: Set<Int> {
        Set(trueRates.indices.sorted { trueRates[$0] != trueRates[$1] ? trueRates[$0] > trueRates[$1] : $0 < $1 }.prefix(patrols))
    }

    public func run(_ input: Input, seed: UInt64) -> Result {
        var rng = SplitMix64(seed: seed)
        let n = trueRates.count
        var estimate = initialEstimates
        var patrolDays = [Int](repeating: 0, count: n), truth = [Int](repeating: 0, count: n), observed = [Int](repeating: 0, count: n)
        let best = highestTrueRatePlaces
        var first: [Int] = [], last: [Int] = []
        var atBest = 0, atFirst = 0
        var overTime: [Double] = []
        overTime.reserveCapacity(days)
        for day in 0..<days {
            // A fresh random tie-break order each day, then the top `patrols` places by estimate.
            var order = Array(0..<n)
            for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, rng.index(below: i + 1)) }
            var tieRank = [Int](repeating: 0, count: n)
            for (k, place) in order.enumerated() { tieRank[place] = k }
            let patrolled = (0..<n).sorted { (i: Int, j: Int) -> Bool in estimate[i] != estimate[j] ? estimate[i] > estimate[j] : tieRank[i] < tieRank[j] }
                .prefix(patrols)
            let patrolledSet = Set(patrolled)
            if day == 0 { first = patrolled.sorted() }
            if day == days - 1 { last = patrolled.sorted() }
            for r in patrolled {
                patrolDays[r] += 1
                if best.contains(r) { atBest += 1 }
                if first.contains(r) { atFirst += 1 }
            }
            for r in 0..<n {
                let happened = Self.poisson(trueRates[r], &rng)
                truth[r] += happened
                let seen: Int
                switch input {
                case .discovered: seen = patrolledSet.contains(r) ? Self.binomial(happened, discoveryProbability, &rng) : 0
                case .reported: seen = Self.binomial(happened, reportingProbability, &rng)
                }
                observed[r] += seen
                estimate[r] += Double(seen)
            }
            overTime.append(Double(atBest) / Double((day + 1) * patrols))
        }
        let total = Double(days * patrols)
        return Result(input: input, seed: seed, patrolDays: patrolDays, trueIncidents: truth, observedIncidents: observed,
                      firstPatrolled: first, lastPatrolled: last, shareAtHighestTrueRate: Double(atBest) / total,
                      shareAtFirstPatrolled: Double(atFirst) / total, shareAtHighestOverTime: overTime)
    }

    /// The explanatory scenario the oversight page shows: five places, the historically patrolled one (a head start
    /// of `headStart` recorded incidents) is not the one with the highest true rate.
    public static func standard(days: Int = 365) -> FeedbackLoopSimulation {
        FeedbackLoopSimulation(trueRates: [1.0, 2.0, 1.5, 1.2, 0.8], days: days, patrols: 1, discoveryProbability: 0.5,
                               reportingProbability: 0.5, initialEstimates: [3, 0, 0, 0, 0])
    }

    /// A uniform double in [0, 1) from the top 53 bits.
    static func uniform(_ rng: inout SplitMix64) -> Double { Double(rng.next() >> 11) * 0x1p-53 }

    /// Poisson(λ) by Knuth's multiplication method (fine for the small daily rates used here; λ is capped at 50
    /// per call by splitting larger rates into sums, so e^-λ never underflows).
    static func poisson(_ lambda: Double, _ rng: inout SplitMix64) -> Int {
        guard lambda > 0 else { return 0 }
        if lambda > 50 { return poisson(50, &rng) + poisson(lambda - 50, &rng) }
        let limit = Foundation.exp(-lambda)
        var k = 0
        var p = uniform(&rng)
        while p > limit {
            k += 1
            p *= uniform(&rng)
        }
        return k
    }

    static func binomial(_ n: Int, _ p: Double, _ rng: inout SplitMix64) -> Int {
        guard n > 0, p > 0 else { return 0 }
        var k = 0
        for _ in 0..<n where uniform(&rng) < p { k += 1 }
        return k
    }
}
