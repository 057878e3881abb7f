import Foundation
import HTTPTypes
import Hummingbird
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastStore

/// Sign-in, sign-out and password change. A sign-in form carries its own CSRF token (double-submitted in a
/// cookie), since there is no session yet to hold one.
func addSessionRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.get("/login") { _, _ -> Response in
        let csrf = randomToken()
        var response = html(SignInView.login(csrf: csrf, message: nil))
        response.setCookie(cookie("zc_login_csrf", csrf, env: env, maxAge: 3_600))
        return response
    }

    router.post("/login") { request, context -> Response in
        let form = try await Form.read(request)
        guard let sent = form["csrf"], let expected = request.cookies["zc_login_csrf"]?.value, constantTimeEquals(sent, expected) else {
            let fresh = randomToken()
            var response = html(SignInView.login(csrf: fresh, message: "Your sign-in form expired. Please try again."), status: .forbidden)
            response.setCookie(cookie("zc_login_csrf", fresh, env: env, maxAge: 3_600))
            return response
        }
        return try await signInAttempt(form, request: request, context: context, env: env)
    }

    router.sessionOptional(env: env).post("/logout") { _, context -> Response in
        if let viewer = context.identity {
            if let session = viewer.session { await env.sessions.end(session.token) }
            try await env.audit(viewer, .signOut, viewer.username)
        }
        var response = redirect("/login")
        response.setCookie(cookie("zc_session", "", env: env, maxAge: 0))
        return response
    }

    // Open to a viewer who must still replace a one-time password (every other page sends them here).
    let passwordPages = router.pages(requiring: nil, env: env, allowsPendingPasswordChange: true)
    passwordPages.get("/account/password") { _, context -> Response in
        let viewer = try context.viewer
        return html(SignInView.password(viewer: viewer, message: nil))
    }

    // The current password is checked under the sign-in throttle and every wrong one is audited: unthrottled, the
    // form let whoever held a session (an unattended browser, a stolen cookie) guess the password itself.
    passwordPages.post("/account/password") { request, context -> Response in
        let viewer = try context.viewer
        let form = try context.form
        let current = form["current"] ?? "", new = form["new"] ?? "", confirm = form["confirm"] ?? ""
        func refused(_ message: String, _ status: HTTPResponse.Status = .badRequest) -> Response {
            html(SignInView.password(viewer: viewer, message: message), status: status)
        }
        let address = tipClientKey(request, context: context, trusted: env.configuration.trustedProxies)
        let checkedAt = env.clock()
        if case .wait(let until, _) = await env.throttle.check(account: viewer.username, address: address,
                                                               clearedAt: viewer.account.failuresClearedAt, now: checkedAt) {
            let seconds = max(1, Int(until.timeIntervalSince(checkedAt).rounded(.up).clamped(to: 1...86_400)))
            try await env.audit(viewer, .signInFailed, viewer.username,
                                "password change refused without checking the current password: held back \(seconds) s (from \(address))")
            var response = refused("Too many wrong passwords. Wait \(seconds) seconds, then try again.", .tooManyRequests)
            response.headers[.retryAfter] = String(seconds)
            return response
        }
        guard Passwords.verify(current, hash: viewer.account.passwordHash) else {
            _ = await env.throttle.failed(account: viewer.username, address: address, auditAs: viewer.username, now: checkedAt)
            try await env.audit(viewer, .signInFailed, viewer.username, "wrong current password on the password change form (from \(address))")
            return refused("The current password is wrong.")
        }
        guard new == confirm else { return refused("The new passwords do not match.") }
        guard new != current else { return refused("Choose a password different from the current one.") }
        do { try Passwords.check(new, username: viewer.username) } catch {
            return refused("\(error)")
        }
        var account = viewer.account
        account.passwordHash = Passwords.hash(new)
        account.mustChangePassword = false
        // Every other session of this account ends; this one goes on.
        let now = env.clock()
        account.revokeSessions(at: now)
        try await env.store.updateAccount(account)
        try await env.audit(viewer, .passwordChanged, viewer.username, "other sessions ended")
        if let session = viewer.session { await env.sessions.restamp(session.token, accountStamp: account.sessionsRevokedAt) }
        return redirect(landingPath(account.role))
    }
}
