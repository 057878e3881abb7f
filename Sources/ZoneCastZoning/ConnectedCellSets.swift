/// Enumerates every 4-connected set of allowed cells with at most `maxCells` cells and within the diameter,
/// each exactly once: Redelmeier's algorithm (Redelmeier 1981, "Counting polyominoes: yet another attack"),
/// the standard duplicate-free polyomino enumeration, run on the grid graph instead of the infinite lattice.
///
/// Every set is generated from its lowest cell index, the root, using only cells above the root. A set `P` is
/// extended by one cell taken from its *untried* list; the cells a new cell brings into reach are added to the
/// child's untried list only if nothing earlier had reached them, and a cell taken from the list stays reached
/// for the rest of its siblings' subtrees. That makes the search tree's nodes exactly the connected sets.
/// A cell too far (diameter) from the current set is skipped with its whole subtree: every superset is also
/// too wide, so the pruning loses nothing.
struct ConnectedCellSets {
    let rules: GridRules
    let allowed: [Bool]

    /// Calls `body` with every set (cells in insertion order); stops and returns false once `limit` sets have
    /// been produced and another one is found.
    func forEach(limit: Int, _ body: ([Int]) -> Void) -> Bool {
        var reached = [Bool](repeating: false, count: rules.cellCount)
        var current: [Int] = []
        var count = 0
        var withinLimit = true
        let cap = rules.maxCells

        func fits(_ c: Int) -> Bool {
            let cc = rules.column(c), rc = rules.row(c)
            for z in current {
                let dc = rules.column(z) - cc, dr = rules.row(z) - rc
                if dc * dc + dr * dr > rules.maxPairD2 { return false }
            }
            return true
        }

        func extend(_ untried: [Int], root: Int) {
            var untried = untried
            while withinLimit, let c = untried.popLast() {
                guard fits(c) else { continue }
                current.append(c)
                count += 1
                if count > limit { withinLimit = false; return }
                body(current)
                if current.count < cap {
                    var added: [Int] = []
                    let col = rules.column(c), row = rules.row(c)
                    for (ok, n) in [(col > 0, c - 1), (col + 1 < rules.columns, c + 1),
                                    (row > 0, c - rules.columns), (row + 1 < rules.rows, c + rules.columns)]
                        where ok && n > root && allowed[n] && !reached[n] {
                        reached[n] = true
                        added.append(n)
                    }
                    extend(untried + added, root: root)
                    for n in added { reached[n] = false }
                }
                current.removeLast()
            }
        }

        guard cap >= 1, rules.maxPairD2 >= 0 else { return true }
        for root in 0..<rules.cellCount where allowed[root] && withinLimit {
            reached[root] = true
            extend([root], root: root)
            reached[root] = false
        }
        return withinLimit
    }
}
