import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastMail
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastServices
import ZoneCastStore

/// Alerts to commanders: the notices page (every notice for the viewer's role, newest first, with a link to the
/// zone) for commanders, and the alert settings (thresholds and e-mail recipients) for admins, changed through a
/// CSRF form and audited with what changed.
func addAlertRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.pages(requiring: .decideZones, env: env).get("/notices") { _, context -> Response in
        let viewer = try context.viewer
        let notices = try await env.store.documents(Notice.self, group: viewer.role.rawValue).sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        return html(Layout.page(title: "Notices", viewer: viewer, current: "/notices",
                                body: AlertsView.notices(notices, timeZone: try await env.timeZone())))
    }

    let admins = router.pages(requiring: .manageAccounts, env: env)
    admins.get("/settings/alerts") { request, context -> Response in
        let viewer = try context.viewer
        let saved = Form(request.uri.query ?? "")["saved"] != nil
        return html(Layout.page(title: "Alert settings", viewer: viewer, current: "/settings/alerts",
                                body: AlertsView.settings(viewer, settings: try await env.alertSettings(), mailConfigured: env.configuration.alertMail != nil,
                                                          saved: saved)))
    }

    admins.post("/settings/alerts") { _, context -> Response in
        let viewer = try context.viewer
        let form = try context.form
        let old = try await env.alertSettings()
        do {
            let updated = try AlertSettingsForm.parse(form, old: old, by: viewer.username, at: env.clock())
            var changes = [updated.thresholds.changes(from: old.thresholds)]
            if updated.recipients != old.recipients {
                changes.append("recipients \(old.recipients.joined(separator: ",")) → \(updated.recipients.joined(separator: ","))")
            }
            let detail = changes.filter { !$0.isEmpty }.joined(separator: "; ")
            guard !detail.isEmpty else { return redirect("/settings/alerts?saved=unchanged") }
            try await env.store.apply([.save(updated), .audit(env.draft(viewer, .alertSettings, AlertSettings.documentID, detail))])
            return redirect("/settings/alerts?saved=1")
        } catch let error as WebError where error.kind == .badRequest {
            return html(Layout.page(title: "Alert settings", viewer: viewer, current: "/settings/alerts",
                                    body: AlertsView.settings(viewer, settings: old, mailConfigured: env.configuration.alertMail != nil, saved: false,
                                                              form: form, error: error.message)), status: .badRequest)
        }
    }
}

/// The settings form's fields, checked: each threshold in its range (`AlertThresholds.from(form:base:)`), each
/// recipient a plain `local@domain` address (comma separated, at most 20).
enum AlertSettingsForm {
    static func parse(_ form: Form, old: AlertSettings, by username: String, at now: Date) throws -> AlertSettings {
        var fields: [String: String] = [:]
        for f in AlertThresholds.fields { if let v = form[f.name] { fields[f.name] = v } }
        let thresholds: AlertThresholds
        do { thresholds = try AlertThresholds.from(form: fields, base: old.thresholds) } catch {
            throw WebError.invalid(error.field, error.value, error.reason)
        }
        let text = form["recipients"] ?? ""
        let recipients = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard recipients.count <= 20 else { throw WebError.invalid("recipients", text, "at most 20 addresses, comma separated") }
        for r in recipients {
            do { _ = try MailAddress(r, field: "recipients") } catch { throw WebError.invalid("recipients", r, "expected an address like name@example.org") }
        }
        return AlertSettings(thresholds: thresholds, recipients: recipients, updatedAt: now, updatedBy: username)
    }
}
