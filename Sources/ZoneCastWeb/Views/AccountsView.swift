import Foundation
import ZoneCastAccess
import ZoneCastHTML

/// The Accounts page (admins) and the one-time password shown after a reset. Display names are free text: every
/// value from the database is escaped.
enum AccountsView {
    static func page(_ viewer: Viewer, accounts: [Account], knownUnits: [PatrolUnit], timeZone tz: TimeZone, notice: String?) -> HTML {
        let status: HTML? = notice.map { "<p class=\"ok\" role=\"status\">\($0)</p>" }
        let rows = accounts.map { row(viewer, $0, knownUnits: knownUnits, timeZone: tz) }
        return Layout.page(title: "Accounts", viewer: viewer, current: "/accounts", body: """
            \(status)<p>Disabling an account, resetting its password, changing its role or deleting it ends its signed-in sessions at once. \
            Unlock clears its failed sign-ins, so a sign-in back-off ends. Every change is in the audit log; a deleted account's entries remain. \
            The same changes: <code>zonecast users</code>.</p><div style="overflow-x:auto"><table id="accounts"><thead><tr>\
            <th scope="col" class="l">username</th><th scope="col" class="l">name</th><th scope="col" class="l">role</th>\
            <th scope="col" class="l">units</th><th scope="col" class="l">status</th><th scope="col" class="l"><span class="no-print">actions</span></th>\
            </tr></thead><tbody>\(rows)</tbody></table></div>\
            <p>New accounts: <code>zonecast users add NAME --role ROLE</code> (prints a one-time password).</p>
            """)
    }

    /// One account with its forms: enable or disable, unlock, reset the password, set the role and units, delete.
    static func row(_ viewer: Viewer, _ a: Account, knownUnits: [PatrolUnit], timeZone tz: TimeZone) -> HTML {
        let u = a.username
        var status: [String] = [a.disabled ? "disabled" : "active"]
        if a.mustChangePassword { status.append("must change password") }
        if let cleared = a.failuresClearedAt { status.append("failures cleared \(localText(cleared, timeZone: tz))") }
        let roles = Role.allCases.map { r -> HTML in r == a.role ? "<option selected>\(r)</option>" : "<option>\(r)</option>" }
        let units = knownUnits.map { unit -> HTML in
            let checked: HTML? = a.units.contains(unit) ? " checked" : nil
            return "<label><input type=\"checkbox\" name=\"unit\" value=\"\(unit.name)\"\(checked)> \(unit.name)</label> "
        }
        let csrf = Layout.csrfField(viewer)
        return """
            <tr data-account="\(u)"><td class="l"><code>\(u)</code></td><td class="l">\(a.displayName)</td><td class="l">\(a.role)</td>\
            <td class="l">\(a.units.sorted().map(\.name).joined(separator: ", "))</td><td class="l">\(status.joined(separator: "; "))</td>\
            <td class="l">\(button(viewer, a, a.disabled ? .enable : .disable, a.disabled ? "Enable" : "Disable"))\
            \(button(viewer, a, .unlock, "Unlock"))\(button(viewer, a, .resetPassword, "Reset password"))\
            <form method="post" action="/accounts/\(u)/set-role">\(csrf)<label>Role <select name="role">\(roles)</select></label>\
            <button type="submit" aria-label="Set the role of \(u)">Set role</button></form>\
            <form method="post" action="/accounts/\(u)/set-units">\(csrf)<fieldset><legend>Units</legend>\(units)\
            <label>Other <input type="text" name="other" maxlength="80"></label></fieldset>\
            <button type="submit" aria-label="Set the units of \(u)">Set units</button></form>\
            <form method="post" action="/accounts/\(u)/delete">\(csrf)<label>Type <code>\(u)</code> to delete \
            <input type="text" name="confirm" autocomplete="off" required></label>\
            <button type="submit" aria-label="Delete \(u)">Delete</button></form></td></tr>
            """
    }

    static func button(_ viewer: Viewer, _ a: Account, _ action: AccountAction, _ label: String) -> HTML {
        let form: HTML = """
            <form method="post" action="/accounts/\(a.username)/\(action)" style="display:inline">\(Layout.csrfField(viewer))\
            <button type="submit" aria-label="\(label) \(a.username)">\(label)</button></form>
            """
        return "\(form) "
    }

    static func oneTimePassword(_ viewer: Viewer, username: String, password: String) -> HTML {
        Layout.page(title: "Password reset", viewer: viewer, current: "/accounts", body: """
            <div class="ok" role="status" id="one-time"><p><strong>\(username)</strong> has a new one-time password, shown only this once.
            Its sessions have ended; it must choose its own password at next sign-in.</p>
            <label>One-time password<input type="text" readonly id="one-time-password" value="\(password)" style="font-family:monospace"></label></div>
            <p><a href="/accounts">Back to accounts</a></p>
            """)
    }
}
