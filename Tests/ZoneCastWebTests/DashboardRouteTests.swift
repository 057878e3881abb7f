import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastHTML
import ZoneCastOperations
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

/// The session's CSRF token, read from the sign-out form every signed-in page carries.
func csrfToken(in page: TestResponse) -> String? {
    page.text.range(of: "name=\"csrf\" value=\"").map { String(page.text[$0.upperBound...].prefix { $0 != "\"" }) }
}

func formHeaders(_ session: String) -> HTTPFields {
    [.cookie: "zc_session=\(session)", .contentType: "application/x-www-form-urlencoded"]
}

@Suite("Dashboard, zone page and password change", .serialized)
struct DashboardRouteTests {
    static var store: SQLiteIncidentStore { get async { await storeTask.value } }
    private static let storeTask = Task { try! await WebFixture.store() }

    func session(_ client: some TestClientProtocol, _ username: String) async throws -> String {
        try #require(try await signIn(client, as: username).cookieValue("zc_session"))
    }

    @Test("given an analyst, the dashboard has the risk surface, incident layers with toggles and a legend, the proposed zones linked to their pages, and the view is audited")
    func analystDashboard() async throws {
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let before = try await Self.store.latestAuditEntries(limit: 1).first?.sequence ?? 0
            let s = try await session(client, "analyst")
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "zc_session=\(s)"])
            #expect(page.status == .ok)
            #expect(page.text.contains("data-layer=\"surface\""))
            #expect(page.text.contains("id=\"layer-surface\"") && page.text.contains("for=\"layer-surface\""))
            #expect(page.text.contains("data-layer=\"boundary\""))
            #expect(page.text.contains("data-layer=\"incidents-") && page.text.contains("id=\"layer-inc-"))
            #expect(page.text.contains("data-layer=\"zones-proposed\"") && page.text.contains("href=\"/zones/C1/Z1\""))
            // The legend (drawn in the map) lists what is drawn, and the layer toggles hide the groups the map draws.
            #expect(page.text.contains("data-legend=\"surface\"") && page.text.contains("data-legend=\"zones-proposed\""))
            #expect(page.text.contains("#layer-surface:not(:checked)~.zc-figure [data-layer=surface]"))
            #expect(page.text.contains("id=\"cycle-clock\"") && page.text.contains("Proposal C1"))
            #expect(page.text.contains("SYNTHETIC DATA"))
            let entries = try await Self.store.auditEntries(from: before + 1, limit: 10)
            #expect(entries.contains { $0.actor == "analyst" && $0.action == AuditAction.viewZones.rawValue && $0.subject == "C1" })
        }
    }

    @Test("given an officer and an auditor, the dashboard shows neither the surface nor any zone, and no view is audited as seeing zones")
    func restrictedDashboards() async throws {
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store)))
        try await app.test(.router) { client in
            for role in ["officer", "auditor"] {
                let before = try await Self.store.latestAuditEntries(limit: 1).first?.sequence ?? 0
                let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "zc_session=\(try await session(client, role))"])
                #expect(page.status == .ok)
                #expect(!page.text.contains("data-layer=\"surface\"") && !page.text.contains("data-zone") && !page.text.contains("/zones/"), "\(role)")
                #expect(page.text.contains("id=\"headline\""), "\(role)")
                let after = try await Self.store.auditEntries(from: before + 1, limit: 10)
                #expect(!after.contains { $0.action == AuditAction.viewZones.rawValue }, "\(role)")
            }
        }
    }

    @Test("given a proposed zone, the analyst's zone page explains it, maps and lists its incidents, charts the trend and shows dosage; officers and anonymous get nothing")
    func zonePage() async throws {
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/zones/C1/Z1", method: .get, headers: [.cookie: "zc_session=\(try await session(client, "analyst"))"])
            #expect(page.status == .ok)
            for marker in ["id=\"explanation\"", "id=\"zone-map\"", "id=\"trend\"", "id=\"zone-incidents\"", "id=\"dosage\"", "CONFIDENTIAL", "data-zone=\"Z1\""] {
                #expect(page.text.contains(marker), "\(marker)")
            }
            // The fixture's zones are drawn where violence concentrates: the list is not empty.
            #expect(page.text.components(separatedBy: "<tr").count > 5)
            let missing = try await client.execute(uri: "/zones/C1/Z9", method: .get, headers: [.cookie: "zc_session=\(try await session(client, "analyst"))"])
            #expect(missing.status == .notFound)
            let officer = try await client.execute(uri: "/zones/C1/Z1", method: .get, headers: [.cookie: "zc_session=\(try await session(client, "officer"))"])
            #expect(officer.status == .notFound && !officer.text.contains("data-zone"))
            let auditor = try await client.execute(uri: "/zones/C1/Z1", method: .get, headers: [.cookie: "zc_session=\(try await session(client, "auditor"))"])
            #expect(auditor.status == .forbidden && !auditor.text.contains("data-zone"))
            let anonymous = try await client.execute(uri: "/zones/C1/Z1", method: .get)
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/login")
            #expect(try await Self.store.latestAuditEntries(limit: 50).contains { $0.action == AuditAction.viewZone.rawValue && $0.subject == "C1/Z1" && $0.actor == "analyst" })
        }
    }

    @Test("given an account with a one-time password, every page leads to the password form until a strong new password is chosen")
    func oneTimePassword() async throws {
        let store = await Self.store
        try await store.addAccount(Account(username: "newbie", displayName: "New Analyst", role: .analyst, passwordHash: Passwords.hash("one-time-pass-123", cost: 4),
                                     mustChangePassword: true, createdAt: WebFixture.now))
        let app = Application(router: buildRouter(WebFixture.environment(store)))
        try await app.test(.router) { client in
            let login = try await signIn(client, as: "newbie", password: "one-time-pass-123")
            #expect(login.status == .seeOther && login.headers[.location] == "/account/password")
            let s = try #require(login.cookieValue("zc_session"))
            let dashboard = try await client.execute(uri: "/", method: .get, headers: [.cookie: "zc_session=\(s)"])
            #expect(dashboard.status == .seeOther && dashboard.headers[.location] == "/account/password")
            #expect(try await client.execute(uri: "/api/zones", method: .get, headers: [.cookie: "zc_session=\(s)"]).status == .forbidden)
            let form = try await client.execute(uri: "/account/password", method: .get, headers: [.cookie: "zc_session=\(s)"])
            let csrf = try #require(csrfToken(in: form))
            func change(_ current: String, _ new: String, _ confirm: String, csrf token: String = csrf) async throws -> TestResponse {
                try await client.execute(uri: "/account/password", method: .post, headers: formHeaders(s),
                                         body: ByteBuffer(string: "csrf=\(token)&current=\(current)&new=\(new)&confirm=\(confirm)"))
            }
            #expect(try await change("one-time-pass-123", "a-strong-passphrase-2026", "a-strong-passphrase-2026", csrf: "forged").status == .forbidden)
            #expect(try await change("wrong-current-pass", "a-strong-passphrase-2026", "a-strong-passphrase-2026").status == .badRequest)
            #expect(try await change("one-time-pass-123", "short", "short").status == .badRequest)
            #expect(try await change("one-time-pass-123", "a-strong-passphrase-2026", "another-passphrase-2026").status == .badRequest)
            let ok = try await change("one-time-pass-123", "a-strong-passphrase-2026", "a-strong-passphrase-2026")
            #expect(ok.status == .seeOther && ok.headers[.location] == "/")
            #expect(try await store.account(username: "newbie")?.mustChangePassword == false)
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: "zc_session=\(s)"]).status == .ok)
            #expect(try await signIn(client, as: "newbie", password: "a-strong-passphrase-2026").status == .seeOther)
            #expect(try await store.latestAuditEntries(limit: 20).contains { $0.action == AuditAction.passwordChanged.rawValue && $0.actor == "newbie" })
            #expect(try await store.verifyAuditChain().isIntact)
        }
    }

    @Test("given failed and successful sign-ins, both are in the audit log with the name tried")
    func signInsAudited() async throws {
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store)))
        try await app.test(.router) { client in
            _ = try await signIn(client, as: "<b>nobody</b>", password: "whatever-it-is")
            _ = try await signIn(client, as: "admin")
            let recent = try await Self.store.latestAuditEntries(limit: 5)
            #expect(recent.contains { $0.action == AuditAction.signInFailed.rawValue && $0.actor == "<b>nobody</b>" && $0.detail.hasPrefix("unknown username") })
            #expect(recent.contains { $0.action == AuditAction.signIn.rawValue && $0.actor == "admin" })
        }
    }
}

@Suite("Base-map tiles")
struct TileTests {
    @Test("given a configured tile server, the analyst's dashboard draws tiles under the layers and the page's policy allows that origin only")
    func dashboardTiles() async throws {
        let store = try await WebFixture.store()
        let env = WebEnvironment(store: store, configuration: WebConfiguration(tileURLTemplate: "http://tiles.police.local:8081/{z}/{x}/{y}.png"), clock: { WebFixture.now })
        let app = Application(router: buildRouter(env))
        try await app.test(.router) { client in
            let s = try #require(try await signIn(client, as: "analyst").cookieValue("zc_session"))
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "zc_session=\(s)"])
            #expect(page.text.contains("data-layer=\"tiles\"") && page.text.contains("http://tiles.police.local:8081/"))
            let tiles = page.text.components(separatedBy: "<image ").count - 1
            #expect(tiles >= 4 && tiles <= 64)
            #expect(page.text.range(of: "data-layer=\"tiles\"")!.lowerBound < page.text.range(of: "data-layer=\"boundary\"")!.lowerBound)
            #expect(page.headers[.contentSecurityPolicy]?.contains("img-src 'self' data: http://tiles.police.local:8081;") == true)
        }
    }
}

@Suite("Map drawing")
struct SVGNumberTests {
    @Test("given coordinates, then numbers are written to a tenth without a trailing zero, negatives included")
    func numbers() async {
        #expect(SVGNumber.tenths(12.0) == "12")
        #expect(SVGNumber.tenths(12.34) == "12.3")
        #expect(SVGNumber.tenths(12.36) == "12.4")
        #expect(SVGNumber.tenths(-0.3) == "-0.3")
        #expect(SVGNumber.tenths(-2.5) == "-2.5")
        #expect(SVGNumber.tenths(0.04) == "0")
    }
}
