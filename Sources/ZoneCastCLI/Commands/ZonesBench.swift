import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastIngest
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastSynthetic
import ZoneCastZoning

extension BenchCommand {
    struct ZonesBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "zones",
            abstract: "Time a proposal on a grid of at least 200,000 cells: the optimiser alone (goal < 250 ms) and end to end from the store (goal < 2 s).",
            discussion: """
                Two grids: a metropolitan area of 150 m cells (the synthetic city tiled 4 x 4, about 80 x 64 km: the default \
                cell size, zones of up to 28 cells), which the goals are judged on; and the synthetic city alone in 39 m \
                cells (zones of up to 427 cells), reported as a stress case.
                Example: swift run -c release zonecast bench zones
                """)

        @Option(help: "Synthetic rows imported for the end-to-end run.") var incidents = 200_000
        @Option(help: "Minimum number of grid cells.") var cells = 200_000
        @Option(help: "Timed repetitions (the median is judged).") var repeats = 3

        func run() throws { try CLIFailure.run(perform) }

        func perform() throws {
            warnIfDebugBuild()
            let city = SyntheticCity()
            let projection = city.jurisdiction.projection
            let (sw, ne, size) = syntheticCityExtent(city, cells: cells)

            let events = syntheticEvents(SyntheticIncidentGenerator(rowCount: incidents, seed: 3), city: city)
            let origin = Date(timeIntervalSince1970: (events.latestPossibleTime ?? 0).rounded(.up))
            let window = ForecastWindow(start: origin, hours: 96)
            // Metropolitan: 4 x 4 copies of the city side by side, 150 m cells.
            let w = ne.xMeters - sw.xMeters, h = ne.yMeters - sw.yMeters
            var metro = EventSet()
            for i in 0..<4 { for j in 0..<4 {
                for k in 0..<events.count {
                    metro.append(x: events.x[k] + Double(i) * w, y: events.y[k] + Double(j) * h, time: events.time[k], precisionSeconds: events.precisionSeconds[k], category: events.category[k])
                }
            }}
            let metroGrid = Grid(originX: sw.xMeters, originY: sw.yMeters, cellSizeMeters: 150, columns: Int((4 * w / 150).rounded(.up)), rows: Int((4 * h / 150).rounded(.up)))
            let metroSurface = try HarmSurfaceModel().forecast(ForecastInput(history: metro, grid: metroGrid, window: window)).surface
            let metroMedian = try timeOptimiser(metroSurface, label: "metropolitan grid, 150 m")
            print(String(format: "  goal optimiser < 250 ms on 200,000+ cells of 150 m: %@ (median %.0f ms)", metroMedian < 0.25 ? "met" : "NOT met", metroMedian * 1000))
            // Stress: the city alone in fine cells.
            let grid = Grid.covering(city.jurisdiction.boundary, projection: projection, cellSizeMeters: size)
            let surface = try HarmSurfaceModel().forecast(ForecastInput(history: events, grid: grid, window: window)).surface
            _ = try timeOptimiser(surface, label: String(format: "fine grid, %.0f m (stress)", size))

            // End to end: a store holding the synthetic city, a full proposal with explanations, recorded.
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zonecast-bench-zones-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            _ = try writeSyntheticCSV(rows: incidents, seed: 3, to: "\(dir)/city.csv")
            let store = try EdgeConfiguration.process.openSQLite("\(dir)/z.sqlite")
            let mapping = try Presets.mapping(named: "synthetic")
            try store.setJurisdiction(city.jurisdiction)
            let importer = Importer(mapping: mapping, jurisdiction: city.jurisdiction, now: Date(), clock: EdgeConfiguration.wallClock)
            _ = try importer.importFile(try InputFile(path: "\(dir)/city.csv"), into: store)
            var endToEnd: [Double] = []
            for run in 1...max(1, repeats) {
                let t0 = Date()
                let cycle = try ProposalService(cellSizeMeters: size).propose(store: store, at: origin, id: "bench-\(run)")
                precondition(cycle.zones.count <= 4)
                try store.saveCycle(try cycle.record(createdAt: Date()))
                endToEnd.append(Date().timeIntervalSince(t0))
                print(String(format: "  run %d: end to end from the store, %@ cells of %.0f m (load %@ incidents, forecast, optimise, stability, explain, record): %.2f s",
                             run, formatCount(grid.cellCount), size, formatCount(cycle.provenance.incidentCount), endToEnd.last!))
            }
            let e2e = endToEnd.sorted()[endToEnd.count / 2]
            print(String(format: "  goal end to end < 2 s: %@ (median %.2f s)", e2e < 2 ? "met" : "NOT met", e2e))
        }

        func timeOptimiser(_ surface: RiskSurface, label: String) throws -> Double {
            var times: [Double] = []
            for run in 1...max(1, repeats) {
                let t0 = Date()
                let plan = try ZoneOptimizer().optimize(surface)
                times.append(Date().timeIntervalSince(t0))
                print(String(format: "  run %d: optimiser, %@: %@ cells (%@ active), %d zones of up to %d cells, %.1f %% of forecast harm, %.0f ms",
                             run, label, formatCount(surface.grid.cellCount), formatCount(surface.grid.activeCells.count), plan.zones.count,
                             ZoneConstraints().maxCells(on: surface.grid), plan.capturedShare * 100, times.last! * 1000))
            }
            return times.sorted()[times.count / 2]
        }
    }
}
