import Foundation
import Logging
import ZoneCastOversight
public import ZoneCastServices
import ZoneCastStore

extension WebEnvironment {
    /// The settings in force until an admin saves some: the thresholds and recipients `serve` read at start.
    var alertDefaults: AlertSettings {
        AlertSettings(thresholds: AlertThresholds(enforcement: configuration.enforcementThresholds, dosage: configuration.dosageThresholds),
                      recipients: configuration.alertRecipients, updatedAt: Date(timeIntervalSince1970: 0), updatedBy: "environment")
    }

    /// The alert settings in force (saved by an admin, else the defaults).
    func alertSettings() async throws -> AlertSettings {
        try await AlertSettings.current(store: store, defaults: alertDefaults)
    }

    /// Raises and mails the alerts (the scheduler of `serve` uses the same one).
    public var alertService: AlertService { AlertService(store: store, defaults: alertDefaults, mail: configuration.alertMail) }

    /// After a patrol log: evaluates the cycle in force's alerts as of now, from the server's caches. A failure is
    /// logged and does not undo the visit, which is already saved.
    func raiseAlertsAfterPatrolLog() async {
        do {
            try await alertService.evaluate(now: clock(), incidents: { [placeQueries, store] in try await placeQueries.incidents($0, store: store) },
                                            visitsByZone: { try await self.patrolVisitsByZone(cycleID: $0) })
        } catch {
            Logger(label: "zonecast.alerts").error("alert evaluation after a patrol log failed: \(error)")
        }
    }
}
