import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastOversight

/// The outcomes page: figures, the forest chart and, for roles that may see zone locations, the map.
enum OutcomesView {
    /// The page; `results` is nil while no approved cycle can be measured.
    static func page(viewer: Viewer, isSynthetic: Bool, confidential: HTML?, bufferMeters: Double, results: HTML?) -> HTML {
        Layout.page(title: "Outcomes", viewer: viewer, current: "/outcomes", body: """
            \(Layout.syntheticBanner(isSynthetic))\(confidential)<form method="get" action="/outcomes" class="no-print">\
            <label>Buffer ring width (metres, 100-2000) <input type="number" name="buffer" min="100" max="2000" step="50" \
            value="\(number(bufferMeters))"></label> <button>Recompute</button></form>\(results ?? empty)
            """)
    }

    static let empty: HTML = "<p id=\"outcomes-empty\">No approved cycle has been in force yet, so there is nothing to measure.</p>"

    /// Everything under the form: the figures, the chart, each place, the map (when `map` is given) and the method.
    /// `cycleStarts`: each cycle's start by id, to name places by cycle date and zone label rather than by cycle id.
    static func results(_ r: OutcomesReport, settings: OutcomeSettings, otherGrid: [String], map: (grid: Grid, jurisdiction: Jurisdiction)?,
                        timeZone tz: TimeZone, cycleStarts: [String: Date] = [:]) -> HTML {
        let names = Dictionary(r.places.map { ($0.id, placeName($0.id, start: $0.start, timeZone: tz, now: r.generatedAt)) }, uniquingKeysWith: { a, _ in a })
        let measured: HTML
        if r.places.isEmpty {
            measured = empty
        } else {
            let mapSection: HTML = map.map { m -> HTML in "<h2>Map</h2>\(zoneMap(r, grid: m.grid, jurisdiction: m.jurisdiction))" }
                ?? "<p class=\"note\" id=\"no-map\">Zone locations are confidential: your role sees the figures, not the map.</p>"
            measured = """
                <h2>All places together</h2>\(cumulative(r))<h2>Each place against its comparison places</h2><p class="note">Violent \
                incidents: (zone during ÷ before) ÷ (comparison places during ÷ before), with the \(Int((settings.confidence * 100).rounded())) \
                % interval; below 1 the zone did better.</p>\(chart(r, names: names))\(placesTable(r, timeZone: tz, cycleStarts: cycleStarts))\(mapSection)
                """
        }
        let notRun: HTML? = r.cyclesNotRun.isEmpty ? nil : """
            <p class="note">Approved but never in force before now (not measured): \(r.cyclesNotRun.joined(separator: ", ")).</p>
            """
        let other: HTML? = otherGrid.isEmpty ? nil : """
            <p class="note">Recorded on another grid cell size and left out: \(otherGrid.joined(separator: ", ")).</p>
            """
        return """
            \(measured)\(notRun)\(other)<h2>How these figures are made</h2><p id="outcomes-method">\(OutcomesReport.methodText)</p>\
            <p class="note">Before period: the same number of days immediately before each place first became a zone. Buffer ring: \
            \(number(settings.bufferMeters)) m. Comparison places per zone: \(settings.comparisonsPerZone). Fewer than \
            \(settings.minimumEvents) incidents in a zone over both periods: too few to say. Police-initiated records in these places \
            left out: \(r.policeInitiatedExcluded).</p>
            """
    }

    static func number(_ v: Double, digits: Int = 0) -> String {
        guard v.isFinite else { return "—" }
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.minimumFractionDigits = digits
        f.maximumFractionDigits = digits
        f.locale = Locale(identifier: "en_US")
        return f.string(from: NSNumber(value: v)) ?? String(v)
    }

    /// An estimate as a table cell: the interval first, then the effect only when the interval is informative
    /// (`OutcomeHeadline`: it spans at most a factor of 4), else "too uncertain to say"; with too few incidents for an
    /// interval, "too few incidents to say". The counts are in their own columns, so only the verdict is taken here.
    static func change(_ e: ChangeEstimate) -> HTML {
        guard e.status == .estimated, let lower = e.lower, let upper = e.upper else {
            return "<span class=\"too-few\" title=\"\(e.reason)\">too few incidents to say</span>"
        }
        let verdict = Oversight.headline(during: 0, before: 0, estimate: e)
        let interval = "\(Int((e.confidence * 100).rounded())) % CI \(Oversight.percent(lower)) to \(Oversight.percent(upper))"
        guard verdict.informative else { return "\(interval): <span class=\"too-few\">too uncertain to say</span>" }
        return "\(interval): <strong>\(verdict.headline)</strong>\(e.isSignificant ? " *" : "")"
    }

    /// The headline card of zones against comparison places: the counts and the interval lead, and the effect is
    /// large only when the interval is informative (a bold "−32 %" on a few incidents would mislead).
    static func headlineCard(_ r: OutcomesReport) -> HTML {
        let c = r.cumulative
        let h = Oversight.headline(during: c.zone.violentDuring, before: c.zone.violentBefore, estimate: c.violentVersusComparison)
        let figure: HTML = h.informative ? "<div class=\"n\">\(h.headline)</div>" : "<div class=\"too-few\">\(h.headline)</div>"
        return """
            <div class="card" id="outcomes-headline" data-informative="\(h.informative ? "yes" : "no")"><div>\(h.detail)</div>\(figure)\
            violent incidents in zones against comparison places</div>
            """
    }

    /// "Z1, cycle from Sat 1 Jun, 05:00" for the place "C-…/Z1" that began with that cycle's start.
    static func placeName(_ id: String, start: Date, timeZone tz: TimeZone, now: Date) -> String {
        let label = id.split(separator: "/").last.map(String.init) ?? id
        return "\(label), cycle from \(PlainWords.dateTime(start, timeZone: tz, now: now))"
    }

    /// Each cycle's zone of a place, named by the cycle's start: "Z1 (Sat 1 Jun)"; an unknown cycle keeps its id.
    static func cycleZoneName(_ cycleZone: String, cycleStarts: [String: Date], timeZone tz: TimeZone, now: Date) -> String {
        let parts = cycleZone.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let start = cycleStarts[parts[0]] else { return cycleZone }
        return "\(parts[1]) (\(PlainWords.day(start, timeZone: tz, now: now)))"
    }

    static func wdq(_ w: WeightedDisplacementQuotient, measurable: Bool) -> HTML {
        guard measurable else { return "<span class=\"too-few\">too few incidents to say</span>" }
        guard let q = w.quotient else { return "<span title=\"\(w.problems.joined(separator: "; "))\">undefined</span>" }
        return "\(number(q, digits: 2)) <span class=\"note\">(\(w.reading.text))</span>"
    }

    /// `unit` follows a figure, never the verdict ("too few incidents to say incidents" was the old reading).
    static func tne(_ w: WeightedDisplacementQuotient, measurable: Bool, digits: Int = 1, unit: String? = nil) -> String {
        guard measurable else { return "too few incidents to say" }
        return w.totalNetEffect.map { ($0 > 0 ? "+" : "") + number($0, digits: digits) + (unit.map { " \($0)" } ?? "") } ?? "undefined"
    }

    /// The cumulative figures as cards and a table of counts and estimates.
    static func cumulative(_ r: OutcomesReport) -> HTML {
        let c = r.cumulative
        let counts = [("zones", c.zone), ("buffer rings", c.buffer), ("comparison places", c.comparison)].map { name, a -> HTML in
            """
            <tr><td class="l">\(name)</td><td>\(a.violentBefore)</td><td>\(a.violentDuring)</td><td>\(number(a.harmBefore))</td>\
            <td>\(number(a.harmDuring))</td><td>\(a.incidentsBefore)</td><td>\(a.incidentsDuring)</td></tr>
            """
        }
        let problems = Set((c.violentWDQMeasurable ? c.violentWDQ.problems : []) + (c.harmWDQMeasurable ? c.harmWDQ.problems : [])).sorted()
        let problemList: HTML? = problems.isEmpty
            ? nil : "<ul class=\"note\" id=\"wdq-problems\">\(problems.map { p -> HTML in "<li>\(p)</li>" })</ul>"
        let success = [c.violentWDQ, c.harmWDQ].map { $0.successMeasure.map { number($0, digits: 3) } ?? "undefined" }
        return """
            <div class="cards" id="outcomes-cards"><div class="card"><div class="n">\(r.places.count)</div>places patrolled, \
            \(number(r.treatedDays, digits: 1)) zone-days</div><div class="card"><div class="n">\(c.zone.violentBefore) → \
            \(c.zone.violentDuring)</div>violent incidents in zones, before → during</div>\(headlineCard(r))<div class="card"><div class="n">\
            \(wdq(c.violentWDQ, measurable: c.violentWDQMeasurable))</div>weighted displacement quotient (violent)</div>\
            <div class="card"><div class="n">\(tne(c.violentWDQ, measurable: c.violentWDQMeasurable))</div>total net effect (violent \
            incidents prevented, net)</div></div><table id="outcomes-counts"><thead><tr><th class="l">area</th><th>violent before</th>\
            <th>violent during</th><th>harm before</th><th>harm during</th><th>incidents before</th><th>incidents during</th></tr></thead>\
            <tbody>\(counts)</tbody></table><table id="outcomes-estimates"><thead><tr><th class="l">measure</th>\
            <th class="l">violent incidents</th><th class="l">harm</th></tr></thead><tbody><tr><td class="l">zones, during against before\
            </td><td class="l">\(change(c.violentBeforeDuring))</td><td class="l">\(change(c.harmBeforeDuring))</td></tr><tr><td class="l">\
            zones against comparison places (difference in differences)</td><td class="l">\(change(c.violentVersusComparison))</td>\
            <td class="l">\(change(c.harmVersusComparison))</td></tr><tr><td class="l">success measure R<sub>a</sub>/C<sub>a</sub> − \
            R<sub>b</sub>/C<sub>b</sub></td><td class="l">\(success[0])</td><td class="l">\(success[1])</td></tr><tr><td class="l">\
            weighted displacement quotient</td><td class="l">\(wdq(c.violentWDQ, measurable: c.violentWDQMeasurable))</td><td class="l">\
            \(wdq(c.harmWDQ, measurable: c.harmWDQMeasurable))</td></tr><tr><td class="l">total net effect (prevented, net of \
            displacement)</td><td class="l">\(tne(c.violentWDQ, measurable: c.violentWDQMeasurable, unit: "incidents"))</td><td class="l">\
            \(tne(c.harmWDQ, measurable: c.harmWDQMeasurable, digits: 0, unit: "harm"))</td></tr></tbody></table>\(problemList)\
            <p class="note">Effects are given only when the interval is informative (its upper end at most \
            \(Int(OutcomeHeadline.maxIntervalRatioDefault)) times its lower end); * the interval excludes no change. Harm is in days of the \
            harm index; intervals are \
            \(Int((r.settings.confidence * 100).rounded())) %.</p>
            """
    }

    /// One row per place.
    static func placesTable(_ r: OutcomesReport, timeZone tz: TimeZone, cycleStarts: [String: Date] = [:]) -> HTML {
        let rows = r.places.map { p -> HTML in
            let e = p.estimates
            let were = p.cellsTreatedBefore == 1 ? " was" : "s were"
            let note: HTML? = p.cellsTreatedBefore > 0 ? """
                <br><span class="note">\(p.cellsTreatedBefore) cell\(were) patrolled in another zone during the before period</span>
                """ : nil
            let cycles = p.cycleZones.map { cycleZoneName($0, cycleStarts: cycleStarts, timeZone: tz, now: r.generatedAt) }.joined(separator: ", ")
            return """
                <tr data-place="\(p.id)"><td class="l" title="\(p.id)">\(placeName(p.id, start: p.start, timeZone: tz, now: r.generatedAt))\(note)</td>\
                <td class="l">\(cycles)</td>\
                <td class="l">\(localText(p.start, timeZone: tz)) to \(localText(p.end, timeZone: tz))</td><td>\(number(p.days, digits: 1))</td>\
                <td>\(p.cells.count)</td><td>\(number(p.forecast, digits: 1)) / \(number(p.comparisonForecastMean, digits: 1))</td>\
                <td>\(e.zone.violentBefore) → \(e.zone.violentDuring)</td><td class="l">\(change(e.violentBeforeDuring))</td>\
                <td class="l">\(change(e.violentVersusComparison))</td><td class="l">\(change(e.harmVersusComparison))</td>\
                <td>\(e.buffer.violentBefore) → \(e.buffer.violentDuring)</td><td class="l">\(wdq(e.violentWDQ, measurable: e.violentWDQMeasurable))</td>\
                <td>\(tne(e.violentWDQ, measurable: e.violentWDQMeasurable))</td></tr>
                """
        }
        return """
            <table id="outcomes-places"><thead><tr><th class="l">place</th><th class="l">cycles</th><th class="l">in force</th><th>days</th>\
            <th>cells</th><th>forecast (zone / comparison mean)</th><th>violent before → during</th><th class="l">zone change</th>\
            <th class="l">against comparison</th><th class="l">harm against comparison</th><th>buffer violent before → during</th>\
            <th class="l">WDQ</th><th>net effect</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }
}
