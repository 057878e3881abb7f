import Foundation
public import ZoneCastCore

/// Co-location quotient (Leslie & Kronenfeld 2011, Geographical Analysis 43:306):
///
///   CLQ(A -> B) = (N_AB / N_A) / (N'_B / (N - 1)),   N'_B = N_B, or N_B - 1 when A = B,
///
/// where N_AB counts A points whose nearest neighbour (other than themselves) is a B point. With several nearest
/// neighbours at the same distance, each counts for its share (the authors' fractional rule). CLQ > 1: B is found
/// next to A more often than the overall mix of points predicts. Significance by permuting category labels
/// among all points (a one-sided p-value for attraction, with the +1 correction of Davison & Hinkley 1997).
public struct CoLocationAnalysis: Sendable {
    public struct Pair: Hashable, Sendable, Codable {
        public var from: HarmCategory
        public var to: HarmCategory
        public var quotient: Double
        public var pValueAttraction: Double
        public var pointsFrom: Int
        public var pointsTo: Int
    }

    public let categories: [HarmCategory]
    public let pairs: [Pair]

    /// Computes CLQ for every ordered pair of categories present, with `permutations` label shuffles.
    public init(events: EventSet, permutations: Int = 99, seed: UInt64 = 1) {
        let present = Array(Set(events.category)).sorted()
        categories = present
        guard events.count >= 2, !present.isEmpty else { pairs = []; return }
        let labelIndex = Dictionary(uniqueKeysWithValues: present.enumerated().map { ($1, $0) })
        let labels = events.category.map { labelIndex[$0]! }
        let neighbours = NearestNeighbours(x: events.x, y: events.y)
        let k = present.count
        let observed = Self.quotients(labels: labels, neighbours: neighbours, k: k)
        var exceed = [Int](repeating: 0, count: k * k)
        var rng = SplitMix64(seed: seed)
        var shuffled = labels
        for _ in 0..<max(0, permutations) {
            shuffled.shuffle(using: &rng)
            let q = Self.quotients(labels: shuffled, neighbours: neighbours, k: k)
            for i in 0..<(k * k) where q[i] >= observed[i] - 1e-12 { exceed[i] += 1 }
        }
        var counts = [Int](repeating: 0, count: k)
        for l in labels { counts[l] += 1 }
        var out: [Pair] = []
        for a in 0..<k { for b in 0..<k {
            out.append(Pair(from: present[a], to: present[b], quotient: observed[a * k + b],
                            pValueAttraction: Double(1 + exceed[a * k + b]) / Double(1 + max(0, permutations)),
                            pointsFrom: counts[a], pointsTo: counts[b]))
        }}
        pairs = out
    }

    public func pair(_ a: HarmCategory, _ b: HarmCategory) -> Pair? { pairs.first { $0.from == a && $0.to == b } }

    static func quotients(labels: [Int], neighbours: NearestNeighbours, k: Int) -> [Double] {
        let n = labels.count
        var counts = [Int](repeating: 0, count: k)
        for l in labels { counts[l] += 1 }
        var nab = [Double](repeating: 0, count: k * k)
        for i in 0..<n {
            let nn = neighbours.nearest[i]
            guard !nn.isEmpty else { continue }
            let share = 1 / Double(nn.count)
            for j in nn { nab[labels[i] * k + labels[j]] += share }
        }
        var q = [Double](repeating: 0, count: k * k)
        for a in 0..<k where counts[a] > 0 {
            for b in 0..<k {
                let others = Double(a == b ? counts[b] - 1 : counts[b])
                guard others > 0 else { continue }
                q[a * k + b] = (nab[a * k + b] / Double(counts[a])) / (others / Double(n - 1))
            }
        }
        return q
    }
}

/// Each point's nearest other points (all of them when tied), found through a bucket grid whose search grows
/// ring by ring until no closer point can remain. Computed once; permutations only relabel.
struct NearestNeighbours: Sendable {
    let nearest: [[Int]]

    init(x: [Double], y: [Double]) {
        let n = x.count
        guard n > 1 else { nearest = Array(repeating: [], count: n); return }
        let minX = x.min()!, maxX = x.max()!, minY = y.min()!, maxY = y.max()!
        let span = max(maxX - minX, maxY - minY, 1)
        let cell = max(span / (Double(n).squareRoot() + 1), 1e-6)
        let cols = Int((maxX - minX) / cell) + 1, rows = Int((maxY - minY) / cell) + 1
        var buckets = [[Int]](repeating: [], count: cols * rows)
        func bucket(_ i: Int) -> (Int, Int) { (Int((x[i] - minX) / cell), Int((y[i] - minY) / cell)) }
        for i in 0..<n { let (c, r) = bucket(i); buckets[r * cols + c].append(i) }
        var result = [[Int]](repeating: [], count: n)
        for i in 0..<n {
            let (c0, r0) = bucket(i)
            var best = Double.infinity
            var found: [Int] = []
            var ring = 0
            while true {
                for r in (r0 - ring)...(r0 + ring) where r >= 0 && r < rows {
                    for c in (c0 - ring)...(c0 + ring) where c >= 0 && c < cols {
                        guard abs(r - r0) == ring || abs(c - c0) == ring else { continue }
                        for j in buckets[r * cols + c] where j != i {
                            let d = (x[j] - x[i]) * (x[j] - x[i]) + (y[j] - y[i]) * (y[j] - y[i])
                            if d < best - 1e-12 { best = d; found = [j] } else if abs(d - best) <= 1e-12 { found.append(j) }
                        }
                    }
                }
                // Every point in rings beyond this one is at least `ring * cell` away.
                let reach = Double(ring) * cell
                if !found.isEmpty && reach * reach >= best { break }
                if ring > cols + rows { break }
                ring += 1
            }
            result[i] = found.sorted()
        }
        nearest = result
    }
}
