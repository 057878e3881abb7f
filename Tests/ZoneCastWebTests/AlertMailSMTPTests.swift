import Foundation
import Testing
import ZoneCastMail
import ZoneCastOperations
import ZoneCastServices
import ZoneCastStore
@testable import ZoneCastWeb
import ZoneCastSQLite
import ZoneCastOversight

/// The whole path against the local SMTP server scripts/test starts (scripts/smtp-test-server): an alert raised
/// by the scheduler's check, with no page opened, arrives by mail. Cancelled with the reason when the server's
/// variables are not set.
@Suite("Alert e-mail through the local SMTP server")
struct AlertMailSMTPTests {
    @Test("given C1 in force and an SMTP relay, when the scheduler checks alerts, then each new alert's message is stored by the server for the recipient")
    func schedulerAlertArrivesByMail() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["ZONECAST_TEST_SMTP_URL"], let dirText = environment["ZONECAST_TEST_SMTP_DIR"] else {
            try Test.cancel(Comment(rawValue: "ZONECAST_TEST_SMTP_URL and ZONECAST_TEST_SMTP_DIR are not set (scripts/test starts scripts/smtp-test-server)"))
        }
        let store = try await FieldFixture.store()
        // A recipient unique to this run, so a message left in the directory by an earlier run cannot pass the test.
        let recipient = "duty-\(UUID().uuidString.prefix(8).lowercased())@pd.example"
        let mail = AlertMail(transport: SMTPTransport(configuration: try SMTPConfiguration(url: url + "?timeout=10")),
                             from: try MailAddress("zonecast@pd.example"), baseURL: "https://zonecast.pd.example")
        let service = AlertService(store: store, defaults: AlertSettings(thresholds: .standard, recipients: [recipient], updatedAt: WebFixture.now,
                                                                         updatedBy: "test"), mail: mail)
        let outcome = try await ProposalScheduler(store: store, alerts: service).checkAlerts(now: WebFixture.now)
        #expect(!outcome.raised.isEmpty)
        #expect(outcome.mailed.count == outcome.raised.count)
        for m in outcome.mailed { if case .failure(let e) = m.result { Issue.record("\(m.alertID): \(e)") } }

        let dir = URL(fileURLWithPath: dirText)
        var found: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let envelope = try JSONSerialization.jsonObject(with: try Data(contentsOf: dir.appendingPathComponent(name))) as? [String: Any] ?? [:]
            guard (envelope["rcpt_tos"] as? [String]) == [recipient] else { continue }
            let text = try String(contentsOf: dir.appendingPathComponent(String(name.dropLast(5)) + ".eml"), encoding: .utf8)
            found += outcome.raised.map(\.id).filter { text.contains("Message-ID: <\($0)@pd.example>\r\n") }
        }
        #expect(found.sorted() == outcome.raised.map(\.id).sorted())
        let audit = try await store.latestAuditEntries(limit: 200).filter { $0.action == AuditAction.alertMail.rawValue }
        #expect(audit.count == outcome.raised.count && audit.allSatisfy { $0.detail.hasPrefix("sent to \(recipient): 250") })
    }
}
