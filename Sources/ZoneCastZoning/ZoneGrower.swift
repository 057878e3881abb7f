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

    // Internal rather than private where the growth and local-search extensions (their own files) use them.
    var blockStamp: [UInt32]
    private(set) var blockToken: UInt32 = 1
    /// While a context is saved: each stamp changed since, with its value before (`restoreContext` plays them back).
    var blockUndo: [(cell: Int, stamp: UInt32)] = []
    var blockUndoOn = false
    private var zoneStamp: [UInt32]
    private var zoneToken: UInt32 = 1
    var frontStamp: [UInt32]
    var frontToken: UInt32 = 1
    /// Position of a zone cell in `cells` (valid while its zone stamp is current).
    private(set) var slot: [Int32]

    /// The zone being built, with its cells' columns and rows for the diameter test.
    private(set) var cells: [Int] = []
    private var cols: [Int] = []
    private var rows: [Int] = []
    private(set) var value: Double = 0
    var frontier: [Int] = []
    /// Path search scratch: a visited stamp, each cell's entry, and the entries (cell, best path sum, parent).
    var seenStamp: [UInt32]
    var seenToken: UInt32 = 1
    var bfsIndex: [Int32]
    var bfsCell: [Int] = []
    var bfsSum: [Double] = []
    var bfsParent: [Int] = []
    /// Longest path (in cells) that growth takes in one step.
    static let lookaheadCells = 4
    var tabu = -1

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
        for z in zones { forbid(around: z) }
    }

    /// A saved context: the forbidden cells as they stand. Pair regrowth starts each of its trials from the same
    /// context; marking the neighbourhood of every cell of the other zones again took 5 % of a whole proposal's time
    /// on a fine grid, and copying the grid-sized stamp array instead doubled the optimiser's time on a 150 m grid
    /// with small zones. So the grower logs each stamp it changes after the save and puts those back.
    struct Context {
        fileprivate let token: UInt32
    }

    /// Saves the current context for `restoreContext`, until `discardSavedContext`.
    mutating func saveContext() -> Context {
        blockUndo.removeAll(keepingCapacity: true)
        blockUndoOn = true
        return Context(token: blockToken)
    }

    /// Puts back the context saved by `saveContext`: the grower forbids exactly the cells it forbade then, and the
    /// next `setContext` still starts from a token no stamp holds. The context stays saved for the next trial.
    mutating func restoreContext(_ saved: Context) {
        for entry in blockUndo.reversed() { blockStamp[entry.cell] = entry.stamp }
        blockUndo.removeAll(keepingCapacity: true)
        blockToken = saved.token
    }

    /// Stops logging changes for a saved context.
    mutating func discardSavedContext() {
        blockUndo.removeAll(keepingCapacity: true)
        blockUndoOn = false
    }

    @inline(__always) func isBlocked(_ c: Int) -> Bool { blockStamp[c] == blockToken }

    @inline(__always) func isUsable(_ c: Int) -> Bool {
        allowed[c] && blockStamp[c] != blockToken && values[c] >= 0 && c != tabu
    }

    /// Whether a whole cell set avoids the forbidden cells (a cached zone is then still a valid candidate).
    func avoidsBlocked(_ zone: [Int]) -> Bool { !zone.contains { blockStamp[$0] == blockToken } }

    // MARK: zone state

    mutating func clearZone() {
        zoneToken &+= 1
        cells.removeAll(keepingCapacity: true)
        cols.removeAll(keepingCapacity: true)
        rows.removeAll(keepingCapacity: true)
        value = 0
    }

    @inline(__always) func inZone(_ c: Int) -> Bool { zoneStamp[c] == zoneToken }

    mutating func insert(_ c: Int) {
        zoneStamp[c] = zoneToken
        slot[c] = Int32(cells.count)
        cells.append(c)
        cols.append(rules.column(c))
        rows.append(rules.row(c))
        value += values[c]
    }

    mutating func remove(_ c: Int) {
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
    func diameterConflicts(_ c: Int, skip: Int = -1) -> (count: Int, first: Int) {
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

    /// Edge neighbours of a cell (left, right, up, down), iterated with `for` so the loop body reads and writes
    /// `self` directly. A closure that calls methods of `self` from inside a mutating method made Swift copy the
    /// whole grower (a dozen grid-sized arrays, retained and released) for every neighbour visited.
    @inline(__always)
    static func neighbours(of c: Int, columns: Int, rows: Int) -> EdgeNeighbours {
        EdgeNeighbours(of: c, columns: columns, rows: rows)
    }
}

/// The up to four edge neighbours of a grid cell, in the order left, right, up, down.
struct EdgeNeighbours: Sequence, IteratorProtocol {
    private let cells: (Int, Int, Int, Int)
    private var index = 0

    @inline(__always)
    init(of c: Int, columns: Int, rows: Int) {
        let col = c % columns, row = c / columns
        cells = (col > 0 ? c - 1 : -1, col + 1 < columns ? c + 1 : -1, row > 0 ? c - columns : -1, row + 1 < rows ? c + columns : -1)
    }

    @inline(__always)
    mutating func next() -> Int? {
        while index < 4 {
            let n: Int
            switch index {
            case 0: n = cells.0
            case 1: n = cells.1
            case 2: n = cells.2
            default: n = cells.3
            }
            index += 1
            if n >= 0 { return n }
        }
        return nil
    }
}
