import Foundation
import ZoneCastCore
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastOperations
import ZoneCastAccess

/// Pages for intelligence items: the list with filters (new community tips first for analysts, expired items
/// apart), the recording form, one item with its triage form.
enum IntelligenceView {
    /// How far the item's map reaches around the place at its default view.
    static let mapMarginMeters = 500.0
    static let css: HTML = """
        <style>.items{list-style:none;padding:0;margin:.5rem 0}.items li{border:1px solid #ccd;border-radius:6px;padding:.5rem .7rem;margin:.5rem 0}
        .items .meta{color:#555;font-size:.9rem}.tag{display:inline-block;border:1px solid #889;border-radius:3px;padding:0 .3rem;font-size:.8rem;\
        margin-right:.3rem}
        .tag.restricted{border-color:#b00020;color:#b00020}.tag.new{background:#fff3cd}.filters label{display:inline-block;margin-right:1rem}
        dl.facts dt{font-weight:bold;margin-top:.4rem}dl.facts dd{margin:0 0 0 0;white-space:pre-wrap;overflow-wrap:anywhere}</style>
        """

    static func list(_ items: [IntelligenceItem], viewer: Viewer, status: IntelligenceItem.Status?, kind: IntelligenceItem.Kind?,
                     now: Date, timeZone tz: TimeZone) -> HTML {
        let statuses = IntelligenceItem.Status.allCases.map { c -> HTML in
            "<option value=\"\(c.rawValue)\"\(c == status ? " selected" : "")>\(c.rawValue)</option>"
        }
        let kinds = IntelligenceItem.Kind.allCases.map { c -> HTML in "<option value=\"\(c.rawValue)\"\(c == kind ? " selected" : "")>\(c.label)</option>" }
        let filtered = items.filter { (status == nil || $0.status == status) && (kind == nil || $0.kind == kind) }
            .sorted { $0.createdAt > $1.createdAt }
        let tips = filtered.filter { $0.status == .new && !$0.isExpired(at: now) }
        let current = filtered.filter { $0.status != .new && !$0.isExpired(at: now) }
        let expired = filtered.filter { $0.isExpired(at: now) }
        let newTips: HTML? = viewer.may(.triageTips) || !tips.isEmpty ? """
            <h2 id="new-tips">New, awaiting triage (\(tips.count))</h2>\(tips.isEmpty ? "<p>Nothing waiting.</p>" : itemList(tips, now: now, timeZone: tz))
            """ : nil
        let noCurrent: HTML = "<p>No current items\(status != nil || kind != nil ? " match the filter" : "").</p>"
        let restricted: HTML? = viewer.may(.viewAllZones) ? nil : """
            <p class="note">Restricted items (they may name people) are shown to analysts and commanders, and to whoever recorded them.</p>
            """
        let body: HTML = """
            \(css)<p><a class="button" href="/intel/new">Record new intelligence</a></p>\
            <form method="get" action="/intel" class="filters no-print"><label>Status <select name="status"><option value="">any</option>\
            \(statuses)</select></label><label>Kind <select name="kind"><option value="">any</option>\(kinds)</select></label>\
            <button type="submit">Filter</button></form>\(newTips)\
            <h2 id="current">Current (\(current.count))</h2>\(current.isEmpty ? noCurrent : itemList(current, now: now, timeZone: tz))\
            <h2 id="expired">Expired (\(expired.count))</h2>\(expired.isEmpty ? "<p>None.</p>" : itemList(expired, now: now, timeZone: tz))\
            \(restricted)
            """
        return Layout.page(title: "Intelligence", viewer: viewer, current: "/intel", body: body)
    }

    static func itemList(_ list: [IntelligenceItem], now: Date, timeZone tz: TimeZone) -> HTML {
        let items = list.map { i -> HTML in
            let summary = i.summary.count > 200 ? String(i.summary.prefix(200)) + "…" : i.summary
            let restricted: HTML? = i.sensitivity == .restricted ? "<span class=\"tag restricted\">restricted</span>" : nil
            let raises: HTML? = i.raisesPriority ? "<span class=\"tag\">raises priority (\(Int(i.priorityRadiusMeters)) m)</span>" : nil
            let expiry = "\(i.isExpired(at: now) ? "expired" : "expires") \(localText(i.expiresAt, timeZone: tz))"
            return """
                <li data-item="\(i.id)"><a href="/intel/\(i.id)"><strong>\(i.kind.label)</strong></a> \
                <span class="tag \(i.status.rawValue)">\(i.status.rawValue)</span>\(restricted)\(raises)<div class="summary">\(summary)</div>\
                <div class="meta">\(i.locationText) · \(i.source.label) · recorded \(localText(i.createdAt, timeZone: tz)) · \(expiry)</div></li>
                """
        }
        return "<ul class=\"items\">\(items)</ul>"
    }

    /// A form value to put back after a refusal (escaped where it is interpolated).
    static func value(_ form: Form?, _ name: String, _ fallback: String = "") -> String { form?[name] ?? fallback }

    static func options<E: RawRepresentable & CaseIterable>(_ type: E.Type, selected: String?, label: (E) -> String, skip: Set<String> = []) -> HTML
    where E.RawValue == String {
        let options = E.allCases.filter { !skip.contains($0.rawValue) }.map { c -> HTML in
            "<option value=\"\(c.rawValue)\"\(c.rawValue == selected ? " selected" : "")>\(label(c))</option>"
        }
        return options.joined()
    }

    static func errorNote(_ error: String?) -> HTML? {
        error.map { message -> HTML in "<p class=\"error\" role=\"alert\">\(message)</p>" }
    }

    /// The recording form, refilled from `form` after a refusal.
    static func newForm(viewer: Viewer, form: Form?, error: String?) -> HTML {
        let kinds = options(IntelligenceItem.Kind.self, selected: form?["kind"], label: \.label)
        let sources = options(IntelligenceItem.Source.self, selected: form?["source"] ?? "resident", label: \.label,
                              skip: [IntelligenceItem.Source.communityTip.rawValue])
        let sensitivities = options(IntelligenceItem.Sensitivity.self, selected: form?["sensitivity"] ?? "normal",
                                    label: { $0 == .normal ? "normal" : "restricted (names or identifies people)" })
        let body: HTML = """
            \(errorNote(error))<p class="note">Record what residents and partners tell you about disputes that could escalate or possible retaliation. Choose
            <em>restricted</em> when the text names or identifies people: only analysts, commanders and you will read it.</p>
            <form method="post" action="/intel" class="stack" id="intel-form">\(Layout.csrfField(viewer))
            <label>Kind <select name="kind" required>\(kinds)</select></label>
            <label>What was said (up to 2000 characters) <textarea name="summary" required maxlength="2000">\(value(form, "summary"))</textarea></label>
            <label>Place (address, block or landmark) <input type="text" name="locationText" required maxlength="300" \
            value="\(value(form, "locationText"))"></label>
            <label>Latitude (optional, e.g. 39.0997) <input type="text" name="latitude" inputmode="decimal" value="\(value(form, "latitude"))"></label>
            <label>Longitude (optional, e.g. -94.5786) <input type="text" name="longitude" inputmode="decimal" value="\(value(form, "longitude"))"></label>
            <label>When (optional: when it happened or may happen) <input type="text" name="whenText" maxlength="200" \
            value="\(value(form, "whenText"))"></label>
            <label>Source <select name="source" required>\(sources)</select></label>
            <label>Sensitivity <select name="sensitivity" required>\(sensitivities)</select></label>
            <label>Expires after (days) <input type="number" name="expiresDays" min="1" max="90" value="\(value(form, "expiresDays", "14"))"></label>
            <button type="submit">Record</button></form>
            """
        return Layout.page(title: "Record intelligence", viewer: viewer, current: "/intel", body: body)
    }

    /// One item: what was said, where and when, its source and triage, on a map when placed; the triage form for
    /// those who triage. `confirmation` says what was just saved.
    static func detail(_ item: IntelligenceItem, viewer: Viewer, jurisdiction: Jurisdiction?, now: Date, timeZone tz: TimeZone,
                       form: Form?, error: String?, confirmation: String? = nil) -> HTML {
        let confirmed: HTML? = confirmation.map { text -> HTML in "<p class=\"ok\" role=\"status\">\(text)</p>" }
        let restricted: HTML? = item.sensitivity == .restricted ? """
            <p class="notice">Restricted: this item may identify people. Do not copy it into other systems or share it outside the department.</p>
            """ : nil
        var map: HTML?
        if let lat = item.latitude, let lon = item.longitude, let jurisdiction {
            // The place and its streets, a few blocks each way (zoom out for the city).
            let at = jurisdiction.projection.project(GeoPoint(latitude: lat, longitude: lon))
            let frame = PlanarBoundingBox(minX: at.xMeters - 1, minY: at.yMeters - 1, maxX: at.xMeters + 1, maxY: at.yMeters + 1)
            var content = MapContent(boundary: jurisdiction.boundary)
            content.markers = [MapMarker(position: at, title: item.locationText)]
            map = PageMap.figure(id: "item-map", title: "Where: \(item.locationText)", projection: jurisdiction.projection, frame: frame,
                                 widthPixels: 360, marginMeters: Self.mapMarginMeters, content: content, zoomable: true)
        }
        let triage: HTML? = viewer.may(.triageTips) ? "<h2>Triage</h2>\(errorNote(error))\(triageForm(item, viewer: viewer, form: form))" : nil
        let body: HTML = """
            \(confirmed)\(css)\(restricted)\(facts(item, now: now, timeZone: tz))\(map)\(triage)<p><a href="/intel">Back to intelligence</a></p>
            """
        return Layout.page(title: "Intelligence: \(item.kind.label)", viewer: viewer, current: "/intel", body: body)
    }

    private static func facts(_ item: IntelligenceItem, now: Date, timeZone tz: TimeZone) -> HTML {
        let coordinates: HTML? = item.latitude.map { lat -> HTML in " (\(lat, decimals: 5), \(item.longitude ?? 0, decimals: 5))" }
        let when: HTML? = item.whenText.map { w -> HTML in "<dt>When</dt><dd>\(w)</dd>" }
        let contact: HTML? = item.source == .communityTip ? "<dt>Contact</dt><dd>\(item.contact ?? "anonymous")</dd>" : nil
        let triage: HTML? = item.triageNote.map { note -> HTML in
            let at = item.triagedAt.map { ", " + localText($0, timeZone: tz) } ?? ""
            return "<dt>Triage</dt><dd>\(note) (\(item.triagedBy ?? "?")\(at))</dd>"
        }
        let priority = item.raisesPriority ? "raises the priority of cells within \(Int(item.priorityRadiusMeters)) m" : "does not change priorities"
        return """
            <dl class="facts" id="item"><dt>Status</dt><dd>\(item.status.rawValue)\(item.isExpired(at: now) ? " (expired)" : "")</dd>\
            <dt>What was said</dt><dd id="summary">\(item.summary)</dd><dt>Place</dt><dd>\(item.locationText)\(coordinates)</dd>\(when)\
            <dt>Source</dt><dd>\(item.source.label)</dd><dt>Recorded</dt><dd>\(localText(item.createdAt, timeZone: tz)) by \
            \(item.createdBy ?? "the public form")</dd><dt>Expires</dt><dd>\(localText(item.expiresAt, timeZone: tz))</dd>\(contact)\(triage)\
            <dt>Priority</dt><dd>\(priority)</dd></dl>
            """
    }

    /// The triage form: status, note, coordinates, extension, and whether the place's priority is raised.
    private static func triageForm(_ item: IntelligenceItem, viewer: Viewer, form: Form?) -> HTML {
        let status = form?["status"] ?? (item.status == .new ? "open" : item.status.rawValue)
        let raise = form.map { $0["raise"] == "on" } ?? item.raisesPriority
        let statuses = options(IntelligenceItem.Status.self, selected: status, label: \.rawValue, skip: ["new"])
        let latitude = value(form, "latitude", item.latitude.map { String($0) } ?? "")
        let longitude = value(form, "longitude", item.longitude.map { String($0) } ?? "")
        let radius = value(form, "radius", String(Int(item.priorityRadiusMeters)))
        return """
            <form method="post" action="/intel/\(item.id)/triage" class="stack" id="triage">\(Layout.csrfField(viewer))
            <label>Status <select name="status">\(statuses)</select></label>
            <label>Note (why; required) <textarea name="note" required maxlength="2000">\(value(form, "note", item.triageNote ?? ""))</textarea></label>
            <label>Latitude (to place it on the map) <input type="text" name="latitude" inputmode="decimal" value="\(latitude)"></label>
            <label>Longitude <input type="text" name="longitude" inputmode="decimal" value="\(longitude)"></label>
            <label>Extend: expires after (days from now, optional) <input type="number" name="expiresDays" min="1" max="90" \
            value="\(value(form, "expiresDays"))"></label>
            <label><input type="checkbox" name="raise" value="on"\(raise ? " checked" : "")> Raise this place's priority in proposals (logged)</label>
            <label>Radius (metres, 50 to 2000) <input type="number" name="radius" min="50" max="2000" value="\(radius)"></label>
            <button type="submit">Save triage</button></form>
            """
    }
}
