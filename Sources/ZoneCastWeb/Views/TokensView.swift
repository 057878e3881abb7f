import Foundation
import ZoneCastAccess
import ZoneCastHTML
import ZoneCastOperations

/// The API tokens page: what tokens are for, the viewer's tokens with a revoke button each, and the form to
/// create one; after creating, the new token shown once.
enum TokensView {
    static func page(_ viewer: Viewer, tokens: [APIToken], now: Date, timeZone tz: TimeZone, form: Form?, error: String?) -> HTML {
        let list: HTML = tokens.isEmpty ? "<p id=\"no-tokens\">You have no API tokens.</p>" : table(viewer, tokens: tokens, now: now, timeZone: tz)
        let alert: HTML? = error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" }
        let days = TokenPages.expiryDays
        return """
            <p>Tokens let a program (a GIS layer, a dashboard, a records system) use the <a href="/api/openapi.json">JSON API</a> as you, \
            with your role (\(viewer.role)). Treat one like your password; revoke it when the program no longer needs it.</p>\
            <h2>Your tokens</h2>\(list)<h2>Create a token</h2>\(alert)\
            <form method="post" action="/account/tokens" class="stack" id="token-form">\(Layout.csrfField(viewer))\
            <label>Name (what will use it)<input type="text" name="name" required maxlength="80" value="\(form?["name"] ?? "")"></label>\
            <label>Expires after (days, \(days.lowerBound)-\(days.upperBound))<input type="number" name="days" min="\(days.lowerBound)" \
            max="\(days.upperBound)" value="\(form?["days"] ?? "90")" required></label>\
            <button type="submit">Create token</button></form>
            """
    }

    static func table(_ viewer: Viewer, tokens: [APIToken], now: Date, timeZone tz: TimeZone) -> HTML {
        let rows = tokens.map { t -> HTML in
            let status = t.revokedAt.map { "revoked \(localText($0, timeZone: tz))" }
                ?? (now >= t.expiresAt ? "expired" : t.isEnded(by: viewer.account) ? "ended: your password, role or status changed" : "active")
            let revoke: HTML? = t.isValid(at: now, for: viewer.account) ? """
                <form method="post" action="/account/tokens/\(t.id)/revoke">\(Layout.csrfField(viewer))\
                <button type="submit" aria-label="Revoke token \(t.name)">Revoke</button></form>
                """ : nil
            return """
                <tr data-token="\(t.id)"><td class="l">\(t.name)</td><td class="l"><code>\(t.id)</code></td>\
                <td class="l">\(localText(t.createdAt, timeZone: tz))</td><td class="l">\(localText(t.expiresAt, timeZone: tz))</td>\
                <td class="l">\(status)</td><td class="l">\(revoke)</td></tr>
                """
        }
        return """
            <div style="overflow-x:auto"><table id="tokens"><thead><tr><th scope="col" class="l">name</th><th scope="col" class="l">id</th>\
            <th scope="col" class="l">created</th><th scope="col" class="l">expires</th><th scope="col" class="l">status</th>\
            <th scope="col" class="l"><span class="no-print">action</span></th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    /// The new token, shown this once.
    static func created(id: String, token full: String, expiresAt: Date, timeZone tz: TimeZone) -> HTML {
        """
        <div class="ok" role="status" id="new-token"><p><strong>Token \(id) created.</strong> Copy it now: it is shown only this once \
        and ZoneCast keeps only a hash of it.</p>\
        <label>Your token<input type="text" readonly id="token-value" value="\(full)" style="width:100%;font-family:monospace"></label>\
        <p>Use it as <code>Authorization: Bearer \(full)</code> (see <a href="/api/openapi.json">the API description</a>). It acts as you, \
        with your role, until \(localText(expiresAt, timeZone: tz)). Every read of zone locations with it is logged with its id.</p></div>
        """
    }

    static func revokedNotice(_ id: String) -> HTML {
        "<p class=\"ok\" role=\"status\">Token \(id) revoked: it no longer works.</p>"
    }
}
