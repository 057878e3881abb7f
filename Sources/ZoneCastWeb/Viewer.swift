import Foundation
import Hummingbird
public import ZoneCastAccess
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
    /// The signed-in viewer, or nil (for `SessionAuthenticator` and `APICallerAuthenticator`, which route groups run).
    func signedIn(_ request: Request) async throws -> Viewer? {
        guard let token = request.cookies["zc_session"]?.value, !token.isEmpty,
              let session = await sessions.session(token, now: clock()),
              let account = try await store.account(username: session.username), !account.disabled else { return nil }
        // The account's stamp moves when its password, role or status changes (also from `zonecast users` in another
        // process): a session begun under an older stamp has ended.
        guard account.sessionStampMatches(session.accountStamp) else {
            await sessions.end(token)
            return nil
        }
        return Viewer(account: account, session: session, tokenID: nil)
    }

    /// Tokens look like "zc_<id>_<secret>"; the id finds the record, the secret's digest must match it.
    func tokenCaller(_ token: String) async throws -> Viewer? {
        let parts = token.split(separator: "_", maxSplits: 2)
        guard parts.count == 3, parts[0] == "zc" else { return nil }
        guard let record = try await store.document(APIToken.self, id: String(parts[1])),
              constantTimeEquals(APIToken.digest(String(parts[2])), record.secretSHA256),
              let account = try await store.account(username: record.username), record.isValid(at: clock(), for: account) else { return nil }
        return Viewer(account: account, session: nil, tokenID: record.id)
    }

    /// Appends an audit entry for something the viewer did or saw.
    func audit(_ viewer: Viewer, _ action: AuditAction, _ subject: String, _ detail: String = "") async throws {
        try await store.audit(AuditDraft(at: clock(), actor: viewer.tokenID.map { "\(viewer.username) (token \($0))" } ?? viewer.username,
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
