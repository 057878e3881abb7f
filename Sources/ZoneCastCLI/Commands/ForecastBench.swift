import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastSynthetic

extension BenchCommand {
    struct ForecastBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forecast",
            abstract: "Time the multi-factor harm surface: 1,000,000 synthetic incidents on a grid of at least 200,000 cells (goal: under 1 s).",
            discussion: "Example: swift run -c release zonecast bench forecast")

        @Option(help: "Synthetic incidents.") var incidents = 1_000_000
        @Option(help: "Minimum number of grid cells.") var cells = 200_000
        @Option(help: "Timed repetitions (the median is judged).") var repeats = 3

        func run() throws { try CLIFailure.run(perform) }

        func perform() throws {
            warnIfDebugBuild()
            let city = SyntheticCity()
            let generated = Date()
            let events = syntheticEvents(SyntheticIncidentGenerator(rowCount: incidents, seed: 1), city: city, includePoliceInitiated: true)
            print(String(format: "bench forecast: %@ synthetic incidents generated in %.2f s", formatCount(events.count), Date().timeIntervalSince(generated)))
            let (sw, ne, size) = syntheticCityExtent(city, cells: cells)
            let grid = Grid(originX: sw.xMeters, originY: sw.yMeters, cellSizeMeters: size,
                            columns: Int(((ne.xMeters - sw.xMeters) / size).rounded(.up)), rows: Int(((ne.yMeters - sw.yMeters) / size).rounded(.up)))
            let origin = Date(timeIntervalSince1970: (events.latestPossibleTime ?? 0).rounded(.up))
            let input = ForecastInput(history: events, grid: grid, window: ForecastWindow(start: origin, hours: 96))
            var times: [Double] = []
            for run in 1...max(1, repeats) {
                let t0 = Date()
                let f = try HarmSurfaceModel().forecast(input)
                times.append(Date().timeIntervalSince(t0))
                print(String(format: "  run %d: harm surface over %@ cells (%.0f m) from %@ incidents in %.3f s (total expected harm %.0f)",
                             run, formatCount(grid.cellCount), size, formatCount(events.count), times.last!, f.surface.total))
            }
            let median = times.sorted()[times.count / 2]
            print(String(format: "  goal < 1 s: %@ (median %.3f s)", median < 1 ? "met" : "NOT met", median))
        }
    }
}

/// The generator's clean rows as model input (police-initiated rows excluded, as models do by default).
func syntheticEvents(_ generator: SyntheticIncidentGenerator, city: SyntheticCity, includePoliceInitiated: Bool = false) -> EventSet {
    var clock = LocalTimeConverter(timeZone: TimeZone(identifier: city.jurisdiction.timeZoneIdentifier)!)
    var events = EventSet()
    _ = generator.generate { row in
        guard row.defect == .none, includePoliceInitiated || !row.isPoliceInitiated else { return }
        events.append(x: row.position.xMeters, y: row.position.yMeters, time: clock.instant(row.occurred).timeIntervalSince1970,
                      precisionSeconds: Double(row.timePrecision.intervalSeconds), category: row.category)
    }
    return events
}

/// The synthetic city's bounding box in its projection, and the whole-metre cell size that gives at least
/// `cells` cells over it.
func syntheticCityExtent(_ city: SyntheticCity, cells: Int) -> (sw: PlanarPoint, ne: PlanarPoint, cellSizeMeters: Double) {
    let projection = city.jurisdiction.projection
    let box = city.jurisdiction.boundary.boundingBox!
    let sw = projection.project(GeoPoint(latitude: box.minLatitude, longitude: box.minLongitude))
    let ne = projection.project(GeoPoint(latitude: box.maxLatitude, longitude: box.maxLongitude))
    return (sw, ne, (((ne.xMeters - sw.xMeters) * (ne.yMeters - sw.yMeters)) / Double(cells)).squareRoot().rounded(.down))
}
