import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastHTML
import ZoneCastReports

/// Sign-in, sign-out and password change. A sign-in form carries its own CSRF token (double-submitted in a
/// cookie), since there is no session yet to hold one.
func addSessionRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.get("/login") { _, _ -> Response in
        let csrf = randomToken()
        var response = html(SessionPages.login(csrf: csrf, message: nil))
        response.setCookie(cookie("zc_login_csrf", csrf, env: env, maxAge: 3_600))
        return response
    }

    router.post("/login") { request, context -> Response in
        let form = try await Form.read(request)
        guard let sent = form["csrf"], let expected = request.cookies["zc_login_csrf"]?.value, constantTimeEquals(sent, expected) else {
            let fresh = randomToken()
            var response = html(SessionPages.login(csrf: fresh, message: "Your sign-in form expired. Please try again."), status: .forbidden)
            response.setCookie(cookie("zc_login_csrf", fresh, env: env, maxAge: 3_600))
            return response
        }
        return try await signInAttempt(form, request: request, context: context, env: env)
    }

    router.post("/logout") { request, _ -> Response in
        let form = try await Form.read(request)
        if let viewer = try await env.signedIn(request) {
            try env.checkCSRF(form, viewer)
            if let session = viewer.session { await env.sessions.end(session.token) }
            try env.audit(viewer, .signOut, viewer.username)
        }
        var response = redirect("/login")
        response.setCookie(cookie("zc_session", "", env: env, maxAge: 0))
        return response
    }

    router.get("/account/password") { request, _ -> Response in
        guard let viewer = try await env.signedIn(request) else { return redirect("/login") }
        return html(SessionPages.password(viewer: viewer, message: nil))
    }

    router.post("/account/password") { request, _ -> Response in
        guard let viewer = try await env.signedIn(request) else { return redirect("/login") }
        let form = try await Form.read(request)
        try env.checkCSRF(form, viewer)
        let current = form["current"] ?? "", new = form["new"] ?? "", confirm = form["confirm"] ?? ""
        guard Passwords.verify(current, hash: viewer.account.passwordHash) else {
            return html(SessionPages.password(viewer: viewer, message: "The current password is wrong."), status: .badRequest)
        }
        guard new == confirm else { return html(SessionPages.password(viewer: viewer, message: "The new passwords do not match."), status: .badRequest) }
        guard new != current else { return html(SessionPages.password(viewer: viewer, message: "Choose a password different from the current one."), status: .badRequest) }
        do { try Passwords.check(new, username: viewer.username) } catch {
            return html(SessionPages.password(viewer: viewer, message: "\(error)"), status: .badRequest)
        }
        var account = viewer.account
        account.passwordHash = Passwords.hash(new)
        account.mustChangePassword = false
        // Every other session of this account ends; this one goes on.
        let now = env.clock()
        account.revokeSessions(at: now)
        try env.store.updateAccount(account)
        try env.audit(viewer, .passwordChanged, viewer.username, "other sessions ended")
        if let session = viewer.session { await env.sessions.restamp(session.token, accountStamp: account.sessionsRevokedAt) }
        return redirect("/")
    }
}

enum SessionPages {
    static func login(csrf: String, message: String?) -> String {
        let note = message.map { "<p class=\"error\" role=\"alert\">\(LegacyHTML.escape($0))</p>" } ?? ""
        return Layout.page(title: "Sign in", viewer: nil, body: """
            \(note)<form method="post" action="/login" class="stack login">
            <input type="hidden" name="csrf" value="\(LegacyHTML.escape(csrf))">
            <label>Username <input type="text" name="username" autocomplete="username" autocapitalize="none" required></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">Sign in</button></form>
            <p class="note">Residents: <a href="/tips">report a concern</a> without signing in.</p>
            """)
    }

    static func password(viewer: Viewer, message: String?) -> String {
        let note = message.map { "<p class=\"error\" role=\"alert\">\(LegacyHTML.escape($0))</p>" } ?? ""
        let why = viewer.account.mustChangePassword ? "<p>Your account was created with a one-time password. Choose your own before going on.</p>" : ""
        return Layout.page(title: "Choose a new password", viewer: viewer, body: """
            \(why)\(note)<form method="post" action="/account/password" class="stack">\(Layout.csrfField(viewer))
            <label>Current password <input type="password" name="current" autocomplete="current-password" required></label>
            <label>New password (at least 12 characters) <input type="password" name="new" autocomplete="new-password" required minlength="12"></label>
            <label>New password again <input type="password" name="confirm" autocomplete="new-password" required minlength="12"></label>
            <button type="submit">Change password</button></form>
            """)
    }
}
