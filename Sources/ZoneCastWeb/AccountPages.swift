import Foundation
import ZoneCastAccess
import ZoneCastHTML
import ZoneCastReports

/// The HTML of the Accounts page. Every value from the database is escaped (display names are free text).
enum AccountPages {
    static func page(_ viewer: Viewer, env: WebEnvironment, notice: String?) throws -> String {
        let tz = try env.timeZone()
        let accounts = try env.store.accounts()
        let knownUnits = Set(PatrolUnit.defaults).union(accounts.flatMap(\.units)).sorted()
        var s = notice.map { "<p class=\"ok\" role=\"status\">\(LegacyHTML.escape($0))</p>" } ?? ""
        s += "<p>Disabling an account, resetting its password, changing its role or deleting it ends its signed-in sessions at once. "
        s += "Unlock clears its failed sign-ins, so a sign-in back-off ends. Every change is in the audit log; a deleted account's entries remain. "
        s += "The same changes: <code>zonecast users</code>.</p>"
        s += "<div style=\"overflow-x:auto\"><table id=\"accounts\"><thead><tr><th scope=\"col\" class=\"l\">username</th><th scope=\"col\" class=\"l\">name</th>"
        s += "<th scope=\"col\" class=\"l\">role</th><th scope=\"col\" class=\"l\">units</th><th scope=\"col\" class=\"l\">status</th><th scope=\"col\" class=\"l\"><span class=\"no-print\">actions</span></th></tr></thead><tbody>"
        for a in accounts {
            let u = LegacyHTML.escape(a.username)
            var status: [String] = [a.disabled ? "disabled" : "active"]
            if a.mustChangePassword { status.append("must change password") }
            if let cleared = a.failuresClearedAt { status.append("failures cleared \(localText(cleared, timeZone: tz))") }
            s += "<tr data-account=\"\(u)\"><td class=\"l\"><code>\(u)</code></td><td class=\"l\">\(LegacyHTML.escape(a.displayName))</td><td class=\"l\">\(a.role.rawValue)</td>"
            s += "<td class=\"l\">\(LegacyHTML.escape(a.units.sorted().map(\.name).joined(separator: ", ")))</td><td class=\"l\">\(LegacyHTML.escape(status.joined(separator: "; ")))</td><td class=\"l\">"
            s += button(viewer, a, a.disabled ? .enable : .disable, a.disabled ? "Enable" : "Disable")
            s += button(viewer, a, .unlock, "Unlock")
            s += button(viewer, a, .resetPassword, "Reset password")
            s += "<form method=\"post\" action=\"/accounts/\(u)/set-role\">\(Layout.csrfField(viewer))<label>Role <select name=\"role\">"
            for r in Role.allCases { s += "<option\(r == a.role ? " selected" : "")>\(r.rawValue)</option>" }
            s += "</select></label><button type=\"submit\" aria-label=\"Set the role of \(u)\">Set role</button></form>"
            s += "<form method=\"post\" action=\"/accounts/\(u)/set-units\">\(Layout.csrfField(viewer))<fieldset><legend>Units</legend>"
            for unit in knownUnits {
                s += "<label><input type=\"checkbox\" name=\"unit\" value=\"\(LegacyHTML.escape(unit.name))\"\(a.units.contains(unit) ? " checked" : "")> \(LegacyHTML.escape(unit.name))</label> "
            }
            s += "<label>Other <input type=\"text\" name=\"other\" maxlength=\"80\"></label></fieldset><button type=\"submit\" aria-label=\"Set the units of \(u)\">Set units</button></form>"
            s += "<form method=\"post\" action=\"/accounts/\(u)/delete\">\(Layout.csrfField(viewer))<label>Type <code>\(u)</code> to delete <input type=\"text\" name=\"confirm\" autocomplete=\"off\" required></label>"
            s += "<button type=\"submit\" aria-label=\"Delete \(u)\">Delete</button></form>"
            s += "</td></tr>"
        }
        s += "</tbody></table></div>"
        s += "<p>New accounts: <code>zonecast users add NAME --role ROLE</code> (prints a one-time password).</p>"
        return Layout.page(title: "Accounts", viewer: viewer, current: "/accounts", body: s)
    }

    static func button(_ viewer: Viewer, _ a: Account, _ action: AccountAction, _ label: String) -> String {
        let u = LegacyHTML.escape(a.username)
        return "<form method=\"post\" action=\"/accounts/\(u)/\(action.rawValue)\" style=\"display:inline\">\(Layout.csrfField(viewer))<button type=\"submit\" aria-label=\"\(LegacyHTML.escape(label)) \(u)\">\(LegacyHTML.escape(label))</button></form> "
    }

    static func oneTimePassword(_ viewer: Viewer, username: String, password: String) -> String {
        Layout.page(title: "Password reset", viewer: viewer, current: "/accounts", body: """
            <div class="ok" role="status" id="one-time"><p><strong>\(LegacyHTML.escape(username))</strong> has a new one-time password, shown only this once.
            Its sessions have ended; it must choose its own password at next sign-in.</p>
            <label>One-time password<input type="text" readonly id="one-time-password" value="\(LegacyHTML.escape(password))" style="font-family:monospace"></label></div>
            <p><a href="/accounts">Back to accounts</a></p>
            """)
    }
}
