import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastHTML
import ZoneCastStore

/// API tokens for integrations. Who may hold one: roles with `exportData` (analysts and commanders, who feed
/// GIS and dashboards) and admins (who wire up the department's systems). A token acts as its account, with the
/// account's role at the time of each request; the secret is shown once and only its SHA-256 is stored.
func addTokensRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    let holders = router.pages(requiring: .exportData, orAnyOf: [.manageAccounts], env: env)
    holders.get("/account/tokens") { request, context -> Response in
        let viewer = try TokenPages.person(try context.viewer)
        let query = Form(request.uri.query ?? "")
        let notice = query["revoked"].flatMap { $0.isEmpty ? nil : TokensView.revokedNotice($0) }
        return await html(try TokenPages.page(viewer, env: env, before: notice))
    }

    holders.post("/account/tokens") { _, context -> Response in
        let viewer = try TokenPages.person(try context.viewer)
        let form = try context.form
        let now = env.clock()
        do {
            let name = try form.text("name", label: "Name", maxLength: 80)
            let days = try form.integer("days", label: "Expiry (days)", range: TokenPages.expiryDays, default: 90)
            let mine = try await env.store.documents(APIToken.self, group: viewer.username)
            if mine.filter({ $0.isValid(at: now, for: viewer.account) }).count >= TokenPages.maxActive {
                throw WebError(.conflict, "You already have \(TokenPages.maxActive) active tokens: revoke one you no longer use first.")
            }
            if mine.contains(where: { $0.isValid(at: now, for: viewer.account) && $0.name.caseInsensitiveCompare(name) == .orderedSame }) {
                throw WebError.invalid("Name", name, "you already have an active token with this name")
            }
            let id = TokenPages.newTokenID()
            let secret = randomToken()
            let token = APIToken(id: id, username: viewer.username, name: name, secretSHA256: APIToken.digest(secret), createdAt: now,
                                 expiresAt: now.addingTimeInterval(Double(days) * 86_400))
            try await env.store.apply([.save(token), .audit(env.draft(viewer, .createToken, id, "\"\(name)\", expires \(iso(token.expiresAt))"))])
            let created = TokensView.created(id: id, token: "zc_\(id)_\(secret)", expiresAt: token.expiresAt, timeZone: try await env.timeZone())
            return await html(try TokenPages.page(viewer, env: env, before: created), status: .created)
        } catch let error as WebError where error.kind == .badRequest || error.kind == .conflict {
            return await html(try TokenPages.page(viewer, env: env, form: form, error: error.message), status: error.status)
        }
    }

    holders.post("/account/tokens/{id}/revoke") { _, context -> Response in
        let viewer = try TokenPages.person(try context.viewer)
        let id = try context.parameters.require("id")
        // Someone else's token is as unknown as a missing one.
        guard var token = try await env.store.document(APIToken.self, id: id), token.username == viewer.username else {
            throw WebError(.notFound, "You have no token \(id).")
        }
        if let revoked = token.revokedAt {
            throw WebError(.conflict, "Token \(id) was already revoked on \(await localText(revoked, timeZone: try env.timeZone())).")
        }
        token.revokedAt = env.clock()
        try await env.store.apply([.save(token), .audit(env.draft(viewer, .revokeToken, id, "\"\(token.name)\""))])
        return redirect("/account/tokens?revoked=\(id)")
    }
}

enum TokenPages {
    static let expiryDays = 1...365
    static let maxActive = 10

    /// The holder of the tokens page: signed in through a browser session (a token cannot mint tokens). The route
    /// group has already checked the role (exportData, or manageAccounts for admins).
    static func person(_ viewer: Viewer) throws -> Viewer {
        guard viewer.session != nil else { throw WebError(.forbidden, "API tokens are managed from a signed-in browser session.") }
        return viewer
    }

    /// 12 letters and digits (no "_", which separates the parts of a token), from the system's secure generator.
    static func newTokenID() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<12).map { _ in alphabet[Int(rng.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// The tokens page with the viewer's tokens (after `before`, a notice), and the creation form as sent when it
    /// had a mistake.
    static func page(_ viewer: Viewer, env: WebEnvironment, before: HTML? = nil, form: Form? = nil, error: String? = nil) async throws -> HTML {
        let tokens = try await env.store.documents(APIToken.self, group: viewer.username).sorted { $0.createdAt > $1.createdAt }
        let body = await TokensView.page(viewer, tokens: tokens, now: env.clock(), timeZone: try env.timeZone(), form: form, error: error)
        return Layout.page(title: "API tokens", viewer: viewer, current: "/account/tokens", body: (before ?? .empty) + body)
    }
}
