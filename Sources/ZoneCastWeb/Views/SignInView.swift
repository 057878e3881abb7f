import Foundation
import ZoneCastHTML
import ZoneCastAccess

/// The sign-in form and the password change. A sign-in form carries its own CSRF token (double-submitted in a
/// cookie), since there is no session yet to hold one.
enum SignInView {
    static func login(csrf: String, message: String?) -> HTML {
        let note: HTML? = message.map { "<p class=\"error\" role=\"alert\">\($0)</p>" }
        return Layout.page(title: "Sign in", viewer: nil, body: """
            \(note)<form method="post" action="/login" class="stack login">
            <input type="hidden" name="csrf" value="\(csrf)">
            <label>Username <input type="text" name="username" autocomplete="username" autocapitalize="none" required></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">Sign in</button></form>
            <p class="note">Residents: <a href="/tips">report a concern</a> without signing in.</p>
            """)
    }

    static func password(viewer: Viewer, message: String?) -> HTML {
        let note: HTML? = message.map { "<p class=\"error\" role=\"alert\">\($0)</p>" }
        let why: HTML? = viewer.account.mustChangePassword
            ? "<p>Your account was created with a one-time password. Choose your own before going on.</p>" : nil
        return Layout.page(title: "Choose a new password", viewer: viewer, body: """
            \(why)\(note)<form method="post" action="/account/password" class="stack">\(Layout.csrfField(viewer))
            <label>Current password <input type="password" name="current" autocomplete="current-password" required></label>
            <label>New password (at least 12 characters) <input type="password" name="new" autocomplete="new-password" required minlength="12"></label>
            <label>New password again <input type="password" name="confirm" autocomplete="new-password" required minlength="12"></label>
            <button type="submit">Change password</button></form>
            """)
    }
}
