import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOversight
import ZoneCastHTML
import ZoneCastReports

/// The outcomes page's pieces: figures, the forest chart and the map. Everything from data is escaped.
enum OutcomesPage {
    static func number(_ v: Double, digits: Int = 0) -> String {
        guard v.isFinite else { return "—" }
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.minimumFractionDigits = digits
        f.maximumFractionDigits = digits
        f.locale = Locale(identifier: "en_US")
        return f.string(from: NSNumber(value: v)) ?? String(v)
    }

    static func change(_ e: ChangeEstimate) -> String {
        guard e.status == .estimated else {
            return "<span class=\"too-few\" title=\"\(LegacyHTML.escape(e.reason))\">too few incidents to say</span>"
        }
        return LegacyHTML.escape(e.text) + (e.isSignificant ? " <strong>*</strong>" : "")
    }

    static func wdq(_ w: WeightedDisplacementQuotient, measurable: Bool) -> String {
        guard measurable else { return "<span class=\"too-few\">too few incidents to say</span>" }
        guard let q = w.quotient else { return "<span title=\"\(LegacyHTML.escape(w.problems.joined(separator: "; ")))\">undefined</span>" }
        return "\(number(q, digits: 2)) <span class=\"note\">(\(LegacyHTML.escape(w.reading.text)))</span>"
    }

    static func tne(_ w: WeightedDisplacementQuotient, measurable: Bool, digits: Int = 1) -> String {
        guard measurable else { return "too few incidents to say" }
        return w.totalNetEffect.map { ($0 > 0 ? "+" : "") + number($0, digits: digits) } ?? "undefined"
    }

    /// The cumulative figures as cards and a table of counts and estimates.
    static func cumulative(_ r: OutcomesReport) -> String {
        let c = r.cumulative
        var s = "<div class=\"cards\" id=\"outcomes-cards\">"
        s += "<div class=\"card\"><div class=\"n\">\(r.places.count)</div>places patrolled, \(number(r.treatedDays, digits: 1)) zone-days</div>"
        s += "<div class=\"card\"><div class=\"n\">\(c.zone.violentBefore) → \(c.zone.violentDuring)</div>violent incidents in zones, before → during</div>"
        s += "<div class=\"card\"><div class=\"n\">\(change(c.violentVersusComparison))</div>violent, zones against comparison places</div>"
        s += "<div class=\"card\"><div class=\"n\">\(wdq(c.violentWDQ, measurable: c.violentWDQMeasurable))</div>weighted displacement quotient (violent)</div>"
        s += "<div class=\"card\"><div class=\"n\">\(tne(c.violentWDQ, measurable: c.violentWDQMeasurable))</div>total net effect (violent incidents prevented, net)</div>"
        s += "</div>"
        s += "<table id=\"outcomes-counts\"><thead><tr><th class=\"l\">area</th><th>violent before</th><th>violent during</th><th>harm before</th><th>harm during</th><th>incidents before</th><th>incidents during</th></tr></thead><tbody>"
        for (name, a) in [("zones", c.zone), ("buffer rings", c.buffer), ("comparison places", c.comparison)] {
            s += "<tr><td class=\"l\">\(name)</td><td>\(a.violentBefore)</td><td>\(a.violentDuring)</td><td>\(number(a.harmBefore))</td><td>\(number(a.harmDuring))</td><td>\(a.incidentsBefore)</td><td>\(a.incidentsDuring)</td></tr>"
        }
        s += "</tbody></table>"
        s += "<table id=\"outcomes-estimates\"><thead><tr><th class=\"l\">measure</th><th class=\"l\">violent incidents</th><th class=\"l\">harm</th></tr></thead><tbody>"
        s += "<tr><td class=\"l\">zones, during against before</td><td class=\"l\">\(change(c.violentBeforeDuring))</td><td class=\"l\">\(change(c.harmBeforeDuring))</td></tr>"
        s += "<tr><td class=\"l\">zones against comparison places (difference in differences)</td><td class=\"l\">\(change(c.violentVersusComparison))</td><td class=\"l\">\(change(c.harmVersusComparison))</td></tr>"
        s += "<tr><td class=\"l\">success measure R<sub>a</sub>/C<sub>a</sub> − R<sub>b</sub>/C<sub>b</sub></td><td class=\"l\">\(c.violentWDQ.successMeasure.map { number($0, digits: 3) } ?? "undefined")</td><td class=\"l\">\(c.harmWDQ.successMeasure.map { number($0, digits: 3) } ?? "undefined")</td></tr>"
        s += "<tr><td class=\"l\">weighted displacement quotient</td><td class=\"l\">\(wdq(c.violentWDQ, measurable: c.violentWDQMeasurable))</td><td class=\"l\">\(wdq(c.harmWDQ, measurable: c.harmWDQMeasurable))</td></tr>"
        s += "<tr><td class=\"l\">total net effect (prevented, net of displacement)</td><td class=\"l\">\(tne(c.violentWDQ, measurable: c.violentWDQMeasurable)) incidents</td><td class=\"l\">\(tne(c.harmWDQ, measurable: c.harmWDQMeasurable, digits: 0)) harm</td></tr>"
        s += "</tbody></table>"
        let problems = Set((c.violentWDQMeasurable ? c.violentWDQ.problems : []) + (c.harmWDQMeasurable ? c.harmWDQ.problems : [])).sorted()
        if !problems.isEmpty {
            s += "<ul class=\"note\" id=\"wdq-problems\">" + problems.map { "<li>\(LegacyHTML.escape($0))</li>" }.joined() + "</ul>"
        }
        s += "<p class=\"note\">* the interval excludes no change. Harm is in days of the harm index; intervals are \(Int((r.settings.confidence * 100).rounded())) %.</p>"
        return s
    }

    /// One row per place.
    static func placesTable(_ r: OutcomesReport, timeZone tz: TimeZone) -> String {
        var s = "<table id=\"outcomes-places\"><thead><tr><th class=\"l\">place</th><th class=\"l\">cycles</th><th class=\"l\">in force</th><th>days</th><th>cells</th>"
        s += "<th>forecast (zone / comparison mean)</th><th>violent before → during</th><th class=\"l\">zone change</th><th class=\"l\">against comparison</th>"
        s += "<th class=\"l\">harm against comparison</th><th>buffer violent before → during</th><th class=\"l\">WDQ</th><th>net effect</th></tr></thead><tbody>"
        for p in r.places {
            let e = p.estimates
            var note = ""
            if p.cellsTreatedBefore > 0 {
                note = "<br><span class=\"note\">\(p.cellsTreatedBefore) cell\(p.cellsTreatedBefore == 1 ? " was" : "s were") patrolled in another zone during the before period</span>"
            }
            s += "<tr data-place=\"\(LegacyHTML.escape(p.id))\"><td class=\"l\">\(LegacyHTML.escape(p.id))\(note)</td><td class=\"l\">\(LegacyHTML.escape(p.cycleZones.joined(separator: ", ")))</td>"
            s += "<td class=\"l\">\(LegacyHTML.escape(localText(p.start, timeZone: tz))) to \(LegacyHTML.escape(localText(p.end, timeZone: tz)))</td><td>\(number(p.days, digits: 1))</td><td>\(p.cells.count)</td>"
            s += "<td>\(number(p.forecast, digits: 1)) / \(number(p.comparisonForecastMean, digits: 1))</td><td>\(e.zone.violentBefore) → \(e.zone.violentDuring)</td>"
            s += "<td class=\"l\">\(change(e.violentBeforeDuring))</td><td class=\"l\">\(change(e.violentVersusComparison))</td><td class=\"l\">\(change(e.harmVersusComparison))</td>"
            s += "<td>\(e.buffer.violentBefore) → \(e.buffer.violentDuring)</td><td class=\"l\">\(wdq(e.violentWDQ, measurable: e.violentWDQMeasurable))</td><td>\(tne(e.violentWDQ, measurable: e.violentWDQMeasurable))</td></tr>"
        }
        s += "</tbody></table>"
        return s
    }

    /// A forest chart of the difference-in-differences ratios (violent incidents): a bar from 1 to the estimate
    /// on a log scale, whiskers for the interval; places with too few incidents say so.
    static func chart(_ r: OutcomesReport) -> String {
        let rows: [(String, ChangeEstimate)] = r.places.map { ($0.id, $0.estimates.violentVersusComparison) } + [("All places", r.cumulative.violentVersusComparison)]
        let left = 110.0, width = 620.0, plot = width - left - 20, rowH = 24.0, top = 24.0
        let height = top + Double(rows.count) * rowH + 30
        let lo = log(0.1), hi = log(10.0)
        func x(_ v: Double) -> Double { left + (log(min(10, max(0.1, v))) - lo) / (hi - lo) * plot }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"outcomes-chart\" role=\"img\" aria-label=\"Violent incidents in each zone against its comparison places: ratio with confidence interval\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">"
        for tick in [0.1, 0.25, 0.5, 1, 2, 4, 10] {
            let tx = MapCanvas.number(x(tick))
            s += "<line x1=\"\(tx)\" y1=\"\(Int(top - 6))\" x2=\"\(tx)\" y2=\"\(Int(height - 24))\" stroke=\"\(tick == 1 ? "#333" : "#ddd")\"/>"
            s += "<text x=\"\(tx)\" y=\"\(Int(height - 10))\" text-anchor=\"middle\">\(tick == 1 ? "no change" : "×" + (tick < 1 ? String(tick) : String(Int(tick))))</text>"
        }
        s += "<text x=\"\(Int(left))\" y=\"12\">fewer in zones ←</text><text x=\"\(Int(width - 20))\" y=\"12\" text-anchor=\"end\">→ more in zones</text>"
        for (k, row) in rows.enumerated() {
            let y = top + Double(k) * rowH + rowH / 2
            s += "<text x=\"\(Int(left - 6))\" y=\"\(MapCanvas.number(y + 4))\" text-anchor=\"end\"\(k == rows.count - 1 ? " font-weight=\"bold\"" : "")>\(LegacyHTML.escape(row.0))</text>"
            let e = row.1
            guard e.status == .estimated, let ratio = e.ratio, let l = e.lower, let u = e.upper else {
                s += "<text x=\"\(MapCanvas.number(x(1) + 6))\" y=\"\(MapCanvas.number(y + 4))\" fill=\"#777\">too few incidents to say</text>"
                continue
            }
            let x0 = x(1), x1 = x(ratio)
            let colour = ratio < 1 ? "#0057b8" : "#b00020"
            s += "<rect class=\"bar\" x=\"\(MapCanvas.number(min(x0, x1)))\" y=\"\(MapCanvas.number(y - 7))\" width=\"\(MapCanvas.number(max(1, abs(x1 - x0))))\" height=\"14\" fill=\"\(colour)\" fill-opacity=\"0.55\"><title>\(LegacyHTML.escape(row.0)): \(LegacyHTML.escape(e.text))</title></rect>"
            s += "<g class=\"whisker\" stroke=\"#000\" stroke-width=\"1.5\"><line x1=\"\(MapCanvas.number(x(l)))\" y1=\"\(MapCanvas.number(y))\" x2=\"\(MapCanvas.number(x(u)))\" y2=\"\(MapCanvas.number(y))\"/>"
            s += "<line x1=\"\(MapCanvas.number(x(l)))\" y1=\"\(MapCanvas.number(y - 5))\" x2=\"\(MapCanvas.number(x(l)))\" y2=\"\(MapCanvas.number(y + 5))\"/><line x1=\"\(MapCanvas.number(x(u)))\" y1=\"\(MapCanvas.number(y - 5))\" x2=\"\(MapCanvas.number(x(u)))\" y2=\"\(MapCanvas.number(y + 5))\"/></g>"
        }
        return s + "</svg>"
    }

    /// The zones, their buffer rings and comparison places on the jurisdiction (only for viewers who may see zone
    /// locations; the page adds the confidentiality banner).
    static func map(_ r: OutcomesReport, grid: Grid, jurisdiction: Jurisdiction) -> String {
        guard var canvas = MapCanvas(jurisdiction: jurisdiction) else { return "" }
        canvas.addBoundary(jurisdiction.boundary)
        let buffers = Array(Set(r.places.flatMap(\.bufferCells))).sorted()
        canvas.add("<g class=\"layer-buffers\" fill=\"#e07b00\" fill-opacity=\"0.3\">" + canvas.cellPath(buffers, grid: grid) + "</g>")
        var comparisons = "<g class=\"layer-comparisons\" fill=\"#009e73\" fill-opacity=\"0.6\">"
        for p in r.places {
            for (k, c) in p.comparisonPlaces.enumerated() {
                comparisons += "<g data-comparison-for=\"\(LegacyHTML.escape(p.id))\"><title>Comparison \(k + 1) for \(LegacyHTML.escape(p.id))</title>" + canvas.cellPath(c.cells, grid: grid) + "</g>"
            }
        }
        canvas.add(comparisons + "</g>")
        for p in r.places { canvas.addZone(id: p.id, cells: p.cells, grid: grid, kind: .active, link: nil) }
        return canvas.svg(id: "outcomes-map", label: "Zones, their buffer rings and their comparison places")
            + "<p class=\"legend\"><span style=\"background:#0057b8\"></span>zones<span style=\"background:#e07b00;opacity:.5\"></span>buffer rings (\(number(r.settings.bufferMeters)) m)<span style=\"background:#009e73\"></span>comparison places</p>"
    }
}
