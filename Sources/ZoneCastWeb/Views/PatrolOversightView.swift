import Foundation
import ZoneCastCore
import ZoneCastHTML
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastServices

/// How the pages show dosage and the monitor: the zone page's sections, the IRIS agenda's table and the
/// dashboard's card.
enum PatrolOversightView {
    static func pct(_ x: Double?) -> String { x.map { FixedText.fixed($0 * 100, 0) + " %" } ?? "n/a" }
    static func num(_ x: Double, _ digits: Int = 2) -> String { FixedText.fixed(x, digits) }

    /// An element id, made unique on a page that shows several zones' sections (the oversight pages) by the zone's
    /// id: "dosage-flags" on the zone page, "dosage-flags-Z2" on /oversight/dosage.
    static func elementID(_ base: String, zone: String?) -> String { zone.map { "\(base)-\($0)" } ?? base }

    /// The zone page's dosage section: cards, low-patrol flags, the 24-hour chart and the gaps. `idZone`: set where
    /// several zones' sections share a page (`elementID`).
    static func dosageSection(_ d: ZoneDosage, report r: CyclePatrolOversight, timeZone tz: TimeZone, idZone: String? = nil) -> HTML {
        func id(_ base: String) -> String { elementID(base, zone: idZone) }
        let flags: HTML = d.flags.isEmpty ? "<p class=\"ok\" id=\"\(id("dosage-flags"))\">No low-patrol flag.</p>" : """
            <div class="error" id="\(id("dosage-flags"))"><strong>Little patrol:</strong><ul>\
            \(d.flags.map { f -> HTML in "<li data-flag=\"\(f.kind.rawValue)\">\(f.text)</li>" })</ul></div>
            """
        let uncoveredHours = d.topUncoveredHours.map { String(format: "%02d:00", $0) }.joined(separator: ", ")
        let uncovered: HTML? = d.topUncoveredHours.isEmpty ? nil : " Hours with the most harm and no patrol yet: \(uncoveredHours)."
        let gaps: HTML? = d.gapsHours.count <= 1 ? nil : """
            <p class="note" id="\(id("gaps"))">Gaps between visits (hours, in order, from the cycle start to now): \
            \(d.gapsHours.map { num($0, 1) }.joined(separator: ", ")); 90th percentile \(num(d.p90GapHours, 1)) h.</p>
            """
        let a = d.activities
        let counts = [a.communityContacts, a.businessChecks, a.fieldInterviews, a.minorInfractionCitations, a.otherCitations, a.arrests]
        let activities = HTML.table(header: ["community contacts", "business checks", "field interviews", "minor-infraction citations",
                                             "other citations", "arrests"], rows: [counts.map(String.init)], leftColumns: 0)
        return """
            <h2>Patrol dosage this cycle</h2><div id="\(id("dosage"))">\(dosageCards(d))\(flags)\
            <p class="note">Thresholds: \(d.thresholds.description). Koper (1995): visits of 10 to 16 minutes, at unpredictable times, \
            deter longest.</p>\(hourChart(harm: d.harmByHour, presence: d.presenceMinutesByHour, id: id("hour-chart")))\
            <p class="note" id="\(id("hour-chart-note"))">Bars: the zone's harm by hour of the day, from its incidents of \
            \(localText(r.harmProfileFrom, timeZone: tz)) to \(localText(r.harmProfileTo, timeZone: tz)) (the forecast's training period; \
            police-initiated records left out; each weighted by its category's harm). Dots: patrol minutes in each hour this cycle \
            (highest \(num(d.presenceMinutesByHour.max() ?? 0, 0)) min); a dash under an hour: no patrol in it yet.</p>\
            <p>Hours with patrol presence: \(Oversight.hourRanges(d.hoursCovered)).\(uncovered)</p>\(gaps)\(activities)</div>
            """
    }

    static func dosageCards(_ d: ZoneDosage) -> HTML {
        """
        <div class="cards"><div class="card"><div class="n">\(d.visits)</div><div>visits (\(num(d.visitsPerDay, 1)) a day)</div></div>\
        <div class="card"><div class="n">\(num(d.minutes, 0))</div><div>minutes</div></div>\
        <div class="card"><div class="n">\(d.visits == 0 ? "-" : pct(d.recommendedShare))</div><div>of visits 10-16 min</div></div>\
        <div class="card"><div class="n">\(num(d.longestGapHours, 1)) h</div><div>longest gap (median \(num(d.medianGapHours, 1)) h)</div></div>\
        <div class="card"><div class="n">\(d.hoursCovered.count)/24</div><div>hours of the day covered</div></div>\
        <div class="card"><div class="n">\(pct(d.harmHourCoverage))</div><div>of the zone's harm falls in covered hours</div></div>\
        <div class="card"><div class="n">\(d.activities.relationshipActions):\(d.activities.enforcementActions)</div>\
        <div>contacts &amp; checks : enforcement</div></div></div>
        """
    }

    /// A 24-hour chart: the zone's past harm by hour of the day (bars, scaled to the busiest hour) against the patrol
    /// minutes this cycle in each hour (a line of dots, scaled to the most patrolled hour).
    static func hourChart(harm: [Double], presence: [Double], id: String = "hour-chart") -> HTML {
        let w = 520.0, h = 180.0, left = 10.0, bottom = 28.0, top = 14.0
        let bw = (w - left * 2) / 24
        let peakHarm = max(harm.max() ?? 0, 1e-9), peakPresence = max(presence.max() ?? 0, 1e-9)
        let plot = h - bottom - top
        func f1(_ x: Double) -> String { FixedText.fixed(x, 1) }
        let hours = (0..<24).map { k -> HTML in
            let x = left + Double(k) * bw
            let hh = harm[safe: k] / peakHarm * plot
            let hour = FixedText.twoDigits(k)
            let bar: HTML = """
                <rect class="harm" data-hour="\(k)" x="\(f1(x + 1))" y="\(f1(h - bottom - hh))" width="\(f1(bw - 2))" height="\(f1(hh))" \
                fill="#b00020" opacity="0.6"><title>\(hour):00 harm \(FixedText.fixed(harm[safe: k], 0))</title></rect>
                """
            let p = presence[safe: k]
            let mark: HTML
            if p > 0 {
                let y = h - bottom - p / peakPresence * plot
                mark = """
                    <circle class="presence" data-hour="\(k)" cx="\(f1(x + bw / 2))" cy="\(f1(y))" r="3.5" fill="#14213d">\
                    <title>\(hour):00 patrol \(FixedText.fixed(p, 0)) min</title></circle>
                    """
            } else {
                mark = """
                    <line x1="\(f1(x + 3))" x2="\(f1(x + bw - 3))" y1="\(f1(h - bottom + 3))" y2="\(f1(h - bottom + 3))" stroke="#14213d" \
                    stroke-width="2"><title>\(hour):00 no patrol</title></line>
                    """
            }
            let label: HTML? = k % 3 == 0 ? "<text x=\"\(f1(x + 1))\" y=\"\(f1(h - 8))\">\(hour)</text>" : nil
            return "\(bar)\(mark)\(label)"
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" id="\(id)" role="img" aria-label="Harm by hour of the day against patrol presence by hour" \
            viewBox="0 0 \(Int(w)) \(Int(h))" width="\(Int(w))" height="\(Int(h))" font-family="sans-serif" font-size="10">\
            <rect x="10" y="2" width="10" height="8" fill="#b00020" opacity="0.6"/><text x="24" y="10">past harm (harm-weighted)</text>\
            <circle cx="185" cy="6" r="3.5" fill="#14213d"/><text x="192" y="10">patrol minutes this cycle</text>\(hours)</svg>
            """
    }

    /// The zone page's non-enforcement section (roles that see oversight).
    static func enforcementSection(_ e: ZoneEnforcement, timeZone tz: TimeZone, idZone: String? = nil) -> HTML {
        func id(_ base: String) -> String { elementID(base, zone: idZone) }
        let alerts: HTML = e.alerts.isEmpty ? "<p class=\"ok\" id=\"\(id("enforcement-alerts"))\">No enforcement alert.</p>" : """
            <div class="error" id="\(id("enforcement-alerts"))"><strong>Enforcement above threshold</strong> \
            (on live data commanders get a notice, once per zone and day; an exercise raises none):<ul>\
            \(e.alerts.map { a -> HTML in "<li>\(a.text)</li>" })</ul></div>
            """
        func row(_ label: String, _ r: EnforcementRates) -> [String] {
            [label, num(r.patrolHours, 1), num(r.minorCitationsPerHour), num(r.fieldInterviewsPerHour), num(r.arrestsPerHour),
             num(r.contactsPerHour), r.contactsToEnforcement]
        }
        var rows = [row("zone, all units", e.overall)]
        for u in e.units {
            rows.append(row("\(u.unit) in the zone", u.inZone))
            let outside = "\(u.unit) outside zones"
            rows.append(u.outside.map { row(outside, $0) } ?? [outside, "no outside-zone patrol logged", "", "", "", "", ""])
        }
        let rates = HTML.table(header: ["who", "patrol hours", "minor citations / h", "field interviews / h", "arrests / h", "contacts & checks / h",
                                        "contacts : enforcement"], rows: rows)
        let noOutside: HTML? = e.outside != nil ? nil : """
            <p class="note">No outside-zone patrol logged by these units this cycle: there is nothing to compare their zone rates with. \
            Visits logged with the zone "outside" (or none) count as outside-zone patrol.</p>
            """
        return """
            <h2 id="\(id("enforcement"))">Non-enforcement monitor</h2><div id="\(id("enforcement-monitor"))">\(alerts)\
            <p>Contacts and checks to enforcement actions: <strong id="\(id("contacts-ratio"))">\(e.overall.contactsToEnforcement)</strong>.</p>\
            <div id="\(id("enforcement-rates"))">\(rates)</div>\(noOutside)\(e.policeActivity.map { policeActivity($0, id: id("police-initiated")) })\
            <p class="note">Thresholds: \(e.thresholds.description). Admins change them on the alert settings page \
            (<a href="/settings/alerts">/settings/alerts</a>); \(EnforcementThresholds.minorPerHourVariable) and \
            \(EnforcementThresholds.ratioVariable) in the server's environment are only the defaults until then.</p></div>
            """
    }

    static func policeActivity(_ p: PoliceActivityChange, id: String = "police-initiated") -> HTML {
        let ratio: String = p.ratio.map { ", \(num($0)) times" } ?? ""
        return """
            <p id="\(id)">Recorded police-initiated activity inside the zone: \(p.during) record(s) in the \(num(p.days, 1)) \
            days of the cycle so far (\(num(p.duringPerDay)) a day) against \(p.before) in the \(num(p.days, 1)) days before it \
            (\(num(p.beforePerDay)) a day)\(ratio).</p><p class="note">A different measure from the rates above: incidents flagged \
            police-initiated in the imported records (stops, warrant arrests, finds), per day, whoever recorded them; it shows whether \
            recorded enforcement in the place changed once it became a zone.</p>
            """
    }

    /// The IRIS agenda section: low-patrol flags and enforcement alerts for each zone of the cycle in force.
    static func agendaSection(_ r: CyclePatrolOversight?, headingLevel h: Int = 2) -> HTML {
        let heading: HTML = "<h\(h) id=\"patrol-oversight\">Patrol dosage and enforcement in the zones in force</h\(h)>"
        guard let r else { return "\(heading)<p>No cycle was in force.</p>" }
        guard !r.zones.isEmpty else { return "\(heading)<p>Cycle \(r.cycleID) has no zones.</p>" }
        let rows = r.zones.map { z -> HTML in
            let d = z.dosage, e = z.enforcement
            let low: HTML = d.flags.isEmpty ? "-" : "<span class=\"low-patrol\">\(d.flags.map(\.text).joined(separator: "; "))</span>"
            let alerts: HTML = e.alerts.isEmpty ? "-" : "<span class=\"enforcement-alert\">\(e.alerts.map(\.text).joined(separator: "; "))</span>"
            return """
                <tr data-zone-row="\(z.zoneID)"><td class="l"><a href="/zones/\(r.cycleID)/\(z.zoneID)">\(z.zoneID)</a></td>\
                <td>\(d.visits)</td><td>\(num(d.visitsPerDay, 1))</td><td>\(d.visits == 0 ? "-" : pct(d.recommendedShare))</td>\
                <td>\(num(d.longestGapHours, 1)) h</td><td>\(pct(d.harmHourCoverage))</td><td class="l">\(low)</td>\
                <td>\(e.overall.contactsToEnforcement)</td><td class="l">\(alerts)</td></tr>
                """
        }
        let flagged = r.zones.filter { $0.dosage.flagged }.count, alerted = r.zones.filter { $0.enforcement.alerted }.count
        return """
            \(heading)<table id="agenda-dosage"><thead><tr><th class="l">zone</th><th>visits</th><th>a day</th><th>10-16 min</th>\
            <th>longest gap</th><th>harm in covered hours</th><th class="l">low patrol</th><th>contacts : enforcement</th>\
            <th class="l">enforcement alerts</th></tr></thead><tbody>\(rows)</tbody></table>\
            <p>Cycle \(r.cycleID): \(flagged) zone(s) flagged for little patrol, \(alerted) with an enforcement alert.</p>\
            <p class="note">Low patrol is \(r.dosageThresholds.description); \(r.enforcementThresholds.description).</p>
            """
    }

    /// The dashboard's headline card: relationship actions to enforcement actions in the cycle in force.
    static func contactsRatioCard(cycleID: String, activities a: PatrolActivities, visits: Int) -> HTML {
        let ratio = a.enforcementActions > 0
            ? String(format: "%.1f contacts per enforcement action", Double(a.relationshipActions) / Double(a.enforcementActions))
            : (a.relationshipActions > 0 ? "no enforcement action" : "nothing logged yet")
        return """
            <div class="cards" id="contacts-enforcement"><div class="card"><div class="n">\(a.relationshipActions) : \(a.enforcementActions)</div>\
            <div>community contacts &amp; business checks : enforcement actions in the zones, cycle \(cycleID)</div>\
            <div class="note">\(ratio); \(visits) visit(s)</div></div></div>
            """
    }
}

extension Array where Element == Double {
    fileprivate subscript(safe k: Int) -> Double { indices.contains(k) ? self[k] : 0 }
}
