public import Foundation
import ZoneCastAccess
public import ZoneCastCore
import ZoneCastForecast
public import ZoneCastMail
public import ZoneCastOperations
public import ZoneCastOversight
import ZoneCastPlanning
public import ZoneCastStore

/// The alert settings an admin changes in the web application: the thresholds and who gets the e-mail. Stored as one
/// document, so the environment variables `serve` reads are only the default until an admin saves a change.
public struct AlertSettings: StoredDocument, Hashable {
    public static let kind = "alert-settings"
    public static let documentID = "alert-settings"

    public var id: String = AlertSettings.documentID
    public var thresholds: AlertThresholds
    /// Addresses as typed (checked by `MailAddress` when saved); accounts have no e-mail field.
    public var recipients: [String]
    public var updatedAt: Date
    public var updatedBy: String

    public init(thresholds: AlertThresholds, recipients: [String], updatedAt: Date, updatedBy: String) {
        self.thresholds = thresholds
        self.recipients = recipients
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    public var group: String { "" }
    public var recordedAt: Date { updatedAt }

    /// The saved settings, or `defaults` (from the environment) when an admin never saved any.
    public static func current(store: any AppStore, defaults: AlertSettings) async throws -> AlertSettings {
        try await store.document(AlertSettings.self, id: documentID) ?? defaults
    }
}

/// Where alert e-mail goes: the transport (an SMTP relay, or an in-memory outbox in tests), the sender and the
/// application's base URL for the link in the body. Recipients come from `AlertSettings`.
public struct AlertMail: Sendable {
    public var transport: any MailTransport
    public var from: MailAddress
    /// Without a final slash, e.g. "https://zonecast.pd.example".
    public var baseURL: String

    public init(transport: any MailTransport, from: MailAddress, baseURL: String) {
        self.transport = transport
        self.from = from
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }
}

/// Evaluates the enforcement and low-patrol alerts of the cycle in force and raises each once: the notice and its
/// audit entry in one transaction, then (with mail configured and recipients set) one e-mail whose receipt or error
/// is audited. The notice is saved before sending, so a failed send never loses it. Called by the scheduler's tick
/// and after every patrol log, so alerts fire without anyone opening a page.
public struct AlertService: Sendable {
    public static let actor = "alert-monitor"

    public let store: any AppStore
    /// The settings in force when no admin saved any (the environment's thresholds, no recipients).
    public var defaults: AlertSettings
    public var mail: AlertMail?

    public init(store: any AppStore, defaults: AlertSettings, mail: AlertMail? = nil) {
        self.store = store
        self.defaults = defaults
        self.mail = mail
    }

    /// What one evaluation did.
    public struct Outcome: Sendable {
        /// Alerts saved as notices now (not the ones already raised today).
        public var raised: [PatrolAlert] = []
        /// Alert id and the relay's reply, or the error, per e-mail attempted.
        public var mailed: [(alertID: String, result: Result<MailReceipt, MailError>)] = []
    }

    /// The alerts of the cycle in force at `now`, saved and mailed when new. Nothing when no cycle is in force.
    /// `incidents` and `visitsByZone` let the web server answer from its caches (the store otherwise).
    @discardableResult
    public func evaluate(now: Date, incidents: ((IncidentQuery) async throws -> [Incident])? = nil,
                         visitsByZone: ((String) async throws -> [String: [PatrolVisit]])? = nil) async throws -> Outcome {
        guard let record = try await store.cycleInForce(at: now), let jurisdiction = try await store.jurisdiction() else { return Outcome() }
        let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        let settings = try await AlertSettings.current(store: store, defaults: defaults)
        let tz = TimeZone(identifier: jurisdiction.timeZoneIdentifier) ?? .gmt
        let grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: cycle.provenance.cellSizeMeters)
        let report = try await PatrolOversight.report(store: store, cycle: cycle, status: record.status(at: now), zones: PatrolOversight.zones(of: cycle),
                                                      grid: grid, timeZone: tz, now: now, dosageThresholds: settings.thresholds.dosage,
                                                      enforcementThresholds: settings.thresholds.enforcement, incidents: incidents,
                                                      visitsByZone: try await visitsByZone?(cycle.id))
        return try await raise(report: report, settings: settings, now: now, timeZone: tz)
    }

    /// Raises the alerts of a report already computed (the zone page's), when its cycle is in force.
    public func raise(report: CyclePatrolOversight, settings: AlertSettings, now: Date, timeZone tz: TimeZone) async throws -> Outcome {
        guard report.status == CycleStatus.active.rawValue else { return Outcome() }
        let alerts = report.zones.flatMap {
            Oversight.patrolAlerts(cycleID: report.cycleID, enforcement: $0.enforcement, dosage: $0.dosage, now: now, timeZone: tz)
        }
        return try await raise(alerts, settings: settings, now: now)
    }

    /// Saves each alert whose notice does not exist yet (audited) and mails it. Returns what was new.
    public func raise(_ alerts: [PatrolAlert], settings: AlertSettings, now: Date) async throws -> Outcome {
        var outcome = Outcome()
        for alert in alerts {
            guard try await store.document(Notice.self, id: alert.id) == nil else { continue }
            let action: AuditAction = alert.kind == .enforcement ? .enforcementAlert : .lowPatrolAlert
            let detail = "\(alert.kind.rawValue) alert to commanders: " + alert.reasons.joined(separator: "; ")
            try await store.apply([.save(alert.notice), .audit(AuditDraft(at: now, actor: Self.actor, action: action, subject: alert.id, detail: detail))])
            outcome.raised.append(alert)
            guard let mail, !settings.recipients.isEmpty else { continue }
            let result = await send(alert, mail: mail, recipients: settings.recipients)
            outcome.mailed.append((alert.id, result))
            let text = switch result {
            case .success(let r): "sent to \(r.recipients.joined(separator: ", ")): \(r.serverReply)"
            case .failure(let e): "not sent: \(e)"
            }
            try await store.apply([.audit(AuditDraft(at: now, actor: Self.actor, action: .alertMail, subject: alert.id, detail: text))])
        }
        return outcome
    }

    private func send(_ alert: PatrolAlert, mail: AlertMail, recipients: [String]) async -> Result<MailReceipt, MailError> {
        do throws(MailError) {
            let to = try recipients.map { a throws(MailError) in try MailAddress(a, field: "recipients") }
            let domain = mail.from.address.split(separator: "@").last.map(String.init) ?? "zonecast.invalid"
            let message = MailMessage(from: mail.from, to: to, subject: "ZoneCast: " + alert.title, body: alert.mailBody(baseURL: mail.baseURL),
                                      date: alert.raisedAt, messageID: "\(alert.id)@\(domain)",
                                      headers: [try MailHeader("X-ZoneCast-Alert", alert.kind.rawValue)])
            return .success(try await mail.transport.send(message))
        } catch {
            return .failure(error)
        }
    }
}
