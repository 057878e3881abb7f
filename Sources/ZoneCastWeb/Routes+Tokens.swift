import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastHTML
import ZoneCastReports

/// API tokens for integrations. Who may hold one: roles with `exportData` (analysts and commanders, who feed
/// GIS and dashboards) and admins (who wire up the department's systems). A token acts as its account, with the
/// account's role at the time of each request; the secret is shown once and only its SHA-256 is stored.
func addTokensRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.get("/account/tokens") { request, _ -> Response in
        let viewer = try await TokenPages.viewer(request, env: env)
        let query = Form(request.uri.query ?? "")
        var notice = ""
        if let id = query["revoked"], !id.isEmpty { notice = "<p class=\"ok\" role=\"status\">Token \(LegacyHTML.escape(id)) revoked: it no longer works.</p>" }
        return html(Layout.page(title: "API tokens", viewer: viewer, current: "/account/tokens", body: notice + (try TokenPages.list(viewer, env: env, form: nil, error: nil))))
    }

    router.post("/account/tokens") { request, _ -> Response in
        let viewer = try await TokenPages.viewer(request, env: env)
        let form = try await Form.read(request)
        try env.checkCSRF(form, viewer)
        let now = env.clock()
        do {
            let name = try form.text("name", label: "Name", maxLength: 80)
            let days = try form.integer("days", label: "Expiry (days)", range: TokenPages.expiryDays, default: 90)
            let mine = try env.store.documents(APIToken.self, group: viewer.username)
            if mine.filter({ $0.isValid(at: now) }).count >= TokenPages.maxActive {
                throw WebError(.conflict, "You already have \(TokenPages.maxActive) active tokens: revoke one you no longer use first.")
            }
            if mine.contains(where: { $0.isValid(at: now) && $0.name.caseInsensitiveCompare(name) == .orderedSame }) {
                throw WebError.invalid("Name", name, "you already have an active token with this name")
            }
            let id = TokenPages.newTokenID()
            let secret = randomToken()
            let token = APIToken(id: id, username: viewer.username, name: name, secretSHA256: APIToken.digest(secret), createdAt: now,
                                 expiresAt: now.addingTimeInterval(Double(days) * 86_400))
            try env.store.apply([.save(token), .audit(env.draft(viewer, .createToken, id, "\"\(name)\", expires \(iso(token.expiresAt))"))])
            let full = "zc_\(id)_\(secret)"
            var body = "<div class=\"ok\" role=\"status\" id=\"new-token\"><p><strong>Token \(LegacyHTML.escape(id)) created.</strong> Copy it now: it is shown only this once and ZoneCast keeps only a hash of it.</p>"
            body += "<label>Your token<input type=\"text\" readonly id=\"token-value\" value=\"\(LegacyHTML.escape(full))\" style=\"width:100%;font-family:monospace\"></label>"
            body += "<p>Use it as <code>Authorization: Bearer \(LegacyHTML.escape(full))</code> (see <a href=\"/api/openapi.json\">the API description</a>). It acts as you, with your role, until \(LegacyHTML.escape(localText(token.expiresAt, timeZone: try env.timeZone()))). Every read of zone locations with it is logged with its id.</p></div>"
            body += try TokenPages.list(viewer, env: env, form: nil, error: nil)
            return html(Layout.page(title: "API tokens", viewer: viewer, current: "/account/tokens", body: body), status: .created)
        } catch let error as WebError where error.kind == .badRequest || error.kind == .conflict {
            return html(Layout.page(title: "API tokens", viewer: viewer, current: "/account/tokens", body: try TokenPages.list(viewer, env: env, form: form, error: error.message)),
                        status: error.status)
        }
    }

    router.post("/account/tokens/{id}/revoke") { request, context -> Response in
        let viewer = try await TokenPages.viewer(request, env: env)
        let form = try await Form.read(request)
        try env.checkCSRF(form, viewer)
        let id = try context.parameters.require("id")
        // Someone else's token is as unknown as a missing one.
        guard var token = try env.store.document(APIToken.self, id: id), token.username == viewer.username else {
            throw WebError(.notFound, "You have no token \(id).")
        }
        if let revoked = token.revokedAt { throw WebError(.conflict, "Token \(id) was already revoked on \(localText(revoked, timeZone: try env.timeZone())).") }
        token.revokedAt = env.clock()
        try env.store.apply([.save(token), .audit(env.draft(viewer, .revokeToken, id, "\"\(token.name)\""))])
        return redirect("/account/tokens?revoked=\(id)")
    }
}

enum TokenPages {
    static let expiryDays = 1...365
    static let maxActive = 10

    static func mayHoldTokens(_ viewer: Viewer) -> Bool { viewer.may(.exportData) || (viewer.role == .admin && !viewer.account.disabled) }

    static func viewer(_ request: Request, env: WebEnvironment) async throws -> Viewer {
        let viewer = try await env.viewer(request)
        guard mayHoldTokens(viewer) else {
            throw WebError(.forbidden, "The \(viewer.role.rawValue) role may not hold API tokens (exportData, or admin).")
        }
        // A token cannot mint tokens: only a signed-in person can.
        guard viewer.session != nil else { throw WebError(.forbidden, "API tokens are managed from a signed-in browser session.") }
        return viewer
    }

    /// 12 letters and digits (no "_", which separates the parts of a token), from the system's secure generator.
    static func newTokenID() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<12).map { _ in alphabet[Int(rng.next(upperBound: UInt64(alphabet.count)))] })
    }

    static func list(_ viewer: Viewer, env: WebEnvironment, form: Form?, error: String?) throws -> String {
        let tz = try env.timeZone()
        let now = env.clock()
        let tokens = try env.store.documents(APIToken.self, group: viewer.username).sorted { $0.createdAt > $1.createdAt }
        var s = "<p>Tokens let a program (a GIS layer, a dashboard, a records system) use the <a href=\"/api/openapi.json\">JSON API</a> as you, with your role (\(viewer.role.rawValue)). Treat one like your password; revoke it when the program no longer needs it.</p>"
        s += "<h2>Your tokens</h2>"
        if tokens.isEmpty {
            s += "<p id=\"no-tokens\">You have no API tokens.</p>"
        } else {
            s += "<div style=\"overflow-x:auto\"><table id=\"tokens\"><thead><tr><th scope=\"col\" class=\"l\">name</th><th scope=\"col\" class=\"l\">id</th><th scope=\"col\" class=\"l\">created</th><th scope=\"col\" class=\"l\">expires</th><th scope=\"col\" class=\"l\">status</th><th scope=\"col\" class=\"l\"><span class=\"no-print\">action</span></th></tr></thead><tbody>"
            for t in tokens {
                let status: String
                if let r = t.revokedAt { status = "revoked \(localText(r, timeZone: tz))" } else if now >= t.expiresAt { status = "expired" } else { status = "active" }
                s += "<tr data-token=\"\(LegacyHTML.escape(t.id))\"><td class=\"l\">\(LegacyHTML.escape(t.name))</td><td class=\"l\"><code>\(LegacyHTML.escape(t.id))</code></td>"
                s += "<td class=\"l\">\(LegacyHTML.escape(localText(t.createdAt, timeZone: tz)))</td><td class=\"l\">\(LegacyHTML.escape(localText(t.expiresAt, timeZone: tz)))</td><td class=\"l\">\(LegacyHTML.escape(status))</td><td class=\"l\">"
                if t.isValid(at: now) {
                    s += "<form method=\"post\" action=\"/account/tokens/\(LegacyHTML.escape(t.id))/revoke\">\(Layout.csrfField(viewer))<button type=\"submit\" aria-label=\"Revoke token \(LegacyHTML.escape(t.name))\">Revoke</button></form>"
                }
                s += "</td></tr>"
            }
            s += "</tbody></table></div>"
        }
        s += "<h2>Create a token</h2>"
        if let error { s += "<p class=\"error\" role=\"alert\">\(LegacyHTML.escape(error))</p>" }
        s += "<form method=\"post\" action=\"/account/tokens\" class=\"stack\" id=\"token-form\">\(Layout.csrfField(viewer))"
        s += "<label>Name (what will use it)<input type=\"text\" name=\"name\" required maxlength=\"80\" value=\"\(LegacyHTML.escape(form?["name"] ?? ""))\"></label>"
        s += "<label>Expires after (days, \(expiryDays.lowerBound)-\(expiryDays.upperBound))<input type=\"number\" name=\"days\" min=\"\(expiryDays.lowerBound)\" max=\"\(expiryDays.upperBound)\" value=\"\(LegacyHTML.escape(form?["days"] ?? "90"))\" required></label>"
        s += "<button type=\"submit\">Create token</button></form>"
        return s
    }
}
