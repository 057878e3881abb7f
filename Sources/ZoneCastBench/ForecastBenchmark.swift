import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastSynthetic

/// `zonecast bench forecast`: the multi-factor harm surface from `incidents` synthetic incidents on a grid of at
/// least `cells` cells, timed `repeats` times (goal: median under 1 s).
public struct ForecastBenchmark: Sendable {
    public var incidents: Int
    public var cells: Int
    public var repeats: Int

    public init(incidents: Int, cells: Int, repeats: Int) {
        self.incidents = incidents
        self.cells = cells
        self.repeats = repeats
    }

    public func run(_ context: BenchContext) throws {
        let say = context.output
        context.warnIfDebugBuild()
        let city = SyntheticCity()
        let generated = Date()
        let events = BenchCity.events(SyntheticIncidentGenerator(rowCount: incidents, seed: 1), city: city, includePoliceInitiated: true)
        say(String(format: "bench forecast: %@ synthetic incidents generated in %.2f s", FixedText.grouped(events.count), Date().timeIntervalSince(generated)))
        let (sw, ne, size) = BenchCity.extent(city, cells: cells)
        let grid = Grid(originX: sw.xMeters, originY: sw.yMeters, cellSizeMeters: size,
                        columns: Int(((ne.xMeters - sw.xMeters) / size).rounded(.up)), rows: Int(((ne.yMeters - sw.yMeters) / size).rounded(.up)))
        let origin = Date(timeIntervalSince1970: (events.latestPossibleTime ?? 0).rounded(.up))
        let input = ForecastInput(history: events, grid: grid, window: ForecastWindow(start: origin, hours: 96))
        var times: [Double] = []
        for run in 1...max(1, repeats) {
            let t0 = Date()
            let f = try HarmSurfaceModel().forecast(input)
            times.append(Date().timeIntervalSince(t0))
            say(String(format: "  run %d: harm surface over %@ cells (%.0f m) from %@ incidents in %.3f s (total expected harm %.0f)",
                       run, FixedText.grouped(grid.cellCount), size, FixedText.grouped(events.count), times.last!, f.surface.total))
        }
        let median = times.sorted()[times.count / 2]
        say(String(format: "  goal < 1 s: %@ (median %.3f s)", median < 1 ? "met" : "NOT met", median))
    }
}

/// `zonecast bench sepp`: the self-exciting point process fitted to `events` synthetic shootings (goal: under 10 s),
/// against the generator's truth.
public struct PointProcessBenchmark: Sendable {
    public var events: Int

    public init(events: Int) { self.events = events }

    public func run(_ context: BenchContext) throws {
        let say = context.output
        context.warnIfDebugBuild()
        let city = SyntheticCity()
        // Shootings are about 5 % of the default mix; generate enough rows, keep the first `events` shootings.
        let generator = SyntheticIncidentGenerator(rowCount: events * 22, seed: 5)
        let all = BenchCity.events(generator, city: city).only([.homicide, .nonFatalShooting, .driveByShooting])
        let shootings = all.filtered { $0 < events }
        let truth = generator.metadata().shootingProcess
        let t0 = Date()
        let fit = try SelfExcitingModel().fit(shootings)
        let seconds = Date().timeIntervalSince(t0)
        let p = fit.parameters
        let days = String(format: "%.0f", (fit.observationEnd - fit.observationStart) / 86_400)
        say("bench sepp: \(FixedText.grouped(shootings.count)) synthetic shootings over \(days) days, \(FixedText.grouped(fit.pairCount)) candidate pairs, "
            + "\(fit.iterations) EM iterations (converged: \(fit.converged))")
        say(String(format: "  fitted: branching ratio %.3f (truth %.3f), mean delay %.2f d (truth %.2f), sigma %.0f m (truth %.0f)",
                   p.branchingRatio, truth.branchingRatio, p.triggerMeanDays, 1 / truth.omegaPerDay, p.sigmaMeters, truth.sigmaMeters))
        say(String(format: "  goal < 10 s: %@ (%.2f s)", seconds < 10 ? "met" : "NOT met", seconds))
    }
}
