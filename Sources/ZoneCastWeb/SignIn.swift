import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastHTML
import ZoneCastReports
import ZoneCastStore

/// The account key of a sign-in attempt whose username is not a valid account name (control characters, upper
/// case, too long): such a name cannot be looked up, so all of them share this key, as they share the dummy hash.
let invalidUsernameKey = "(invalid username)"
/// The audit key for every name that has no account (see `FailedSignInDigest`).
let unknownUsernameKey = "(unknown username)"

/// One sign-in attempt, after its CSRF token checked out.
///
/// The username is validated at the edge: only a valid account name (`Passwords.isValidUsername`) is looked up, and
/// the throttle keys on exactly that string, so a name the database would read differently (a NUL cutting it
/// short) can neither reach an account nor dodge its back-off. Every attempt that gets past the throttle costs one
/// bcrypt comparison, with a dummy hash when there is no account, so the answer's time does not reveal whether
/// the name exists. Attempts refused by a back-off are answered 429 with Retry-After, without reading the password.
func signInAttempt(_ form: Form, request: Request, context: some RequestContext, env: WebEnvironment) async throws -> Response {
    let typed = form["username"] ?? "", password = form["password"] ?? ""
    let address = tipClientKey(request, context: context, trusted: env.configuration.trustedProxies)
    let now = env.clock()
    let name = signInName(typed)
    let account = try await name.asyncFlatMap { try await env.store.account(username: $0) }
    let key = name ?? invalidUsernameKey
    let auditKey = account?.username ?? unknownUsernameKey
    // What the audit log names: the name tried when it is printable, else a placeholder (never raw control bytes).
    let tried = name ?? (isPrintable(typed) ? String(typed.prefix(100)) : invalidUsernameKey)

    if case .wait(let until, let limit) = await env.throttle.check(account: key, address: address, clearedAt: account?.failuresClearedAt, now: now) {
        let outcome = await env.throttle.refused(address: address, auditAs: auditKey, now: now)
        let seconds = max(1, Int(until.timeIntervalSince(now).rounded(.up).clamped(to: 1...86_400)))
        try await writeAudit(outcome, tried: tried,
                       detail: "refused without checking the password: \(limit == .address ? "this address" : "this account") is held back \(seconds) s "
                           + "after repeated failures (from \(address))",
                       env: env, now: now)
        var response = loginPage(env: env, status: .tooManyRequests,
                                 message: "Too many failed sign-ins. Wait \(seconds) seconds, then try again.")
        response.headers[.retryAfter] = String(seconds)
        return response
    }

    // Exactly one bcrypt comparison on every path from here.
    let matches = env.passwordCheck.verify(password, account?.passwordHash ?? env.passwordCheck.dummyHash())
    guard let account, matches, !account.disabled else {
        let why = account == nil ? (name == nil ? "unknown username (not a valid account name)" : "unknown username")
            : account?.disabled == true ? "account disabled" : "wrong password"
        let outcome = await env.throttle.failed(account: key, address: address, auditAs: auditKey, now: now)
        try await writeAudit(outcome, tried: tried, detail: "\(why) (from \(address))", env: env, now: now)
        return loginPage(env: env, status: .unauthorized, message: "Wrong username or password.")
    }
    let due = await env.throttle.succeeded(account: key, address: address, now: now)
    try await writeAudit(FailedSignInDigest.Outcome(logInFull: false, due: due), tried: tried, detail: "", env: env, now: now)
    // A new token at every sign-in: a session id set before sign-in (fixation) is never reused.
    let session = await env.sessions.create(username: account.username, now: now, accountStamp: account.sessionsRevokedAt)
    try await env.store.audit(AuditDraft(at: now, actor: account.username, action: .signIn, subject: account.username, detail: account.role.rawValue))
    var response = redirect(account.mustChangePassword ? "/account/password" : landingPath(account.role))
    response.setCookie(cookie("zc_session", session.token, env: env, maxAge: Int(await env.sessions.lifetime)))
    response.setCookie(cookie("zc_login_csrf", "", env: env, maxAge: 0))
    return response
}

/// Writes the summaries due, then this failure's own entry if it is the first of its window.
/// The name a sign-in looks up and throttles on: exactly what was typed when it is a valid account name, else
/// nil (no lookup; the attempt is an unknown user's, with the dummy comparison).
func signInName(_ typed: String) -> String? { Passwords.isValidUsername(typed) ? typed : nil }

private func writeAudit(_ outcome: FailedSignInDigest.Outcome, tried: String, detail: String, env: WebEnvironment, now: Date) async throws {
    var drafts = outcome.due.map { s in
        AuditDraft(at: now, actor: s.account, action: .signInFailed, subject: s.account,
                   detail: "\(s.count) more failed sign-in\(s.count == 1 ? "" : "s") from \(s.address) between \(iso(s.from)) and \(iso(s.to)) (summary)")
    }
    if outcome.logInFull { drafts.append(AuditDraft(at: now, actor: tried, action: .signInFailed, subject: tried, detail: detail)) }
    guard !drafts.isEmpty else { return }
    _ = try await env.store.apply(drafts.map { .audit($0) })
}

private func loginPage(env: WebEnvironment, status: HTTPResponse.Status, message: String) -> Response {
    let fresh = randomToken()
    var response = html(SignInView.login(csrf: fresh, message: message), status: status)
    response.setCookie(cookie("zc_login_csrf", fresh, env: env, maxAge: 3_600))
    return response
}

/// No control or format characters (what a terminal or the audit log's readers could be tricked by).
func isPrintable(_ text: String) -> Bool {
    !text.unicodeScalars.contains { [.control, .format, .surrogate, .privateUse, .unassigned].contains($0.properties.generalCategory) }
}

extension Double {
    func clamped(to range: ClosedRange<Double>) -> Double { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}

/// Where a signed-in account lands: an officer's work is their zones ("My zones"); every other role's, the dashboard.
func landingPath(_ role: Role) -> String {
    role.may(.logPatrols) && !role.may(.viewAllZones) ? "/officer" : "/"
}
