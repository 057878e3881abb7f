import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastStore

/// How the server runs. TLS is a reverse proxy's job; `secureCookies` marks cookies Secure behind it.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var secureCookies: Bool

    public init(host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false) {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
    }
}

/// Everything the routes need, shared by all requests.
public struct WebEnvironment: Sendable {
    public let store: SQLiteIncidentStore
    public let sessions: SessionStore
    public let throttle: LoginThrottle
    public let configuration: WebConfiguration
    public let clock: @Sendable () -> Date

    public init(store: SQLiteIncidentStore, sessions: SessionStore = SessionStore(), throttle: LoginThrottle = LoginThrottle(),
                configuration: WebConfiguration = WebConfiguration(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.sessions = sessions
        self.throttle = throttle
        self.configuration = configuration
        self.clock = clock
    }
}

/// The router: pages, login and the zone API. Kept separate from the application so tests drive it directly.
public func buildRouter(_ env: WebEnvironment) -> Router<BasicRequestContext> {
    let router = Router()
    router.get("/health") { _, _ in "ok" }

    router.get("/login") { request, _ -> Response in
        let csrf = randomToken()
        var response = html(Pages.login(csrf: csrf, message: nil))
        response.setCookie(cookie("zc_login_csrf", csrf, env: env, maxAge: 3_600))
        return response
    }

    router.post("/login") { request, context -> Response in
        let form = try await formFields(request, context: context)
        guard let sent = form["csrf"], let expected = request.cookies["zc_login_csrf"]?.value, constantTimeEquals(sent, expected) else {
            return html(Pages.login(csrf: randomToken(), message: "Your sign-in form expired. Please try again."), status: .forbidden)
        }
        let username = form["username"] ?? "", password = form["password"] ?? ""
        let now = env.clock()
        let locked = await env.throttle.isLocked(username, now: now)
        let account = try env.store.account(username: username)
        guard !locked, let account, !account.disabled, Passwords.verify(password, hash: account.passwordHash) else {
            await env.throttle.recordFailure(username, now: now)
            let fresh = randomToken()
            var response = html(Pages.login(csrf: fresh, message: "Wrong username or password, or the account is locked after repeated failures."), status: .unauthorized)
            response.setCookie(cookie("zc_login_csrf", fresh, env: env, maxAge: 3_600))
            return response
        }
        await env.throttle.recordSuccess(username)
        // A new token at every sign-in: a session id set before sign-in (fixation) is never reused.
        let session = await env.sessions.create(username: account.username, now: now)
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(cookie("zc_session", session.token, env: env, maxAge: Int(await env.sessions.lifetime)))
        return response
    }

    router.post("/logout") { request, context -> Response in
        let form = try await formFields(request, context: context)
        if let (_, session) = try await signedIn(request, env: env), let sent = form["csrf"], constantTimeEquals(sent, session.csrfToken) {
            await env.sessions.end(session.token)
        } else if try await signedIn(request, env: env) != nil {
            return Response(status: .forbidden)
        }
        var response = Response(status: .seeOther, headers: [.location: "/login"])
        response.setCookie(cookie("zc_session", "", env: env, maxAge: 0))
        return response
    }

    router.get("/") { request, _ -> Response in
        guard let (account, session) = try await signedIn(request, env: env) else { return Response(status: .seeOther, headers: [.location: "/login"]) }
        guard let jurisdiction = try env.store.jurisdiction() else {
            return html(Pages.layout(title: "ZoneCast", account: account, csrf: session.csrfToken, body: "<p>No data yet: import incidents with zonecast import.</p>"))
        }
        let now = env.clock()
        let record = try env.store.cycleInForce(at: now) ?? env.store.cycles().first
        let cycle = try record.map { try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: $0.document) }
        let visible = visibleZones(cycle, for: account)
        let count = try env.store.summary().incidents
        var response = html(Pages.dashboard(account: account, csrf: session.csrfToken, jurisdiction: jurisdiction, cycle: cycle,
                                            cycleStatus: record?.status(at: now).rawValue ?? "", visibleZones: visible, incidentCount: count, now: now))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    router.get("/api/zones") { request, _ -> Response in
        guard let (account, _) = try await signedIn(request, env: env) else { return jsonError(.unauthorized, "sign in first") }
        guard account.role.may(.viewZoneLocations) else { return jsonError(.forbidden, "the \(account.role.rawValue) role may not see zone locations") }
        let cycle = try currentCycle(env.store, now: env.clock())
        let zones = visibleZones(cycle, for: account).map { ["id": $0.id, "status": $0.status.rawValue, "cells": $0.zone.cells.map(String.init).joined(separator: ","),
                                                             "areaKm2": String(format: "%.4f", $0.zone.areaKm2), "explanation": $0.explanation.text] }
        let body = try JSONSerialization.data(withJSONObject: ["cycle": cycle?.id ?? "", "classification": "CONFIDENTIAL", "zones": zones], options: [.sortedKeys])
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
    return router
}

/// The application, ready to run (`zonecast serve`).
public func buildApplication(_ env: WebEnvironment) -> some ApplicationProtocol {
    Application(router: buildRouter(env), configuration: .init(address: .hostname(env.configuration.host, port: env.configuration.port), serverName: "ZoneCast"))
}

// MARK: - Helpers

/// The cycle in force now, else the newest proposal (what analysts and commanders review).
func currentCycle(_ store: SQLiteIncidentStore, now: Date) throws -> ZoneCycle? {
    let record = try store.cycleInForce(at: now) ?? store.cycles().first
    return try record.map { try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: $0.document) }
}

/// Zones this account may see. Unit assignments arrive with deployment (a later release): until then officers,
/// who see only their units' zones, see none.
func visibleZones(_ cycle: ZoneCycle?, for account: Account) -> [ZoneCycle.ExplainedZone] {
    guard let cycle, account.maySeeZone(assignedTo: []) else { return [] }
    // An approved cycle shows what was approved (zones may have been dropped at the IRIS meeting).
    guard let approved = cycle.approvedZones else { return cycle.zones }
    let cells = Set(approved.map(\.cells))
    return cycle.zones.filter { cells.contains($0.zone.cells) }
}

func signedIn(_ request: Request, env: WebEnvironment) async throws -> (Account, Session)? {
    guard let token = request.cookies["zc_session"]?.value, !token.isEmpty,
          let session = await env.sessions.session(token, now: env.clock()),
          let account = try env.store.account(username: session.username), !account.disabled else { return nil }
    return (account, session)
}

func formFields(_ request: Request, context: BasicRequestContext) async throws -> [String: String] {
    let buffer = try await request.body.collect(upTo: 64 * 1024)
    let text = String(buffer: buffer)
    var out: [String: String] = [:]
    for pair in text.split(separator: "&") {
        let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
        if kv.count == 2 { out[kv[0]] = kv[1] }
    }
    return out
}

func cookie(_ name: String, _ value: String, env: WebEnvironment, maxAge: Int) -> Cookie {
    Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: env.configuration.secureCookies, httpOnly: true, sameSite: .strict)
}

func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "text/html; charset=utf-8",
                                       .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"],
             body: .init(byteBuffer: ByteBuffer(string: text)))
}

func jsonError(_ status: HTTPResponse.Status, _ message: String) -> Response {
    Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"error\":\"\(message)\"}")))
}
