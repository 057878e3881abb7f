import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastOperations
import ZoneCastHTML
import ZoneCastReports

/// Pages for intelligence items: the list with filters (new community tips first for analysts, expired items
/// apart), the recording form, one item with its triage form.
enum IntelligencePages {
    static let css = """
        <style>.items{list-style:none;padding:0;margin:.5rem 0}.items li{border:1px solid #ccd;border-radius:6px;padding:.5rem .7rem;margin:.5rem 0}
        .items .meta{color:#555;font-size:.9rem}.tag{display:inline-block;border:1px solid #889;border-radius:3px;padding:0 .3rem;font-size:.8rem;margin-right:.3rem}
        .tag.restricted{border-color:#b00020;color:#b00020}.tag.new{background:#fff3cd}.filters label{display:inline-block;margin-right:1rem}
        dl.facts dt{font-weight:bold;margin-top:.4rem}dl.facts dd{margin:0 0 0 0;white-space:pre-wrap;overflow-wrap:anywhere}</style>
        """

    static func list(_ items: [IntelligenceItem], viewer: Viewer, status: IntelligenceItem.Status?, kind: IntelligenceItem.Kind?, now: Date, timeZone tz: TimeZone) -> String {
        var s = css + "<p><a class=\"button\" href=\"/intel/new\">Record new intelligence</a></p>"
        s += "<form method=\"get\" action=\"/intel\" class=\"filters no-print\"><label>Status <select name=\"status\"><option value=\"\">any</option>"
        for c in IntelligenceItem.Status.allCases { s += "<option value=\"\(c.rawValue)\"\(c == status ? " selected" : "")>\(c.rawValue)</option>" }
        s += "</select></label><label>Kind <select name=\"kind\"><option value=\"\">any</option>"
        for c in IntelligenceItem.Kind.allCases { s += "<option value=\"\(c.rawValue)\"\(c == kind ? " selected" : "")>\(LegacyHTML.escape(c.label))</option>" }
        s += "</select></label><button type=\"submit\">Filter</button></form>"
        let filtered = items.filter { (status == nil || $0.status == status) && (kind == nil || $0.kind == kind) }
            .sorted { $0.createdAt > $1.createdAt }
        let tips = filtered.filter { $0.status == .new && !$0.isExpired(at: now) }
        let current = filtered.filter { $0.status != .new && !$0.isExpired(at: now) }
        let expired = filtered.filter { $0.isExpired(at: now) }
        if viewer.may(.triageTips) || !tips.isEmpty {
            s += "<h2 id=\"new-tips\">New, awaiting triage (\(tips.count))</h2>"
            s += tips.isEmpty ? "<p>Nothing waiting.</p>" : itemList(tips, now: now, timeZone: tz)
        }
        s += "<h2 id=\"current\">Current (\(current.count))</h2>"
        s += current.isEmpty ? "<p>No current items\(status != nil || kind != nil ? " match the filter" : "").</p>" : itemList(current, now: now, timeZone: tz)
        s += "<h2 id=\"expired\">Expired (\(expired.count))</h2>"
        s += expired.isEmpty ? "<p>None.</p>" : itemList(expired, now: now, timeZone: tz)
        if !viewer.may(.viewAllZones) {
            s += "<p class=\"note\">Restricted items (they may name people) are shown to analysts and commanders, and to whoever recorded them.</p>"
        }
        return s
    }

    static func itemList(_ list: [IntelligenceItem], now: Date, timeZone tz: TimeZone) -> String {
        var s = "<ul class=\"items\">"
        for i in list {
            let summary = i.summary.count > 200 ? String(i.summary.prefix(200)) + "…" : i.summary
            s += "<li data-item=\"\(LegacyHTML.escape(i.id))\"><a href=\"/intel/\(LegacyHTML.escape(i.id))\"><strong>\(LegacyHTML.escape(i.kind.label))</strong></a> "
            s += "<span class=\"tag \(i.status.rawValue)\">\(i.status.rawValue)</span>"
            if i.sensitivity == .restricted { s += "<span class=\"tag restricted\">restricted</span>" }
            if i.raisesPriority { s += "<span class=\"tag\">raises priority (\(Int(i.priorityRadiusMeters)) m)</span>" }
            s += "<div class=\"summary\">\(LegacyHTML.escape(summary))</div>"
            s += "<div class=\"meta\">\(LegacyHTML.escape(i.locationText)) · \(LegacyHTML.escape(i.source.label)) · recorded \(LegacyHTML.escape(localText(i.createdAt, timeZone: tz)))"
            s += i.isExpired(at: now) ? " · expired \(LegacyHTML.escape(localText(i.expiresAt, timeZone: tz)))" : " · expires \(LegacyHTML.escape(localText(i.expiresAt, timeZone: tz)))"
            s += "</div></li>"
        }
        return s + "</ul>"
    }

    /// A form value to put back after a refusal.
    static func value(_ form: Form?, _ name: String, _ fallback: String = "") -> String { LegacyHTML.escape(form?[name] ?? fallback) }

    static func options<E: RawRepresentable & CaseIterable>(_ type: E.Type, selected: String?, label: (E) -> String, skip: Set<String> = []) -> String where E.RawValue == String {
        E.allCases.filter { !skip.contains($0.rawValue) }.map {
            "<option value=\"\($0.rawValue)\"\($0.rawValue == selected ? " selected" : "")>\(LegacyHTML.escape(label($0)))</option>"
        }.joined()
    }

    static func newForm(viewer: Viewer, form: Form?, error: String?) -> String {
        var s = error.map { "<p class=\"error\" role=\"alert\">\(LegacyHTML.escape($0))</p>" } ?? ""
        s += """
            <p class="note">Record what residents and partners tell you about disputes that could escalate or possible retaliation. Choose
            <em>restricted</em> when the text names or identifies people: only analysts, commanders and you will read it.</p>
            <form method="post" action="/intel" class="stack" id="intel-form">\(Layout.csrfField(viewer))
            <label>Kind <select name="kind" required>\(options(IntelligenceItem.Kind.self, selected: form?["kind"], label: \.label))</select></label>
            <label>What was said (up to 2000 characters) <textarea name="summary" required maxlength="2000">\(value(form, "summary"))</textarea></label>
            <label>Place (address, block or landmark) <input type="text" name="locationText" required maxlength="300" value="\(value(form, "locationText"))"></label>
            <label>Latitude (optional, e.g. 39.0997) <input type="text" name="latitude" inputmode="decimal" value="\(value(form, "latitude"))"></label>
            <label>Longitude (optional, e.g. -94.5786) <input type="text" name="longitude" inputmode="decimal" value="\(value(form, "longitude"))"></label>
            <label>When (optional: when it happened or may happen) <input type="text" name="whenText" maxlength="200" value="\(value(form, "whenText"))"></label>
            <label>Source <select name="source" required>\(options(IntelligenceItem.Source.self, selected: form?["source"] ?? "resident", label: \.label, skip: [IntelligenceItem.Source.communityTip.rawValue]))</select></label>
            <label>Sensitivity <select name="sensitivity" required>\(options(IntelligenceItem.Sensitivity.self, selected: form?["sensitivity"] ?? "normal", label: { $0 == .normal ? "normal" : "restricted (names or identifies people)" }))</select></label>
            <label>Expires after (days) <input type="number" name="expiresDays" min="1" max="90" value="\(value(form, "expiresDays", "14"))"></label>
            <button type="submit">Record</button></form>
            """
        return s
    }

    static func detail(_ item: IntelligenceItem, viewer: Viewer, jurisdiction: Jurisdiction?, now: Date, timeZone tz: TimeZone, form: Form?, error: String?) -> String {
        var s = css
        if item.sensitivity == .restricted { s += "<p class=\"notice\">Restricted: this item may identify people. Do not copy it into other systems or share it outside the department.</p>" }
        s += "<dl class=\"facts\" id=\"item\">"
        s += "<dt>Status</dt><dd>\(item.status.rawValue)\(item.isExpired(at: now) ? " (expired)" : "")</dd>"
        s += "<dt>What was said</dt><dd id=\"summary\">\(LegacyHTML.escape(item.summary))</dd>"
        s += "<dt>Place</dt><dd>\(LegacyHTML.escape(item.locationText))\(item.latitude.map { lat in " (\(String(format: "%.5f", lat)), \(String(format: "%.5f", item.longitude ?? 0)))" } ?? "")</dd>"
        if let w = item.whenText { s += "<dt>When</dt><dd>\(LegacyHTML.escape(w))</dd>" }
        s += "<dt>Source</dt><dd>\(LegacyHTML.escape(item.source.label))</dd>"
        s += "<dt>Recorded</dt><dd>\(LegacyHTML.escape(localText(item.createdAt, timeZone: tz))) by \(LegacyHTML.escape(item.createdBy ?? "the public form"))</dd>"
        s += "<dt>Expires</dt><dd>\(LegacyHTML.escape(localText(item.expiresAt, timeZone: tz)))</dd>"
        if item.source == .communityTip {
            s += "<dt>Contact</dt><dd>\(item.contact.map(HTML.escape) ?? "anonymous")</dd>"
        }
        if let note = item.triageNote {
            s += "<dt>Triage</dt><dd>\(LegacyHTML.escape(note)) (\(LegacyHTML.escape(item.triagedBy ?? "?"))\(item.triagedAt.map { ", " + LegacyHTML.escape(localText($0, timeZone: tz)) } ?? ""))</dd>"
        }
        s += "<dt>Priority</dt><dd>\(item.raisesPriority ? "raises the priority of cells within \(Int(item.priorityRadiusMeters)) m" : "does not change priorities")</dd></dl>"
        if let lat = item.latitude, let lon = item.longitude, let jurisdiction, var canvas = MapCanvas(jurisdiction: jurisdiction, width: 360) {
            canvas.addBoundary(jurisdiction.boundary)
            canvas.addMarkers([(jurisdiction.projection.project(GeoPoint(latitude: lat, longitude: lon)), item.locationText)], layer: "intel")
            s += canvas.svg(id: "item-map", label: "Where: \(item.locationText)")
        }
        if viewer.may(.triageTips) {
            s += "<h2>Triage</h2>" + (error.map { "<p class=\"error\" role=\"alert\">\(LegacyHTML.escape($0))</p>" } ?? "")
            let status = form?["status"] ?? (item.status == .new ? "open" : item.status.rawValue)
            let raise = form.map { $0["raise"] == "on" } ?? item.raisesPriority
            s += """
                <form method="post" action="/intel/\(LegacyHTML.escape(item.id))/triage" class="stack" id="triage">\(Layout.csrfField(viewer))
                <label>Status <select name="status">\(options(IntelligenceItem.Status.self, selected: status, label: \.rawValue, skip: ["new"]))</select></label>
                <label>Note (why; required) <textarea name="note" required maxlength="2000">\(value(form, "note", item.triageNote ?? ""))</textarea></label>
                <label>Latitude (to place it on the map) <input type="text" name="latitude" inputmode="decimal" value="\(value(form, "latitude", item.latitude.map { String($0) } ?? ""))"></label>
                <label>Longitude <input type="text" name="longitude" inputmode="decimal" value="\(value(form, "longitude", item.longitude.map { String($0) } ?? ""))"></label>
                <label>Extend: expires after (days from now, optional) <input type="number" name="expiresDays" min="1" max="90" value="\(value(form, "expiresDays"))"></label>
                <label><input type="checkbox" name="raise" value="on"\(raise ? " checked" : "")> Raise this place's priority in proposals (logged)</label>
                <label>Radius (metres, 50 to 2000) <input type="number" name="radius" min="50" max="2000" value="\(value(form, "radius", String(Int(item.priorityRadiusMeters))))"></label>
                <button type="submit">Save triage</button></form>
                """
        }
        s += "<p><a href=\"/intel\">Back to intelligence</a></p>"
        return s
    }
}

/// The public community-tip pages: nothing of the internal application (no navigation, no map, nothing about
/// zones or cycles), plain language, and a clear pointer to 911 for emergencies.
enum TipPages {
    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer"><title>\(LegacyHTML.escape(title))</title><style>
        *{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1b1f24;line-height:1.45}
        header{background:#14213d;color:#fff;padding:.6rem 1rem;font-weight:bold}main{padding:1rem;max-width:40rem}
        h1{font-size:1.4rem}.emergency{border:2px solid #b00020;padding:.5rem .7rem;font-weight:bold}
        .error{background:#fde7e9;border:1px solid #b00020;padding:.5rem}.ok{background:#e6f4ea;border:1px solid #1e7e34;padding:.5rem}
        label{display:block;margin:.7rem 0}input[type=text],textarea,select{display:block;width:100%;padding:.5rem;font-size:1rem}
        textarea{min-height:8rem}button{font-size:1.05rem;padding:.6rem 1.2rem;cursor:pointer}.note{color:#555;font-size:.9rem}
        @media (max-width:600px){button{width:100%}}</style></head><body>
        <header>Report a concern to the police department</header><main><h1>\(LegacyHTML.escape(title))</h1>
        \(body)
        </main></body></html>
        """
    }

    static let emergency = "<p class=\"emergency\" role=\"note\">This form is not for emergencies. If someone is in danger or a crime is happening now, call 911.</p>"

    static func form(csrf: String, form: Form?, error: String?) -> String {
        let v = { (name: String) in LegacyHTML.escape(form?[name] ?? "") }
        let anonymous = form.map { $0["anonymous"] == "on" } ?? true
        let kinds: [(IntelligenceItem.Kind, String)] = [(.dispute, "A dispute or argument that could turn violent"), (.retaliation, "Someone may want revenge for something that happened"),
                                                        (.groupConflict, "Trouble between groups"), (.weapons, "Weapons seen or talked about"), (.other, "Something else")]
        var options = ""
        for (k, label) in kinds { options += "<option value=\"\(k.rawValue)\"\(form?["kind"] == k.rawValue ? " selected" : "")>\(LegacyHTML.escape(label))</option>" }
        return page(title: "Tell us about a concern", body: """
            \(emergency)
            <p>If you know of a dispute that could get worse, or something else that worries you about safety in your neighbourhood, you can tell the
            police department here. You do not need to give your name. Officers may visit the area to talk with people there.</p>
            \(error.map { "<p class=\"error\" role=\"alert\">\(LegacyHTML.escape($0))</p>" } ?? "")
            <form method="post" action="/tips" id="tip-form">
            <input type="hidden" name="csrf" value="\(LegacyHTML.escape(csrf))">
            <label>What kind of concern <select name="kind">\(options)</select></label>
            <label>What is happening? (required, up to 2000 characters) <textarea name="what" required maxlength="2000">\(v("what"))</textarea></label>
            <label>Where? (address, block, business or landmark; required) <input type="text" name="where" required maxlength="300" value="\(v("where"))"></label>
            <label>When? (optional) <input type="text" name="when" maxlength="200" value="\(v("when"))"></label>
            <label><input type="checkbox" name="anonymous" value="on"\(anonymous ? " checked" : "")> Stay anonymous (we will not keep any contact details)</label>
            <label>Your name and phone or email (optional, only if you are not anonymous) <input type="text" name="contact" maxlength="300" autocomplete="off" value="\(v("contact"))"></label>
            <button type="submit">Send</button></form>
            <p class="note">What you send is read by the department's crime analysts. Please do not include anything you would not want them to know.</p>
            """)
    }

    static func thanks(place: String, what: String) -> String {
        let excerpt = what.count > 200 ? String(what.prefix(200)) + "…" : what
        return page(title: "Thank you", body: """
            <p class="ok" role="status">We received your report about <strong>\(LegacyHTML.escape(place))</strong>.</p>
            <blockquote>\(LegacyHTML.escape(excerpt))</blockquote>
            <p>An analyst will read it. We may not be able to tell you what happens next.</p>
            \(emergency)
            <p><a href="/tips">Report something else</a></p>
            """)
    }

    static func tooMany() -> String {
        page(title: "Please wait a little", body: """
            <p>We have received many reports from here in the last hour, so we cannot take another one just now. Please try again later.</p>
            \(emergency)
            """)
    }
}
