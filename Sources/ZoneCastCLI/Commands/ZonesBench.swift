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
            discussion: "Example: swift run -c release zonecast bench zones")

        @Option(help: "Synthetic rows imported for the end-to-end run.") var incidents = 200_000
        @Option(help: "Minimum number of grid cells.") var cells = 200_000
        @Option(help: "Timed repetitions (the median is judged).") var repeats = 3

        func run() throws { try CLIFailure.run(perform) }

        func perform() throws {
            #if DEBUG
            print("warning: this is a debug build; figures are only meaningful with -c release")
            #endif
            let city = SyntheticCity()
            let box = city.jurisdiction.boundary.boundingBox!
            let projection = city.jurisdiction.projection
            let sw = projection.project(GeoPoint(latitude: box.minLatitude, longitude: box.minLongitude))
            let ne = projection.project(GeoPoint(latitude: box.maxLatitude, longitude: box.maxLongitude))
            let size = (((ne.xMeters - sw.xMeters) * (ne.yMeters - sw.yMeters)) / Double(cells)).squareRoot().rounded(.down)

            // Optimiser alone, on the harm surface of the synthetic city.
            let events = syntheticEvents(SyntheticIncidentGenerator(rowCount: incidents, seed: 3), city: city)
            let grid = Grid.covering(city.jurisdiction.boundary, projection: projection, cellSizeMeters: size)
            let origin = Date(timeIntervalSince1970: (events.latestPossibleTime ?? 0).rounded(.up))
            let surface = try HarmSurfaceModel().forecast(ForecastInput(history: events, grid: grid, window: ForecastWindow(start: origin, hours: 96))).surface
            var times: [Double] = []
            var plan: ZonePlan?
            for run in 1...max(1, repeats) {
                let t0 = Date()
                plan = try ZoneOptimizer().optimize(surface)
                times.append(Date().timeIntervalSince(t0))
                print(String(format: "  run %d: optimiser on %@ cells (%.0f m, %@ active): %d zones, %.1f %% of forecast harm, %.0f ms",
                             run, formatCount(grid.cellCount), size, formatCount(grid.activeCells.count), plan!.zones.count, plan!.capturedShare * 100, times.last! * 1000))
            }
            let optimiser = times.sorted()[times.count / 2]
            print(String(format: "  goal optimiser < 250 ms: %@ (median %.0f ms)", optimiser < 0.25 ? "met" : "NOT met", optimiser * 1000))

            // End to end: a store holding the synthetic city, a full proposal with explanations, recorded.
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zonecast-bench-zones-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            _ = try writeSyntheticCSV(rows: incidents, seed: 3, to: "\(dir)/city.csv")
            let store = try SQLiteIncidentStore(path: "\(dir)/z.sqlite")
            let mapping = try Presets.mapping(named: "synthetic")
            try store.setJurisdiction(city.jurisdiction)
            _ = try Importer(mapping: mapping, jurisdiction: city.jurisdiction, now: Date()).importFile(try InputFile(path: "\(dir)/city.csv"), into: store)
            var endToEnd: [Double] = []
            for run in 1...max(1, repeats) {
                let t0 = Date()
                let cycle = try ProposalService(cellSizeMeters: size).propose(store: store, at: origin, id: "bench-\(run)")
                try store.saveCycle(try cycle.record(createdAt: Date()))
                endToEnd.append(Date().timeIntervalSince(t0))
                print(String(format: "  run %d: end to end from the store (load %@ incidents, forecast, optimise, stability, explain, record): %.2f s",
                             run, formatCount(cycle.provenance.incidentCount), endToEnd.last!))
            }
            let e2e = endToEnd.sorted()[endToEnd.count / 2]
            print(String(format: "  goal end to end < 2 s: %@ (median %.2f s)", e2e < 2 ? "met" : "NOT met", e2e))
        }
    }
}
