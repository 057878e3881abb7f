import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastStore

/// Who is asking: a signed-in account (by session cookie) or an integration (by API token), with its role.
public struct Viewer: Sendable {
    public let account: Account
    let session: Session?
    let tokenID: String?

    var username: String { account.username }
    var role: Role { account.role }
    var csrf: String { session?.csrfToken ?? "" }
    func may(_ p: Permission) -> Bool { !account.disabled && account.role.may(p) }
}

extension WebEnvironment {
    /// The signed-in viewer, or nil. Pages use `viewer(_:requiring:)`; this is for pages that anyone may open.
    func signedIn(_ request: Request) async throws -> Viewer? {
        guard let token = request.cookies["zc_session"]?.value, !token.isEmpty,
              let session = await sessions.session(token, now: clock()),
              let account = try store.account(username: session.username), !account.disabled else { return nil }
        // The account's stamp moves when its password, role or status changes (also from `zonecast users` in another
        // process): a session begun under an older stamp has ended.
        guard account.sessionStampMatches(session.accountStamp) else {
            await sessions.end(token)
            return nil
        }
        return Viewer(account: account, session: session, tokenID: nil)
    }

    /// The viewer of a page, who must be signed in, have changed a one-time password, and hold `permission`.
    func viewer(_ request: Request, requiring permission: Permission? = nil) async throws -> Viewer {
        guard let v = try await signedIn(request) else { throw WebError(.signInRequired, "sign in first") }
        if v.account.mustChangePassword { throw WebError.passwordChangeRequired }
        if let permission, !v.may(permission) {
            throw WebError(.forbidden, "The \(v.role.rawValue) role may not do this (\(permission.rawValue)).")
        }
        return v
    }

    /// The caller of an API route: a session (browser) or `Authorization: Bearer <token>` (integrations).
    func apiCaller(_ request: Request, requiring permission: Permission? = nil) async throws -> Viewer {
        var caller: Viewer?
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            caller = try tokenCaller(String(header.dropFirst(7)))
            guard caller != nil else { throw WebError(.signInRequired, "the API token is not valid (unknown, expired or revoked)", api: true) }
        } else {
            caller = try await signedIn(request)
        }
        guard let caller else { throw WebError(.signInRequired, "sign in or send a bearer token", api: true) }
        if caller.account.mustChangePassword { throw WebError(.forbidden, "change the one-time password first", api: true) }
        if let permission, !caller.may(permission) {
            throw WebError(.forbidden, "the \(caller.role.rawValue) role may not do this (\(permission.rawValue))", api: true)
        }
        return caller
    }

    /// Tokens look like "zc_<id>_<secret>"; the id finds the record, the secret's digest must match it.
    func tokenCaller(_ token: String) throws -> Viewer? {
        let parts = token.split(separator: "_", maxSplits: 2)
        guard parts.count == 3, parts[0] == "zc" else { return nil }
        guard let record = try store.document(APIToken.self, id: String(parts[1])), record.isValid(at: clock()),
              constantTimeEquals(APIToken.digest(String(parts[2])), record.secretSHA256),
              let account = try store.account(username: record.username), !account.disabled else { return nil }
        return Viewer(account: account, session: nil, tokenID: record.id)
    }

    /// Checks the form's CSRF token against the session's (every state-changing form carries it).
    func checkCSRF(_ form: Form, _ viewer: Viewer) throws {
        guard let session = viewer.session else { return }  // token callers have no cookies to ride on
        guard let sent = form["csrf"], constantTimeEquals(sent, session.csrfToken) else {
            throw WebError(.csrf, "This form has expired or did not come from ZoneCast. Reload the page and try again.")
        }
    }

    /// Appends an audit entry for something the viewer did or saw.
    func audit(_ viewer: Viewer, _ action: AuditAction, _ subject: String, _ detail: String = "") throws {
        try store.audit(AuditDraft(at: clock(), actor: viewer.tokenID.map { "\(viewer.username) (token \($0))" } ?? viewer.username,
                                   action: action, subject: subject, detail: detail))
    }

    func draft(_ viewer: Viewer, _ action: AuditAction, _ subject: String, _ detail: String = "") -> AuditDraft {
        AuditDraft(at: clock(), actor: viewer.tokenID.map { "\(viewer.username) (token \($0))" } ?? viewer.username, action: action, subject: subject,
                   detail: detail)
    }
}

extension WebError {
    static let passwordChangeRequired = WebError(.passwordChangeRequired, "choose a new password first")
}
