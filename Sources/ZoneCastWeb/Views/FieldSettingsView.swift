import Foundation
import ZoneCastHTML
import ZoneCastOperations

/// The field settings page for admins: whether the officers' in-zone checks keep coordinates (off by default).
enum FieldSettingsView {
    /// The form's two answers.
    enum Choice: String, CaseIterable {
        case discard, keep
    }

    static func page(_ viewer: Viewer, settings: FieldSettings, saved: Bool, timeZone tz: TimeZone) -> HTML {
        let ok: HTML? = saved ? "<p class=\"ok\" role=\"status\">Field settings saved.</p>" : nil
        let keep = settings.keepVisitCoordinates
        let changed: HTML = settings.updatedBy == FieldSettings.defaults.updatedBy
            ? "Never changed: the default is in force."
            : "Last changed by \(settings.updatedBy) at \(localText(settings.updatedAt, timeZone: tz))."
        let body: HTML = """
            \(ok)<p>Officers may check on the visit timer that their phone is inside the zone. The phone shares its location only when \
            the officer presses the button, and the server works out inside or outside from the zone's cells. \(changed) Every change is \
            audited.</p><form method="post" action="/settings/field" class="stack" id="field-settings">\(Layout.csrfField(viewer))\
            <fieldset><legend>Coordinates of in-zone checks</legend>\
            <label><input type="radio" name="keepVisitCoordinates" value="\(Choice.discard)"\(keep ? "" : " checked")> Discard them: keep only \
            whether the phone was inside the zone (recommended)</label>\
            <label><input type="radio" name="keepVisitCoordinates" value="\(Choice.keep)"\(keep ? " checked" : "")> Keep them with the visit \
            (officers' positions become part of the record)</label></fieldset><button type="submit">Save field settings</button></form>
            """
        return Layout.page(title: "Field settings", viewer: viewer, current: "/settings/field", body: body)
    }
}
