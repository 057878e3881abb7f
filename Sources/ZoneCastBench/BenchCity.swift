import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastIngest
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastSynthetic

/// The synthetic city as the benchmarks use it.
enum BenchCity {
    /// The synthetic city's `rows` incidents ending yesterday (written to `csv`, imported into `store`), and the
    /// proposal made at `origin`, approved as proposed with `reason` and saved: what the HTTP benchmarks serve.
    static func approvedCycle(in store: any AppStore, context: BenchContext, rows: Int, seed: UInt64, csv: String, origin: Date,
                              reason: String) async throws -> ZoneCycle {
        let duration = SyntheticIncidentGenerator(rowCount: rows, seed: seed).configuration.durationDays
        let today = Int((Date().timeIntervalSince1970 / 86_400).rounded(.down))
        try context.writeSyntheticCSV(rows, seed, LocalDate(daysSinceEpoch: today - duration), csv)
        let city = SyntheticCity()
        try await store.setJurisdiction(city.jurisdiction)
        _ = try await Importer(mapping: try Presets.mapping(named: "synthetic"), jurisdiction: city.jurisdiction, weights: try store.harmWeights(), now: Date(),
                         clock: { Date() })
            .importFile(try InputFile(path: csv), into: store)
        let id = "C-" + ISO8601DateFormatter().string(from: origin).replacingOccurrences(of: ":", with: "")
        var cycle = try await ProposalService().propose(store: store, at: origin, id: id)
        guard !cycle.zones.isEmpty else { throw BenchError("the proposal has no zones; nothing to serve") }
        cycle.status = .approved
        cycle.approvedZones = cycle.zones.map(\.zone)
        cycle.approvalReason = reason
        try await store.saveCycle(try cycle.record(createdAt: Date()))
        return cycle
    }

    /// The generator's clean rows as model input (police-initiated rows excluded, as models do by default).
    static func events(_ generator: SyntheticIncidentGenerator, city: SyntheticCity, includePoliceInitiated: Bool = false) -> EventSet {
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
    static func extent(_ city: SyntheticCity, cells: Int) -> (sw: PlanarPoint, ne: PlanarPoint, cellSizeMeters: Double) {
        let projection = city.jurisdiction.projection
        let box = city.jurisdiction.boundary.boundingBox!
        let sw = projection.project(GeoPoint(latitude: box.minLatitude, longitude: box.minLongitude))
        let ne = projection.project(GeoPoint(latitude: box.maxLatitude, longitude: box.maxLongitude))
        return (sw, ne, (((ne.xMeters - sw.xMeters) * (ne.yMeters - sw.yMeters)) / Double(cells)).squareRoot().rounded(.down))
    }
}
