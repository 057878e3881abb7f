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
    /// A second grower for the zone that grows alongside in pair regrowth.
    var partner: ZoneGrower
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
        partner = grower
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
        return polish(best.zones, slots: slots)
    }

    /// Pair regrowth: zone `i` and zone `j` (or a new zone when `j` is nil) are regrown side by side, taking
    /// turns to add their best cell, each forbidding its new cells' neighbourhood to the other; then both are
    /// hill-climbed. Zone `i` starts from its best cells; its partner from zone `j`'s best cell or from the best
    /// cells that zone `i`'s separation currently blocks. This is the move sequential choice cannot make: shrink
    /// or shift the zone on a hot spot so a second zone fits beside it. Kept when the pair captures more.
    private mutating func regrowPair(_ zones: inout [Candidate], _ i: Int, _ j: Int?) -> Bool {
        let others = fixed + zones.indices.filter { $0 != i && $0 != j }.map { zones[$0].cells }
        let current = zones[i].value + (j.map { zones[$0].value } ?? 0)
        let values = grower.values
        func byValue(_ a: Int, _ b: Int) -> Bool { values[a] != values[b] ? values[a] > values[b] : a < b }
        let seedsA = Array(zones[i].cells.sorted(by: byValue).prefix(settings.pairSeeds))
        grower.setContext(forbiddenBy: others)
        partner.setContext(forbiddenBy: others + [zones[i].cells])
        var seedsB = j.map { Array(zones[$0].cells.sorted(by: byValue).prefix(1)) } ?? []
        for c in pool where seedsB.count < settings.pairSeeds + 1 {
            if !grower.isBlocked(c), partner.isBlocked(c), !seedsB.contains(c), zones[i].cells.binarySearchContains(c) == false {
                seedsB.append(c)
            }
        }
        var best: (a: Candidate, b: Candidate)?
        // Each trial starts from the same context: set once, put back before each trial (`restoreContext`).
        grower.setContext(forbiddenBy: others)
        partner.setContext(forbiddenBy: others)
        let (context, partnerContext) = (grower.saveContext(), partner.saveContext())
        defer {
            grower.discardSavedContext()
            partner.discardSavedContext()
        }
        for a in seedsA {
            for b in seedsB where a != b {
                for bFirst in [false, true] {
                    grower.restoreContext(context)
                    partner.restoreContext(partnerContext)
                    grower.forbid(around: [b])
                    partner.forbid(around: [a])
                    if grower.isBlocked(a) || partner.isBlocked(b) { continue }
                    grower.start(seed: a)
                    partner.start(seed: b)
                    var aDone = false, bDone = false, turnB = bFirst
                    while !(aDone && bDone) {
                        if turnB, !bDone {
                            let n = partner.cells.count
                            if partner.step(cap: cap) { grower.forbid(around: partner.cells[n...]) } else { bDone = true }
                        } else if !turnB, !aDone {
                            let n = grower.cells.count
                            if grower.step(cap: cap) { partner.forbid(around: grower.cells[n...]) } else { aDone = true }
                        }
                        turnB.toggle()
                    }
                    grower.improve(cap: cap)
                    grower.trim()
                    partner.forbid(around: grower.cells)
                    partner.improve(cap: cap)
                    partner.trim()
                    let pa = exact(grower.cells), pb = exact(partner.cells)
                    if pa.value + pb.value > (best.map { $0.a.value + $0.b.value } ?? current) * (1 + 1e-12) {
                        best = (pa, pb)
                    }
                }
            }
        }
        guard let found = best else { return false }
        zones[i] = found.a
        if let j { zones[j] = found.b } else { zones.append(found.b) }
        return true
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
    private mutating func polish(_ start: [Candidate], slots: Int) -> [Candidate] {
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
                    grower.intensify(cap: cap, passes: 2, trials: settings.ruinTrials)
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
            for i in zones.indices {
                for j in zones.indices where j != i {
                    if regrowPair(&zones, i, j) { changed = true }
                }
                if zones.count < slots, regrowPair(&zones, i, nil) { changed = true }
            }
            if !changed { break }
        }
        return zones.sorted(by: Self.better)
    }
}

extension Array where Element == Int {
    /// Membership in an ascending array.
    func binarySearchContains(_ x: Int) -> Bool {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo < count && self[lo] == x
    }
}
