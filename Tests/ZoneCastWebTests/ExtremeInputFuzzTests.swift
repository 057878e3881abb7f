import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastTestSupport
import ZoneCastAccess
import ZoneCastAPI
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb
import ZoneCastOperations

/// The "done when" fuzz pass of issue #12: extreme numbers, NUL and control bytes, invalid UTF-8, impossible dates
/// and huge strings in every form field, API body field, query parameter and path parameter each role can reach
/// (the routes of the permission matrix), as each role. After every request the server still answers /health;
/// nothing is a 5xx; at the end the audit chain verifies intact.
@Suite("Fuzz: extreme values in every input, as every role")
struct ExtremeInputFuzzTests {
    /// Values as they travel in a URL or a form body (already percent-encoded, so invalid UTF-8 can be sent).
    static let encoded: [String] = [
        "1e19", "-1e300", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1180591620717411303424", "NaN", "nan", "Infinity",
        "-inf", "-0", "0x10", "1e-400", String(repeating: "9", count: 400), "1" + String(repeating: "0", count: 5_000), "-1", "2.5",
        "%00", "a%00b", "C1%00", "%01%02%1B%5B31m", "%7F", "%C2%85", "%09", "%0D%0A", "%FF", "%C3%28", "%ED%A0%80", "%E0%80%80", "%zz", "%",
        "2026-02-30T10%3A00", "2024-06-02T25%3A61", "2024-02-30T00%3A00%3A00Z", "99999-01-01",
        "0%2C-7.001", "38.48%2C-97.06%3B+38.49%2C-97.05%3B+0%2C-7.001",
    ]
    static let hugeForm = String(repeating: "x", count: 200_000)      // within the 256 KiB form limit
    static let hugeQuery = String(repeating: "y", count: 100_000)
    /// JSON values for an API body field: numbers as raw JSON text, strings quoted, and bytes that are not UTF-8.
    static let json: [[UInt8]] = [
        "1e19", "-1e300", "9223372036854775807", "-9223372036854775809", "1180591620717411303424", "-0", "1e400", String(repeating: "9", count: 400),
        "NaN", "Infinity", "-1", "2.5", "true", "null", "[]", "{}",
        #""\u0000""#, #""a\u0000b""#, #""\u001b[31m""#, #""\u007f""#, #""\u0085""#, #""\t""#, #""2024-02-30T10:00:00Z""#, #""2024-06-02T24:00:00Z""#,
        #""99999-06-02T10:00:00Z""#, "\"" + String(repeating: "z", count: 60_000) + "\"",
    ].map { Array($0.utf8) } + [[0x22, 0xFF, 0xFE, 0x22], [0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22]]
    /// Query names the pages and the API read (the API's also come from the OpenAPI document).
    static let pageQueryNames = ["cycle", "buffer", "actor", "action", "subject", "before", "limit", "revoked", "logged", "zone", "saved", "status", "kind",
                                 "recorded", "triaged", "deep", "from", "to", "top", "category"]
    static let patrolFields = ["cycle", "zone", "startedAt", "endedAt", "unit", "notes", "activities", "activities.communityContacts", "activities.businessChecks",
                               "activities.fieldInterviews", "activities.minorInfractionCitations", "activities.otherCitations", "activities.arrests"]

    struct Tally {
        var cases = 0
        var byKind: [String: Int] = [:]
        var byStatus: [Int: Int] = [:]
        var serverErrors: [String] = []
        mutating func record(_ kind: String, _ what: String, _ status: HTTPResponse.Status) {
            cases += 1
            byKind[kind, default: 0] += 1
            byStatus[Int(status.code), default: 0] += 1
            if status.code >= 500 { serverErrors.append("\(what) → \(status)") }
        }
    }

    @Test("given the proposed or the approved fixture, when extreme numbers, control bytes, invalid UTF-8, impossible dates and huge strings go into every form, API body field, query and path parameter as every role, then nothing is 5xx, /health answers 200 after every request, and the audit chain verifies",
          arguments: ["proposed", "approved"])
    func everyInputEveryRole(fixture label: String) async throws {
        let started = Date()
        let store = label == "proposed" ? try await WebFixture.store() : try await ApprovedFixture.store()
        let tally = try await fuzz(store, seed: label == "proposed" ? 0xE0_12 : 0xE0_13)
        #expect(tally.serverErrors.isEmpty, "\(label): \(tally.serverErrors.prefix(20))")
        let chain = try await store.verifyAuditChain()
        #expect(chain.problem == nil, "\(label): audit chain broken: \(String(describing: chain.problem))")
        print("extreme-input fuzz (\(label) fixture): \(tally.cases) cases in \(Int(Date().timeIntervalSince(started))) s, \(tally.byKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); statuses \(tally.byStatus.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")); audit chain intact over \(chain.entriesChecked) entries")
        #expect(tally.cases >= 2_000, "only \(tally.cases) cases ran on the \(label) fixture")
    }

    func fuzz(_ store: SQLiteIncidentStore, seed: UInt64) async throws -> Tally {
        let env = WebEnvironment(store: store, throttle: LoginThrottle(maxFailures: 1_000), passwordCheck: WebFixture.passwordCheck,
                                 clock: { WebFixture.now })
        let router = buildRouter(env)
        let routes = router.routes.map { (method: $0.method, path: $0.path.description) }.filter { RouteTable.rules["\($0.method) \($0.path)"] != nil }
        let pages = routes.filter { $0.method == .get && !$0.path.hasPrefix("/api/") && !$0.path.hasSuffix(".csv") }.map { RouteTable.concrete($0.path) }
        let token = try await storeToken(store, username: "officer", id: "officerXfz\(seed % 100)", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        return try await Application(router: router).test(.router) { client -> Tally in
            var m = FuzzMutator(seed: seed)
            var tally = Tally()
            var sessions: [(String, TestSession)] = []
            for role in Role.allCases { sessions.append((role.rawValue, try await TestSession.start(client, as: role.rawValue))) }
            func check(_ kind: String, _ what: String, _ r: TestResponse) async throws {
                tally.record(kind, what, r.status)
                let health = try await client.execute(uri: "/health", method: .get)
                #expect(health.status == .ok, "after \(what): /health → \(health.status)")
            }
            let apiQueryNames = try Self.apiQueryNames()

            // 1. Query parameters of every GET route, as every role (and anonymously for the open ones).
            for route in routes where route.method == .get {
                let names = route.path.hasPrefix("/api/") ? (apiQueryNames[route.path] ?? []) + ["x"] : Self.pageQueryNames
                for (role, session) in [("anonymous", TestSession(cookie: "", csrf: ""))] + sessions {
                    for _ in 0..<6 {
                        let name = m.pick(names), value = m.chance(4) ? Self.hugeQuery : m.pick(Self.encoded)
                        let uri = RouteTable.concrete(route.path) + "?\(name)=\(value)"
                        let r = try await client.execute(uri: uri, method: .get, headers: role == "anonymous" ? [:] : session.headers)
                        try await check("query", "\(role) GET \(uri.prefix(120))", r)
                    }
                }
            }

            // 2. Path parameters of every route, as every role.
            for route in routes where route.path.contains("{") {
                for (role, session) in sessions {
                    for _ in 0..<4 {
                        let value = m.chance(5) ? Self.hugeQuery : m.pick(Self.encoded)
                        let uri = route.path.split(separator: "/").map { $0.hasPrefix("{") ? value : String($0) }.joined(separator: "/")
                        let isAPI = route.path.hasPrefix("/api/")
                        let headers: HTTPFields = route.method == .post && isAPI
                            ? [.cookie: session.cookie, .contentType: "application/json", HTTPField.Name("X-CSRF-Token")!: session.csrf]
                            : [.cookie: session.cookie, .contentType: "application/x-www-form-urlencoded"]
                        let r = try await client.execute(uri: "/" + uri, method: route.method, headers: headers,
                                                         body: ByteBuffer(string: route.method == .post ? (isAPI ? "{}" : "csrf=\(session.csrf)") : ""))
                        try await check("path", "\(role) \(route.method) /\(uri.prefix(120))", r)
                    }
                }
            }

            // 3. Every field of every form each role can reach: one field extreme, the others as a browser fills them.
            let forms = try await reachableForms(client, pages: pages, sessions: sessions).filter { $0.form.action != "/tips" && $0.form.action != "/login" }
            for (role, session, form) in forms {
                for (k, field) in form.fields.enumerated() where field.name != "csrf" {
                    for _ in 0..<3 {
                        let value = m.chance(6) ? Self.hugeForm : m.pick(Self.encoded)
                        let body = form.fields.enumerated().map { j, f -> String in
                            if f.name == "csrf" { return "csrf=\(session.csrf)" }
                            return j == k ? "\(f.name)=\(value)" : FormScraper.encode([(f.name, browserValue(f))])
                        }.joined(separator: "&")
                        let r = try await client.execute(uri: form.action, method: .post, headers: [.cookie: session.cookie, .contentType: "application/x-www-form-urlencoded"],
                                                         body: ByteBuffer(string: body))
                        try await check("form", "\(role) POST \(form.action) \(field.name)=\(value.prefix(60))", r)
                    }
                }
            }
            // The public forms, anonymously, with their double-submit cookies.
            for path in ["/tips", "/login"] {
                let page = try await client.execute(uri: path, method: .get)
                let cookieName = path == "/tips" ? "zc_tip_csrf" : "zc_login_csrf"
                guard let csrf = page.cookieValue(cookieName), let form = FormScraper.forms(in: page.text).first(where: { $0.action == path }) else { continue }
                for (k, field) in form.fields.enumerated() where field.name != "csrf" {
                    for _ in 0..<3 {
                        let value = m.pick(Self.encoded)
                        let body = form.fields.enumerated().map { j, f in f.name == "csrf" ? "csrf=\(csrf)" : j == k ? "\(f.name)=\(value)" : FormScraper.encode([(f.name, browserValue(f))]) }.joined(separator: "&")
                        let r = try await client.execute(uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "\(cookieName)=\(csrf)"], body: ByteBuffer(string: body))
                        try await check("form", "anonymous POST \(path) \(field.name)=\(value.prefix(60))", r)
                    }
                }
            }

            // 4. Every field of the API's JSON body (POST /api/patrols), by token and by session, one field extreme at a time.
            let good: [String: [UInt8]] = ["cycle": Array(#""C1""#.utf8), "zone": Array(#""Z1""#.utf8), "startedAt": Array(#""2024-06-02T10:00:00Z""#.utf8),
                                           "endedAt": Array(#""2024-06-02T10:14:00Z""#.utf8), "notes": Array(#""ok""#.utf8)]
            for field in Self.patrolFields {
                for value in Self.json {
                    var parts: [[UInt8]] = []
                    var activities: [[UInt8]] = [Array(#""communityContacts":1"#.utf8)]
                    for (name, v) in good.sorted(by: { $0.key < $1.key }) { parts.append(Array("\"\(name)\":".utf8) + (name == field ? value : v)) }
                    if field.hasPrefix("activities.") { activities = [Array("\"\(field.dropFirst("activities.".count))\":".utf8) + value] }
                    parts.append(Array(#""activities":"#.utf8) + (field == "activities" ? value : Array("{".utf8) + activities.joined(separator: [UInt8(ascii: ",")]) + Array("}".utf8)))
                    if field == "unit" { parts.append(Array(#""unit":"#.utf8) + value) }
                    let body = Array("{".utf8) + parts.joined(separator: [UInt8(ascii: ",")]) + Array("}".utf8)
                    for viaToken in [true, false] {
                        let officer = sessions.first { $0.0 == "officer" }!.1
                        let headers: HTTPFields = viaToken ? [.authorization: "Bearer \(token)", .contentType: "application/json"]
                            : [.cookie: officer.cookie, .contentType: "application/json", HTTPField.Name("X-CSRF-Token")!: officer.csrf]
                        let r = try await client.execute(uri: "/api/patrols", method: .post, headers: headers, body: ByteBuffer(bytes: body))
                        try await check("json", "POST /api/patrols \(field)=\(String(decoding: value.prefix(60), as: UTF8.self))", r)
                    }
                }
            }
            return tally
        }
    }

    /// Query parameters per API path, from the OpenAPI document (so a new parameter is fuzzed without editing this test).
    static func apiQueryNames() throws -> [String: [String]] {
        let doc = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.json) as? [String: Any])
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        var out: [String: [String]] = [:]
        for (path, ops) in paths {
            for (_, op) in ops {
                let parameters = (op as? [String: Any])?["parameters"] as? [[String: Any]] ?? []
                out[path, default: []] += parameters.filter { $0["in"] as? String == "query" }.compactMap { $0["name"] as? String }
            }
        }
        return out
    }
}
