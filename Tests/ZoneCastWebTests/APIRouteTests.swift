import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing
import ZoneCastTestSupport
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb
import ZoneCastZoning
import NIOFoundationEssentialsCompat

/// A signed-in browser session: the cookie header and the session's CSRF token (read from the page's sign-out form).
struct TestSession {
    var cookie: String
    var csrf: String
    var headers: HTTPFields { [.cookie: cookie] }

    static func start(_ client: some TestClientProtocol, as username: String) async throws -> TestSession {
        let token = try #require(try await signIn(client, as: username).cookieValue("zc_session"))
        let page = try await client.execute(uri: "/account/password", method: .get, headers: [.cookie: "zc_session=\(token)"])
        let csrf = try #require(page.text.range(of: "name=\"csrf\" value=\"").map { String(page.text[$0.upperBound...].prefix { $0 != "\"" }) })
        return TestSession(cookie: "zc_session=\(token)", csrf: csrf)
    }

    func post(_ client: some TestClientProtocol, _ uri: String, _ fields: [String: String], csrf: Bool = true) async throws -> TestResponse {
        var all = fields
        if csrf { all["csrf"] = self.csrf }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = all.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        return try await client.execute(uri: uri, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }
}

/// POSTs a JSON patrol with a bearer token.
func postPatrol(_ client: some TestClientProtocol, _ body: String, token: String, type: String = "application/json") async throws -> TestResponse {
    try await client.execute(uri: "/api/patrols", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: type], body: ByteBuffer(string: body))
}

func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

func jsonObject(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any], "not a JSON object: \(response.text.prefix(200))")
}

/// Stores an API token directly (as if created earlier) and returns the full token text.
func storeToken(_ store: some OperationsStore, username: String, id: String, expiresAt: Date, revoked: Bool = false) async throws -> String {
    let secret = "secret-\(id)-0123456789abcdefghijklmnopqrstuvwxyz"
    var token = APIToken(id: id, username: username, name: "fixture \(id)", secretSHA256: APIToken.digest(secret), createdAt: WebFixture.now, expiresAt: expiresAt)
    if revoked { token.revokedAt = WebFixture.now.addingTimeInterval(-3_600) }
    try await store.save(token, audit: nil)
    return "zc_\(id)_\(secret)"
}

/// The fixture with its proposal C1 approved (active at WebFixture.now) and zone Z1 assigned to the Traffic Division,
/// the officer's unit.
enum ApprovedFixture {
    static func store() async throws -> SQLiteIncidentStore {
        let store = try await WebFixture.store()
        let record = try await #require(try await store.cycle(id: "C1"))
        var cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        cycle.status = .approved
        cycle.approvedZones = cycle.zones.map(\.zone)
        cycle.approvalReason = "approved at the test IRIS meeting"
        try await store.saveCycle(try cycle.record(createdAt: WebFixture.now))
        try await store.save(Deployment(id: "D1", cycleID: "C1", zoneID: "Z1", units: [.traffic], assignedBy: "commander",
                                  assignedAt: WebFixture.now.addingTimeInterval(-86_400), reason: "test"), audit: nil)
        return store
    }
}

@Suite("JSON API, OpenAPI and tokens", .serialized)
struct APIRouteTests {
    static var store: SQLiteIncidentStore { get async { await storeTask.value } }
    private static let storeTask = Task { try! await WebFixture.store() }
    static var approved: SQLiteIncidentStore { get async { await approvedTask.value } }
    private static let approvedTask = Task { try! await ApprovedFixture.store() }

    @Test("the OpenAPI document is public, is OpenAPI 3.0.x JSON with both security schemes, and describes exactly the routes registered under /api")
    func openAPIDocumentMatchesRouter() async throws {
        let router = await buildRouter(WebFixture.environment(Self.store))
        let registered = Set(router.routes.map { "\($0.method.rawValue.lowercased()) \($0.path.description)" }.filter { $0.split(separator: " ")[1].hasPrefix("/api/") })
        #expect(registered.count >= 9, "\(registered)")
        let app = Application(router: router)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/openapi.json", method: .get)
            #expect(response.status == .ok)
            let doc = try jsonObject(response)
            #expect((doc["openapi"] as? String)?.hasPrefix("3.0.") == true)
            let paths = try #require(doc["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, ops in ops.keys.map { "\($0) \(path)" } })
            #expect(registered.subtracting(documented).isEmpty, "registered but not documented: \(registered.subtracting(documented).sorted())")
            #expect(documented.subtracting(registered).isEmpty, "documented but not registered: \(documented.subtracting(registered).sorted())")
            let schemes = try #require((doc["components"] as? [String: Any])?["securitySchemes"] as? [String: Any])
            #expect(Set(schemes.keys) == ["bearerToken", "sessionCookie"])
            // Every $ref points at a schema that exists.
            let schemas = try #require((doc["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let refs = response.text.components(separatedBy: "\"$ref\":\"#/components/schemas/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            #expect(!refs.isEmpty && refs.allSatisfy { schemas[$0] != nil }, "\(refs)")
            let post = try #require(paths["/api/patrols"]?["post"] as? [String: Any])
            #expect(post["requestBody"] != nil)
        }
    }

    @Test("an analyst creates a token on /account/tokens, shown once; it reads /api/zones with the analyst's role and the read is audited with the token id; only its digest is stored")
    func createAndUseToken() async throws {
        let env = await WebFixture.environment(Self.store)
        try await Application(router: buildRouter(env)).test(.router) { client in
            let session = try await TestSession.start(client, as: "analyst")
            let page = try await client.execute(uri: "/account/tokens", method: .get, headers: session.headers)
            #expect(page.status == .ok && page.text.contains("id=\"token-form\"") && page.text.contains("name=\"days\""))
            let created = try await session.post(client, "/account/tokens", ["name": "GIS layer", "days": "30"])
            #expect(created.status == .created)
            let token = try #require(created.text.range(of: "value=\"zc_").map { "zc_" + String(created.text[$0.upperBound...].prefix { $0 != "\"" }) })
            let parts = token.split(separator: "_", maxSplits: 2)
            #expect(parts.count == 3 && parts[1].count == 12)
            let id = String(parts[1]), secret = String(parts[2])
            let stored = try await #require(try Self.store.document(kind: APIToken.kind, id: id))
            #expect(!String(decoding: stored.json, as: UTF8.self).contains(secret))
            let record = try await #require(try Self.store.document(APIToken.self, id: id))
            #expect(record.username == "analyst" && record.expiresAt == WebFixture.now.addingTimeInterval(30 * 86_400))
            #expect(try await Self.store.latestAuditEntries(limit: 5).contains { $0.action == "create-token" && $0.subject == id })
            // The list shows it (name escaped, id, status) but never the secret again.
            let list = try await client.execute(uri: "/account/tokens", method: .get, headers: session.headers)
            #expect(list.text.contains("GIS layer") && list.text.contains(id) && !list.text.contains(secret))

            let zones = try await client.execute(uri: "/api/zones", method: .get, headers: bearer(token))
            #expect(zones.status == .ok && zones.text.contains("\"Z1\""))
            let audit = try await #require(try Self.store.latestAuditEntries(limit: 1).first)
            #expect(audit.action == "view-zones" && audit.actor == "analyst (token \(id))")
        }
    }

    @Test("revoked, expired, forged (right id, wrong secret) and malformed tokens get 401; an auditor's token cannot read zones (403)")
    func badTokens() async throws {
        let env = await WebFixture.environment(Self.store)
        let expired = try await storeToken(Self.store, username: "analyst", id: "expiredTok01", expiresAt: WebFixture.now.addingTimeInterval(-1))
        let auditor = try await storeToken(Self.store, username: "auditor", id: "auditorTok01", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        let good = try await storeToken(Self.store, username: "commander", id: "commandTok01", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        try await Application(router: buildRouter(env)).test(.router) { client in
            #expect(try await client.execute(uri: "/api/zones", method: .get, headers: bearer(good)).status == .ok)
            let forged = "zc_commandTok01_" + String(repeating: "A", count: 43)
            for token in [expired, forged, "garbage", "zc_commandTok01", "zc__", "zc_nosuchtoken1_abc", ""] {
                let r = try await client.execute(uri: "/api/zones", method: .get, headers: bearer(token))
                #expect(r.status == .unauthorized, "\(token)")
                #expect(try jsonObject(r)["error"] != nil && !r.text.contains("cells"))
            }
            #expect(try await client.execute(uri: "/api/zones", method: .get, headers: bearer(auditor)).status == .forbidden)
            // Revoking through the page stops the token at once.
            let session = try await TestSession.start(client, as: "commander")
            let noCSRF = try await session.post(client, "/account/tokens/commandTok01/revoke", [:], csrf: false)
            #expect(noCSRF.status == .forbidden)
            let revoked = try await session.post(client, "/account/tokens/commandTok01/revoke", [:])
            #expect(revoked.status == .seeOther && revoked.headers[.location] == "/account/tokens?revoked=commandTok01")
            #expect(try await client.execute(uri: "/api/zones", method: .get, headers: bearer(good)).status == .unauthorized)
            #expect(try await Self.store.latestAuditEntries(limit: 3).contains { $0.action == "revoke-token" && $0.subject == "commandTok01" && $0.actor == "commander" })
            #expect(try await session.post(client, "/account/tokens/commandTok01/revoke", [:]).status == .conflict)
            // Someone else's token is unknown to the commander.
            #expect(try await session.post(client, "/account/tokens/auditorTok01/revoke", [:]).status == .notFound)
        }
    }

    @Test("token pages: officers and auditors may not hold tokens; bad names and expiries are refused naming the field and value; a token cannot mint tokens")
    func tokenPageRules() async throws {
        let env = await WebFixture.environment(Self.store)
        try await Application(router: buildRouter(env)).test(.router) { client in
            for role in ["officer", "auditor"] {
                let s = try await TestSession.start(client, as: role)
                #expect(try await client.execute(uri: "/account/tokens", method: .get, headers: s.headers).status == .forbidden, "\(role)")
            }
            let admin = try await TestSession.start(client, as: "admin")
            #expect(try await client.execute(uri: "/account/tokens", method: .get, headers: admin.headers).status == .ok)
            let zero = try await admin.post(client, "/account/tokens", ["name": "x", "days": "0"])
            #expect(zero.status == .badRequest && zero.text.contains("Expiry (days) &quot;0&quot;") && zero.text.contains("between 1 and 365"))
            let long = try await admin.post(client, "/account/tokens", ["name": "x", "days": "366"])
            #expect(long.status == .badRequest && long.text.contains("366"))
            let noName = try await admin.post(client, "/account/tokens", ["name": " ", "days": "10"])
            #expect(noName.status == .badRequest && noName.text.contains("Name is required"))
            let hostile = try await admin.post(client, "/account/tokens", ["name": "<b>bold</b>", "days": "10"])
            #expect(hostile.status == .created && !hostile.text.contains("<b>bold</b>") && hostile.text.contains("&lt;b&gt;bold&lt;/b&gt;"))
            let minted = try #require(hostile.text.range(of: "value=\"zc_").map { "zc_" + String(hostile.text[$0.upperBound...].prefix { $0 != "\"" }) })
            let viaToken = try await client.execute(uri: "/account/tokens", method: .get, headers: bearer(minted))
            #expect(viaToken.status != .ok)
        }
    }

    @Test("cycles: any caller sees ids and statuses without cells; the detail has cells for analysts, none for an officer before approval, null for an auditor; unknown ids are 404 JSON")
    func cycles() async throws {
        let env = await WebFixture.environment(Self.store)
        let auditor = try await storeToken(Self.store, username: "auditor", id: "auditorCyc01", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        let analyst = try await storeToken(Self.store, username: "analyst", id: "analystCyc01", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        let officer = try await storeToken(Self.store, username: "officer", id: "officerCyc01", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        try await Application(router: buildRouter(env)).test(.router) { client in
            let list = try await client.execute(uri: "/api/cycles", method: .get, headers: bearer(auditor))
            #expect(list.status == .ok && !list.text.contains("cells"))
            let cycles = try #require(try jsonObject(list)["cycles"] as? [[String: Any]])
            let c1 = try #require(cycles.first { $0["id"] as? String == "C1" })
            #expect(c1["status"] as? String == "proposed" && c1["startsAt"] as? String == "2024-06-01T05:00:00Z" && (c1["zoneCount"] as? Int ?? 0) > 0)
            #expect(try await client.execute(uri: "/api/cycles", method: .get).status == .unauthorized)

            let full = try jsonObject(try await client.execute(uri: "/api/cycles/C1", method: .get, headers: bearer(analyst)))
            let zones = try #require(full["zones"] as? [[String: Any]])
            #expect(!zones.isEmpty && (zones[0]["cells"] as? [Int])?.isEmpty == false && zones[0]["explanation"] is String && zones[0]["centre"] is [String: Any])
            #expect(try await Self.store.latestAuditEntries(limit: 1).first.map { $0.action == "view-zones" && $0.subject == "C1" && $0.actor == "analyst (token analystCyc01)" } == true)
            let officerView = try jsonObject(try await client.execute(uri: "/api/cycles/C1", method: .get, headers: bearer(officer)))
            #expect((officerView["zones"] as? [Any])?.isEmpty == true)
            let auditorView = try await client.execute(uri: "/api/cycles/C1", method: .get, headers: bearer(auditor))
            #expect(try auditorView.status == .ok && !auditorView.text.contains("cells") && (jsonObject(auditorView)["zones"]) is NSNull)
            let missing = try await client.execute(uri: "/api/cycles/NOPE", method: .get, headers: bearer(analyst))
            #expect(try missing.status == .notFound && (jsonObject(missing)["error"] as? String)?.contains("NOPE") == true)
        }
    }

    @Test("incidents: filtered by time and category with a limit; bad parameters are 400 naming the parameter and value; officers and auditors are refused")
    func incidents() async throws {
        let env = await WebFixture.environment(Self.store)
        let analyst = try await storeToken(Self.store, username: "analyst", id: "analystInc01", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        let officer = try await storeToken(Self.store, username: "officer", id: "officerInc01", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        try await Application(router: buildRouter(env)).test(.router) { client in
            let r = try await client.execute(uri: "/api/incidents?from=2024-01-01T00:00:00Z&to=2024-06-01T00:00:00Z&limit=5", method: .get, headers: bearer(analyst))
            #expect(r.status == .ok)
            let body = try jsonObject(r)
            let list = try #require(body["incidents"] as? [[String: Any]])
            #expect(list.count == 5 && body["truncated"] as? Bool == true && body["next"] is String)
            for key in ["id", "category", "occurredAt", "lat", "lon", "address", "policeInitiated"] { #expect(list[0][key] != nil, "\(key)") }
            let times = list.compactMap { $0["occurredAt"] as? String }
            #expect(times == times.sorted() && times.allSatisfy { $0 >= "2024-01-01" && $0 < "2024-06-01" })

            let robberies = try jsonObject(try await client.execute(uri: "/api/incidents?from=2024-01-01&to=2024-06-01&category=robbery&limit=50", method: .get, headers: bearer(analyst)))
            let cats = Set(try #require(robberies["incidents"] as? [[String: Any]]).compactMap { $0["category"] as? String })
            #expect(cats == ["robbery"])

            for (query, parameter, value) in [("limit=0", "limit", "0"), ("limit=10001", "limit", "10001"), ("limit=ten", "limit", "ten"),
                                              ("category=jaywalking", "category", "jaywalking"), ("from=yesterday", "from", "yesterday"),
                                              ("from=2024-06-01&to=2024-01-01", "from", "2024-06-01")] {
                let bad = try await client.execute(uri: "/api/incidents?\(query)", method: .get, headers: bearer(analyst))
                let message = try jsonObject(bad)["error"] as? String ?? ""
                #expect(bad.status == .badRequest && message.hasPrefix(parameter) && message.contains("\"\(value)\""), "\(query): \(message)")
            }
            #expect(try await client.execute(uri: "/api/incidents", method: .get, headers: bearer(officer)).status == .forbidden)
        }
    }

    @Test("surface: the cycle's top N cells, highest first, with centres; the cycle parameter is required; officers are refused")
    func surface() async throws {
        let env = await WebFixture.environment(Self.store)
        let commander = try await storeToken(Self.store, username: "commander", id: "commandSur01", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        let officer = try await storeToken(Self.store, username: "officer", id: "officerSur01", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        try await Application(router: buildRouter(env)).test(.router) { client in
            let r = try await client.execute(uri: "/api/surface?cycle=C1&top=10", method: .get, headers: bearer(commander))
            #expect(r.status == .ok)
            let cells = try #require(try jsonObject(r)["cells"] as? [[String: Any]])
            let values = cells.compactMap { $0["value"] as? Double }
            #expect(cells.count == 10 && values == values.sorted(by: >) && values[0] > 0)
            #expect(cells.allSatisfy { ($0["lat"] as? Double).map { (-90...90).contains($0) } == true && ($0["lon"] as? Double).map { (-180...180).contains($0) } == true })
            let missing = try await client.execute(uri: "/api/surface", method: .get, headers: bearer(commander))
            #expect(try missing.status == .badRequest && (jsonObject(missing)["error"] as? String)?.hasPrefix("cycle") == true)
            let badTop = try await client.execute(uri: "/api/surface?cycle=C1&top=-1", method: .get, headers: bearer(commander))
            #expect(badTop.status == .badRequest && badTop.text.contains("top") && badTop.text.contains("-1"))
            #expect(try await client.execute(uri: "/api/surface?cycle=NOPE", method: .get, headers: bearer(commander)).status == .notFound)
            #expect(try await client.execute(uri: "/api/surface?cycle=C1", method: .get, headers: bearer(officer)).status == .forbidden)
        }
    }

    @Test("GeoJSON export: a CONFIDENTIAL FeatureCollection of closed WGS84 cell squares per visible zone, audited as export; refused without exportData")
    func geoJSON() async throws {
        let env = await WebFixture.environment(Self.store)
        try await Application(router: buildRouter(env)).test(.router) { client in
            let analyst = try await TestSession.start(client, as: "analyst")
            let r = try await client.execute(uri: "/api/zones.geojson", method: .get, headers: analyst.headers)
            #expect(r.status == .ok && r.headers[.contentType] == "application/geo+json")
            let doc = try jsonObject(r)
            #expect(doc["type"] as? String == "FeatureCollection")
            let features = try #require(doc["features"] as? [[String: Any]])
            let cycle = try await JSONDecoder.zoneCast.decode(ZoneCycle.self, from: try #require(try Self.store.cycle(id: "C1")).document)
            #expect(features.count == cycle.zones.count)
            for f in features {
                let p = try #require(f["properties"] as? [String: Any])
                #expect(p["classification"] as? String == "CONFIDENTIAL" && p["cycle"] as? String == "C1" && p["id"] is String && p["status"] is String)
                let geometry = try #require(f["geometry"] as? [String: Any])
                #expect(geometry["type"] as? String == "MultiPolygon")
                let polygons = try #require(geometry["coordinates"] as? [[[[Double]]]])
                let zone = try #require(cycle.zones.first { $0.id == p["id"] as? String })
                #expect(polygons.count == zone.zone.cells.count)
                for ring in polygons.map({ $0[0] }) {
                    #expect(ring.count == 5 && ring.first == ring.last)
                    #expect(ring.allSatisfy { (-180...180).contains($0[0]) && (-90...90).contains($0[1]) })
                }
            }
            let audit = try await #require(try Self.store.latestAuditEntries(limit: 1).first)
            #expect(audit.action == "export" && audit.subject == "geojson" && audit.actor == "analyst" && audit.detail.contains("C1/Z1"))
            let officer = try await TestSession.start(client, as: "officer")
            #expect(try await client.execute(uri: "/api/zones.geojson", method: .get, headers: officer.headers).status == .forbidden)
        }
    }

    @Test("patrols: an officer's token logs a visit to an assigned zone (saved with its audit entry) and lists only their own; the form's rules give 400s naming the field")
    func patrols() async throws {
        let store = await Self.approved
        let env = WebFixture.environment(store)
        let officer = try await storeToken(store, username: "officer", id: "officerPat01", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        let analyst = try await storeToken(store, username: "analyst", id: "analystPat01", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        try await Application(router: buildRouter(env)).test(.router) { client in
            let good = #"{"cycle":"C1","zone":"Z1","startedAt":"2024-06-02T10:00:00Z","endedAt":"2024-06-02T10:14:00Z","activities":{"communityContacts":3,"businessChecks":1},"notes":"spoke with the corner store owner"}"#
            let created = try await postPatrol(client, good, token: officer)
            #expect(created.status == .created, "\(created.text)")
            let visit = try jsonObject(created)
            let id = try #require(visit["id"] as? String)
            #expect(visit["zone"] as? String == "Z1" && visit["unit"] as? String == "Traffic Division" && visit["minutes"] as? Double == 14 && visit["withinRecommendedMinutes"] as? Bool == true)
            let saved = try await #require(try store.document(PatrolVisit.self, id: id))
            #expect(saved.officer == "officer" && saved.activities.communityContacts == 3)
            // The log is followed by the alerts it raises (low patrol in the other zones), so the entry is looked up by action.
            let audit = try await #require(try store.latestAuditEntries(limit: 50).first { $0.action == "log-patrol" })
            #expect(audit.subject == "C1/Z1" && audit.actor == "officer (token officerPat01)")

            // Someone else's visit in the same cycle: the officer does not see it, the analyst does.
            try await store.save(PatrolVisit(id: "P-other", officer: "someone.else", unit: .traffic, cycleID: "C1", zoneID: "Z1", startedAt: WebFixture.now.addingTimeInterval(-7_200),
                                       endedAt: WebFixture.now.addingTimeInterval(-6_600), activities: PatrolActivities(), notes: "", loggedAt: WebFixture.now), audit: nil)
            let mine = try #require(try jsonObject(try await client.execute(uri: "/api/patrols?cycle=C1", method: .get, headers: bearer(officer)))["patrols"] as? [[String: Any]])
            #expect(mine.compactMap { $0["id"] as? String } == [id])
            let all = try #require(try jsonObject(try await client.execute(uri: "/api/patrols", method: .get, headers: bearer(analyst)))["patrols"] as? [[String: Any]])
            #expect(Set(all.compactMap { $0["id"] as? String }) == [id, "P-other"])

            let cases: [(String, String, String)] = [
                (#"{"zone":"Z2","startedAt":"2024-06-02T10:00:00Z","endedAt":"2024-06-02T10:14:00Z"}"#, "zone", "Z2"),
                (#"{"zone":"Z1","startedAt":"2024-06-02T10:00:00Z","endedAt":"2024-06-02T09:00:00Z"}"#, "endedAt", "2024-06-02T09:00:00Z"),
                (#"{"zone":"Z1","startedAt":"2024-06-01T06:00:00Z","endedAt":"2024-06-01T19:00:00Z"}"#, "endedAt", "2024-06-01T19:00:00Z"),
                (#"{"zone":"Z1","startedAt":"2024-06-02T10:00:00Z","endedAt":"2024-06-02T10:14:00Z","activities":{"arrests":501}}"#, "activities.arrests", "501"),
                (#"{"zone":"Z1","startedAt":"2024-06-02T10:00:00Z","endedAt":"2024-06-02T10:14:00Z","activities":{"arrests":-1}}"#, "activities.arrests", "-1"),
                (#"{"zone":"Z1","startedAt":"2024-06-02T10:00:00Z","endedAt":"2024-06-02T10:14:00Z","activities":{"arrests":true}}"#, "activities.arrests", "whole number"),
                (#"{"zone":"Z1","startedAt":"yesterday","endedAt":"2024-06-02T10:14:00Z"}"#, "startedAt", "yesterday"),
                (#"{"zone":"Z1","startedAt":"2024-06-03T10:00:00Z","endedAt":"2024-06-03T10:14:00Z"}"#, "endedAt", "2024-06-03T10:14:00Z"),
                (#"{"zone":"Z1","startedAt":"2024-06-02T10:00:00Z","endedAt":"2024-06-02T10:14:00Z","speed":3}"#, "speed", "3"),
                (good, "startedAt", "overlaps your visit \(id)"),
                (#"{"cycle":"C9","zone":"Z1","startedAt":"2024-06-02T10:30:00Z","endedAt":"2024-06-02T10:44:00Z"}"#, "cycle", "C9"),
                (#"{"zone":"Z1","startedAt":"2024-06-01T01:00:00Z","endedAt":"2024-06-01T01:30:00Z"}"#, "startedAt", "before cycle C1 began"),
                (#"{"startedAt":"2024-06-02T10:00:00Z","endedAt":"2024-06-02T10:14:00Z"}"#, "zone", "required"),
            ]
            for (body, field, value) in cases {
                let r = try await postPatrol(client, body, token: officer)
                let message = try jsonObject(r)["error"] as? String ?? ""
                #expect(r.status == .badRequest && message.hasPrefix(field) && message.contains(value), "\(body): \(message)")
            }
            let notJSON = try await postPatrol(client, "{zone: Z1", token: officer)
            #expect(notJSON.status == .badRequest && notJSON.text.contains("JSON"))
            #expect(try await postPatrol(client, "zone=Z1", token: officer, type: "application/x-www-form-urlencoded").status == .unsupportedMediaType)
            let huge = try await postPatrol(client, #"{"zone":"Z1","notes":""# + String(repeating: "x", count: 70_000) + #""}"#, token: officer)
            #expect(try huge.status == .contentTooLarge && (jsonObject(huge)["error"] as? String)?.contains("64 KiB") == true)
            #expect(try await postPatrol(client, good, token: analyst).status == .forbidden)
            #expect(try await store.documents(PatrolVisit.self, group: "C1").count == 2)

            // A browser session must send the page's CSRF token.
            let session = try await TestSession.start(client, as: "officer")
            let withoutCSRF = try await client.execute(uri: "/api/patrols", method: .post, headers: [.cookie: session.cookie, .contentType: "application/json"], body: ByteBuffer(string: good))
            #expect(withoutCSRF.status == .forbidden)
            let later = good.replacingOccurrences(of: "T10:00", with: "T10:30").replacingOccurrences(of: "T10:14", with: "T10:44")
            let withCSRF = try await client.execute(uri: "/api/patrols", method: .post, headers: [.cookie: session.cookie, .contentType: "application/json", HTTPField.Name("X-CSRF-Token")!: session.csrf],
                                                    body: ByteBuffer(string: later))
            #expect(withCSRF.status == .created)
        }
    }
}

@Suite("Audit log page", .serialized)
struct AuditPageTests {
    /// A small store (no incidents needed) with the five accounts and a known log.
    static func store() async throws -> SQLiteIncidentStore {
        let dir = try TestDirectory.make("zonecast-audit")
        let store = try SQLiteIncidentStore(path: dir.appendingPathComponent("a.sqlite").path)
        let hash = Passwords.hash(WebFixture.password, cost: 4)
        for role in Role.allCases {
            try await store.addAccount(Account(username: role.rawValue, displayName: "The \(role.rawValue)", role: role, units: role == .officer ? [.traffic] : [],
                                         passwordHash: hash, mustChangePassword: false, createdAt: WebFixture.now))
        }
        let t = WebFixture.now.addingTimeInterval(-3_600)
        try await store.audit(AuditDraft(at: t, actor: "analyst", action: .propose, subject: "C1", detail: "4 zones"))
        try await store.audit(AuditDraft(at: t, actor: "commander", action: .viewZone, subject: "C1/Z1"))
        try await store.audit(AuditDraft(at: t, actor: "analyst (token abcdefghjkmn)", action: .viewZones, subject: "C1", detail: "api: 4 active"))
        try await store.audit(AuditDraft(at: t, actor: "<script>alert(1)</script>", action: .signInFailed, subject: "=HYPERLINK(\"http://x\")", detail: "a, \"quoted\" detail"))
        try await store.audit(AuditDraft(at: t, actor: "commander", action: .decideZone, subject: "C1/Z2", detail: "approve"))
        return store
    }

    static func rows(_ html: String) -> [Int] {
        html.components(separatedBy: "<tr data-sequence=\"").dropFirst().compactMap { Int($0.prefix { $0 != "\"" }) }
    }

    @Test("auditors and admins see the log newest first with the chain intact, everything escaped; other roles are refused")
    func page() async throws {
        let store = try await Self.store()
        try await Application(router: buildRouter(WebFixture.environment(store))).test(.router) { client in
            let auditor = try await TestSession.start(client, as: "auditor")
            let page = try await client.execute(uri: "/audit", method: .get, headers: auditor.headers)
            #expect(page.status == .ok && page.text.contains("<table id=\"audit\""))
            let sequences = Self.rows(page.text)
            #expect(sequences.count >= 5 && sequences == sequences.sorted(by: >))
            #expect(page.text.contains("Audit chain intact") && page.text.contains("\(sequences[0]) entries checked"))
            let head = try await #require(try store.latestAuditEntries(limit: 1).first)
            #expect(page.text.contains(head.hash))
            #expect(!page.text.contains("<script>alert(1)</script>") && page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            for role in ["analyst", "commander", "officer"] {
                let s = try await TestSession.start(client, as: role)
                #expect(try await client.execute(uri: "/audit", method: .get, headers: s.headers).status == .forbidden, "\(role)")
                #expect(try await client.execute(uri: "/audit.csv", method: .get, headers: s.headers).status == .forbidden, "\(role)")
            }
            let admin = try await TestSession.start(client, as: "admin")
            #expect(try await client.execute(uri: "/audit", method: .get, headers: admin.headers).status == .ok)
            #expect(try await client.execute(uri: "/audit", method: .get).status == .seeOther)
        }
    }

    @Test("filters: by actor (with the actor's tokens), by the who-saw-zone-locations group, by subject; paging with before; a bad action or before is a 400 naming it")
    func filtersAndPaging() async throws {
        let store = try await Self.store()
        try await Application(router: buildRouter(WebFixture.environment(store))).test(.router) { client in
            let auditor = try await TestSession.start(client, as: "auditor")
            func get(_ uri: String) async throws -> TestResponse { try await client.execute(uri: uri, method: .get, headers: auditor.headers) }
            let all = try await store.auditEntries(from: 1, limit: 1_000)
            func expected(_ keep: (AuditEntry) -> Bool) -> [Int] { all.filter(keep).map { Int($0.sequence) }.reversed() }

            #expect(try Self.rows(await get("/audit?actor=analyst").text) == expected { $0.actor.hasPrefix("analyst") })
            #expect(try Self.rows(await get("/audit?action=location-access").text) == expected { ["view-zones", "view-zone", "view-briefing", "export"].contains($0.action) })
            #expect(try Self.rows(await get("/audit?action=decide-zone").text) == expected { $0.action == "decide-zone" })
            #expect(try Self.rows(await get("/audit?subject=c1%2Fz").text) == expected { $0.subject.hasPrefix("C1/Z") })
            #expect(try Self.rows(await get("/audit?actor=commander&subject=Z2").text) == expected { $0.actor == "commander" && $0.subject == "C1/Z2" })

            let first = try await get("/audit?limit=2")
            let newest = expected { _ in true }
            #expect(Self.rows(first.text) == Array(newest.prefix(2)))
            let older = try #require(first.text.range(of: "id=\"audit-older\" rel=\"next\" href=\"").map { String(first.text[$0.upperBound...].prefix { $0 != "\"" }) })
            #expect(older.contains("before=\(newest[1])") && older.contains("limit=2"))
            let second = try await get(older.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(Self.rows(second.text) == Array(newest.dropFirst(2).prefix(2)))
            let last = try await get("/audit?before=2")
            #expect(Self.rows(last.text) == [1] && !last.text.contains("id=\"audit-older\""))

            let badAction = try await get("/audit?action=teleport")
            #expect(badAction.status == .badRequest && badAction.text.contains("action &quot;teleport&quot;"))
            let badBefore = try await get("/audit?before=-3")
            #expect(badBefore.status == .badRequest && badBefore.text.contains("before &quot;-3&quot;"))
        }
    }

    @Test("the CSV export holds the filtered entries, quoted and defused against spreadsheet formulas, and is itself audited")
    func csv() async throws {
        let store = try await Self.store()
        try await Application(router: buildRouter(WebFixture.environment(store))).test(.router) { client in
            let auditor = try await TestSession.start(client, as: "auditor")
            let r = try await client.execute(uri: "/audit.csv", method: .get, headers: auditor.headers)
            #expect(r.status == .ok && r.headers[.contentType] == "text/csv; charset=utf-8" && r.headers[.contentDisposition]?.contains("attachment") == true)
            let lines = r.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines[0] == "sequence,time_utc,time_local,actor,action,subject,detail,previous_hash,hash")
            #expect(r.text.contains("\"'=HYPERLINK(\"\"http://x\"\")\"") && r.text.contains("\"a, \"\"quoted\"\" detail\""))
            let export = try await #require(try store.latestAuditEntries(limit: 1).first)
            #expect(export.action == "export" && export.subject == "audit.csv" && export.actor == "auditor")
            #expect(lines.count - 1 == Int(export.sequence) - 1)
            let filtered = try await client.execute(uri: "/audit.csv?action=location-access", method: .get, headers: auditor.headers)
            let rows = filtered.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.dropFirst()
            #expect(!rows.isEmpty && rows.allSatisfy { $0.contains(",view-zone") || $0.contains(",export,") })
        }
    }

    @Test("a tampered entry (edited in the database file behind the application) shows the chain broken at that entry, in red")
    func brokenChain() async throws {
        let store = try await Self.store()
        try await store.executeForTesting("DROP TRIGGER audit_log_no_update")
        try await store.executeForTesting("UPDATE audit_log SET actor = 'nobody' WHERE sequence = 2")
        try await Application(router: buildRouter(WebFixture.environment(store))).test(.router) { client in
            let auditor = try await TestSession.start(client, as: "auditor")
            let page = try await client.execute(uri: "/audit", method: .get, headers: auditor.headers)
            #expect(page.status == .ok && page.text.contains("BROKEN at entry 2") && page.text.contains("class=\"error\""))
            #expect(page.text.contains("<tr data-sequence=\"2\" data-action=\"view-zone\" class=\"broken\""))
            #expect(!page.text.contains("<tr data-sequence=\"1\" data-action=\"propose\" class=\"broken\""))
        }
    }
}
