import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOversight
import ZoneCastPlanning
import ZoneCastServices
import ZoneCastStore

extension WebEnvironment {
    /// Thresholds for the monitor, as `serve` read them at start (the pages state the thresholds in force).
    var enforcementThresholds: EnforcementThresholds { configuration.enforcementThresholds }
    /// Low-patrol thresholds, as `serve` read them at start.
    var dosageThresholds: DosageThresholds { configuration.dosageThresholds }

    /// Dosage and the monitor for `zones` of a cycle (all its patrolling zones when nil) as of `asOf` (now when
    /// nil); computed as of now, it asks for the alert evaluation that raises the commanders' notices when the cycle
    /// is in force (in the background, `requestAlertEvaluation`; that evaluation itself passes `requestingAlerts: false`).
    /// Now is the database's (`dataTime()`): in an exercise, the data's own, and no notice is raised (nothing shown is
    /// the current situation).
    func patrolOversight(_ view: CycleView, zones: [ZoneCycle.ExplainedZone]? = nil, asOf: Date? = nil,
                         requestingAlerts: Bool = true) async throws -> CyclePatrolOversight? {
        guard let jurisdiction = try await store.jurisdiction() else { return nil }
        let settings = try await alertSettings()
        let tz = TimeZone(identifier: jurisdiction.timeZoneIdentifier) ?? .gmt
        let grid = await surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters)
        let time = try await dataTime()
        let now = time.now
        let at = min(asOf ?? now, now)
        let report = try await PatrolOversight.report(store: store, cycle: view.cycle, status: view.record.status(at: at), zones: zones ?? view.zones,
            grid: grid,
                                                timeZone: tz, now: at, dosageThresholds: settings.thresholds.dosage,
                                                enforcementThresholds: settings.thresholds.enforcement,
                                                incidents: { [placeQueries, store] in try await placeQueries.incidents($0, store: store) },
                                                visitsByZone: try patrolVisitsByZone(cycleID: view.cycle.id))
        if at == now && !time.isExercise && requestingAlerts { await requestAlertEvaluation() }
        return report
    }

    /// For the IRIS agenda: the cycle in force at `date` (the meeting's time, or now if that is earlier), as of then.
    func patrolOversightInForce(at date: Date) async throws -> CyclePatrolOversight? {
        guard let record = try await store.cycleInForce(at: date) else { return nil }
        return try await patrolOversight(try cycleView(record), asOf: date)
    }
}
