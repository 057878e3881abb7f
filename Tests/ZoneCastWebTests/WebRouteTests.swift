import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastTestSupport
import ZoneCastAccess
import ZoneCastCore
import ZoneCastIngest
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastSynthetic
@testable import ZoneCastWeb

/// A store with synthetic incidents, a recorded proposal and one account per role (password "correct horse battery").
enum WebFixture {
    static let password = "correct horse battery"
    static let now = ISO8601DateFormatter().date(from: "2024-06-02T12:00:00Z")!

    /// A fresh copy of the fixture database: 20,000 generated incidents, a proposal C1 and one account per role.
    /// Built once per test process (importing and proposing take seconds) and copied for each caller, so every
    /// suite still gets a store of its own to change.
    static func store() async throws -> SQLiteIncidentStore {
        let dir = try TestDirectory.make("zonecast-web")
        let path = dir.appendingPathComponent("w.sqlite").path
        try FileManager.default.copyItem(atPath: try await template.value, toPath: path)
        return try SQLiteIncidentStore(path: path)
    }

    private static let template = Task { () async throws -> String in
        let dir = try TestDirectory.make("zonecast-web-template")
        let built = try await buildStore(path: dir.appendingPathComponent("build.sqlite").path)
        // A backup is one consistent file (no -wal beside it) that a plain copy reproduces.
        let path = dir.appendingPathComponent("template.sqlite").path
        try built.backup(to: path)
        return path
    }

    private static func buildStore(path: String) async throws -> SQLiteIncidentStore {
        let store = try SQLiteIncidentStore(path: path)
        let generator = SyntheticIncidentGenerator(rowCount: 20_000, seed: 5)
        var text = ""
        _ = try SyntheticCSV.write(generator, chunkBytes: 1 << 16) { text += String(decoding: $0, as: UTF8.self) }
        let city = try Presets.jurisdiction("synthetic-city")
        try await store.setJurisdiction(city)
        let info = ImportBatchInfo(source: "synthetic", mappingName: "synthetic", fileName: "s.csv", fileSHA256: "s", startedAt: now)
        _ = try await Importer(mapping: try Presets.mapping(named: "synthetic"), jurisdiction: city, now: now).importRecords(CSVReader(source: MemoryChunkSource(text)), info: info, into: store)
        let cycle = try await ProposalService().propose(store: store, at: ISO8601DateFormatter().date(from: "2024-06-01T05:00:00Z")!, id: "C1")
        try await store.saveCycle(try cycle.record(createdAt: now))
        let hash = Passwords.hash(password, cost: 4)
        for role in Role.allCases {
            try await store.addAccount(Account(username: role.rawValue, displayName: role == .analyst ? "<script>alert(1)</script>" : "The \(role.rawValue)", role: role,
                                         units: role == .officer ? [.traffic] : [], passwordHash: hash, mustChangePassword: false, createdAt: now))
        }
        return store
    }

    static func environment(_ store: SQLiteIncidentStore) -> WebEnvironment {
        WebEnvironment(store: store, throttle: LoginThrottle(maxFailures: 3), passwordCheck: passwordCheck, clock: { now })
    }

    /// bcrypt with the dummy hash at the fixture accounts' cost (4): sign-ins of unknown names (the fuzz and security
    /// suites send thousands) cost what a wrong password does, not the production cost's quarter second each.
    static let passwordCheck = PasswordCheck.bcrypt(dummyCost: 4)
}

extension TestResponse {
    var text: String { String(buffer: body) }
    func cookie(_ name: String) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix("\(name)=") }
    }
    func cookieValue(_ name: String) -> String? {
        cookie(name).flatMap { $0.split(separator: ";").first }.map { String($0.dropFirst(name.count + 1)) }
    }
}

/// Signs in through the real form and returns the session cookie value.
func signIn(_ client: some TestClientProtocol, as username: String, password: String = WebFixture.password) async throws -> TestResponse {
    let form = try await client.execute(uri: "/login", method: .get)
    let csrf = try #require(form.cookieValue("zc_login_csrf"))
    #expect(form.text.contains("value=\"\(csrf)\""))
    let body = "csrf=\(csrf)&username=\(username)&password=\(password.replacingOccurrences(of: " ", with: "+"))"
    return try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "zc_login_csrf=\(csrf)"],
                                    body: ByteBuffer(string: body))
}

@Suite("Web routes", .serialized)
struct WebRouteTests {
    static var store: SQLiteIncidentStore { get async { await storeTask.value } }
    private static let storeTask = Task { try! await WebFixture.store() }

    @Test("anonymous requests get nothing about zones: the dashboard redirects to sign-in, the API answers 401, health answers ok")
    func anonymous() async throws {
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .seeOther && page.headers[.location] == "/login")
            #expect(!page.text.contains("zone") && !page.text.contains("svg"))
            let api = try await client.execute(uri: "/api/zones", method: .get)
            #expect(api.status == .unauthorized && !api.text.contains("cells"))
            #expect(try await client.execute(uri: "/health", method: .get).text == "ok")
            let forged = try await client.execute(uri: "/api/zones", method: .get, headers: [.cookie: "zc_session=forged-token"])
            #expect(forged.status == .unauthorized)
        }
    }

    @Test("signing in sets an HttpOnly, SameSite=Strict session cookie; the analyst's dashboard draws the zones and escapes hostile names")
    func signInAndDashboard() async throws {
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let login = try await signIn(client, as: "analyst")
            #expect(login.status == .seeOther)
            let setCookie = try #require(login.cookie("zc_session"))
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            let token = try #require(login.cookieValue("zc_session"))
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "zc_session=\(token)"])
            #expect(page.status == .ok)
            #expect(page.text.contains("<svg") && page.text.contains("data-zone=\"Z1\""))
            #expect(page.text.contains("CONFIDENTIAL"))
            #expect(!page.text.contains("<script>alert(1)</script>") && page.text.contains("&lt;script&gt;"))
            #expect(page.headers[.cacheControl] == "no-store")
            // Nothing loads from elsewhere (the SVG namespace URI is a name, not a request).
            #expect(!page.text.contains("src=\"http") && !page.text.contains("href=\"http") && !page.text.contains("url(http"))
        }
    }

    @Test("the zone API follows the permission matrix: analysts, commanders and admins see zones, officers see only their units' (none assigned yet), auditors are refused")
    func permissionMatrix() async throws {
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store)))
        try await app.test(.router) { client in
            for role in Role.allCases {
                let token = try #require(try await signIn(client, as: role.rawValue).cookieValue("zc_session"))
                let api = try await client.execute(uri: "/api/zones", method: .get, headers: [.cookie: "zc_session=\(token)"])
                switch role {
                case .admin, .analyst, .commander:
                    #expect(api.status == .ok && api.text.contains("\"Z1\""), "\(role)")
                case .officer:
                    #expect(api.status == .ok && !api.text.contains("\"Z1\""), "\(role)")
                case .auditor:
                    #expect(api.status == .forbidden, "\(role)")
                }
                let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "zc_session=\(token)"])
                #expect(page.status == .ok)
                #expect(page.text.contains("data-zone=") == [.admin, .analyst, .commander].contains(role), "\(role) dashboard")
            }
        }
    }

    @Test("a sign-in form without its CSRF token is refused; repeated wrong passwords lock the account even for the right one")
    func csrfAndLockout() async throws {
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let noToken = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                   body: ByteBuffer(string: "username=commander&password=correct+horse+battery"))
            #expect(noToken.status == .forbidden && noToken.cookie("zc_session") == nil)
            for _ in 0..<3 { #expect(try await signIn(client, as: "commander", password: "wrong password here").status == .unauthorized) }
            let locked = try await signIn(client, as: "commander")
            #expect(locked.status == .tooManyRequests && locked.cookie("zc_session") == nil)
        }
    }

    @Test("signing out needs the session's CSRF token and ends the session")
    func logout() async throws {
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let token = try #require(try await signIn(client, as: "admin").cookieValue("zc_session"))
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "zc_session=\(token)"])
            let csrf = try #require(page.text.range(of: "name=\"csrf\" value=\"").map { String(page.text[$0.upperBound...].prefix { $0 != "\"" }) })
            let refused = try await client.execute(uri: "/logout", method: .post, headers: [.cookie: "zc_session=\(token)", .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "csrf=nope"))
            #expect(refused.status == .forbidden)
            let out = try await client.execute(uri: "/logout", method: .post, headers: [.cookie: "zc_session=\(token)", .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "csrf=\(csrf)"))
            #expect(out.status == .seeOther)
            #expect(try await client.execute(uri: "/api/zones", method: .get, headers: [.cookie: "zc_session=\(token)"]).status == .unauthorized)
        }
    }
}
