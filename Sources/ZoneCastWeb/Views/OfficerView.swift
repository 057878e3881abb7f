import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastZoning

/// The officer's pages, built for a phone: one column, big buttons, lists instead of wide tables.
enum OfficerView {
    static let css: HTML = """
        <style>.zonecard{border:2px solid #0057b8;border-radius:8px;padding:.6rem .8rem;margin:.8rem 0}.zonecard h2{margin-top:0}
        .big{display:block;text-align:center;background:#0057b8;color:#fff;text-decoration:none;font-size:1.15rem;font-weight:bold;padding:.8rem;\
        border-radius:6px;margin:.6rem 0}
        .big.secondary{background:#fff;color:#0057b8;border:2px solid #0057b8}.guidance{background:#f2f4f8;border-left:4px solid #1e7e34;padding:.5rem .8rem}
        .visits{list-style:none;padding:0}.visits li{border-bottom:1px solid #ccd;padding:.4rem 0;overflow-wrap:anywhere}.zonecard p{overflow-wrap:anywhere}\
        .facts{color:#333;font-size:.95rem}
        form.stack fieldset{border:1px solid #ccd;border-radius:6px;margin:.6rem 0}form.stack .counts label{display:flex;justify-content:space-between;\
        align-items:center;gap:.5rem;max-width:32rem}
        form.stack .counts input[type=number]{width:6rem;flex:0 0 6rem}form.stack button[type=submit]{background:#0057b8;color:#fff;border:0;\
        border-radius:6px;font-weight:bold;padding:.7rem 1.2rem}</style>
        """

    static let guidance: HTML = "<div class=\"guidance\" id=\"guidance\">\(guidanceText)</div>"

    /// The guidance's words, for pages that repeat it per zone (the printed briefing) without repeating its id.
    static let guidanceText: HTML = """
        <strong>How to patrol a zone.</strong> Short visits of about 10 to 16 minutes, at unpredictable
        times, deter longest (Koper 1995): vary when you come. The purpose is presence and relationships: talk with residents and business
        owners, check on places. This is not an enforcement operation: no citations for minor infractions.
        """

    /// The "My zones" page.
    static func myZones(_ home: OfficerHome, viewer: Viewer) -> HTML {
        let tz = home.timeZone
        let synthetic: HTML? = home.jurisdiction.map { Layout.syntheticBanner($0.isSynthetic) }
        let cycle: HTML? = home.active.map { active -> HTML in
            let hoursLeft = max(0, active.cycle.endsAt.timeIntervalSince(home.now)) / 3_600
            return "<p>Cycle \(active.cycle.id) ends \(localText(active.cycle.endsAt, timeZone: tz)) (\(hoursLeft, decimals: 0) h left).</p>"
        }
        let units = viewer.account.units.sorted().map(\.name).joined(separator: ", ")
        let noZones: HTML? = home.zones.isEmpty ? """
            <p id="no-zones">No zone is assigned to your unit\(viewer.account.units.count == 1 ? "" : "s") \
            (\(units.isEmpty ? "none on your account" : units)) right now. Commanders assign units after the IRIS meeting approves the zones.</p>
            """ : nil
        let cards = home.active.map { active in home.cards.map { zoneCard($0, cycle: active, home: home, viewer: viewer) } } ?? []
        let body: HTML = """
            \(css)\(synthetic)\(Layout.confidential(viewer, at: home.now, timeZone: tz))\(home.logged.map { loggedNotes($0, timeZone: tz) })\
            <a class="big" href="/patrols/new">Log a visit</a>\(guidance)\(cycle)\(noZones)\(cards)<h2>My recent visits</h2>\
            \(recentVisits(home.recentVisits, timeZone: tz))\(upcoming(home, viewer: viewer))\(VisitTimer.scriptTag)
            """
        return Layout.page(title: "My zones", viewer: viewer, current: "/officer", body: body)
    }

    /// The next approved cycles' zones for this officer's units, as soon as they are deployed.
    private static func upcoming(_ home: OfficerHome, viewer: Viewer) -> HTML? {
        guard !home.upcoming.isEmpty else { return nil }
        let items = home.upcoming.flatMap { next in
            next.zones.map { z -> HTML in
                let units = next.cycle.deployments[z.id]?.units.map(\.name).joined(separator: ", ") ?? ""
                return """
                    <li data-upcoming-zone="\(z.id)"><a href="/zones/\(next.cycle.cycle.id)/\(z.id)"><strong>Zone \(z.id)</strong></a> \
                    (cycle \(next.cycle.cycle.id)) from \(PlainWords.dateTime(next.cycle.cycle.startsAt, timeZone: home.timeZone, now: home.now)) \
                    · \(units)</li>
                    """
            }
        }
        return "<h2>Next cycle</h2><ul class=\"visits\" id=\"upcoming-zones\">\(items)</ul>"
    }

    /// The confirmation of the visit just logged, with the non-enforcement reminder after minor citations.
    private static func loggedNotes(_ logged: PatrolVisit, timeZone tz: TimeZone) -> HTML {
        let citations = logged.activities.minorInfractionCitations
        let reminder: HTML? = citations == 0 ? nil : """
            <p class="notice" role="note" id="non-enforcement">You logged \(citations) citation(s) for minor infractions. Reminder: zone patrols \
            are for presence and relationships, not enforcement; the initiative asks officers not to cite minor infractions in zones.</p>
            """
        return """
            <p class="ok" role="status" id="logged">Visit to \(logged.zoneID) logged: \(Int(logged.minutes.rounded())) minutes, \
            \(localText(logged.startedAt, timeZone: tz)).</p>\(reminder)
            """
    }

    private static func zoneCard(_ card: OfficerHome.ZoneCard, cycle active: CycleView, home: OfficerHome, viewer: Viewer) -> HTML {
        let z = card.zone, d = card.dosage
        var map: HTML?
        if let j = home.jurisdiction, let grid = home.grid {
            // A phone-sized map of the zone's blocks with its surroundings (no zoom links: the zone page has them).
            let content = MapContent(lattice: PageMap.lattice(grid), boundary: j.boundary,
                                     zones: [MapZone(id: z.id, label: z.id, cells: z.zone.cells, status: .active)])
            map = PageMap.figure(id: "map-\(z.id)", title: "Zone \(z.id)", projection: j.projection, frame: z.zone.boundingBox, widthPixels: 340,
                                 marginMeters: 300, content: content, zoomable: false)
        }
        let covered: HTML? = d.hoursCovered.isEmpty ? nil : " Hours already covered: \(hourRanges(d.hoursCovered)). Come at other times too."
        let location: HTML? = card.locationDescription.map { "<p class=\"where\" id=\"where-\(z.id)\"><strong>Where:</strong> \($0)</p>" }
        return """
            <section class="zonecard" data-zone="\(z.id)"><h2>Zone \(z.id)</h2>\(map)\(location)<p>\(z.explanation.text)</p>\
            <p class="facts">Units: \(card.units.map(\.name).joined(separator: ", ")). About \(z.zone.areaKm2, decimals: 2) km².</p>\
            <p class="facts dosage">This cycle, all units: \(d.visits) visit(s), \(d.minutes, decimals: 0) minutes, \
            \(d.recommendedShare * 100, decimals: 0) % of them 10 to 16 minutes; longest gap without a visit \(d.longestGapHours, decimals: 1) h.\
            \(covered)</p>\(VisitTimer.widget(zone: "\(active.cycle.id)/\(z.id)", label: z.id, timeZone: home.timeZone, viewer: viewer))\
            <a class="big" href="/patrols/new?zone=\(active.cycle.id)/\(z.id)">Log a visit to \(z.id)</a>\
            <a class="big secondary" href="/zones/\(active.cycle.id)/\(z.id)">Zone details</a></section>
            """
    }

    private static func recentVisits(_ visits: [PatrolVisit], timeZone tz: TimeZone) -> HTML {
        guard !visits.isEmpty else { return "<p>None logged yet.</p>" }
        let items = visits.map { v -> HTML in
            let a = v.activities
            let enforcement = a.enforcementActions > 0 ? ", \(a.enforcementActions) enforcement action(s)" : ""
            let notes: HTML? = v.notes.isEmpty ? nil : "<br><span class=\"facts\">\(v.notes)</span>"
            return """
                <li><strong>\(v.zoneID)</strong> (cycle \(v.cycleID)) · \(localText(v.startedAt, timeZone: tz)) · \(Int(v.minutes.rounded())) min\
                <br><span class="facts">\(a.communityContacts) contacts, \(a.businessChecks) business checks\(enforcement)</span>\(notes)\
                <br><a href="/patrols/\(v.id)/edit" class="correct">Correct this visit</a></li>
                """
        }
        return "<ul class=\"visits\" id=\"my-visits\">\(items)</ul>"
    }

    /// Hours of the day as ranges: [14, 15, 16, 22] → "14:00-17:00, 22:00-23:00".
    static func hourRanges(_ hours: Set<Int>) -> String {
        var out: [String] = []
        var start: Int?, previous = -2
        for h in hours.sorted() {
            if h != previous + 1 {
                if let st = start { out.append(String(format: "%02d:00-%02d:00", st, previous + 1)) }
                start = h
            }
            previous = h
        }
        if let st = start { out.append(String(format: "%02d:00-%02d:00", st, previous + 1)) }
        return out.joined(separator: ", ")
    }

    /// The patrol log form, refilled from `form` after a refusal.
    static func patrolForm(_ choices: PatrolFormChoices, viewer: Viewer, form: Form?, preselect: String?, error: String?,
                           action: String = "/patrols") -> HTML {
        let errorNote: HTML? = error.map { message -> HTML in "<p class=\"error\" role=\"alert\">\(message)</p>" }
        guard !choices.zones.isEmpty else {
            return page("""
                \(css)\(errorNote)<p id="no-zones">No zone is assigned to your units right now, so there is nothing to log. Commanders assign units \
                after the IRIS meeting.</p><p><a href="/officer">Back to my zones</a></p>
                """, viewer: viewer)
        }
        let tz = choices.timeZone, now = choices.now
        let selected = form?["zone"] ?? preselect
        func value(_ name: String, _ fallback: String) -> String { form?[name] ?? fallback }
        let zones = choices.zones.map { o -> HTML in "<option value=\"\(o.value)\"\(o.value == selected ? " selected" : "")>\(o.label)</option>" }
        let units = choices.units.map { u -> HTML in "<option value=\"\(u.name)\"\(form?["unit"] == u.name ? " selected" : "")>\(u.name)</option>" }
        let unit: HTML? = choices.units.count > 1 ? "<label>Unit <select name=\"unit\">\(units)</select></label>" : nil
        let counts = [("communityContacts", "Community contacts"), ("businessChecks", "Business checks"), ("fieldInterviews", "Field interviews"),
                      ("minorCitations", "Citations for minor infractions"), ("otherCitations", "Other citations"), ("arrests", "Arrests")]
            .map { name, label -> HTML in
                "<label>\(label) <input type=\"number\" name=\"\(name)\" min=\"0\" max=\"500\" inputmode=\"numeric\" value=\"\(value(name, "0"))\"></label>"
            }
        let start = value("start", localInputValue(now.addingTimeInterval(-15 * 60), timeZone: tz)), end = value("end", localInputValue(now, timeZone: tz))
        return page("""
            \(css)\(errorNote)<form method="post" action="\(action)" class="stack" id="patrol-form">\(Layout.csrfField(viewer))\
            <label>Zone <select name="zone" required>\(zones)</select></label>\(unit)\
            <label>Start <input type="datetime-local" name="start" required value="\(start)"></label>\
            <label>End <input type="datetime-local" name="end" required value="\(end)"></label>\
            <p class="note">About 10 to 16 minutes per visit deters longest. Times are local (\(tz.identifier)).</p>\
            <fieldset class="counts"><legend>What you did</legend>\(counts)</fieldset>\
            <label>Notes (optional) <textarea name="notes" maxlength="2000">\(value("notes", ""))</textarea></label>\
            <button type="submit">Save visit</button></form>\(guidance)<p><a href="/officer">Back to my zones</a></p>
            """, viewer: viewer)
    }

    private static func page(_ body: HTML, viewer: Viewer) -> HTML {
        Layout.page(title: "Log a visit", viewer: viewer, current: "/officer", body: body)
    }
}
