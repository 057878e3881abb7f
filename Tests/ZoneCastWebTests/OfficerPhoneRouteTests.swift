import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastSQLite
@testable import ZoneCastWeb
import ZoneCastStore

/// Issue #15, the officer on a phone: where sign-in lands, the compact header, the zone card and its paged list.
@Suite("Officer phone flow: landing, header, zone card, paging", .serialized)
struct OfficerPhoneRouteTests {
    static var store: SQLiteIncidentStore { get async { await storeTask.value } }
    private static let storeTask = Task { try! await FieldFixture.store() }

    /// Commander assigns Traffic Division (the fixture officer's unit) to Z1 of the approved cycle C1.
    func deployed(_ client: some TestClientProtocol) async throws {
        if try await Self.store.documents(Deployment.self, group: "C1").inForce["Z1"]?.units == [.traffic] { return }
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
            #expect(page.text.contains("header.top button{width:auto") && page.text.contains("header.top{order:2"))
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

    @Test("the visit timer: script served to officers, one timer per zone on /officer and the card; a timer-logged visit is corrected through the edit form (same checks, audited); others' visits are not found; errors write times as people do")
    func timerAndCorrection() async throws {
        let env = await FieldFixture.environment(Self.store)
        let tz = try await env.timeZone()
        let app = Application(router: buildRouter(env))
        try await app.test(.router) { client in
            // Given Z1 deployed to the officer's unit
            try await deployed(client)
            let officer = try await Browser.signedIn(client, as: "officer")
            @Sendable func local(_ minutesBeforeNow: Double) -> String { localInputValue(WebFixture.now.addingTimeInterval(-minutesBeforeNow * 60), timeZone: tz) }
            // Then the script is served and each page with a zone carries a timer for it
            let script = try await officer.get(client, VisitTimer.path)
            #expect(script.status == .ok && script.headers[.contentType]?.hasPrefix("text/javascript") == true && script.text.contains("localStorage"))
            for uri in ["/officer", "/zones/C1/Z1"] {
                let page = try await officer.get(client, uri)
                #expect(page.text.contains("class=\"zc-timer\" hidden data-zone=\"C1/Z1\"") && page.text.contains("src=\"\(VisitTimer.path)\""), "\(uri)")
            }
            // When the timer posts a stopped visit (minute times, no activities), then it is stored
            let posted = try await officer.post(client, "/patrols", [("zone", "C1/Z1"), ("start", local(300)), ("end", local(286))])
            let location = try #require(posted.headers[.location])
            let id = String(location.dropFirst("/officer?logged=".count))
            #expect(posted.status == .seeOther && !id.isEmpty)
            // And the officer corrects it: the form comes back filled in, posting to the visit
            let edit = try await officer.get(client, "/patrols/\(id)/edit")
            #expect(edit.status == .ok && edit.text.contains("action=\"/patrols/\(id)\"") && edit.text.contains("value=\"\(local(300))\""))
            let fixed = try await officer.post(client, "/patrols/\(id)", [("zone", "C1/Z1"), ("start", local(300)), ("end", local(284)),
                                                                          ("communityContacts", "4"), ("notes", "school gate")])
            #expect(fixed.status == .seeOther, "\(fixed.text)")
            let stored = try #require(try await Self.store.document(PatrolVisit.self, id: id))
            #expect(abs(stored.minutes - 16) < 0.01 && stored.activities.communityContacts == 4 && stored.notes == "school gate")
            #expect(try await Self.store.latestAuditEntries(limit: 50).contains { $0.action == AuditAction.logPatrol.rawValue && $0.detail.hasPrefix("corrected: 14 -> 16 min")
                && $0.detail.contains("community contacts 0 -> 4, times changed, notes changed") })
            // And when a correction takes back an arrest, then its audit entry says so, flagged
            let same = [("zone", "C1/Z1"), ("start", local(300)), ("end", local(284)), ("communityContacts", "4"), ("notes", "school gate")]
            #expect(try await officer.post(client, "/patrols/\(id)", same + [("arrests", "1")]).status == .seeOther)
            #expect(try await officer.post(client, "/patrols/\(id)", same + [("arrests", "0")]).status == .seeOther)
            let takenBack = try #require(try await Self.store.latestAuditEntries(limit: 1).first)
            #expect(takenBack.detail.hasPrefix("corrected: 16 -> 16 min, zone Z1 -> Z1; arrests 1 -> 0; ENFORCEMENT LOWERED 1 -> 0"), "\(takenBack.detail)")
            // And a correction goes through the same checks, with times written as people write them
            let backwards = try await officer.post(client, "/patrols/\(id)", [("zone", "C1/Z1"), ("start", local(280)), ("end", local(290))])
            #expect(backwards.status == .badRequest && backwards.text.contains("must be after the start"))
            // And a visit beginning an hour before the cycle did (C1 starts 31 h before the fixture's now) is refused:
            // the zone did not exist yet, and the cycle's dosage would count it
            let early = try await officer.post(client, "/patrols/\(id)", [("zone", "C1/Z1"), ("start", local(1_920)), ("end", local(1_890))])
            #expect(early.status == .badRequest && early.text.contains("before cycle C1 began"), "\(early.text.prefix(300))")
            #expect(backwards.text.range(of: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}\)?</p>"#, options: .regularExpression) == nil)
            let message = try #require(backwards.text.range(of: "class=\"error\" role=\"alert\">").map { String(backwards.text[$0.upperBound...].prefix(200)) })
            #expect(!message.contains("T0") && !message.contains("T1") && !message.contains("T2"), "\(message)")
            // And nobody else may see or change it
            let other = try await Browser.signedIn(client, as: "officer2")
            #expect(try await other.get(client, "/patrols/\(id)/edit").status == .notFound)
            #expect(try await other.post(client, "/patrols/\(id)", [("zone", "C1/Z1"), ("start", local(300)), ("end", local(290))]).status == .notFound)
            #expect(try await officer.get(client, "/patrols/nope/edit").status == .notFound)
            #expect(try await officer.get(client, "/officer").text.contains("href=\"/patrols/\(id)/edit\""))
        }
    }
}
