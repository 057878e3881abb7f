import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastMail
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastPlanning
import ZoneCastServices
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

/// Alerts that fire without anyone opening a page: every patrol log and the scheduler raise enforcement and
/// low-patrol notices once, audited, mailed when a relay is configured; commanders read them at /notices; admins
/// change thresholds and recipients at /settings/alerts.
@Suite("Alerts: patrol logs and the scheduler raise notices and e-mail; notices page; alert settings", .serialized)
struct AlertRouteTests {
    static func environment(_ store: SQLiteIncidentStore, outbox: InMemoryOutbox, recipients: [String]) throws -> WebEnvironment {
        var configuration = WebConfiguration()
        configuration.alertMail = AlertMail(transport: outbox, from: try MailAddress("zonecast@pd.example"), baseURL: "https://zonecast.pd.example/")
        configuration.alertRecipients = recipients
        // As `serve` runs it (without the spacing): the patrol log's response does not wait for the evaluation.
        configuration.alertEvaluation = .background(spacing: .zero)
        return WebEnvironment(store: store, throttle: LoginThrottle(maxFailures: 50), configuration: configuration,
                              passwordCheck: WebFixture.passwordCheck, clock: { WebFixture.now })
    }

    @Test("given C1 in force 31 h with no visits, when an officer logs a visit with two minor citations, then enforcement and low-patrol notices are saved once, audited, mailed, and listed at /notices")
    func patrolLogRaisesAlerts() async throws {
        let store = try await FieldFixture.store()
        try await store.save(Deployment(id: "dep-alert-z1", cycleID: "C1", zoneID: "Z1", units: [.traffic], assignedBy: "commander", assignedAt: WebFixture.now,
                                        reason: ""), audit: nil)
        let outbox = InMemoryOutbox()
        let env = try Self.environment(store, outbox: outbox, recipients: ["duty@pd.example"])
        let tz = try await env.timeZone()
        let day = Oversight.dayKey(WebFixture.now, timeZone: tz)
        let app = Application(router: buildRouter(env))
        try await app.test(.router) { client in
            let officer = try await Browser.signedIn(client, as: "officer")
            #expect(try await store.documents(Notice.self, group: Role.commander.rawValue).isEmpty)
            let start = localInputValue(WebFixture.now.addingTimeInterval(-30 * 60), timeZone: tz)
            let end = localInputValue(WebFixture.now.addingTimeInterval(-18 * 60), timeZone: tz)
            let logged = try await officer.post(client, "/patrols", [("zone", "C1/Z1"), ("start", start), ("end", end), ("minorCitations", "2")])
            #expect(logged.status == .seeOther)
            // The log asked for the evaluation; the response did not wait for it.
            await env.alertsSettled()

            let notices = try await store.documents(Notice.self, group: Role.commander.rawValue)
            let enforcement = "notice-enforcement-C1-Z1-\(day)"
            #expect(notices.contains { $0.id == enforcement })
            let lowPatrol = notices.filter { $0.id.hasPrefix("notice-low-patrol-C1-") }
            #expect(!lowPatrol.isEmpty && lowPatrol.allSatisfy { $0.id.hasSuffix("-\(day)") && $0.text.hasPrefix("Little patrol in zone ") })
            let audit = try await store.latestAuditEntries(limit: 500)
            #expect(audit.filter { $0.action == AuditAction.enforcementAlert.rawValue && $0.subject == enforcement }.count == 1)
            #expect(audit.filter { $0.action == AuditAction.lowPatrolAlert.rawValue }.count == lowPatrol.count)
            #expect(audit.filter { $0.action == AuditAction.alertMail.rawValue && $0.detail.hasPrefix("sent to duty@pd.example") }.count == notices.count)
            let sent = outbox.sent
            #expect(sent.count == notices.count)
            let mail = try #require(sent.first { $0.message.messageID == "\(enforcement)@pd.example" })
            #expect(mail.message.to.map(\.address) == ["duty@pd.example"] && mail.message.subject == "ZoneCast: Enforcement above threshold in zone Z1")
            #expect(mail.message.body.contains("Open: https://zonecast.pd.example/zones/C1/Z1"))

            // A second log the same day raises nothing new and sends nothing more.
            let s2 = localInputValue(WebFixture.now.addingTimeInterval(-15 * 60), timeZone: tz)
            let e2 = localInputValue(WebFixture.now.addingTimeInterval(-3 * 60), timeZone: tz)
            #expect(try await officer.post(client, "/patrols", [("zone", "C1/Z1"), ("start", s2), ("end", e2)]).status == .seeOther)
            await env.alertsSettled()
            #expect(try await store.documents(Notice.self, group: Role.commander.rawValue).count == notices.count)
            #expect(outbox.sent.count == notices.count)

            let commander = try await Browser.signedIn(client, as: "commander")
            let page = try await commander.get(client, "/notices")
            #expect(page.status == .ok && page.text.contains("data-notice=\"\(enforcement)\"") && page.text.contains("href=\"/zones/C1/Z1#enforcement\""))
            #expect(page.text.components(separatedBy: "data-notice=\"").count - 1 == notices.count)
            let dashboard = try await commander.get(client, "/")
            #expect(dashboard.text.contains("Little patrol in zone "))
            #expect(try await officer.get(client, "/notices").status == .forbidden)
        }
    }

    @Test("a relay that refuses the message: the notice is kept and the failure audited")
    func failedSendKeepsNotice() async throws {
        let store = try await FieldFixture.store()
        let outbox = InMemoryOutbox()
        // No "@": MailAddress refuses the recipient, as a relay would.
        let env = try Self.environment(store, outbox: outbox, recipients: ["not-an-address"])
        let outcome = try await env.alertService.evaluate(now: WebFixture.now)
        #expect(!outcome.raised.isEmpty && outbox.sent.isEmpty)
        #expect(try await store.documents(Notice.self, group: Role.commander.rawValue).count == outcome.raised.count)
        let failures = try await store.latestAuditEntries(limit: 500).filter { $0.action == AuditAction.alertMail.rawValue }
        #expect(failures.count == outcome.raised.count && failures.allSatisfy { $0.detail.hasPrefix("not sent: ") && $0.detail.contains("not-an-address") })
    }

    @Test("an admin changes thresholds and recipients at /settings/alerts: out-of-range values refused naming field, value and range; the change audited and used")
    func settings() async throws {
        let store = try await FieldFixture.store()
        let outbox = InMemoryOutbox()
        let env = try Self.environment(store, outbox: outbox, recipients: [])
        let app = Application(router: buildRouter(env))
        try await app.test(.router) { client in
            let admin = try await Browser.signedIn(client, as: "admin")
            let form = try await admin.get(client, "/settings/alerts")
            #expect(form.status == .ok && form.text.contains("name=\"dosage_max_gap_hours\"") && form.text.contains("name=\"csrf\""))
            let bad = try await admin.post(client, "/settings/alerts", [("dosage_max_gap_hours", "500"), ("recipients", "")])
            #expect(bad.status == .badRequest && bad.text.contains("dosage_max_gap_hours &quot;500&quot;") && bad.text.contains("from 1 to 168 hours"))
            let badMail = try await admin.post(client, "/settings/alerts", [("recipients", "duty@pd.example, nobody")])
            #expect(badMail.status == .badRequest && badMail.text.contains("recipients &quot;nobody&quot;"))
            #expect(try await admin.post(client, "/settings/alerts", [("dosage_max_gap_hours", "36")], csrf: false).status == .forbidden)
            #expect(try await store.document(AlertSettings.self, id: AlertSettings.documentID) == nil)

            // Minimum visits 0 and full coverage 0: no low-patrol alert; e-mail to the new recipient.
            let ok = try await admin.post(client, "/settings/alerts", [("dosage_max_gap_hours", "168"), ("dosage_min_visits_per_day", "0"),
                                                                        ("dosage_min_harm_coverage", "0"), ("recipients", "duty@pd.example")])
            #expect(ok.status == .seeOther && ok.headers[.location] == "/settings/alerts?saved=1")
            let saved = try #require(try await store.document(AlertSettings.self, id: AlertSettings.documentID))
            #expect(saved.thresholds.dosage.maxGapHours == 168 && saved.recipients == ["duty@pd.example"] && saved.updatedBy == "admin")
            let entry = try #require(try await store.latestAuditEntries(limit: 5).first { $0.action == AuditAction.alertSettings.rawValue })
            #expect(entry.actor == "admin" && entry.detail.contains("dosage_max_gap_hours 24 → 168") && entry.detail.contains("recipients  → duty@pd.example"))

            let outcome = try await env.alertService.evaluate(now: WebFixture.now)
            #expect(outcome.raised.allSatisfy { $0.kind == .enforcement })
            let commander = try await Browser.signedIn(client, as: "commander")
            #expect(try await commander.get(client, "/settings/alerts").status == .forbidden)
        }
    }

    @Test("the scheduler's alert check raises the cycle in force's alerts once, with no page opened and no patrol logged")
    func schedulerRaisesAlerts() async throws {
        let store = try await FieldFixture.store()
        let outbox = InMemoryOutbox()
        let env = try Self.environment(store, outbox: outbox, recipients: ["duty@pd.example"])
        let scheduler = ProposalScheduler(store: store, alerts: env.alertService)
        let first = try await scheduler.checkAlerts(now: WebFixture.now)
        #expect(!first.raised.isEmpty && first.raised.allSatisfy { $0.kind == .lowPatrol })
        #expect(outbox.sent.count == first.raised.count)
        let again = try await scheduler.checkAlerts(now: WebFixture.now.addingTimeInterval(600))
        #expect(again.raised.isEmpty && outbox.sent.count == first.raised.count)
        // Before the cycle starts nothing is in force: nothing raised.
        let before = try await scheduler.checkAlerts(now: ISO8601DateFormatter().date(from: "2024-05-01T00:00:00Z")!)
        #expect(before.raised.isEmpty)
    }
}
