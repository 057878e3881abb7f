public import Foundation
import ZoneCastCore
public import ZoneCastOperations

/// Optional evaluation mode: among a cycle's top candidate zones, which get patrols is decided by a seeded random
/// draw and recorded with the seed, so the department can measure the effect honestly (as in Mohler et al. 2015's
/// randomised field trial, J. Am. Stat. Assoc. 110:1399, where control days used analysts' hot spots instead).
///
/// The draw is a Fisher-Yates shuffle of the candidates (in the order given) with `SplitMix64(seed)` and
/// `index(below:)`; the first `treatedCount` are treated. Anyone with the seed and the candidates recomputes it.
public struct RandomisedAssignment: Hashable, Sendable, Codable {
    public var cycleID: String
    public var seed: UInt64
    public var candidates: [String]
    public var treated: [String]
    public var control: [String]

    public static func assign(cycleID: String, candidates: [String], treatedCount: Int, seed: UInt64) throws(EquityError) -> RandomisedAssignment {
        guard candidates.count >= 2 else { throw EquityError("candidates: \(candidates.count) candidate zone(s); randomising needs at least 2") }
        guard Set(candidates).count == candidates.count else { throw EquityError("candidates: the zone ids repeat") }
        guard (1..<candidates.count).contains(treatedCount) else {
            throw EquityError("treated: \(treatedCount) is not between 1 and \(candidates.count - 1) (some candidates must stay untreated)")
        }
        var order = candidates
        var rng = SplitMix64(seed: seed)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.index(below: i + 1)) }
        let treatedSet = Set(order.prefix(treatedCount))
        return RandomisedAssignment(cycleID: cycleID, seed: seed, candidates: candidates,
                                    treated: candidates.filter(treatedSet.contains), control: candidates.filter { !treatedSet.contains($0) })
    }
}

/// A recorded assignment with the candidates' cells (so outcomes can be counted later even if the cycle changes).
public struct RandomisedAssignmentRecord: StoredDocument, Hashable {
    public static let kind = "randomised-assignment"
    public var id: String { assignment.cycleID }
    public var group: String { "" }
    public var recordedAt: Date
    public var recordedBy: String
    public var assignment: RandomisedAssignment
    /// Grid cells of each candidate zone, by zone id.
    public var cells: [String: [Int]]

    public init(recordedAt: Date, recordedBy: String, assignment: RandomisedAssignment, cells: [String: [Int]]) {
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.assignment = assignment
        self.cells = cells
    }
}

/// Treated against untreated candidates. Each unit is one candidate zone in one cycle, with its incident counts in a
/// period before the cycle (`beforeDays` long) and during it (`duringDays`). The outcome of a unit is its change,
/// scaled to the cycle's length: `y = during − before · duringDays / beforeDays`. Randomisation makes
/// `effect = mean_treated(y) − mean_control(y)` an unbiased estimate of the patrols' effect on the count per zone
/// and cycle (negative: fewer incidents where patrols went). The 95 % interval is Welch's normal approximation
/// `effect ± 1.96 √(s²_t/n_t + s²_c/n_c)` (sample variances), reported only with at least two units in each group;
/// with few units it is wide, as it should be.
public struct RandomisedComparison: Hashable, Sendable, Codable {
    public struct Unit: Hashable, Sendable, Codable {
        public var cycleID: String
        public var zoneID: String
        public var treated: Bool
        public var before: Int
        public var during: Int
        public var beforeDays: Double
        public var duringDays: Double
        public init(cycleID: String, zoneID: String, treated: Bool, before: Int, during: Int, beforeDays: Double, duringDays: Double) {
            self.cycleID = cycleID
            self.zoneID = zoneID
            self.treated = treated
            self.before = before
            self.during = during
            self.beforeDays = beforeDays
            self.duringDays = duringDays
        }
        public var change: Double { Double(during) - (beforeDays > 0 ? Double(before) * duringDays / beforeDays : 0) }
    }

    public struct Group: Hashable, Sendable, Codable {
        public var units: Int
        public var before: Int
        public var during: Int
        public var meanChange: Double?
        public var variance: Double?
    }

    public var units: [Unit]
    public var treated: Group
    public var control: Group
    public var effect: Double?
    public var low: Double?
    public var high: Double?

    public static func compare(_ units: [Unit]) -> RandomisedComparison {
        func group(_ us: [Unit]) -> Group {
            let ys = us.map(\.change)
            let mean = ys.isEmpty ? nil : ys.reduce(0, +) / Double(ys.count)
            let variance: Double? = ys.count >= 2 ? ys.map { ($0 - mean!) * ($0 - mean!) }.reduce(0, +) / Double(ys.count - 1) : nil
            return Group(units: us.count, before: us.map(\.before).reduce(0, +), during: us.map(\.during).reduce(0, +), meanChange: mean, variance: variance)
        }
        let t = group(units.filter(\.treated)), c = group(units.filter { !$0.treated })
        var effect: Double?, low: Double?, high: Double?
        if let mt = t.meanChange, let mc = c.meanChange {
            effect = mt - mc
            if let vt = t.variance, let vc = c.variance {
                let se = (vt / Double(t.units) + vc / Double(c.units)).squareRoot()
                low = mt - mc - 1.96 * se
                high = mt - mc + 1.96 * se
            }
        }
        return RandomisedComparison(units: units, treated: t, control: c, effect: effect, low: low, high: high)
    }
}
