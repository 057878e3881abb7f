import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastSQLite
@testable import ZoneCastWeb

/// Issue #15, the officer on a phone: where sign-in lands, the compact header, the zone card and its paged list.
@Suite("Officer phone flow: landing, header, zone card, paging", .serialized)
struct OfficerPhoneRouteTests {
    static var store: SQLiteIncidentStore { get async { await storeTask.value } }
    private static let storeTask = Task { try! await FieldFixture.store() }

    /// Commander assigns Traffic Division (the fixture officer's unit) to Z1 of the approved cycle C1.
    func deployed(_ client: some TestClientProtocol) async throws {
        let commander = try await Browser.signedIn(client, as: "commander")
        let saved = try await commander.post(client, "/deployments/C1", [("zone", "Z1"), ("unit", PatrolUnit.traffic.name)])
        #expect(saved.status == .seeOther, "\(saved.text)")
    }

    @Test("sign-in lands an officer on My zones and every other role on the dashboard")
    func landing() async throws {
        let app = await Application(router: buildRouter(FieldFixture.environment(Self.store)))
        try await app.test(.router) { client in
            for (user, landing) in [("officer", "/officer"), ("analyst", "/"), ("commander", "/"), ("auditor", "/")] {
                let response = try await signIn(client, as: user)
                #expect(response.status == .seeOther && response.headers[.location] == landing, "\(user)")
            }
        }
    }

    @Test("the header keeps the name apart from the sign-out button, which narrow screens do not stretch; the nav moves to the bottom")
    func header() async throws {
        let app = await Application(router: buildRouter(FieldFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let page = try await Browser.signedIn(client, as: "officer").get(client, "/officer")
            #expect(page.text.contains("<span class=\"who\">"))
            #expect(page.text.contains("header.top button{width:auto") && page.text.contains("header.top{position:fixed;left:0;right:0;bottom:0"))
        }
    }

    @Test("an officer's zone page is the compact card: map, why, guidance, patrol, 20 incidents a page as a list; pages out of range are 400")
    func zoneCard() async throws {
        let app = await Application(router: buildRouter(FieldFixture.environment(Self.store)))
        try await app.test(.router) { client in
            // Given Z1 deployed to the officer's unit
            try await deployed(client)
            let officer = try await Browser.signedIn(client, as: "officer")
            // When the officer opens the zone
            let page = try await officer.get(client, "/zones/C1/Z1")
            // Then it is the card, without the wide incident table or the trend chart of the full page
            #expect(page.status == .ok)
            for marker in ["id=\"zone-card\"", "id=\"zone-map\"", "id=\"explanation\"", "id=\"guidance\"", "id=\"dosage\"", "id=\"zone-incident-list\"",
                           "href=\"geo:", "href=\"/patrols/new?zone=C1/Z1\"", "CONFIDENTIAL"] {
                #expect(page.text.contains(marker), "\(marker)")
            }
            #expect(!page.text.contains("<table id=\"zone-incidents\"") && !page.text.contains("id=\"trend\""))
            let items = page.text.components(separatedBy: "<li").count - 1
            let listed = page.text.components(separatedBy: "id=\"zone-incident-list\"")[1].components(separatedBy: "</ul>")[0]
                .components(separatedBy: "<li").count - 1
            #expect(listed > 0 && listed <= ZoneCardView.incidentsPerPage && items >= listed)
            // And the pages: the next one answers when there is one, an out-of-range or garbled page is refused
            if page.text.contains("rel=\"next\"") {
                let second = try await officer.get(client, "/zones/C1/Z1?page=2")
                #expect(second.status == .ok && second.text.contains("page 2 of") && second.text.contains("rel=\"prev\""))
            }
            for bad in ["0", "100000", "x", "-1"] {
                let refused = try await officer.get(client, "/zones/C1/Z1?page=\(bad)")
                #expect(refused.status == .badRequest && refused.text.contains("page must be a whole number"), "\(bad)")
            }
            // And an analyst still gets the full page with its table
            let full = try await Browser.signedIn(client, as: "analyst").get(client, "/zones/C1/Z1")
            #expect(full.text.contains("<table id=\"zone-incidents\"") && !full.text.contains("id=\"zone-card\""))
        }
    }
}
