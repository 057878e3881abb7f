import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastHTML
import ZoneCastReports

/// The officer's pages, built for a phone: one column, big buttons, lists instead of wide tables.
enum OfficerPages {
    static let css = """
        <style>.zonecard{border:2px solid #0057b8;border-radius:8px;padding:.6rem .8rem;margin:.8rem 0}.zonecard h2{margin-top:0}
        .big{display:block;text-align:center;background:#0057b8;color:#fff;text-decoration:none;font-size:1.15rem;font-weight:bold;padding:.8rem;border-radius:6px;margin:.6rem 0}
        .big.secondary{background:#fff;color:#0057b8;border:2px solid #0057b8}.guidance{background:#f2f4f8;border-left:4px solid #1e7e34;padding:.5rem .8rem}
        .visits{list-style:none;padding:0}.visits li{border-bottom:1px solid #ccd;padding:.4rem 0;overflow-wrap:anywhere}.zonecard p{overflow-wrap:anywhere}.facts{color:#333;font-size:.95rem}
        form.stack fieldset{border:1px solid #ccd;border-radius:6px;margin:.6rem 0}form.stack .counts label{display:flex;justify-content:space-between;align-items:center;gap:.5rem;max-width:32rem}
        form.stack .counts input[type=number]{width:6rem;flex:0 0 6rem}form.stack button[type=submit]{background:#0057b8;color:#fff;border:0;border-radius:6px;font-weight:bold;padding:.7rem 1.2rem}</style>
        """

    static let guidance = """
        <div class="guidance" id="guidance"><strong>How to patrol a zone.</strong> Short visits of about 10 to 16 minutes, at unpredictable
        times, deter longest (Koper 1995): vary when you come. The purpose is presence and relationships: talk with residents and business
        owners, check on places. This is not an enforcement operation: no citations for minor infractions.</div>
        """

    /// The "My zones" page, and how many zones it showed (for the audit log).
    static func myZones(env: WebEnvironment, viewer: Viewer, logged: PatrolVisit?) async throws -> (String, Int) {
        let now = env.clock()
        let tz = try env.timeZone()
        let jurisdiction = try env.store.jurisdiction()
        let active = try env.activeCycle()
        let zones = active?.visibleZones(for: viewer.account) ?? []
        var s = css
        if let j = jurisdiction { s += Layout.syntheticBanner(j.isSynthetic) }
        s += Layout.confidential(viewer, at: now, timeZone: tz)
        if let logged {
            s += "<p class=\"ok\" role=\"status\" id=\"logged\">Visit to \(LegacyHTML.escape(logged.zoneID)) logged: \(Int(logged.minutes.rounded())) minutes, \(LegacyHTML.escape(localText(logged.startedAt, timeZone: tz))).</p>"
            if logged.activities.minorInfractionCitations > 0 {
                s += "<p class=\"notice\" role=\"note\" id=\"non-enforcement\">You logged \(logged.activities.minorInfractionCitations) citation(s) for minor infractions. Reminder: zone patrols are for presence and relationships, not enforcement; the initiative asks officers not to cite minor infractions in zones.</p>"
            }
        }
        s += "<a class=\"big\" href=\"/patrols/new\">Log a visit</a>"
        s += guidance
        let units = viewer.account.units.sorted().map(\.name).joined(separator: ", ")
        if let active {
            s += "<p>Cycle \(LegacyHTML.escape(active.cycle.id)) ends \(LegacyHTML.escape(localText(active.cycle.endsAt, timeZone: tz))) (\(String(format: "%.0f", max(0, active.cycle.endsAt.timeIntervalSince(now)) / 3_600)) h left).</p>"
        }
        if zones.isEmpty {
            s += "<p id=\"no-zones\">No zone is assigned to your unit\(viewer.account.units.count == 1 ? "" : "s") (\(LegacyHTML.escape(units.isEmpty ? "none on your account" : units))) right now. Commanders assign units after the IRIS meeting approves the zones.</p>"
        }
        if let active, !zones.isEmpty {
            let grid: Grid? = if let j = jurisdiction { await env.surfaces.grid(for: j, cellSizeMeters: active.cycle.provenance.cellSizeMeters) } else { nil }
            let visits = try env.patrolVisitsByZone(cycleID: active.cycle.id)
            for z in zones {
                s += "<section class=\"zonecard\" data-zone=\"\(LegacyHTML.escape(z.id))\"><h2>Zone \(LegacyHTML.escape(z.id))</h2>"
                if let j = jurisdiction, let grid {
                    let box = z.zone.boundingBox, m = 300.0
                    if var canvas = MapCanvas(projection: j.projection, bounds: PlanarBoundingBox(minX: box.minX - m, minY: box.minY - m, maxX: box.maxX + m, maxY: box.maxY + m), width: 340) {
                        canvas.addZone(id: z.id, cells: z.zone.cells, grid: grid, kind: .active, link: nil)
                        s += canvas.svg(id: "map-\(z.id)", label: "Zone \(z.id)")
                    }
                }
                s += "<p>\(LegacyHTML.escape(z.explanation.text))</p>"
                s += "<p class=\"facts\">Units: \(LegacyHTML.escape(active.deployments[z.id]?.units.map(\.name).joined(separator: ", ") ?? "")). About \(String(format: "%.2f", z.zone.areaKm2)) km².</p>"
                let dosage = PatrolDosage(visits[z.id] ?? [], cycleStart: active.cycle.startsAt, cycleEnd: active.cycle.endsAt, now: now, timeZone: tz)
                s += "<p class=\"facts dosage\">This cycle, all units: \(dosage.visits) visit(s), \(String(format: "%.0f", dosage.minutes)) minutes, \(String(format: "%.0f", dosage.recommendedShare * 100)) % of them 10 to 16 minutes; longest gap without a visit \(String(format: "%.1f", dosage.longestGapHours)) h."
                if !dosage.hoursCovered.isEmpty {
                    s += " Hours already covered: \(LegacyHTML.escape(hourRanges(dosage.hoursCovered))). Come at other times too."
                }
                s += "</p>"
                s += "<a class=\"big\" href=\"/patrols/new?zone=\(LegacyHTML.escape(active.cycle.id))/\(LegacyHTML.escape(z.id))\">Log a visit to \(LegacyHTML.escape(z.id))</a>"
                s += "<a class=\"big secondary\" href=\"/zones/\(LegacyHTML.escape(active.cycle.id))/\(LegacyHTML.escape(z.id))\">Zone details</a></section>"
            }
        }
        // Picked out one cycle at a time: joining the cycles' lists first copied every visit of every officer.
        var mine: [PatrolVisit] = []
        for cycle in try env.patrolCycles() { mine += try env.patrolVisits(cycleID: cycle.cycle.id).filter { $0.officer == viewer.username } }
        mine.sort { $0.startedAt > $1.startedAt }
        s += "<h2>My recent visits</h2>"
        if mine.isEmpty {
            s += "<p>None logged yet.</p>"
        } else {
            s += "<ul class=\"visits\" id=\"my-visits\">"
            for v in mine.prefix(10) {
                let a = v.activities
                s += "<li><strong>\(LegacyHTML.escape(v.zoneID))</strong> (cycle \(LegacyHTML.escape(v.cycleID))) · \(LegacyHTML.escape(localText(v.startedAt, timeZone: tz))) · \(Int(v.minutes.rounded())) min"
                s += "<br><span class=\"facts\">\(a.communityContacts) contacts, \(a.businessChecks) business checks\(a.enforcementActions > 0 ? ", \(a.enforcementActions) enforcement action(s)" : "")</span>"
                if !v.notes.isEmpty { s += "<br><span class=\"facts\">\(LegacyHTML.escape(v.notes))</span>" }
                s += "</li>"
            }
            s += "</ul>"
        }
        return (s, zones.count)
    }

    /// Hours of the day as ranges: [14, 15, 16, 22] → "14:00-17:00, 22:00-23:00".
    static func hourRanges(_ hours: Set<Int>) -> String {
        var out: [String] = []
        var start: Int?, previous = -2
        for h in hours.sorted() {
            if h != previous + 1 { if let st = start { out.append(String(format: "%02d:00-%02d:00", st, previous + 1)) }; start = h }
            previous = h
        }
        if let st = start { out.append(String(format: "%02d:00-%02d:00", st, previous + 1)) }
        return out.joined(separator: ", ")
    }

    static func patrolForm(env: WebEnvironment, viewer: Viewer, form: Form?, preselect: String?, error: String?) throws -> String {
        let now = env.clock()
        let tz = try env.timeZone()
        var options: [(value: String, label: String)] = []
        for view in try env.patrolCycles() {
            let zones = view.visibleZones(for: viewer.account)
            for z in zones {
                options.append(("\(view.cycle.id)/\(z.id)", "\(z.id) (cycle \(view.cycle.id)\(view.status == .expired ? ", ended" : ""))"))
            }
            if !zones.isEmpty {
                options.append(("\(view.cycle.id)/\(PatrolVisit.outsideZones)", "Outside the zones: comparison patrol (cycle \(view.cycle.id))"))
            }
        }
        var s = css + (error.map { "<p class=\"error\" role=\"alert\">\(LegacyHTML.escape($0))</p>" } ?? "")
        guard !options.isEmpty else {
            return s + "<p id=\"no-zones\">No zone is assigned to your units right now, so there is nothing to log. Commanders assign units after the IRIS meeting.</p><p><a href=\"/officer\">Back to my zones</a></p>"
        }
        let selected = form?["zone"] ?? preselect
        let v = { (name: String, fallback: String) in LegacyHTML.escape(form?[name] ?? fallback) }
        s += "<form method=\"post\" action=\"/patrols\" class=\"stack\" id=\"patrol-form\">\(Layout.csrfField(viewer))"
        s += "<label>Zone <select name=\"zone\" required>"
        for o in options { s += "<option value=\"\(LegacyHTML.escape(o.value))\"\(o.value == selected ? " selected" : "")>\(LegacyHTML.escape(o.label))</option>" }
        s += "</select></label>"
        let units = viewer.account.units.sorted()
        if units.count > 1 {
            s += "<label>Unit <select name=\"unit\">"
            for u in units { s += "<option value=\"\(LegacyHTML.escape(u.name))\"\(form?["unit"] == u.name ? " selected" : "")>\(LegacyHTML.escape(u.name))</option>" }
            s += "</select></label>"
        }
        s += "<label>Start <input type=\"datetime-local\" name=\"start\" required value=\"\(v("start", localInputValue(now.addingTimeInterval(-15 * 60), timeZone: tz)))\"></label>"
        s += "<label>End <input type=\"datetime-local\" name=\"end\" required value=\"\(v("end", localInputValue(now, timeZone: tz)))\"></label>"
        s += "<p class=\"note\">About 10 to 16 minutes per visit deters longest. Times are local (\(LegacyHTML.escape(tz.identifier))).</p>"
        s += "<fieldset class=\"counts\"><legend>What you did</legend>"
        for (name, label) in [("communityContacts", "Community contacts"), ("businessChecks", "Business checks"), ("fieldInterviews", "Field interviews"),
                              ("minorCitations", "Citations for minor infractions"), ("otherCitations", "Other citations"), ("arrests", "Arrests")] {
            s += "<label>\(label) <input type=\"number\" name=\"\(name)\" min=\"0\" max=\"500\" inputmode=\"numeric\" value=\"\(v(name, "0"))\"></label>"
        }
        s += "</fieldset><label>Notes (optional) <textarea name=\"notes\" maxlength=\"2000\">\(v("notes", ""))</textarea></label>"
        s += "<button type=\"submit\">Save visit</button></form>"
        s += guidance
        s += "<p><a href=\"/officer\">Back to my zones</a></p>"
        return s
    }
}
