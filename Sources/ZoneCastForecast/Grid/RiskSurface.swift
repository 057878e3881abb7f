public import Foundation
import ZoneCastCore

/// The forecast window [start, start + duration).
public struct ForecastWindow: Hashable, Sendable, Codable {
    public var start: Date
    public var durationSeconds: Double

    public init(start: Date, durationSeconds: Double) {
        self.start = start
        self.durationSeconds = durationSeconds
    }

    public init(start: Date, hours: Double) { self.init(start: start, durationSeconds: hours * 3_600) }

    public var end: Date { start.addingTimeInterval(durationSeconds) }
    public var durationDays: Double { durationSeconds / 86_400 }
    public func contains(_ d: Date) -> Bool { d >= start && d < end }
}

/// A value per grid cell for a forecast window: expected harm (or a score proportional to it). Inactive cells
/// hold 0. Metrics take any surface, whatever model made it.
public struct RiskSurface: Hashable, Sendable {
    public let grid: Grid
    public let window: ForecastWindow
    public var values: [Double]

    public init(grid: Grid, window: ForecastWindow, values: [Double]) {
        precondition(values.count == grid.cellCount, "a surface needs one value per cell")
        self.grid = grid
        self.window = window
        var v = values
        for i in v.indices where !grid.active[i] { v[i] = 0 }
        self.values = v
    }

    /// Active cells from highest to lowest value. Ties are broken by a fixed pseudo-random order of cells
    /// (a hash of the cell index), so equal scores never favour one corner of the map, and every run agrees.
    public func ranking() -> [Int] {
        grid.activeCells.sorted { a, b in
            if values[a] != values[b] { return values[a] > values[b] }
            return Self.tieBreak(a) < Self.tieBreak(b)
        }
    }

    /// The first `k` cells of `ranking()`, without sorting the whole grid: a bounded min-heap keeps the best k
    /// (O(cells log k)), so scoring a 1 % budget on a 200,000-cell grid does not pay for a full sort.
    public func topCells(_ k: Int) -> [Int] {
        let k = min(k, grid.activeCells.count)
        guard k > 0 else { return [] }
        // "a before b" in ranking order.
        func before(_ a: Int, _ b: Int) -> Bool {
            if values[a] != values[b] { return values[a] > values[b] }
            return Self.tieBreak(a) < Self.tieBreak(b)
        }
        var heap: [Int] = [] // heap[0] is the worst of the kept cells
        heap.reserveCapacity(k)
        func siftUp(_ i0: Int) {
            var i = i0
            while i > 0 {
                let p = (i - 1) / 2
                guard before(heap[p], heap[i]) else { break }
                heap.swapAt(p, i)
                i = p
            }
        }
        func siftDown(_ i0: Int) {
            var i = i0
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < heap.count, before(heap[worst], heap[l]) { worst = l }
                if r < heap.count, before(heap[worst], heap[r]) { worst = r }
                if worst == i { return }
                heap.swapAt(i, worst)
                i = worst
            }
        }
        for c in grid.activeCells {
            if heap.count < k {
                heap.append(c)
                siftUp(heap.count - 1)
            } else if before(c, heap[0]) {
                heap[0] = c
                siftDown(0)
            }
        }
        return heap.sorted(by: before)
    }

    /// SplitMix64 of the cell index: a fixed, well-mixed order.
    static func tieBreak(_ i: Int) -> UInt64 {
        var z = UInt64(truncatingIfNeeded: i) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public var total: Double { values.reduce(0, +) }
}
