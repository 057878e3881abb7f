import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastIngest
import ZoneCastPlanning
import ZoneCastSynthetic
import ZoneCastZoning
import ZoneCastStore

/// `zonecast bench zones`: a proposal on a grid of at least `cells` cells, the optimiser alone (goal < 250 ms) and end
/// to end from the store (goal < 2 s). The goals are judged on a metropolitan grid of 150 m cells (the synthetic city
/// tiled 4 x 4); the city alone in fine cells is reported as a stress case.
public struct ZonesBenchmark: Sendable {
    public var incidents: Int
    public var cells: Int
    public var repeats: Int

    public init(incidents: Int, cells: Int, repeats: Int) {
        self.incidents = incidents
        self.cells = cells
        self.repeats = repeats
    }

    public func run(_ context: BenchContext) async throws {
        let say = context.output
        context.warnIfDebugBuild()
        let city = SyntheticCity()
        let projection = city.jurisdiction.projection
        let (sw, ne, size) = BenchCity.extent(city, cells: cells)

        let events = BenchCity.events(SyntheticIncidentGenerator(rowCount: incidents, seed: 3), city: city)
        let origin = Date(timeIntervalSince1970: (events.latestPossibleTime ?? 0).rounded(.up))
        let window = ForecastWindow(start: origin, hours: 96)
        // Metropolitan: 4 x 4 copies of the city side by side, 150 m cells.
        let w = ne.xMeters - sw.xMeters, h = ne.yMeters - sw.yMeters
        var metro = EventSet()
        for i in 0..<4 { for j in 0..<4 {
            for k in 0..<events.count {
                metro.append(x: events.x[k] + Double(i) * w, y: events.y[k] + Double(j) * h, time: events.time[k],
                             precisionSeconds: events.precisionSeconds[k], category: events.category[k])
            }
        }}
        let metroGrid = Grid(originX: sw.xMeters, originY: sw.yMeters, cellSizeMeters: 150,
                             columns: Int((4 * w / 150).rounded(.up)), rows: Int((4 * h / 150).rounded(.up)))
        let metroSurface = try HarmSurfaceModel().forecast(ForecastInput(history: metro, grid: metroGrid, window: window)).surface
        let metroMedian = try timeOptimiser(metroSurface, label: "metropolitan grid, 150 m", say: say)
        say(String(format: "  goal optimiser < 250 ms on 200,000+ cells of 150 m: %@ (median %.0f ms)", metroMedian < 0.25 ? "met" : "NOT met",
                   metroMedian * 1000))
        // Stress: the city alone in fine cells.
        let grid = Grid.covering(city.jurisdiction.boundary, projection: projection, cellSizeMeters: size)
        let surface = try HarmSurfaceModel().forecast(ForecastInput(history: events, grid: grid, window: window)).surface
        _ = try timeOptimiser(surface, label: String(format: "fine grid, %.0f m (stress)", size), say: say)

        // End to end: a store holding the synthetic city, a full proposal with explanations, recorded.
        let work = try BenchDirectory(nil, name: "zones")
        defer { work.remove() }
        let dir = work.path
        try context.writeSyntheticCSV(incidents, 3, BenchContext.defaultStart, "\(dir)/city.csv")
        let store = try context.openSQLite("\(dir)/z.sqlite")
        let mapping = try Presets.mapping(named: "synthetic")
        try await store.setJurisdiction(city.jurisdiction)
        let importer = Importer(mapping: mapping, jurisdiction: city.jurisdiction, now: Date(), clock: { Date() })
        _ = try await importer.importFile(try InputFile(path: "\(dir)/city.csv"), into: store)
        var endToEnd: [Double] = []
        for run in 1...max(1, repeats) {
            let t0 = Date()
            let cycle = try await ProposalService(cellSizeMeters: size).propose(store: store, at: origin, id: "bench-\(run)")
            precondition(cycle.zones.count <= 4)
            try await store.saveCycle(try cycle.record(createdAt: Date()))
            endToEnd.append(Date().timeIntervalSince(t0))
            say(String(format: "  run %d: end to end from the store, %@ cells of %.0f m "
                       + "(load %@ incidents, forecast, optimise, stability, explain, record): %.2f s",
                       run, FixedText.grouped(grid.cellCount), size, FixedText.grouped(cycle.provenance.incidentCount), endToEnd.last!))
        }
        let e2e = endToEnd.sorted()[endToEnd.count / 2]
        say(String(format: "  goal end to end < 2 s: %@ (median %.2f s)", e2e < 2 ? "met" : "NOT met", e2e))
    }

    func timeOptimiser(_ surface: RiskSurface, label: String, say: (String) -> Void) throws -> Double {
        var times: [Double] = []
        for run in 1...max(1, repeats) {
            let t0 = Date()
            let plan = try ZoneOptimizer().optimize(surface)
            times.append(Date().timeIntervalSince(t0))
            say(String(format: "  run %d: optimiser, %@: %@ cells (%@ active), %d zones of up to %d cells, %.1f %% of forecast harm, %.0f ms",
                       run, label, FixedText.grouped(surface.grid.cellCount), FixedText.grouped(surface.grid.activeCells.count), plan.zones.count,
                       ZoneConstraints().maxCells(on: surface.grid), plan.capturedShare * 100, times.last! * 1000))
        }
        return times.sorted()[times.count / 2]
    }
}
