import Foundation
import Logging
import ZoneCastCore
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

    /// Asks for an evaluation of the cycle in force's alerts in the background (`AlertTrigger`): after every
    /// patrol log and every view of a cycle's patrol figures as of now, so alerts fire without anyone opening a page
    /// and without the request waiting for the evaluation or its e-mail.
    func requestAlertEvaluation() async {
        switch configuration.alertEvaluation {
        case .inRequest: await evaluateAlertsNow()
        case .background: alertTrigger.request { [self] in await evaluateAlertsNow() }
        }
    }

    /// Returns once the alert evaluations asked for so far have run (tests check what they raised).
    public func alertsSettled() async {
        await alertTrigger.settled()
    }

    /// Raises the alerts of the cycle in force as of now, from the server's caches (the decoded cycle, the grid, the
    /// incident queries and the cycle's visits). A failure is logged: the visit or page that asked is long done.
    func evaluateAlertsNow() async {
        do {
            // An exercise (historical data) raises nothing: nothing it shows is the current situation.
            let time = try await dataTime()
            let now = time.now
            guard !time.isExercise, let record = try await store.cycleInForce(at: now),
                  let report = try await patrolOversight(try await cycleView(record), requestingAlerts: false) else { return }
            try await alertService.raise(report: report, settings: try await alertSettings(), now: now, timeZone: try await timeZone())
        } catch {
            Logger(label: "zonecast.alerts").error("alert evaluation failed: \(error)")
        }
    }
}
