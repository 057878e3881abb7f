import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastCore
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

/// The fixture's store with cycle C1 approved (all its zones), a second officer in another unit, and the clock
/// inside C1's window (WebFixture.now is a day after C1 starts).
enum FieldFixture {
    static func store() async throws -> SQLiteIncidentStore {
        let store = try await WebFixture.store()
        let record = try await #require(try await store.cycle(id: "C1"))
        var cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        cycle.status = .approved
        cycle.approvedZones = cycle.zones.map(\.zone)
        cycle.approvalReason = "approved for the field tests"
        try await store.saveCycle(try cycle.record(createdAt: WebFixture.now))
        try await store.addAccount(Account(username: "officer2", displayName: "Officer of Special Operations", role: .officer, units: [.specialOperations],
                                     passwordHash: Passwords.hash(WebFixture.password, cost: 4), mustChangePassword: false, createdAt: WebFixture.now))
        return store
    }

    static func environment(_ store: SQLiteIncidentStore, tipsPerClient: Int = 5) -> WebEnvironment {
        WebEnvironment(store: store, throttle: LoginThrottle(maxFailures: 50), tipLimiter: RateLimiter(perClient: tipsPerClient, overall: 100, window: 3_600),
                       passwordCheck: WebFixture.passwordCheck, clock: { WebFixture.now })
    }
}

/// A signed-in browser: its session cookie and the session's CSRF token (read from the sign-out form).
struct Browser {
    let cookie: String
    let csrf: String

    static func signedIn(_ client: some TestClientProtocol, as username: String) async throws -> Browser {
        let token = try #require(try await signIn(client, as: username).cookieValue("zc_session"))
        let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "zc_session=\(token)"])
        let csrf = try #require(page.text.range(of: "name=\"csrf\" value=\"").map { String(page.text[$0.upperBound...].prefix { $0 != "\"" }) })
        return Browser(cookie: "zc_session=\(token)", csrf: csrf)
    }

    func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
    }

    /// Posts a form with the session's CSRF token (unless `csrf` is false).
    func post(_ client: some TestClientProtocol, _ uri: String, _ fields: [(String, String)], csrf: Bool = true) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                 body: ByteBuffer(string: encodeForm((csrf ? [("csrf", self.csrf)] : []) + fields)))
    }
}

func encodeForm(_ fields: [(String, String)]) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
}

@Suite("Field routes: deployment, officer view, patrol logs, intelligence and tips", .serialized)
struct FieldRouteTests {
    static var store: SQLiteIncidentStore { get async { await storeTask.value } }
    private static let storeTask = Task { try! await FieldFixture.store() }

    func zoneIDs() async throws -> [String] {
        let record = try await #require(try await Self.store.cycle(id: "C1"))
        return try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document).zones.map(\.id)
    }

    func audited(_ action: AuditAction, subject: String) async throws -> [AuditEntry] {
        try await Self.store.latestAuditEntries(limit: 500).filter { $0.action == action.rawValue && $0.subject == subject }
    }

    @Test("a commander assigns Traffic Division to Z1: the Traffic officer sees it on /officer and in /api/zones at once, the Special Operations officer sees nothing")
    func deploymentReachesOfficers() async throws {
        let app = await Application(router: buildRouter(FieldFixture.environment(Self.store)))
        try await app.test(.router) { client in
            // Given a commander on the deployment page of the approved cycle
            let commander = try await Browser.signedIn(client, as: "commander")
            let index = try await commander.get(client, "/deployments")
            #expect(index.status == .ok && index.text.contains("href=\"/deployments/C1\""))
            let page = try await commander.get(client, "/deployments/C1")
            #expect(page.status == .ok && page.text.contains("form method=\"post\" action=\"/deployments/C1\"") && page.text.contains("CONFIDENTIAL"))
            // When they assign Traffic Division to Z1
            let saved = try await commander.post(client, "/deployments/C1", [("zone", "Z1"), ("unit", PatrolUnit.traffic.name)])
            #expect(saved.status == .seeOther, "\(saved.text)")
            await #expect(try !audited(.assignUnits, subject: "C1/Z1").isEmpty)
            #expect(try await Self.store.documents(Deployment.self, group: "C1").inForce["Z1"]?.units == [.traffic])
            // Then the Traffic officer sees Z1 on the phone view and in the API
            let officer = try await Browser.signedIn(client, as: "officer")
            let mine = try await officer.get(client, "/officer")
            #expect(mine.status == .ok && mine.text.contains("data-zone=\"Z1\"") && mine.text.contains("CONFIDENTIAL") && mine.text.contains("href=\"/patrols/new\""))
            #expect(mine.text.contains("10 to 16 minutes") && mine.text.contains("no citations for minor infractions"))
            let api = try await officer.get(client, "/api/zones")
            #expect(api.status == .ok && api.text.contains("\"Z1\""))
            // And an officer of another unit sees nothing, not even by its address
            let other = try await Browser.signedIn(client, as: "officer2")
            let theirs = try await other.get(client, "/officer")
            #expect(theirs.status == .ok && !theirs.text.contains("data-zone=") && theirs.text.contains("No zone is assigned"))
            #expect(!(try await other.get(client, "/api/zones")).text.contains("\"Z1\""))
            #expect(try await other.get(client, "/zones/C1/Z1").status == .notFound)
            // Officers may not deploy
            #expect(try await officer.post(client, "/deployments/C1", [("zone", "Z1"), ("unit", PatrolUnit.specialOperations.name)]).status == .forbidden)
        }
    }

    @Test("changing a zone's units mid-cycle needs a reason; unknown units, unknown zones, proposed cycles and missing CSRF are refused")
    func deploymentChanges() async throws {
        let zones = try await zoneIDs()
        try #require(zones.count >= 2)
        let zone = zones[1]
        // A proposal not yet decided (a copy of C1 under another id)
        let record = try await #require(try Self.store.cycle(id: "C1"))
        var proposal = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        proposal.id = "C9"
        proposal.status = .proposed
        proposal.approvedZones = nil
        proposal.startsAt = proposal.endsAt
        proposal.endsAt = proposal.endsAt.addingTimeInterval(72 * 3_600)
        try await Self.store.saveCycle(try proposal.record(createdAt: WebFixture.now))

        let app = await Application(router: buildRouter(FieldFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let commander = try await Browser.signedIn(client, as: "commander")
            // Given the zone assigned to Special Operations
            #expect(try await commander.post(client, "/deployments/C1", [("zone", zone), ("unit", PatrolUnit.specialOperations.name)]).status == .seeOther)
            // When the commander changes it without a reason, then it is refused and nothing changes
            let noReason = try await commander.post(client, "/deployments/C1", [("zone", zone), ("unit", PatrolUnit.violentCrimesEnforcement.name)])
            #expect(noReason.status == .badRequest && noReason.text.contains("reason"))
            #expect(try await Self.store.documents(Deployment.self, group: "C1").inForce[zone]?.units == [.specialOperations])
            // With a reason it goes through, and the history keeps both with the reason escaped
            let withReason = try await commander.post(client, "/deployments/C1", [("zone", zone), ("unit", PatrolUnit.violentCrimesEnforcement.name),
                                                                                  ("reason", "Shots fired nearby <b>last night</b>")])
            #expect(withReason.status == .seeOther)
            #expect(try await Self.store.documents(Deployment.self, group: "C1").inForce[zone]?.units == [.violentCrimesEnforcement])
            let page = try await commander.get(client, "/deployments/C1")
            #expect(page.text.contains("Shots fired nearby &lt;b&gt;last night&lt;/b&gt;") && !page.text.contains("<b>last night"))
            await #expect(try audited(.assignUnits, subject: "C1/\(zone)").count >= 2)
            // Unknown unit, unknown zone
            let badUnit = try await commander.post(client, "/deployments/C1", [("zone", zone), ("unit", "Mounted Patrol"), ("reason", "x")])
            #expect(badUnit.status == .badRequest && badUnit.text.contains("unit &quot;Mounted Patrol&quot;"))
            let badZone = try await commander.post(client, "/deployments/C1", [("zone", "Z77"), ("unit", PatrolUnit.traffic.name)])
            #expect(badZone.status == .badRequest && badZone.text.contains("Z77"))
            // A proposed cycle: 409 with a clear message
            let proposed = try await commander.post(client, "/deployments/C9", [("zone", "Z1"), ("unit", PatrolUnit.traffic.name)])
            #expect(proposed.status == .conflict && proposed.text.contains("still a proposal"))
            // Without the CSRF token
            #expect(try await commander.post(client, "/deployments/C1", [("zone", zone), ("unit", PatrolUnit.traffic.name), ("reason", "x")], csrf: false).status == .forbidden)
            #expect(try await Self.store.documents(Deployment.self, group: "C1").inForce[zone]?.units == [.violentCrimesEnforcement])
        }
        // After the cycle ends its deployment history stays readable, but nothing changes any more
        let later = await WebEnvironment(store: Self.store, throttle: LoginThrottle(maxFailures: 50), clock: { record.endsAt.addingTimeInterval(3_600) })
        try await Application(router: buildRouter(later)).test(.router) { client in
            let commander = try await Browser.signedIn(client, as: "commander")
            let page = try await commander.get(client, "/deployments/C1")
            #expect(page.status == .ok && page.text.contains("can no longer change") && !page.text.contains("class=\"stack assign\"") && page.text.contains("Shots fired nearby"))
            let late = try await commander.post(client, "/deployments/C1", [("zone", zone), ("unit", PatrolUnit.traffic.name), ("reason", "late")])
            #expect(late.status == .conflict && late.text.contains("has ended"))
        }
    }

    @Test("an officer logs a visit to their zone (audited, notes escaped, minor citations get the non-enforcement reminder); bad times name the field and value; other zones are refused")
    func patrolLog() async throws {
        // Given Z1 assigned to Traffic Division
        if try await Self.store.documents(Deployment.self, group: "C1").inForce["Z1"] == nil {
            try await Self.store.save(Deployment(id: "dep-test-z1", cycleID: "C1", zoneID: "Z1", units: [.traffic], assignedBy: "commander", assignedAt: WebFixture.now, reason: ""), audit: nil)
        }
        let env = await FieldFixture.environment(Self.store)
        let tz = try await env.timeZone()
        @Sendable func local(_ minutesBeforeNow: Double) -> String { localInputValue(WebFixture.now.addingTimeInterval(-minutesBeforeNow * 60), timeZone: tz) }
        let app = Application(router: buildRouter(env))
        try await app.test(.router) { client in
            let officer = try await Browser.signedIn(client, as: "officer")
            let form = try await officer.get(client, "/patrols/new")
            #expect(form.status == .ok && form.text.contains("<select name=\"zone\"") && form.text.contains("value=\"C1/Z1\""))
            #expect(form.text.contains("type=\"datetime-local\" name=\"start\"") && form.text.contains("value=\"\(local(15))\"") && form.text.contains("value=\"\(local(0))\""))
            for name in ["communityContacts", "businessChecks", "fieldInterviews", "minorCitations", "otherCitations", "arrests"] {
                #expect(form.text.contains("type=\"number\" name=\"\(name)\" min=\"0\""), "\(name)")
            }
            // When they log a valid 14-minute visit with markup in the notes
            let before = try await Self.store.documents(PatrolVisit.self, group: "C1").count
            let ok = try await officer.post(client, "/patrols", [("zone", "C1/Z1"), ("start", local(120)), ("end", local(106)), ("communityContacts", "3"),
                                                                 ("businessChecks", "2"), ("notes", "Spoke with <script>alert(2)</script> shop owners")])
            #expect(ok.status == .seeOther)
            let location = try #require(ok.headers[.location])
            #expect(location.hasPrefix("/officer?logged="))
            // Then it is stored, audited, and the confirmation shows it with the notes escaped
            let visits = try await Self.store.documents(PatrolVisit.self, group: "C1")
            #expect(visits.count == before + 1)
            let visit = try #require(visits.first { $0.id == String(location.dropFirst("/officer?logged=".count)) })
            #expect(visit.officer == "officer" && visit.unit == .traffic && visit.zoneID == "Z1" && abs(visit.minutes - 14) < 0.01 && visit.activities.communityContacts == 3)
            await #expect(try !audited(.logPatrol, subject: "C1/Z1").isEmpty)
            let confirmation = try await officer.get(client, location)
            #expect(confirmation.text.contains("id=\"logged\"") && !confirmation.text.contains("id=\"non-enforcement\""))
            #expect(confirmation.text.contains("&lt;script&gt;alert(2)") && !confirmation.text.contains("<script>alert(2)"))
            // A visit with a minor-infraction citation is saved, with a reminder
            let cited = try await officer.post(client, "/patrols", [("zone", "C1/Z1"), ("start", local(60)), ("end", local(48)), ("minorCitations", "1")])
            #expect(cited.status == .seeOther)
            #expect(try await officer.get(client, try #require(cited.headers[.location])).text.contains("id=\"non-enforcement\""))
            // End before start: 400 naming the field and the value, the form kept
            let backwards = try await officer.post(client, "/patrols", [("zone", "C1/Z1"), ("start", local(30)), ("end", local(40)), ("notes", "kept")])
            #expect(backwards.status == .badRequest && backwards.text.contains("end &quot;\(PlainWords.dateTime(WebFixture.now.addingTimeInterval(-40 * 60), timeZone: tz, now: WebFixture.now))&quot;") && backwards.text.contains("after the start"))
            #expect(backwards.text.contains(">kept</textarea>"))
            // In the future, too long, negative counts, overlapping an earlier visit, malformed dates
            #expect(try await officer.post(client, "/patrols", [("zone", "C1/Z1"), ("start", local(-30)), ("end", local(-45))]).status == .badRequest)
            let long = try await officer.post(client, "/patrols", [("zone", "C1/Z1"), ("start", local(14 * 60)), ("end", local(30))])
            #expect(long.status == .badRequest && long.text.contains("at most 12"))
            let negative = try await officer.post(client, "/patrols", [("zone", "C1/Z1"), ("start", local(20)), ("end", local(5)), ("arrests", "-1")])
            #expect(negative.status == .badRequest && negative.text.contains("arrests &quot;-1&quot;"))
            let overlap = try await officer.post(client, "/patrols", [("zone", "C1/Z1"), ("start", local(115)), ("end", local(100))])
            #expect(overlap.status == .badRequest && overlap.text.contains("overlaps"))
            let garbled = try await officer.post(client, "/patrols", [("zone", "C1/Z1"), ("start", "yesterday"), ("end", local(0))])
            #expect(garbled.status == .badRequest && garbled.text.contains("start &quot;yesterday&quot;"))
            // A zone not assigned to their unit, or that does not exist: 404, nothing saved
            let notTheirs = try await officer.post(client, "/patrols", [("zone", "C1/Z2"), ("start", local(20)), ("end", local(5))])
            #expect(notTheirs.status == .notFound)
            #expect(try await officer.post(client, "/patrols", [("zone", "C1/Z99"), ("start", local(20)), ("end", local(5))]).status == .notFound)
            let other = try await Browser.signedIn(client, as: "officer2")
            #expect(try await other.post(client, "/patrols", [("zone", "C1/Z1"), ("start", local(20)), ("end", local(5))]).status == .notFound)
            // Without CSRF, and for roles that do not patrol
            #expect(try await officer.post(client, "/patrols", [("zone", "C1/Z1"), ("start", local(20)), ("end", local(5))], csrf: false).status == .forbidden)
            let analyst = try await Browser.signedIn(client, as: "analyst")
            #expect(try await analyst.get(client, "/patrols/new").status == .forbidden)
            #expect(try await Self.store.documents(PatrolVisit.self, group: "C1").count == before + 2)
        }
    }

    @Test("the public tip form: reachable without sign-in, nothing about zones or the internal app, CSRF by cookie, escaped thank-you, anonymous tips keep no contact, 429 after the limit")
    func communityTips() async throws {
        let app = await Application(router: buildRouter(FieldFixture.environment(Self.store, tipsPerClient: 2)))
        try await app.test(.router) { client in
            // Given an anonymous visitor
            let page = try await client.execute(uri: "/tips", method: .get)
            #expect(page.status == .ok)
            let csrf = try #require(page.cookieValue("zc_tip_csrf"))
            let visible = page.text.replacingOccurrences(of: csrf, with: "")
            for forbidden in ["data-zone", "CONFIDENTIAL", "/zones/", "cycle", "<svg", "Z1", "Z2", "Z3", "Z4", "href=\"/intel", "Dashboard", "Sign out"] {
                #expect(!visible.contains(forbidden), "the tip page contains \(forbidden)")
            }
            #expect(page.text.contains("911") && page.text.contains("name=\"what\"") && page.text.contains("name=\"anonymous\""))
            func send(_ fields: [(String, String)], token: String?, cookieToken: String?, from client2: String = "203.0.113.7") async throws -> TestResponse {
                var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("X-Forwarded-For")!: client2]
                if let cookieToken { headers[.cookie] = "zc_tip_csrf=\(cookieToken)" }
                return try await client.execute(uri: "/tips", method: .post, headers: headers, body: ByteBuffer(string: encodeForm((token.map { [("csrf", $0)] } ?? []) + fields)))
            }
            let tip = [("kind", "dispute"), ("what", "Two neighbours <b>threatened</b> each other over a car"), ("where", "<i>1200 Elm</i> & 5th"),
                       ("when", "last night"), ("anonymous", "on"), ("contact", "555-0100")]
            // When the form comes without its cookie, it is refused and nothing is stored
            let count = try await Self.store.documents(IntelligenceItem.self).filter { $0.source == .communityTip }.count
            #expect(try await send(tip, token: csrf, cookieToken: nil).status == .forbidden)
            #expect(try await send(tip, token: "forged", cookieToken: csrf).status == .forbidden)
            // A missing "what" is named
            let empty = try await send([("where", "Elm")], token: csrf, cookieToken: csrf, from: "198.51.100.1")
            #expect(empty.status == .badRequest && empty.text.contains("What is happening is required"))
            // Then a good one is thanked, with what was sent escaped and no reference number
            let thanks = try await send(tip, token: csrf, cookieToken: csrf)
            #expect(thanks.status == .ok && thanks.text.contains("&lt;i&gt;1200 Elm&lt;/i&gt; &amp; 5th") && !thanks.text.contains("<i>1200 Elm"))
            #expect(!thanks.text.contains("tip-") && !thanks.text.contains("data-zone") && !thanks.text.contains("CONFIDENTIAL"))
            let tips = try await Self.store.documents(IntelligenceItem.self).filter { $0.source == .communityTip }
            #expect(tips.count == count + 1)
            let stored = try #require(tips.first { $0.summary.hasPrefix("Two neighbours") })
            #expect(stored.status == .new && stored.createdBy == nil && stored.sensitivity == .restricted && stored.contact == nil && stored.whenText == "last night")
            let entry = try await #require(try audited(.communityTip, subject: stored.id).first)
            #expect(entry.actor == "public")
            #expect(try await Self.store.documents(Notice.self, group: "analyst").contains { $0.text.contains("new community tip") && $0.link == "/intel?status=new" })
            // A tipster who gives a contact keeps it
            let named = try await send([("what", "Fight brewing at the park"), ("where", "Oak park"), ("contact", "Sam 555-0101")], token: csrf, cookieToken: csrf)
            #expect(named.status == .ok)
            #expect(try await Self.store.documents(IntelligenceItem.self).contains { $0.summary == "Fight brewing at the park" && $0.contact == "Sam 555-0101" })
            // And the third from the same client within the hour is refused with 429, others still get through
            let third = try await send(tip, token: csrf, cookieToken: csrf)
            #expect(third.status == .tooManyRequests && third.text.contains("try again later"))
            #expect(try await send(tip, token: csrf, cookieToken: csrf, from: "192.0.2.55").status == .ok)

            // The analyst sees the tip first on /intel; the officer (restricted, not theirs) does not, not even by its address
            let analyst = try await Browser.signedIn(client, as: "analyst")
            let list = try await analyst.get(client, "/intel")
            let newSection = try #require(list.text.range(of: "id=\"new-tips\"")).upperBound
            let currentSection = try #require(list.text.range(of: "id=\"current\"")).lowerBound
            #expect(list.text[newSection..<currentSection].contains("data-item=\"\(stored.id)\""))
            #expect(list.text.contains("Two neighbours &lt;b&gt;threatened&lt;/b&gt;") && !list.text.contains("<b>threatened"))
            let officer = try await Browser.signedIn(client, as: "officer")
            let theirs = try await officer.get(client, "/intel")
            #expect(theirs.status == .ok && !theirs.text.contains(stored.id) && !theirs.text.contains("threatened"))
            #expect(try await officer.get(client, "/intel/\(stored.id)").status == .notFound)
        }
    }

    @Test("intelligence: an officer records a restricted item (escaped, audited) seen by commanders but not other officers; coordinates are checked; an analyst triages a tip and raises the place's priority (audited)")
    func intelligenceAndTriage() async throws {
        let city = try await #require(try Self.store.jurisdiction())
        let inside = city.projectionOrigin
        try #require(city.contains(inside))
        let app = await Application(router: buildRouter(FieldFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let officer = try await Browser.signedIn(client, as: "officer")
            #expect(try await officer.get(client, "/intel/new").text.contains("name=\"summary\""))
            // Given an officer recording a restricted item with markup
            let recorded = try await officer.post(client, "/intel", [("kind", "retaliation"), ("summary", "Brother of victim <img src=x onerror=alert(3)> vows payback"),
                                                                     ("locationText", "Corner store on Main"), ("source", "resident"), ("sensitivity", "restricted"),
                                                                     ("latitude", String(inside.latitude)), ("longitude", String(inside.longitude))])
            #expect(recorded.status == .seeOther)
            let id = try #require(recorded.headers[.location]?.split(separator: "?").first.map { String($0.dropFirst("/intel/".count)) })
            let item = try await #require(try Self.store.document(IntelligenceItem.self, id: id))
            #expect(item.createdBy == "officer" && item.status == .open && item.sensitivity == .restricted && abs(item.expiresAt.timeIntervalSince(WebFixture.now) - 14 * 86_400) < 1)
            await #expect(try !audited(.recordIntelligence, subject: id).isEmpty)
            // Then the author and a commander read it escaped; another officer does not see it
            let own = try await officer.get(client, "/intel/\(id)")
            #expect(own.status == .ok && own.text.contains("&lt;img src=x") && !own.text.contains("<img src=x"))
            #expect(try await officer.get(client, "/intel?kind=retaliation").text.contains("data-item=\"\(id)\""))
            #expect(!(try await officer.get(client, "/intel?kind=weapons")).text.contains("data-item=\"\(id)\""))
            let commander = try await Browser.signedIn(client, as: "commander")
            #expect(try await commander.get(client, "/intel").text.contains("data-item=\"\(id)\""))
            let other = try await Browser.signedIn(client, as: "officer2")
            #expect(!(try await other.get(client, "/intel")).text.contains(id))
            #expect(try await other.get(client, "/intel/\(id)").status == .notFound)
            // Bad input is named: latitude out of range, a place far outside the city, one coordinate only, an unknown filter
            let base = [("kind", "dispute"), ("summary", "s"), ("locationText", "p"), ("source", "resident"), ("sensitivity", "normal")]
            let lat95 = try await officer.post(client, "/intel", base + [("latitude", "95"), ("longitude", "-94.5")])
            #expect(lat95.status == .badRequest && lat95.text.contains("latitude &quot;95&quot;"))
            let far = try await officer.post(client, "/intel", base + [("latitude", String(inside.latitude + 1)), ("longitude", String(inside.longitude))])
            #expect(far.status == .badRequest && far.text.contains("km outside"))
            #expect(try await officer.post(client, "/intel", base + [("latitude", "39.1")]).status == .badRequest)
            #expect(try await officer.post(client, "/intel", base.map { $0.0 == "source" ? ("source", "community-tip") : $0 }).status == .badRequest)
            #expect(try await officer.get(client, "/intel?status=bogus").status == .badRequest)
            #expect(try await officer.post(client, "/intel", base, csrf: false).status == .forbidden)

            // A tip to triage
            let tipID = "tip-triage-test"
            try await Self.store.save(IntelligenceItem(id: tipID, createdAt: WebFixture.now, createdBy: nil, kind: .groupConflict, summary: "Crews arguing outside the laundromat",
                                                 locationText: "Laundromat on 9th", latitude: nil, longitude: nil, source: .communityTip, sensitivity: .restricted,
                                                 expiresAt: WebFixture.now.addingTimeInterval(14 * 86_400), status: .new), audit: nil)
            // Officers may not triage
            #expect(try await officer.post(client, "/intel/\(tipID)/triage", [("status", "open"), ("note", "x")]).status == .forbidden)
            let analyst = try await Browser.signedIn(client, as: "analyst")
            #expect(try await analyst.get(client, "/intel/\(tipID)").text.contains("id=\"triage\""))
            // Raising without coordinates is refused, naming what is missing
            let noPlace = try await analyst.post(client, "/intel/\(tipID)/triage", [("status", "open"), ("note", "credible"), ("raise", "on"), ("radius", "400")])
            #expect(noPlace.status == .badRequest && noPlace.text.contains("raise priority"))
            #expect(try await Self.store.document(IntelligenceItem.self, id: tipID)?.status == .new)
            // With the place's coordinates it is saved and audited in both entries
            let raised = try await analyst.post(client, "/intel/\(tipID)/triage", [("status", "open"), ("note", "Credible: two sources"), ("raise", "on"), ("radius", "400"),
                                                                                 ("latitude", String(inside.latitude)), ("longitude", String(inside.longitude))])
            #expect(raised.status == .seeOther)
            let triaged = try await #require(try Self.store.document(IntelligenceItem.self, id: tipID))
            #expect(triaged.status == .open && triaged.raisesPriority && triaged.priorityRadiusMeters == 400 && triaged.triagedBy == "analyst" && triaged.latitude != nil)
            await #expect(try audited(.triageIntelligence, subject: tipID).first?.detail.contains("new → open") == true)
            let raise = try await #require(try audited(.raisePriority, subject: tipID).first)
            #expect(raise.detail.contains("400 m") && raise.detail.contains("Credible: two sources") && raise.actor == "analyst")
            // A radius out of range, and a triage without CSRF, are refused
            let wide = try await analyst.post(client, "/intel/\(tipID)/triage", [("status", "open"), ("note", "n"), ("raise", "on"), ("radius", "9000")])
            #expect(wide.status == .badRequest && wide.text.contains("9000"))
            #expect(try await analyst.post(client, "/intel/\(tipID)/triage", [("status", "closed"), ("note", "n")], csrf: false).status == .forbidden)
            #expect(try await Self.store.document(IntelligenceItem.self, id: tipID)?.status == .open)
        }
    }
}
