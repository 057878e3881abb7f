import Foundation
import ZoneCastHTML
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastServices

/// The notices page and the alert settings form.
enum AlertsView {
    static func notices(_ notices: [Notice], timeZone tz: TimeZone) -> HTML {
        guard !notices.isEmpty else { return "<p id=\"no-notices\">No notices. Alerts from the monitor and the scheduler appear here.</p>" }
        let rows = notices.map { n -> HTML in
            let link: HTML? = n.link.map { "<a href=\"\($0)\">open</a>" }
            return """
                <tr data-notice="\(n.id)"><td class="l">\(localText(n.createdAt, timeZone: tz))</td><td class="l">\(n.text)</td><td class="l">\(link)</td></tr>
                """
        }
        return """
            <p>Alerts raised by the non-enforcement monitor and the low-patrol (dosage) check, whenever a patrol is logged and at every \
            scheduler run, and other notices for your role, newest first. Each alert is raised once per zone, kind and day.</p>\
            <div style="overflow-x:auto"><table id="notices"><thead><tr><th scope="col" class="l">raised</th><th scope="col" class="l">notice</th>\
            <th scope="col" class="l">link</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    static func settings(_ viewer: Viewer, settings: AlertSettings, mailConfigured: Bool, saved: Bool, form: Form? = nil, error: String? = nil) -> HTML {
        let alert: HTML? = error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" }
        let ok: HTML? = saved ? "<p class=\"ok\" role=\"status\">Alert settings saved.</p>" : nil
        let inputs = AlertThresholds.fields.map { f -> HTML in
            let value = form?[f.name] ?? number(settings.thresholds[f])
            return """
                <label>\(f.name) (\(number(f.range.lowerBound)) to \(number(f.range.upperBound)) \(f.unit))\
                <input type="number" step="any" name="\(f.name)" min="\(number(f.range.lowerBound))" max="\(number(f.range.upperBound))" \
                value="\(value)" required></label>
                """
        }
        let mail: HTML = mailConfigured ? "An SMTP relay is configured: each new alert is e-mailed to these addresses."
            : "No SMTP relay is configured (ZONECAST_SMTP_URL): alerts are notices only until one is."
        return """
            \(ok)\(alert)<p>Thresholds for the alerts to commanders. Last changed by \(settings.updatedBy). Every change is audited.</p>\
            <form method="post" action="/settings/alerts" class="stack" id="alert-settings">\(Layout.csrfField(viewer))\(inputs)\
            <label>E-mail recipients (comma separated)<input type="text" name="recipients" maxlength="2000" \
            value="\(form?["recipients"] ?? settings.recipients.joined(separator: ", "))"></label><p class="note">\(mail)</p>\
            <button type="submit">Save alert settings</button></form>
            """
    }

    static func number(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}
