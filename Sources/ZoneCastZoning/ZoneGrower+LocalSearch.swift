/// Local search on a grown zone: hill-climbing adds and swaps, ruin-and-refill intensification, trimming.
extension ZoneGrower {
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
                for n in Self.neighbours(of: z, columns: rules.columns, rows: rules.rows) {
                    if inZone(n) { continue }
                    if frontStamp[n] == token {
                        for k in candidates.indices.reversed() where candidates[k].cell == n {
                            candidates[k].zoneNeighbours += 1
                            break
                        }
                        continue
                    }
                    guard isUsable(n) else { continue }
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
