import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastZoning
@testable import ZoneCastWeb
import ZoneCastForecast

/// A signed-in browser: its session cookie and the session's CSRF token (read from a page's sign-out form).
struct BrowserSession {
    let cookie: String
    let csrf: String

    static func start(_ client: some TestClientProtocol, as user: String, page: String = "/") async throws -> BrowserSession {
        let token = try #require(try await signIn(client, as: user).cookieValue("zc_session"))
        let text = try await client.execute(uri: page, method: .get, headers: [.cookie: "zc_session=\(token)"]).text
        let csrf = try #require(text.range(of: "name=\"csrf\" value=\"").map { String(text[$0.upperBound...].prefix { $0 != "\"" }) })
        return BrowserSession(cookie: token, csrf: csrf)
    }

    func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: "zc_session=\(cookie)"])
    }

    /// Posts a form; `csrf: false` leaves the token out.
    func post(_ client: some TestClientProtocol, _ uri: String, _ fields: [(String, String)], csrf: Bool = true) async throws -> TestResponse {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let all = (csrf ? [("csrf", self.csrf)] : []) + fields
        let body = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        return try await client.execute(uri: uri, method: .post, headers: [.cookie: "zc_session=\(cookie)", .contentType: "application/x-www-form-urlencoded"],
                                        body: ByteBuffer(string: body))
    }
}

@Suite("Proposal review and IRIS meetings", .serialized)
struct MeetingRouteTests {
    static var store: SQLiteIncidentStore { get async { await storeTask.value } }
    private static let storeTask = Task { try! await WebFixture.store() }

    static func auditActions(_ store: SQLiteIncidentStore) async throws -> [String] {
        try await store.auditEntries(from: 1, limit: 100_000).map(\.action)
    }

    @Test("given officers, auditors and anonymous visitors, when they open proposals or meetings, then officers and auditors get 403 and anonymous visitors go to sign-in")
    func access() async throws {
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store)))
        try await app.test(.router) { client in
            for uri in ["/meetings", "/meetings/M-any", "/meetings/M-any/briefing", "/proposals", "/proposals/C1"] {
                let anonymous = try await client.execute(uri: uri, method: .get)
                #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/login", "\(uri)")
                for role in ["officer", "auditor"] {
                    let s = try await BrowserSession.start(client, as: role)
                    #expect(try await s.get(client, uri).status == .forbidden, "\(role) \(uri)")
                }
            }
            let officer = try await BrowserSession.start(client, as: "officer")
            #expect(try await officer.post(client, "/meetings", [("title", "x"), ("scheduledAt", "2024-06-05T10:00")]).status == .forbidden)
            #expect(try await officer.post(client, "/proposals/C1/adjustments", [("action", "drop-zone"), ("zone", "Z1"), ("reason", "x")]).status == .forbidden)
            // Analysts may open meetings but not decide.
            let analyst = try await BrowserSession.start(client, as: "analyst", page: "/meetings")
            #expect(try await analyst.post(client, "/meetings/M-any/decisions", [("zone", "Z1"), ("decision", "approve")]).status == .forbidden)
            #expect(try await analyst.post(client, "/meetings/M-any/close", []).status == .forbidden)
        }
    }

    @Test("""
        given proposal C1, when an analyst adjusts it without a reason, with a foreign form or with cells that do not touch the zone, then it is refused naming the field; \
        with a reason it is recorded beside the proposal and audited; a commander then schedules an IRIS meeting, records a decision per zone and closes it: \
        the cycle is approved with exactly the approved and modified zones as adjusted, the audit chain holds every step, the closed meeting refuses changes (409), \
        markup in reasons, minutes and attendees comes back escaped, and the briefing is confidential and names its viewer
        """)
    func adjustDecideApprove() async throws {
        let env = await WebFixture.environment(Self.store)
        let app = Application(router: buildRouter(env))
        try await app.test(.router) { client in
            let analyst = try await BrowserSession.start(client, as: "analyst", page: "/proposals")
            let commander = try await BrowserSession.start(client, as: "commander", page: "/meetings")

            // The review page: both maps, the differences and the optimiser's reasons.
            let review = try await analyst.get(client, "/proposals/C1")
            #expect(review.status == .ok)
            #expect(review.text.contains("CONFIDENTIAL") && review.text.contains("id=\"differences\"") && review.text.contains("Optimiser's explanation"))
            #expect(review.text.contains("id=\"proposal-map\"") && review.text.contains("id=\"adjust-form\""))
            #expect(try await analyst.get(client, "/proposals").text.contains("href=\"/proposals/C1\""))

            let before = try await env.proposalContext("C1")
            let z1 = try #require(before.adjusted.zone("Z1"))
            // A cell of Z1 whose removal leaves Z1 in one piece, and a grid cell far from every zone.
            let leaf = try #require(z1.zone.cells.first { c in ZoneGeometry.isConnected(Set(z1.zone.cells).subtracting([c]), grid: before.grid) })
            let far = try #require(before.grid.activeCells.first { c in
                before.adjusted.zones.allSatisfy { ZoneGeometry.separationMeters(between: [c], and: $0.zone.cells, grid: before.grid) > 2_000 }
            })

            // Without a reason: 400 naming the field, nothing recorded.
            let noReason = try await analyst.post(client, "/proposals/C1/adjustments", [("action", "suppress-cells"), ("zone", "Z1"), ("cells", String(leaf)), ("reason", "  ")])
            #expect(noReason.status == .badRequest && noReason.text.contains("reason is required"))
            // Without the CSRF token: 403.
            let forged = try await analyst.post(client, "/proposals/C1/adjustments", [("action", "suppress-cells"), ("zone", "Z1"), ("cells", String(leaf)), ("reason", "school")], csrf: false)
            #expect(forged.status == .forbidden)
            // Cells that do not touch the zone: 400 naming the field and the value.
            let apart = try await analyst.post(client, "/proposals/C1/adjustments", [("action", "add-cells"), ("zone", "Z1"), ("cells", String(far)), ("reason", "hot corner")])
            #expect(apart.status == .badRequest && apart.text.contains("cells &quot;\(far)&quot;") && apart.text.contains("do not touch Z1"))
            // Not a number.
            let word = try await analyst.post(client, "/proposals/C1/adjustments", [("action", "add-cells"), ("zone", "Z1"), ("cells", "12,abc"), ("reason", "hot corner")])
            #expect(word.status == .badRequest && word.text.contains("cells &quot;abc&quot;"))
            // A point without a radius.
            let noRadius = try await analyst.post(client, "/proposals/C1/adjustments", [("action", "add-cells"), ("zone", "Z1"), ("point", "38.5,-98.5"), ("reason", "x")])
            #expect(noRadius.status == .badRequest && noRadius.text.contains("radius"))
            #expect(try await Self.store.documents(ProposalAdjustment.self, group: "C1").isEmpty)

            // With a reason (holding markup): recorded and audited.
            let reason = "<b>School</b> entrance, keep patrols away"
            let ok = try await analyst.post(client, "/proposals/C1/adjustments", [("action", "suppress-cells"), ("zone", "Z1"), ("cells", String(leaf)), ("reason", reason)])
            #expect(ok.status == .seeOther)
            let saved = try await Self.store.documents(ProposalAdjustment.self, group: "C1")
            #expect(saved.count == 1 && saved[0].cells == [leaf] && saved[0].reason == reason && saved[0].adjustedBy == "analyst" && saved[0].sequence == 1)
            await #expect(try Self.auditActions(Self.store).last == "adjust-proposal")
            let adjustedPage = try await analyst.get(client, "/proposals/C1")
            #expect(adjustedPage.text.contains("&lt;b&gt;School&lt;/b&gt;") && !adjustedPage.text.contains("<b>School</b>"))
            let after = try await env.proposalContext("C1")
            let adjustedZ1 = try #require(after.adjusted.zone("Z1"))
            #expect(adjustedZ1.zone.cells == z1.zone.cells.filter { $0 != leaf } && adjustedZ1.removedCells == [leaf])
            // The recorded proposal itself is untouched.
            #expect(after.cycle.zones == before.cycle.zones)

            // Schedule the meeting (markup in the title and the attendees).
            let scheduled = try await commander.post(client, "/meetings", [("title", "IRIS <i>June</i>"), ("scheduledAt", "2024-06-03T10:00"), ("cycle", "C1"),
                                                                          ("attendees", "Capt. Smith\n<script>alert('x')</script>\n")])
            #expect(scheduled.status == .seeOther)
            let location = try #require(scheduled.headers[.location])
            #expect(location.hasPrefix("/meetings/M-"))
            let meetingID = String(location.dropFirst("/meetings/".count))
            let page = try await commander.get(client, location)
            #expect(page.status == .ok)
            let zoneIDs = after.adjusted.zones.map(\.id)
            for id in zoneIDs {
                #expect(page.text.contains("<form class=\"decision\" data-zone=\"\(id)\" method=\"post\" action=\"/meetings/\(meetingID)/decisions\">"), "\(id)")
            }
            #expect(page.text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") || page.text.contains("&lt;script&gt;alert('x')&lt;/script&gt;"))
            #expect(!page.text.contains("<script>alert('x')</script>") && !page.text.contains("<i>June</i>"))
            #expect(page.text.contains("id=\"incidents-by-category\"") || page.text.contains("0 incident(s)"))
            #expect(page.text.contains("id=\"chains\"") && page.text.contains("id=\"active-zones\"") && page.text.contains("id=\"intelligence\""))
            #expect(try await analyst.get(client, "/meetings").text.contains(location))

            // Minutes from the analyst, with markup.
            #expect(try await analyst.post(client, "\(location)/minutes", [("minutes", "Agreed: <em>no</em> citations for minor infractions")]).status == .seeOther)
            #expect(try await commander.get(client, location).text.contains("&lt;em&gt;no&lt;/em&gt; citations"))

            // Closing before every zone is decided is refused, naming what is missing.
            let early = try await commander.post(client, "\(location)/close", [])
            #expect(early.status == .badRequest && early.text.contains(zoneIDs.joined(separator: ", ")))
            // Rejecting without a reason is refused.
            let bare = try await commander.post(client, "\(location)/decisions", [("zone", "Z1"), ("decision", "reject"), ("reason", "")])
            #expect(bare.status == .badRequest && bare.text.contains("reason is required"))
            // "Modified" on a zone nobody adjusted is refused, naming the zone and what to do.
            if let plain = after.adjusted.zones.first(where: { $0.adjustments.isEmpty }) {
                let unmodified = try await commander.post(client, "\(location)/decisions", [("zone", plain.id), ("decision", "modify"), ("reason", "moved north")])
                #expect(unmodified.status == .badRequest && unmodified.text.contains("\(plain.id) has no adjustment to approve"), "\(unmodified.text.prefix(300))")
            }
            // A decision without the CSRF token is refused.
            #expect(try await commander.post(client, "\(location)/decisions", [("zone", "Z1"), ("decision", "approve")], csrf: false).status == .forbidden)

            // Decide: Z1 modified (as adjusted), Z2 approved, any further zone rejected; Z1 first approved, then revised.
            var expected: [[Int]] = []
            for (k, id) in zoneIDs.enumerated() {
                let decision = k == 0 ? "modify" : k == 1 ? "approve" : "reject"
                if k == 0 { #expect(try await commander.post(client, "\(location)/decisions", [("zone", id), ("decision", "approve"), ("reason", "")]).status == .seeOther) }
                let r = try await commander.post(client, "\(location)/decisions", [("zone", id), ("decision", decision), ("reason", "Reason for \(id) <u>here</u>")])
                #expect(r.status == .seeOther, "\(id)")
                if decision != "reject" { expected.append(after.adjusted.zone(id)!.zone.cells) }
            }
            let decidedPage = try await commander.get(client, location)
            #expect(decidedPage.text.contains("Reason for Z1 &lt;u&gt;here&lt;/u&gt;") && decidedPage.text.contains("(revised later)"))

            // When the commander presses "Close the meeting and approve the cycle", then a confirmation page comes
            // back (nothing saved yet) naming the cycle and the zones approved and rejected, with a confirm=yes form
            let asked = try await commander.post(client, "\(location)/close", [])
            #expect(asked.status == .ok && asked.text.contains("id=\"confirm-close-form\"") && asked.text.contains("name=\"confirm\" value=\"yes\""))
            #expect(asked.text.contains("name=\"csrf\"") && asked.text.contains("href=\"\(location)\""))
            #expect(asked.text.contains("Zones approved (approved or modified): \(zoneIDs.prefix(2).joined(separator: ", "))"))
            #expect(try await Self.store.cycle(id: "C1")?.status == .proposed)
            #expect(try await Self.store.document(Meeting.self, id: meetingID)?.status == .scheduled)
            // And a confirmation without the CSRF token is refused, still saving nothing
            #expect(try await commander.post(client, "\(location)/close", [("confirm", "yes")], csrf: false).status == .forbidden)
            #expect(try await Self.store.cycle(id: "C1")?.status == .proposed)
            // When they confirm, then the meeting closes and the cycle is approved
            let closed = try await commander.post(client, "\(location)/close", [("confirm", "yes")])
            #expect(closed.status == .seeOther)
            let record = try await #require(try Self.store.cycle(id: "C1"))
            #expect(record.status == .approved)
            let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
            #expect(cycle.approvedZones?.map(\.cells) == expected)
            #expect(cycle.approvalReason?.contains("Z1 modified") == true && cycle.approvalReason?.contains("Reason for Z1 <u>here</u>") == true)
            #expect(cycle.zones == before.cycle.zones)   // the optimiser's proposal still replays
            let meeting = try await #require(try Self.store.document(Meeting.self, id: meetingID))
            #expect(meeting.status == .closed && meeting.closedBy == "commander" && meeting.currentDecisions.count == zoneIDs.count)

            let actions = try await Self.auditActions(Self.store)
            #expect(actions.filter { $0 == "decide-zone" }.count == zoneIDs.count + 1)
            #expect(actions.filter { $0 == "approve-cycle" }.count == 1 && actions.contains("schedule-meeting") && actions.contains("update-meeting"))
            let approval = try await Self.store.latestAuditEntries(limit: 10).first { $0.action == "approve-cycle" }
            #expect(approval?.actor == "commander" && approval?.subject == "C1")
            #expect(try await Self.store.verifyAuditChain().isIntact)

            // The closed meeting and the approved cycle refuse every change.
            let again = try await commander.post(client, "\(location)/decisions", [("zone", "Z1"), ("decision", "reject"), ("reason", "changed my mind")])
            #expect(again.status == .conflict && again.text.contains("closed"))
            #expect(try await commander.post(client, "\(location)/close", []).status == .conflict)
            #expect(try await commander.post(client, "\(location)/close", [("confirm", "yes")]).status == .conflict)
            #expect(try await analyst.post(client, "\(location)/minutes", [("minutes", "late edit")]).status == .conflict)
            #expect(try await analyst.post(client, "/proposals/C1/adjustments", [("action", "drop-zone"), ("zone", "Z1"), ("reason", "late")]).status == .conflict)
            let second = try await commander.post(client, "/meetings", [("title", "Second"), ("scheduledAt", "2024-06-17T10:00"), ("cycle", "C1")])
            #expect(second.status == .badRequest && second.text.contains("cycle"))

            // The briefing: confidential with the viewer's name at the top and in the footer, zones with maps, decisions, minutes.
            let briefing = try await commander.get(client, "\(location)/briefing")
            #expect(briefing.status == .ok)
            #expect(briefing.text.components(separatedBy: "CONFIDENTIAL").count - 1 >= 2 && briefing.text.contains("The commander"))
            #expect(briefing.text.contains("id=\"briefing-footer\"") && briefing.text.contains("id=\"map-Z1\""))
            #expect(briefing.text.contains("Capt. Smith") && briefing.text.contains("&lt;em&gt;no&lt;/em&gt;") && briefing.text.contains("approved as modified"))
            // Its city overview draws the approved zones only, and names the rejected ones.
            #expect(briefing.text.contains("Approved zones of cycle C1"))
            let rejectedZones = Array(zoneIDs.dropFirst(2))
            #expect(rejectedZones.isEmpty || briefing.text.contains("Not approved, not drawn: \(rejectedZones.joined(separator: ", "))."), "\(rejectedZones)")
            // The alert monitor's entries (raised in the background by the views) may come after it.
            let monitor = Set([AuditAction.enforcementAlert, .lowPatrolAlert, .alertMail].map(\.rawValue))
            await #expect(try Self.auditActions(Self.store).last { !monitor.contains($0) } == "view-briefing")
            // The analyst's display name holds markup: escaped in the briefing's banner.
            let analystBriefing = try await analyst.get(client, "\(location)/briefing")
            #expect(analystBriefing.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !analystBriefing.text.contains("<script>alert(1)</script>"))
            let meetingsPage: String = try await commander.get(client, "/meetings").text
            #expect(meetingsPage.contains("id=\"past-meetings\""))
        }
    }
}
