import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastForecast

@Suite("Grid and risk surfaces")
struct GridTests {
    @Test("given a 3x2 grid of 150 m cells, when locating points, then cells count from the lower left and edges belong to the upper cell")
    func cellLookup() async {
        let g = Grid(originX: 0, originY: 0, cellSizeMeters: 150, columns: 3, rows: 2)
        #expect(g.cell(x: 0, y: 0) == 0)
        #expect(g.cell(x: 149.9, y: 0) == 0)
        #expect(g.cell(x: 150, y: 0) == 1)
        #expect(g.cell(x: 449.9, y: 299.9) == 5)
        #expect(g.cell(x: 450, y: 10) == nil)
        #expect(g.cell(x: -0.1, y: 10) == nil)
        #expect(g.center(of: 4) == PlanarPoint(xMeters: 225, yMeters: 225))
        #expect(abs(g.cellAreaKm2 - 0.0225) < 1e-12)
    }

    @Test("given a boundary polygon, when covering it, then only cells whose centres are inside are active")
    func boundaryMask() async {
        // A 1.5 km x 1.5 km square around the projection origin.
        let tm = TransverseMercator.local(centeredOn: GeoPoint(latitude: 39, longitude: -94.5))
        let corners = [(-750.0, -750.0), (750, -750), (750, 750), (-750, 750)].map { tm.unproject(PlanarPoint(xMeters: $0.0, yMeters: $0.1)) }
        let square = GeoMultiPolygon([GeoPolygon(outer: corners)])
        let g = Grid.covering(square, projection: tm, cellSizeMeters: 150)
        #expect(g.columns == 10 && g.rows == 10)
        #expect(g.activeCells.count == 100)
        // A triangle (half the square) activates about half the cells.
        let triangle = GeoMultiPolygon([GeoPolygon(outer: [corners[0], corners[1], corners[2]])])
        let t = Grid.covering(triangle, projection: tm, cellSizeMeters: 150)
        #expect((40...55).contains(t.activeCells.count))
    }

    @Test("given equal scores, when ranking, then the order is fixed, not by cell index, and inactive cells are never ranked")
    func tieBreaking() async {
        var mask = [Bool](repeating: true, count: 16)
        mask[3] = false
        let g = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 4, rows: 4, active: mask)
        let window = ForecastWindow(start: Date(timeIntervalSince1970: 0), hours: 96)
        var values = [Double](repeating: 1, count: 16)
        values[3] = 99 // inactive: zeroed
        values[10] = 5
        let s = RiskSurface(grid: g, window: window, values: values)
        #expect(s.values[3] == 0)
        let r = s.ranking()
        #expect(r.count == 15)
        #expect(r.first == 10)
        #expect(!r.contains(3))
        #expect(r == s.ranking())
        #expect(Array(r.dropFirst()) != Array(r.dropFirst()).sorted())
    }

    @Test("given events before, at and after an origin, then before() keeps only those whose whole interval ends by the origin")
    func noLookAheadFilter() async {
        var e = EventSet()
        e.append(x: 0, y: 0, time: 0, precisionSeconds: 86_400, category: .homicide)       // ends at 86,400
        e.append(x: 0, y: 0, time: 50_000, precisionSeconds: 60, category: .homicide)      // ends at 50,060
        e.append(x: 0, y: 0, time: 86_000, precisionSeconds: 3_600, category: .robbery)    // ends at 89,600
        let kept = e.before(Date(timeIntervalSince1970: 86_400))
        #expect(kept.time == [0, 50_000])
        #expect(e.only([.robbery]).count == 1)
    }
}

@Suite("Top cells")
struct TopCellsTests {
    @Test("given random surfaces with ties, when taking the top k, then it equals the first k of the full ranking", arguments: [1, 5, 37, 200, 400])
    func matchesRanking(k: Int) async {
        var rng = SplitMix64(seed: UInt64(k))
        var mask = [Bool](repeating: true, count: 400)
        for i in stride(from: 0, to: 400, by: 7) { mask[i] = false }
        let g = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 20, rows: 20, active: mask)
        let values = (0..<400).map { _ in Double(Int.random(in: 0..<12, using: &rng)) } // many ties
        let s = RiskSurface(grid: g, window: ForecastWindow(start: Date(timeIntervalSince1970: 0), hours: 96), values: values)
        #expect(s.topCells(k) == Array(s.ranking().prefix(k)))
    }
}
