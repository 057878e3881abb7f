import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastForecast

@Suite("Naive, harm-surface and prospective models")
struct BaselineModelTests {
    let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 5, rows: 5)
    let origin = Date(timeIntervalSince1970: 100 * 86_400)
    var window: ForecastWindow { ForecastWindow(start: origin, hours: 96) }

    func event(_ e: inout EventSet, cell: (Int, Int), daysBefore: Double, _ c: HarmCategory = .nonFatalShooting) {
        e.append(x: Double(cell.0) * 100 + 50, y: Double(cell.1) * 100 + 50, time: origin.timeIntervalSince1970 - daysBefore * 86_400, category: c)
    }

    @Test("naive: counts target events of the last N days per cell, scaled to the window")
    func naive() async throws {
        var e = EventSet()
        event(&e, cell: (1, 1), daysBefore: 3)
        event(&e, cell: (1, 1), daysBefore: 20)
        event(&e, cell: (1, 1), daysBefore: 40)            // older than 28 days
        event(&e, cell: (3, 2), daysBefore: 1)
        event(&e, cell: (3, 2), daysBefore: 1, .robbery)   // not a target
        let f = try NaiveModel(lookbackDays: 28).forecast(ForecastInput(history: e, grid: grid, window: window))
        // 2 events x (4 days / 28 days) = 0.2857...
        let twoEvents: Double = 2.0 * 4 / 28, oneEvent: Double = 1.0 * 4 / 28
        let cell11: Int = 1 * 5 + 1, cell32: Int = 2 * 5 + 3
        #expect(abs(f.surface.values[cell11] - twoEvents) < 1e-12)
        #expect(abs(f.surface.values[cell32] - oneEvent) < 1e-12)
        #expect(f.surface.values.filter { $0 > 0 }.count == 2)
    }

    @Test("every model refuses history at or after the origin")
    func lookAhead() async {
        var e = EventSet()
        event(&e, cell: (1, 1), daysBefore: -0.5)
        let input = ForecastInput(history: e, grid: grid, window: window)
        for model in [NaiveModel() as any ForecastModel, HarmSurfaceModel(), ProspectiveHotspotModel()] {
            #expect(throws: ForecastError.self) { try model.forecast(input) }
        }
    }

    @Test("harm surface: one event's decayed, weighted, smoothed mass equals w * 2^(-age/h) * ln2/h * window days")
    func harmSurfaceMass() async throws {
        var e = EventSet()
        // A 41x41 grid so the kernel does not reach the edge.
        let g = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 41, rows: 41)
        e.append(x: 2_050, y: 2_050, time: origin.timeIntervalSince1970 - 30 * 86_400 - 30, precisionSeconds: 60, category: .homicide)
        let model = HarmSurfaceModel(factors: [.init(category: .homicide, bandwidthMeters: 200, halfLifeDays: 30)])
        let f = try model.forecast(ForecastInput(history: e, grid: g, window: window))
        // age 30 days -> weight 1/2; ln2/30 per day x 4 days; homicide weight 5,475.
        let expected = 5_475 * 0.5 * M_LN2 / 30 * 4
        #expect(abs(f.surface.total - expected) < 1e-6)
        let centre: Int = 20 * 41 + 20
        #expect(f.surface.ranking().first == centre)
    }

    @Test("harm surface: categories add by their harm weights")
    func harmSurfaceWeights() async throws {
        var e = EventSet()
        let g = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 41, rows: 41)
        e.append(x: 1_050, y: 1_050, time: origin.timeIntervalSince1970 - 86_400, category: .robbery)
        e.append(x: 3_050, y: 3_050, time: origin.timeIntervalSince1970 - 86_400, category: .homicide)
        let f = try HarmSurfaceModel().forecast(ForecastInput(history: e, grid: g, window: window))
        let robberyCell = f.surface.values[10 * 41 + 10], homicideCell = f.surface.values[30 * 41 + 30]
        #expect(abs(homicideCell / robberyCell - 5_475.0 / 1_460.0) < 1e-9)
    }

    @Test("prospective hotspot: 1/((1+d)(1+t)) within the bandwidths, by hand")
    func prospective() async throws {
        var e = EventSet()
        event(&e, cell: (2, 2), daysBefore: 3)    // week 0
        event(&e, cell: (2, 2), daysBefore: 10)   // week 1
        event(&e, cell: (0, 0), daysBefore: 100)  // beyond 8 weeks: ignored
        let f = try ProspectiveHotspotModel(spatialBandwidthMeters: 150, temporalBandwidthWeeks: 8).forecast(ForecastInput(history: e, grid: grid, window: window))
        let v = f.surface.values
        // Own cell: 1/(1*1) + 1/(1*2) = 1.5. Neighbour at d = 1: (1 + 1/2)/2 = 0.75. Diagonal d = sqrt 2 > 1.5 cells? No:
        // 1.414 <= 1.5, so it counts: 1.5 / (1 + sqrt 2).
        #expect(abs(v[2 * 5 + 2] - 1.5) < 1e-12)
        #expect(abs(v[2 * 5 + 3] - 0.75) < 1e-12)
        let diagonal: Double = 1.5 / (1 + 2.0.squareRoot())
        #expect(abs(v[18] - diagonal) < 1e-12)  // cell 3 * 5 + 3
        #expect(v[2 * 5 + 4] == 0) // d = 2 > 1.5
        #expect(v[0] == 0)
    }
}
