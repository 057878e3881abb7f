/// Builds and improves one zone on a surface, given the cells other zones already forbid. The optimiser calls it
/// hundreds of times per plan, so it never scans the grid: it works only on the zone, its edge neighbours and
/// per-cell "stamp" arrays (a cell is marked when its stamp equals the current token, so clearing a mark set is
/// one increment instead of a grid-sized reset).
///
/// A cell is *usable* when it is active, not excluded, not forbidden by another zone, not the current tabu cell,
/// and holds a non-negative value. Zero cells may bridge two hot cells; `trim()` drops the ones that end up
/// bridging nothing, since they only add patrol area.
struct ZoneGrower {
    let rules: GridRules
    let values: [Double]
    /// Active and not excluded.
    let allowed: [Bool]

    private var blockStamp: [UInt32]
    private var blockToken: UInt32 = 1
    private var zoneStamp: [UInt32]
    private var zoneToken: UInt32 = 1
    private var frontStamp: [UInt32]
    private var frontToken: UInt32 = 1
    /// Position of a zone cell in `cells` (valid while its zone stamp is current).
    private var slot: [Int32]

    /// The zone being built, with its cells' columns and rows for the diameter test.
    private(set) var cells: [Int] = []
    private var cols: [Int] = []
    private var rows: [Int] = []
    private(set) var value: Double = 0
    private var frontier: [Int] = []
    /// Path search scratch: a visited stamp, each cell's entry, and the entries (cell, best path sum, parent).
    private var seenStamp: [UInt32]
    private var seenToken: UInt32 = 1
    private var bfsIndex: [Int32]
    private var bfsCell: [Int] = []
    private var bfsSum: [Double] = []
    private var bfsParent: [Int] = []
    /// Longest path (in cells) that growth takes in one step.
    static let lookaheadCells = 4
    private var tabu = -1

    init(rules: GridRules, values: [Double], allowed: [Bool]) {
        self.rules = rules
        self.values = values
        self.allowed = allowed
        blockStamp = Array(repeating: 0, count: rules.cellCount)
        zoneStamp = Array(repeating: 0, count: rules.cellCount)
        frontStamp = Array(repeating: 0, count: rules.cellCount)
        slot = Array(repeating: 0, count: rules.cellCount)
        seenStamp = Array(repeating: 0, count: rules.cellCount)
        bfsIndex = Array(repeating: 0, count: rules.cellCount)
    }

    // MARK: context

    /// Forbids every cell within the separation distance of any cell of `zones` (and the cells themselves).
    mutating func setContext(forbiddenBy zones: [[Int]]) {
        blockToken &+= 1
        let token = blockToken, rules = rules
        for z in zones {
            for c in z { rules.forEachForbidden(around: c) { blockStamp[$0] = token } }
        }
    }

    @inline(__always) func isBlocked(_ c: Int) -> Bool { blockStamp[c] == blockToken }

    @inline(__always) func isUsable(_ c: Int) -> Bool {
        allowed[c] && blockStamp[c] != blockToken && values[c] >= 0 && c != tabu
    }

    /// Whether a whole cell set avoids the forbidden cells (a cached zone is then still a valid candidate).
    func avoidsBlocked(_ zone: [Int]) -> Bool { !zone.contains { blockStamp[$0] == blockToken } }

    // MARK: zone state

    private mutating func clearZone() {
        zoneToken &+= 1
        cells.removeAll(keepingCapacity: true)
        cols.removeAll(keepingCapacity: true)
        rows.removeAll(keepingCapacity: true)
        value = 0
    }

    @inline(__always) private func inZone(_ c: Int) -> Bool { zoneStamp[c] == zoneToken }

    private mutating func insert(_ c: Int) {
        zoneStamp[c] = zoneToken
        slot[c] = Int32(cells.count)
        cells.append(c)
        cols.append(rules.column(c))
        rows.append(rules.row(c))
        value += values[c]
    }

    private mutating func remove(_ c: Int) {
        let i = Int(slot[c]), last = cells.count - 1
        zoneStamp[c] = 0
        if i != last {
            cells[i] = cells[last]; cols[i] = cols[last]; rows[i] = rows[last]
            slot[cells[i]] = Int32(i)
        }
        cells.removeLast(); cols.removeLast(); rows.removeLast()
        value -= values[c]
    }

    /// Replaces the zone by `zone` (cells assumed usable and connected) and recomputes its value exactly.
    mutating func load(_ zone: [Int]) {
        clearZone()
        for c in zone { insert(c) }
        value = zone.sorted().reduce(0) { $0 + values[$1] }
    }

    /// Zone cells (other than the one at `skip`) farther than the diameter allows from `c`: 0, 1 or 2 (= many),
    /// and the position of the first such cell.
    @inline(__always)
    private func diameterConflicts(_ c: Int, skip: Int = -1) -> (count: Int, first: Int) {
        let cc = rules.column(c), rc = rules.row(c), limit = rules.maxPairD2
        var count = 0, first = -1
        for i in 0..<cells.count where i != skip {
            let dc = cols[i] - cc, dr = rows[i] - rc
            if dc * dc + dr * dr > limit {
                if count == 0 { first = i }
                count += 1
                if count == 2 { break }
            }
        }
        return (count, first)
    }

    /// Edge neighbours of a cell. Static on purpose: a closure that mutates `self` passed to a method of `self`
    /// would make Swift copy `self` for the call, and the next write to a stamp array would then copy the whole
    /// grid-sized array.
    @inline(__always)
    private static func forEachNeighbour(_ c: Int, columns: Int, rows: Int, _ body: (Int) -> Void) {
        let col = c % columns, row = c / columns
        if col > 0 { body(c - 1) }
        if col + 1 < columns { body(c + 1) }
        if row > 0 { body(c - columns) }
        if row + 1 < rows { body(c + columns) }
    }

    // MARK: greedy growth

    /// Grows a zone from `seed` (which must be usable): best-first, always adding the usable edge neighbour of
    /// highest value that keeps the diameter, until the zone holds `cap` cells or no neighbour qualifies. The
    /// frontier only gains cells, and a cell too far from the zone stays too far as the zone grows, so each is
    /// tested for the diameter once it is the best and dropped for good if it fails.
    mutating func grow(seed: Int, cap: Int) {
        clearZone()
        insert(seed)
        rebuildFrontier()
        fill(cap: cap)
    }

    /// Starts a zone at `seed` for step-by-step growth (`step`), as when two zones grow side by side.
    mutating func start(seed: Int) {
        clearZone()
        insert(seed)
        rebuildFrontier()
    }

    /// One best-first step (a cell or a short path); false when the zone cannot grow.
    mutating func step(cap: Int) -> Bool {
        let before = cells.count
        fill(cap: cap, steps: 1)
        return cells.count > before
    }

    /// Also forbids the cells too close to `zoneCells` (a zone growing alongside), keeping the current context.
    mutating func forbid(around zoneCells: some Sequence<Int>) {
        let token = blockToken, rules = rules
        for c in zoneCells { rules.forEachForbidden(around: c) { blockStamp[$0] = token } }
    }

    private mutating func rebuildFrontier() {
        frontToken &+= 1
        frontier.removeAll(keepingCapacity: true)
        for c in cells { pushNeighbours(of: c) }
    }

    private mutating func pushNeighbours(of c: Int) {
        let token = frontToken
        Self.forEachNeighbour(c, columns: rules.columns, rows: rules.rows) { n in
            if frontStamp[n] != token, !inZone(n), isUsable(n) {
                frontStamp[n] = token
                frontier.append(n)
            }
        }
    }

    /// The best-first loop. Besides single neighbours it looks up to `lookaheadCells − 1` cells past the
    /// frontier: a path f → g → … of L cells into cells not yet touching the zone is scored by its density,
    /// (Σ v) / L, and taken whole when that beats the best single neighbour (and keeps the diameter). So a zone
    /// crosses a few cells of little harm to reach a hot cell behind them (sparse count surfaces), where plain
    /// best-first would stop or wander. The search runs only when the best neighbour is below half the zone's
    /// mean cell value. Growth stops when nothing of positive value is in reach.
    private mutating func fill(cap: Int, steps: Int = .max) {
        let columns = rules.columns, rowCount = rules.rows
        var stepsLeft = steps
        while cells.count < cap && stepsLeft > 0 {
            stepsLeft -= 1
            var best = -1, bestAt = -1, bestValue = -Double.infinity
            var i = 0
            while i < frontier.count {
                let f = frontier[i], v = values[f]
                if blockStamp[f] == blockToken {
                    // Forbidden since it joined the frontier (a zone growing alongside): drop it.
                    frontier.swapAt(i, frontier.count - 1)
                    frontier.removeLast()
                    continue
                }
                if v > bestValue || (v == bestValue && f < best) {
                    if diameterConflicts(f).count == 0 {
                        best = f; bestAt = i; bestValue = v
                    } else {
                        // Too far from the zone now, so forever: drop it.
                        frontier.swapAt(i, frontier.count - 1)
                        frontier.removeLast()
                        continue
                    }
                }
                i += 1
            }
            // Paths through cells not yet next to the zone: a breadth-first search in layers from the frontier,
            // keeping for each cell the path of highest value among its shortest paths.
            var pathEnd = -1
            var pathDensity = max(bestValue, 0)
            let depthLimit = min(cap - cells.count, Self.lookaheadCells)
            // Look further only when the frontier is poor (its best below half the zone's mean cell value): on
            // smooth surfaces the best neighbour nearly always wins and the search would cost most of the time.
            if depthLimit >= 2, bestValue < 0.5 * value / Double(cells.count) {
                let token = frontToken
                seenToken &+= 1
                let seen = seenToken
                bfsCell.removeAll(keepingCapacity: true)
                bfsSum.removeAll(keepingCapacity: true)
                bfsParent.removeAll(keepingCapacity: true)
                for f in frontier {
                    seenStamp[f] = seen
                    bfsIndex[f] = Int32(bfsCell.count)
                    bfsCell.append(f); bfsSum.append(values[f]); bfsParent.append(-1)
                }
                var layerStart = 0, layerEnd = bfsCell.count
                for depth in 2...depthLimit {
                    for e in layerStart..<layerEnd {
                        let sum = bfsSum[e]
                        Self.forEachNeighbour(bfsCell[e], columns: columns, rows: rowCount) { n in
                            if seenStamp[n] == seen {
                                // Reached again in this layer: keep the better parent.
                                let k = Int(bfsIndex[n])
                                if k >= layerEnd, sum + values[n] > bfsSum[k] { bfsSum[k] = sum + values[n]; bfsParent[k] = e }
                                return
                            }
                            guard frontStamp[n] != token, !inZone(n), isUsable(n) else { return }
                            seenStamp[n] = seen
                            bfsIndex[n] = Int32(bfsCell.count)
                            bfsCell.append(n); bfsSum.append(sum + values[n]); bfsParent.append(e)
                        }
                    }
                    for e in layerEnd..<bfsCell.count {
                        let d = bfsSum[e] / Double(depth)
                        if d > pathDensity, pathFits(bfsPath(to: e)) { pathDensity = d; pathEnd = e }
                    }
                    layerStart = layerEnd
                    layerEnd = bfsCell.count
                    if layerStart == layerEnd { break }
                }
            }
            if pathEnd >= 0 {
                let path = bfsPath(to: pathEnd)
                if let at = frontier.firstIndex(of: path[0]) {
                    frontier.swapAt(at, frontier.count - 1)
                    frontier.removeLast()
                }
                for c in path { insert(c) }
                for c in path { pushNeighbours(of: c) }
                continue
            }
            guard best >= 0, bestValue > 0 else { return }
            frontier.swapAt(bestAt, frontier.count - 1)
            frontier.removeLast()
            insert(best)
            pushNeighbours(of: best)
        }
    }

    /// The path (frontier cell first) ending at search entry `e`.
    private func bfsPath(to e: Int) -> [Int] {
        var out: [Int] = [], k = e
        while k >= 0 { out.append(bfsCell[k]); k = bfsParent[k] }
        return out.reversed()
    }

    /// Whether adding all of `path` keeps the diameter (against the zone and within the path).
    private func pathFits(_ path: [Int]) -> Bool {
        for (k, c) in path.enumerated() {
            if diameterConflicts(c).count > 0 { return false }
            for d in path[(k + 1)...] {
                let dc = rules.column(c) - rules.column(d), dr = rules.row(c) - rules.row(d)
                if dc * dc + dr * dr > rules.maxPairD2 { return false }
            }
        }
        return true
    }

    // MARK: local search

    private struct Candidate {
        var cell: Int
        var value: Double
        var zoneNeighbours: Int
        var someNeighbour: Int
        var conflicts: Int
        var firstConflict: Int
    }

    /// Hill-climbs the zone with two moves until neither improves it: *add* the best usable edge neighbour of
    /// positive value that keeps the diameter (while below `cap`), and *swap* one cell `r` whose removal keeps the zone connected (not
    /// an articulation point) for an outside cell `a` with v(a) > v(r) that touches the zone without `r` and
    /// keeps the diameter once `r` is gone. Each move strictly raises the value, so it terminates; a move-count
    /// limit bounds the work regardless.
    mutating func improve(cap: Int) {
        var candidates: [Candidate] = []
        var moves = 0
        while moves < 4 * cap + 8 {
            moves += 1
            // Outside cells touching the zone, with how they touch it and which zone cells are too far.
            frontToken &+= 1
            candidates.removeAll(keepingCapacity: true)
            let token = frontToken
            for z in cells {
                Self.forEachNeighbour(z, columns: rules.columns, rows: rules.rows) { n in
                    if inZone(n) { return }
                    if frontStamp[n] == token {
                        for k in candidates.indices.reversed() where candidates[k].cell == n {
                            candidates[k].zoneNeighbours += 1
                            break
                        }
                        return
                    }
                    guard isUsable(n) else { return }
                    frontStamp[n] = token
                    candidates.append(Candidate(cell: n, value: values[n], zoneNeighbours: 1, someNeighbour: z, conflicts: 0, firstConflict: -1))
                }
            }
            for k in candidates.indices {
                let d = diameterConflicts(candidates[k].cell)
                candidates[k].conflicts = d.count
                candidates[k].firstConflict = d.first
            }
            candidates.sort { $0.value != $1.value ? $0.value > $1.value : $0.cell < $1.cell }

            if cells.count < cap, let add = candidates.first(where: { $0.conflicts == 0 && $0.value > 0 }) {
                insert(add.cell)
                continue
            }
            guard cells.count >= 2 else { return }
            let cut = articulationPoints()
            var bestGain = 0.0, bestOut = -1, bestIn = -1
            for (i, r) in cells.enumerated() where !cut[i] {
                let vr = values[r]
                for a in candidates {
                    if a.value - vr <= bestGain { break }
                    if a.conflicts > 1 || (a.conflicts == 1 && a.firstConflict != i) { continue }
                    if a.zoneNeighbours == 1 && a.someNeighbour == r { continue }
                    bestGain = a.value - vr; bestOut = r; bestIn = a.cell
                    break
                }
            }
            guard bestOut >= 0 else { return }
            remove(bestOut)
            insert(bestIn)
        }
    }

    /// Ruin and regrow, two ways per pass, keeping any result that captures more: (1) for each cell whose
    /// removal keeps the zone connected, remove it, forbid it, refill greedily and hill-climb; (2) for each cell
    /// but the best, forbid it and regrow the whole zone from the best cell. These escape local optima the
    /// single swaps cannot (one cell out to make room, within the diameter, for two; an arm rerouted), at
    /// up to 2·`trials` regrowths a pass (the lowest-value cells are tried first: they are the likeliest to be
    /// in the wrong place).
    mutating func intensify(cap: Int, passes: Int, trials: Int) {
        for _ in 0..<passes {
            var improved = false
            let start = cells
            let startValue = value
            guard start.count >= 2 else { return }
            var bestCells = start, bestValue = startValue
            load(start)
            let cut = articulationPoints()
            let values = values
            func cheapest(_ a: Int, _ b: Int) -> Bool { values[a] != values[b] ? values[a] < values[b] : a < b }
            let removable = start.indices.filter { !cut[$0] }.map { start[$0] }.sorted(by: cheapest).prefix(trials)
            for r in removable {
                load(start)
                remove(r)
                tabu = r
                rebuildFrontier()
                fill(cap: cap)
                improve(cap: cap)
                trim()
                tabu = -1
                if value > bestValue * (1 + 1e-12) {
                    bestValue = value
                    bestCells = cells
                    improved = true
                }
            }
            // Regrow from the zone's best cell with one cell forbidden: a bigger disruption that reroutes the
            // zone around the forbidden cell (dropping a whole arm, not one cell).
            let anchor = start.max { values[$0] != values[$1] ? values[$0] < values[$1] : $0 > $1 }!
            for r in start.filter({ $0 != anchor }).sorted(by: cheapest).prefix(trials) {
                tabu = r
                grow(seed: anchor, cap: cap)
                improve(cap: cap)
                trim()
                tabu = -1
                if value > bestValue * (1 + 1e-12) {
                    bestValue = value
                    bestCells = cells
                    improved = true
                }
            }
            load(bestCells)
            if !improved { return }
        }
    }

    /// Removes cells of zero value whose removal keeps the zone connected, until none is left: padding that
    /// captures nothing. Bridges (articulation points) stay.
    mutating func trim() {
        while cells.count > 1 {
            let cut = articulationPoints()
            guard let i = cells.indices.first(where: { !cut[$0] && values[cells[$0]] <= 0 }) else { return }
            remove(cells[i])
        }
    }

    /// Which zone cells (by position in `cells`) disconnect the zone when removed: Tarjan's low-link depth-first
    /// search, iterative so a large zone cannot overflow the stack.
    private func articulationPoints() -> [Bool] {
        let n = cells.count
        var cut = [Bool](repeating: false, count: n)
        guard n > 2 else { return cut }
        var disc = [Int](repeating: -1, count: n), low = [Int](repeating: 0, count: n)
        var parent = [Int](repeating: -1, count: n), childCount = [Int](repeating: 0, count: n)
        var nextEdge = [Int](repeating: 0, count: n)
        var time = 0
        var stack = [0]
        disc[0] = 0; low[0] = 0; time = 1
        // Neighbours of a zone cell as positions in `cells`.
        func zoneNeighbour(_ u: Int, _ k: Int) -> Int {
            let c = cells[u], col = c % rules.columns, row = c / rules.columns
            let n: Int
            switch k {
            case 0: n = col > 0 ? c - 1 : -1
            case 1: n = col + 1 < rules.columns ? c + 1 : -1
            case 2: n = row > 0 ? c - rules.columns : -1
            default: n = row + 1 < rules.rows ? c + rules.columns : -1
            }
            return n >= 0 && inZone(n) ? Int(slot[n]) : -1
        }
        while let u = stack.last {
            if nextEdge[u] < 4 {
                let k = nextEdge[u]
                nextEdge[u] += 1
                let v = zoneNeighbour(u, k)
                if v < 0 || v == parent[u] { continue }
                if disc[v] < 0 {
                    disc[v] = time; low[v] = time; time += 1
                    parent[v] = u
                    childCount[u] += 1
                    stack.append(v)
                } else {
                    low[u] = min(low[u], disc[v])
                }
            } else {
                stack.removeLast()
                let p = parent[u]
                if p >= 0 {
                    low[p] = min(low[p], low[u])
                    if parent[p] >= 0 && low[u] >= disc[p] { cut[p] = true }
                }
            }
        }
        cut[0] = childCount[0] > 1
        return cut
    }
}
