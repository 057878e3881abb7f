import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

/// The oversight pages of the non-enforcement monitor and patrol dosage (issue #15): on DosageFixture (C1 in force,
/// the traffic unit's two visits to Z1 with minor-infraction citations, one visit outside every zone).
@Suite("Oversight pages: the non-enforcement monitor and dosage for auditors", .serialized)
struct PatrolOversightPagesTests {
    static var store: SQLiteIncidentStore { get async { await storeTask.value } }
    private static let storeTask = Task { try! await DosageFixture.store() }

    func zoneIDs() async throws -> [String] {
        let record = try await #require(try await Self.store.cycle(id: "C1"))
        return try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document).zones.map(\.id)
    }

    @Test("given C1 in force, when an auditor opens /oversight/enforcement, then every zone's rates, Z1's alert and the all-zones ratio show, no element id twice, with no map, cells or zone links, and the view is audited naming the cycle")
    func auditorReadsTheMonitor() async throws {
        let app = await Application(router: buildRouter(FieldFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let auditor = try await Browser.signedIn(client, as: "auditor")
            let page = try await auditor.get(client, "/oversight/enforcement")
            #expect(page.status == .ok)
            let text = page.text
            for id in try await zoneIDs() { #expect(text.contains("data-zone-id=\"\(id)\""), "\(id)") }
            // Z1: 2 minor citations in 27 minutes (4.44 an hour), 2 contacts : 2 enforcement; the units' outside visit is compared.
            #expect(text.contains("4.44 minor-infraction citations per patrol hour"))
            #expect(text.contains("Enforcement alerts in: Z1."))
            #expect(text.contains("id=\"all-zones-ratio\"") && text.contains("<strong>2 : 2</strong>"))
            #expect(text.contains("Traffic Division outside zones"))
            #expect(!text.contains("<svg") && !text.contains("href=\"/zones/") && !text.contains("data-cell=") && !text.contains("\"cells\""))
            // Each zone's section names its elements by the zone: no id twice on the page.
            #expect(repeatedElementIDs(in: text).isEmpty, "\(repeatedElementIDs(in: text))")
            #expect(text.contains("id=\"enforcement-monitor-Z1\""))
            let entries = try await Self.store.latestAuditEntries(limit: 10)
            let viewed = entries.filter { (e: AuditEntry) -> Bool in e.actor == "auditor" && e.subject == "enforcement monitor C1" }
            #expect(viewed.map(\.action) == [AuditAction.viewOversight.rawValue])
            #expect(viewed.first?.detail.contains("1 with an enforcement alert, no map") == true)
        }
    }

    @Test("given C1 in force, when an auditor opens /oversight/dosage, then the summary flags Z1 (1.5 visits a day) and each zone's hour chart shows under an id of its own, audited; a commander's page links the zones")
    func dosage() async throws {
        let app = await Application(router: buildRouter(FieldFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let auditor = try await Browser.signedIn(client, as: "auditor")
            let page = try await auditor.get(client, "/oversight/dosage?cycle=C1")
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"dosage-summary\""))
            for id in try await zoneIDs() { #expect(page.text.contains("id=\"hour-chart-\(id)\""), "\(id)") }
            #expect(try await zoneIDs().count > 1 && repeatedElementIDs(in: page.text).isEmpty, "\(repeatedElementIDs(in: page.text))")
            #expect(page.text.contains("Little patrol in: ") && page.text.contains("Z1"))
            #expect(!page.text.contains("href=\"/zones/"))
            let entries = try await Self.store.latestAuditEntries(limit: 10)
            let viewed = entries.filter { (e: AuditEntry) -> Bool in e.actor == "auditor" && e.subject == "patrol dosage C1" }
            #expect(viewed.map(\.action) == [AuditAction.viewOversight.rawValue])

            let commander = try await Browser.signedIn(client, as: "commander")
            #expect(try await commander.get(client, "/oversight/dosage").text.contains("href=\"/zones/C1/Z1\""))
        }
    }

    @Test("given an unknown cycle, then the pages answer 400 naming the value; officers (no oversight permission) get 403; anonymous visitors the sign-in page")
    func refusals() async throws {
        let app = await Application(router: buildRouter(FieldFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let auditor = try await Browser.signedIn(client, as: "auditor")
            let unknown = try await auditor.get(client, "/oversight/enforcement?cycle=nope")
            #expect(unknown.status == .badRequest && unknown.text.contains("nope"))
            let officer = try await Browser.signedIn(client, as: "officer")
            #expect(try await officer.get(client, "/oversight/dosage").status == .forbidden)
            let anonymous = try await client.execute(uri: "/oversight/enforcement", method: .get)
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/login")
        }
    }
}
