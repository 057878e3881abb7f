import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

/// Who may use a route. Every route the router registers must be listed here: a new route without a rule fails
/// the matrix test, so nobody adds a page without deciding who may see it.
enum RouteRule: Sendable {
    /// Anyone, signed in or not (sign-in, tips, health, the API description).
    case open
    /// Anyone signed in.
    case signedIn
    /// Signed in with this permission.
    case needs(Permission)
    /// Signed in with any of these permissions.
    case anyOf([Permission])
}

enum RouteTable {
    static let rules: [String: RouteRule] = [
        "GET /health": .open,
        "GET /metrics": .needs(.manageAccounts),
        "GET /login": .open,
        "POST /login": .open,
        "POST /logout": .open,
        "GET /tips": .open,
        "POST /tips": .open,
        "GET /api/openapi.json": .open,
        "GET /account/password": .signedIn,
        "POST /account/password": .signedIn,
        "GET /": .signedIn,
        "GET /zones/{cycle}/{zone}": .needs(.viewZoneLocations),
        "GET /proposals": .needs(.viewAllZones),
        "GET /proposals/{cycle}": .needs(.viewAllZones),
        "POST /proposals/{cycle}/adjustments": .needs(.adjustProposal),
        "GET /meetings": .needs(.viewAllZones),
        "POST /meetings": .anyOf([.decideZones, .proposeZones]),
        "GET /meetings/{id}": .needs(.viewAllZones),
        "GET /meetings/{id}/briefing": .needs(.viewAllZones),
        "POST /meetings/{id}/decisions": .needs(.decideZones),
        "POST /meetings/{id}/minutes": .anyOf([.decideZones, .proposeZones]),
        "POST /meetings/{id}/close": .needs(.decideZones),
        "GET /deployments": .needs(.assignUnits),
        "GET /deployments/{cycle}": .needs(.assignUnits),
        "POST /deployments/{cycle}": .needs(.assignUnits),
        "GET /intel": .needs(.recordIntelligence),
        "GET /intel/new": .needs(.recordIntelligence),
        "POST /intel": .needs(.recordIntelligence),
        "GET /intel/{id}": .needs(.recordIntelligence),
        "POST /intel/{id}/triage": .needs(.triageTips),
        "GET /officer": .needs(.logPatrols),
        "GET /patrols/new": .needs(.logPatrols),
        "POST /patrols": .needs(.logPatrols),
        "GET /patrols/{id}/edit": .needs(.logPatrols),
        "POST /patrols/{id}": .needs(.logPatrols),
        "GET /assets/zonecast-visit.js": .needs(.logPatrols),
        "POST /patrols/check-location": .needs(.logPatrols),
        "GET /oversight": .needs(.viewOversight),
        "GET /oversight/enforcement": .needs(.viewOversight),
        "GET /oversight/dosage": .needs(.viewOversight),
        "POST /oversight/areas": .anyOf([.importData, .decideZones]),
        "POST /oversight/randomise": .anyOf([.proposeZones, .decideZones]),
        "GET /outcomes": .needs(.viewOversight),
        "GET /audit": .needs(.viewAuditLog),
        "GET /audit.csv": .needs(.viewAuditLog),
        "GET /account/tokens": .anyOf([.exportData, .manageAccounts]),
        "POST /account/tokens": .anyOf([.exportData, .manageAccounts]),
        "POST /account/tokens/{id}/revoke": .anyOf([.exportData, .manageAccounts]),
        "GET /accounts": .needs(.manageAccounts),
        "GET /notices": .needs(.decideZones),
        "GET /settings/alerts": .needs(.manageAccounts),
        "POST /settings/alerts": .needs(.manageAccounts),
        "GET /settings/field": .needs(.manageAccounts),
        "POST /settings/field": .needs(.manageAccounts),
        "POST /accounts/{username}/disable": .needs(.manageAccounts),
        "POST /accounts/{username}/enable": .needs(.manageAccounts),
        "POST /accounts/{username}/unlock": .needs(.manageAccounts),
        "POST /accounts/{username}/reset-password": .needs(.manageAccounts),
        "POST /accounts/{username}/set-role": .needs(.manageAccounts),
        "POST /accounts/{username}/set-units": .needs(.manageAccounts),
        "POST /accounts/{username}/delete": .needs(.manageAccounts),
        "GET /api/zones": .needs(.viewZoneLocations),
        "GET /api/zones.geojson": .needs(.exportData),
        "GET /api/cycles": .signedIn,
        "GET /api/cycles/{id}": .signedIn,
        "GET /api/incidents": .anyOf([.runForecasts, .viewAllZones]),
        "GET /api/surface": .needs(.viewAllZones),
        "GET /api/patrols": .anyOf([.logPatrols, .viewAllZones]),
        "POST /api/patrols": .needs(.logPatrols),
    ]

    /// Concrete values for path parameters (records created by the fixture below).
    static func concrete(_ path: String) -> String {
        var out: [String] = []
        let parts = path.split(separator: "/").map(String.init)
        for (k, p) in parts.enumerated() {
            guard p.hasPrefix("{") else { out.append(p); continue }
            let before = k > 0 ? parts[k - 1] : ""
            switch (p, before) {
            case ("{cycle}", _): out.append("C1")
            case ("{zone}", _): out.append("Z1")
            case ("{id}", "meetings"): out.append("M-matrix")
            case ("{id}", "intel"): out.append("I-matrix")
            case ("{id}", "tokens"): out.append("T-matrix")
            case ("{id}", "cycles"): out.append("C1")
            default: out.append("unknown")
            }
        }
        return "/" + out.joined(separator: "/")
    }
}

@Suite("Permission matrix: every role against every route", .serialized)
struct PermissionMatrixTests {
    /// Built once, on first use (an async store needs a task to seed it).
    static var store: SQLiteIncidentStore { get async { await seeded.value } }

    private static let seeded = Task { () -> SQLiteIncidentStore in
        let s = try! await WebFixture.store()
        let t = WebFixture.now
        try! await s.apply([
            try! .save(Meeting(id: "M-matrix", title: "IRIS", scheduledAt: t.addingTimeInterval(86_400), cycleID: "C1", attendees: ["a"], createdBy: "commander", createdAt: t)),
            try! .save(IntelligenceItem(id: "I-matrix", createdAt: t, createdBy: "analyst", kind: .dispute, summary: "s", locationText: "l", latitude: nil, longitude: nil,
                                        source: .resident, sensitivity: .normal, expiresAt: t.addingTimeInterval(86_400), status: .open)),
            try! .save(APIToken(id: "T-matrix", username: "analyst", name: "matrix", secretSHA256: APIToken.digest("x"), createdAt: t, expiresAt: t.addingTimeInterval(86_400))),
        ])
        return s
    }

    func roleMay(_ role: Role, _ rule: RouteRule) -> Bool {
        switch rule {
        case .open, .signedIn: true
        case .needs(let p): role.may(p)
        case .anyOf(let ps): ps.contains(where: role.may)
        }
    }

    @Test("given the router, then every registered route has a rule in the matrix")
    func everyRouteIsClassified() async {
        let routes = await buildRouter(WebFixture.environment(Self.store)).routes.map(\.description)
        let missing = routes.filter { RouteTable.rules[$0] == nil }
        #expect(missing.isEmpty, "routes without a permission rule: \(missing.joined(separator: ", "))")
        let stale = Set(RouteTable.rules.keys).subtracting(routes)
        #expect(stale.isEmpty, "rules for routes that do not exist: \(stale.sorted().joined(separator: ", "))")
    }

    @Test("given each role and anonymous, when every route is requested (GET, or POST with a valid CSRF token), then access follows the matrix, nobody without it learns about zones and no page repeats an element id")
    func matrix() async throws {
        let env = await WebFixture.environment(Self.store)
        let router = buildRouter(env)
        let routes = router.routes.map { ($0.method, $0.path.description) }
        let app = Application(router: router)
        try await app.test(.router) { client in
            var sessions: [Role: (token: String, csrf: String)] = [:]
            for role in Role.allCases {
                let token = try #require(try await signIn(client, as: role.rawValue).cookieValue("zc_session"))
                let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: "zc_session=\(token)"])
                sessions[role] = (token, try #require(csrfToken(in: home)))
            }
            var checked = 0
            for (method, path) in routes {
                let key = "\(method) \(path)"
                guard let rule = RouteTable.rules[key] else { continue }
                if case .open = rule { continue }
                let uri = RouteTable.concrete(path)
                let isAPI = path.hasPrefix("/api/")
                // Anonymous: pages send to sign-in, the API says 401, and nothing about zones comes back.
                let anonymous = try await client.execute(uri: uri, method: method, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: ""))
                if isAPI {
                    #expect(anonymous.status == .unauthorized, "anonymous \(key) → \(anonymous.status)")
                } else {
                    #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/login", "anonymous \(key) → \(anonymous.status)")
                }
                #expect(!anonymous.text.contains("data-zone") && !anonymous.text.contains("\"cells\""), "anonymous \(key) leaked zone data")
                for role in Role.allCases {
                    let s = sessions[role]!
                    let headers: HTTPFields = method == .post && isAPI
                        ? [.cookie: "zc_session=\(s.token)", .contentType: "application/json", HTTPField.Name("X-CSRF-Token")!: s.csrf]
                        : [.cookie: "zc_session=\(s.token)", .contentType: "application/x-www-form-urlencoded"]
                    let body = method == .post ? (isAPI ? "{}" : "csrf=\(s.csrf)") : ""
                    let r = try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: body))
                    checked += 1
                    #expect(r.status.code < 500, "\(role) \(key) → \(r.status)")
                    if roleMay(role, rule) {
                        #expect(r.status != .forbidden && r.status != .unauthorized, "\(role) may use \(key) but got \(r.status): \(r.text.prefix(200))")
                        if method == .get, r.headers[.contentType]?.hasPrefix("text/html") == true {
                            #expect(repeatedElementIDs(in: r.text).isEmpty, "\(role) \(key) repeats ids \(repeatedElementIDs(in: r.text))")
                        }
                    } else {
                        #expect(r.status == .forbidden, "\(role) may not use \(key) but got \(r.status)")
                        #expect(!r.text.contains("data-zone") && !r.text.contains("\"cells\""), "\(role) \(key) leaked zone data")
                    }
                }
            }
            #expect(checked == Role.allCases.count * routes.filter { r in RouteTable.rules["\(r.0) \(r.1)"].map { if case .open = $0 { false } else { true } } ?? false }.count)
        }
    }

    @Test("given a role allowed to post a form, when its CSRF token is missing or forged, then every form is refused with 403 and nothing changes")
    func csrfOnEveryForm() async throws {
        let env = await WebFixture.environment(Self.store)
        let router = buildRouter(env)
        let forms = router.routes.filter { $0.method == .post && !$0.path.description.hasPrefix("/api/") }.map(\.path.description)
        let app = Application(router: router)
        try await app.test(.router) { client in
            for path in forms {
                guard let rule = RouteTable.rules["POST \(path)"] else { continue }
                let role: Role
                switch rule {
                case .open:
                    continue  // sign-in and tips use their own double-submit cookie; tested with them
                case .signedIn: role = .analyst
                case .needs(let p): role = Role.allCases.first { $0.may(p) }!
                case .anyOf(let ps): role = Role.allCases.first { r in ps.contains(where: r.may) }!
                }
                let token = try #require(try await signIn(client, as: role.rawValue).cookieValue("zc_session"))
                let before = try await Self.store.latestAuditEntries(limit: 1).first?.sequence ?? 0
                for body in ["", "csrf=forged-token-value"] {
                    let r = try await client.execute(uri: RouteTable.concrete(path), method: .post, headers: formHeaders(token), body: ByteBuffer(string: body + "&reason=x&summary=x"))
                    #expect(r.status == .forbidden, "\(role) POST \(path) with body \(body.isEmpty ? "without a token" : "with a forged token") → \(r.status)")
                }
                let after = try await Self.store.latestAuditEntries(limit: 1).first?.sequence ?? 0
                #expect(before == after, "POST \(path) without a valid token changed something")
            }
        }
    }
}
