/// The combination stage of `ZoneOptimizer`: candidate zones from seeds, a beam over partial plans, and a polish
/// that re-optimises each zone with the others fixed. Works in cell indices; `ZoneOptimizer` turns the result
/// into `Zone`s.
struct PlanSearch {
    struct Candidate: Hashable {
        /// Ascending cell indices.
        var cells: [Int]
        var value: Double
    }

    private struct Partial {
        var zones: [Candidate]
        var total: Double
        /// Canonical identity (zones' cells, sorted), so the beam never keeps one plan twice in other orders.
        var key: [[Int]] { zones.map(\.cells).sorted { $0.lexicographicallyPrecedes($1) } }
    }

    var grower: ZoneGrower
    /// Seed candidates in ranking order (usable ignoring other zones).
    let pool: [Int]
    let fixed: [[Int]]
    let cap: Int
    let settings: ZoneSearchSettings
    /// Zone grown from a seed with only the fixed zones in place; still valid wherever it avoids the cells
    /// forbidden by the other zones, so deeper beam levels rarely regrow.
    private var cache: [Int: Candidate] = [:]

    init(grower: ZoneGrower, pool: [Int], fixed: [[Int]], cap: Int, settings: ZoneSearchSettings) {
        self.grower = grower
        self.pool = pool
        self.fixed = fixed
        self.cap = cap
        self.settings = settings
    }

    static func better(_ a: Candidate, _ b: Candidate) -> Bool {
        a.value != b.value ? a.value > b.value : a.cells.lexicographicallyPrecedes(b.cells)
    }

    /// A candidate with its value summed afresh in ascending cell order, so equal sets always compare equal.
    private func exact(_ cells: [Int]) -> Candidate {
        let sorted = cells.sorted()
        return Candidate(cells: sorted, value: sorted.reduce(0) { $0 + grower.values[$1] })
    }

    private mutating func grown(from seed: Int) -> Candidate {
        grower.grow(seed: seed, cap: cap)
        grower.improve(cap: cap)
        grower.trim()
        return exact(grower.cells)
    }

    /// Distinct candidate zones, best first, that keep the separation from `others` (and the fixed zones).
    /// Leaves the grower's context set to those zones.
    mutating func candidates(others: [[Int]]) -> [Candidate] {
        grower.setContext(forbiddenBy: fixed + others)
        var covered = Set<Int>()
        var seen = Set<[Int]>()
        var out: [Candidate] = []
        var taken = 0
        for seed in pool where taken < settings.denseSeeds + settings.seedsPerZone {
            if grower.isBlocked(seed) || (taken >= settings.denseSeeds && covered.contains(seed)) { continue }
            taken += 1
            let candidate: Candidate
            if let c = cache[seed], grower.avoidsBlocked(c.cells) {
                candidate = c
            } else {
                candidate = grown(from: seed)
                if others.isEmpty { cache[seed] = candidate }
            }
            covered.formUnion(candidate.cells)
            if seen.insert(candidate.cells).inserted { out.append(candidate) }
        }
        return out.sorted(by: Self.better)
    }

    /// The best plan of up to `slots` zones found.
    mutating func run(slots: Int) -> [Candidate] {
        guard slots > 0, !pool.isEmpty else { return [] }
        var beam = [Partial(zones: [], total: 0)]
        var best = beam[0]
        for _ in 0..<slots {
            var children: [Partial] = []
            var keys = Set<[[Int]]>()
            for state in beam {
                for c in candidates(others: state.zones.map(\.cells)).prefix(settings.branching) {
                    let child = Partial(zones: state.zones + [c], total: state.total + c.value)
                    if keys.insert(child.key).inserted { children.append(child) }
                }
            }
            if children.isEmpty { break }
            children.sort { a, b in
                a.total != b.total ? a.total > b.total : a.key.lexicographicallyPrecedes(b.key) { $0.lexicographicallyPrecedes($1) }
            }
            beam = Self.diverse(children, width: settings.beamWidth)
            if beam[0].total > best.total { best = beam[0] }
        }
        return polish(best.zones)
    }

    /// The best `width` partial plans, but at most two of any group of *similar* plans (every zone of one
    /// overlaps a zone of the other): otherwise shifted variants of the zone on the hottest spot fill the beam,
    /// and the plans that leave that spot's neighbourhood to a second zone are never extended.
    private static func diverse(_ sorted: [Partial], width: Int) -> [Partial] {
        func overlaps(_ a: [Int], _ b: [Int]) -> Bool {
            var i = 0, j = 0
            while i < a.count, j < b.count {
                if a[i] == b[j] { return true }
                if a[i] < b[j] { i += 1 } else { j += 1 }
            }
            return false
        }
        func similar(_ x: Partial, _ y: Partial) -> Bool {
            x.zones.count == y.zones.count
                && x.zones.allSatisfy { z in y.zones.contains { overlaps(z.cells, $0.cells) } }
                && y.zones.allSatisfy { z in x.zones.contains { overlaps(z.cells, $0.cells) } }
        }
        var kept: [Partial] = [], deferred: [Partial] = []
        for p in sorted where kept.count < width {
            if kept.filter({ similar($0, p) }).count < 2 { kept.append(p) } else { deferred.append(p) }
        }
        // Fill any room left with the best of the rest.
        for p in deferred where kept.count < width { kept.append(p) }
        return kept.sorted { a, b in
            a.total != b.total ? a.total > b.total : a.key.lexicographicallyPrecedes(b.key) { $0.lexicographicallyPrecedes($1) }
        }
    }

    /// Re-optimises each zone with the others fixed: the best fresh candidate or a ruin-and-regrow of the current
    /// zone replaces it when it captures more. Stops after a round without a change.
    private mutating func polish(_ start: [Candidate]) -> [Candidate] {
        var zones = start
        for _ in 0..<settings.polishRounds {
            var changed = false
            for i in zones.indices {
                let others = zones.indices.filter { $0 != i }.map { zones[$0].cells }
                let fresh = candidates(others: others)
                var best = zones[i]
                for c in [zones[i]] + fresh.prefix(settings.intensifiedCandidates) {
                    grower.load(c.cells)
                    grower.improve(cap: cap)
                    grower.intensify(cap: cap, passes: 2)
                    grower.trim()
                    let improved = exact(grower.cells)
                    if Self.better(improved, best) { best = improved }
                }
                if let top = fresh.first, Self.better(top, best) { best = top }
                if best.value > zones[i].value * (1 + 1e-12) {
                    zones[i] = best
                    changed = true
                }
            }
            if !changed { break }
        }
        return zones.sorted(by: Self.better)
    }
}
