/// Greedy growth: best-first from a seed, with short paths through low cells to reach higher ones.
extension ZoneGrower {
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
        for c in zoneCells {
            rules.forEachForbidden(around: c) { n in
                if blockUndoOn, blockStamp[n] != token { blockUndo.append((n, blockStamp[n])) }
                blockStamp[n] = token
            }
        }
    }

    mutating func rebuildFrontier() {
        frontToken &+= 1
        frontier.removeAll(keepingCapacity: true)
        for c in cells { pushNeighbours(of: c) }
    }

    private mutating func pushNeighbours(of c: Int) {
        let token = frontToken
        for n in Self.neighbours(of: c, columns: rules.columns, rows: rules.rows) where frontStamp[n] != token && !inZone(n) && isUsable(n) {
            frontStamp[n] = token
            frontier.append(n)
        }
    }

    /// The best-first loop. Besides single neighbours it looks up to `lookaheadCells − 1` cells past the
    /// frontier: a path f → g → … of L cells into cells not yet touching the zone is scored by its density,
    /// (Σ v) / L, and taken whole when that beats the best single neighbour (and keeps the diameter). So a zone
    /// crosses a few cells of little harm to reach a hot cell behind them (sparse count surfaces), where plain
    /// best-first would stop or wander. The search runs only when the best neighbour is below half the zone's
    /// mean cell value. Growth stops when nothing of positive value is in reach.
    mutating func fill(cap: Int, steps: Int = .max) {
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
                        for n in Self.neighbours(of: bfsCell[e], columns: columns, rows: rowCount) {
                            if seenStamp[n] == seen {
                                // Reached again in this layer: keep the better parent.
                                let k = Int(bfsIndex[n])
                                if k >= layerEnd, sum + values[n] > bfsSum[k] { bfsSum[k] = sum + values[n]; bfsParent[k] = e }
                                continue
                            }
                            guard frontStamp[n] != token, !inZone(n), isUsable(n) else { continue }
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
}
