import Foundation
import ZoneCastCore
import ZoneCastOversight
import ZoneCastPlanning
import ZoneCastHTML
import ZoneCastReports
import ZoneCastStore

/// The oversight page's sections, as HTML strings (every value from data escaped). Figures and zone ids only: no
/// zone maps or cells, so auditors (who may not see zone locations) can read all of it.
enum OversightPage {
    static func pct(_ x: Double, digits: Int = 1) -> String { String(format: "%.\(digits)f %%", 100 * x) }
    static func num(_ x: Double, digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
    static func signed(_ x: Double?, digits: Int = 1, suffix: String = " %") -> String {
        guard let x else { return "–" }
        return String(format: "%+.\(digits)f", x) + suffix
    }

    // MARK: sensitivity

    static func sensitivity(_ s: PoliceInitiatedSensitivity?, error: String?, cycles: [CycleRecord], selected: String?) -> String {
        var h = "<section id=\"sensitivity\"><h2>Feedback-loop guard: would police-initiated records change the zones?</h2>"
        h += "<p class=\"note\">Police-initiated records (drug possession, DUI, weapons law and the like) measure where police looked, not where harm happened, so forecasts leave them out by default. For each proposal, the same forecast (same incidents, model, grid, window and weights) is recomputed with them included, and the optimiser is run again on it. Large changes would mean past police activity steers the zones.</p>"
        if !cycles.isEmpty {
            h += "<p class=\"no-print\">Proposal: " + cycles.map { r in
                r.id == selected ? "<strong>\(LegacyHTML.escape(r.id))</strong>" : "<a href=\"/oversight?cycle=\(LegacyHTML.escape(r.id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? r.id))#sensitivity\">\(LegacyHTML.escape(r.id))</a>"
            }.joined(separator: " · ") + "</p>"
        }
        if let error { return h + "<p class=\"error\">\(LegacyHTML.escape(error))</p></section>" }
        guard let s else { return h + "<p>No proposals recorded yet.</p></section>" }
        h += "<p>Proposal <strong>\(LegacyHTML.escape(s.cycleID))</strong>: \(s.policeInitiatedRecords) police-initiated records in its training data; the city's forecast total goes from \(num(s.totalWithout)) to \(num(s.totalWith)) (\(signed(s.totalWithout > 0 ? 100 * (s.totalWith - s.totalWithout) / s.totalWithout : nil))).</p>"
        if !s.policeInitiatedByCategory.isEmpty {
            h += "<p class=\"note\">Police-initiated records by category: " + s.policeInitiatedByCategory.sorted { $0.key < $1.key }.map { "\(LegacyHTML.escape($0.key)) \($0.value)" }.joined(separator: ", ") + ".</p>"
        }
        if s.unchanged {
            h += "<p class=\"ok\" id=\"sensitivity-unchanged\">Including them changes no cell of this forecast: its model gives their categories no weight, so past police activity cannot steer this proposal.</p>"
        }
        h += "<table id=\"sensitivity-table\"><thead><tr><th class=\"l\">zone</th><th>cells</th><th>score without</th><th>score with</th><th>change</th><th>share without</th><th>share with</th><th>rank without → with</th><th>top-cell share with</th><th class=\"l\">still chosen?</th></tr></thead><tbody>"
        for z in s.zones {
            let chosen = z.stillChosen.map { $0 ? "yes (\(pct(z.overlapWithReoptimised ?? 0, digits: 0)) of its cells)" : "<strong>no</strong> (\(pct(z.overlapWithReoptimised ?? 0, digits: 0)) of its cells)" } ?? "–"
            h += "<tr data-zone-id=\"\(LegacyHTML.escape(z.zoneID))\"><td class=\"l\">\(LegacyHTML.escape(z.zoneID))</td><td>\(z.cellCount)</td><td>\(num(z.scoreWithout))</td><td>\(num(z.scoreWith))</td><td>\(signed(z.percentChange))</td><td>\(pct(z.shareWithout, digits: 2))</td><td>\(pct(z.shareWith, digits: 2))</td><td>\(z.rankWithout) → \(z.rankWith)</td><td>\(pct(z.topCellShareWith, digits: 0))</td><td class=\"l\">\(chosen)</td></tr>"
        }
        h += "</tbody></table>"
        if let largest = s.largestChange {
            h += "<p>Largest change of any zone's score: <strong>\(num(largest)) %</strong>.\(largest >= 10 ? " <strong>Review:</strong> this proposal would shift materially with police-initiated records." : "")</p>"
        }
        return h + "</section>"
    }

    // MARK: feedback simulation

    static func simulation(_ sim: FeedbackLoopSimulation, seed: UInt64) -> String {
        let discovered = sim.run(.discovered, seed: seed), reported = sim.run(.reported, seed: seed)
        var h = "<section id=\"feedback-simulation\"><h2>Why: the runaway feedback loop (Ensign et al. 2018)</h2>"
        h += "<p class=\"note\">A simulated city of \(sim.trueRates.count) places with known true rates, \(sim.days) days, one patrol a day sent to the place with the highest estimate. Place A was patrolled before (\(num(sim.initialEstimates.first ?? 0, digits: 0)) recorded incidents), but B has the highest true rate. If the estimate learns only from incidents police <em>discover</em> (found only where they patrol), patrols never leave A. If it learns from <em>reported</em> harm (victims report wherever it happens), patrols move to B within weeks. Seed \(seed); deterministic.</p>"
        h += lineChart([("police-discovered inputs", discovered.shareAtHighestOverTime, "#d55e00"), ("reported-harm inputs (default)", reported.shareAtHighestOverTime, "#0072b2")])
        h += "<table id=\"simulation-table\"><thead><tr><th class=\"l\">place</th><th>true rate / day</th><th>share of true incidents</th><th>patrol share, discovered inputs</th><th>patrol share, reported inputs</th></tr></thead><tbody>"
        let totalTrue = Double(reported.trueIncidents.reduce(0, +))
        let names = (0..<sim.trueRates.count).map { String(UnicodeScalar(UInt8(65 + $0))) }
        for r in sim.trueRates.indices {
            h += "<tr><td class=\"l\">\(names[r])</td><td>\(num(sim.trueRates[r]))</td><td>\(pct(totalTrue > 0 ? Double(reported.trueIncidents[r]) / totalTrue : 0, digits: 0))</td><td>\(pct(discovered.patrolShare[r], digits: 0))</td><td>\(pct(reported.patrolShare[r], digits: 0))</td></tr>"
        }
        h += "</tbody></table><p>Share of patrol days at the highest-rate place: <strong id=\"sim-discovered\">\(pct(discovered.shareAtHighestTrueRate, digits: 0))</strong> with discovered inputs, <strong id=\"sim-reported\">\(pct(reported.shareAtHighestTrueRate, digits: 0))</strong> with reported harm.</p></section>"
        return h
    }

    /// A line chart of series in [0, 1] over days (SVG, no script).
    static func lineChart(_ series: [(label: String, values: [Double], colour: String)]) -> String {
        let w = 640.0, ht = 200.0, left = 40.0, bottom = 24.0, top = 8.0
        let n = series.map(\.values.count).max() ?? 1
        func x(_ i: Int) -> Double { left + (w - left - 8) * Double(i) / Double(max(1, n - 1)) }
        func y(_ v: Double) -> Double { top + (ht - top - bottom) * (1 - v) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"simulation-chart\" role=\"img\" aria-label=\"Share of patrol days at the highest-rate place over time\" viewBox=\"0 0 \(Int(w)) \(Int(ht))\" width=\"\(Int(w))\" height=\"\(Int(ht))\" font-family=\"sans-serif\" font-size=\"11\">"
        for v in [0.0, 0.5, 1.0] {
            s += "<line x1=\"\(left)\" x2=\"\(w - 8)\" y1=\"\(num(y(v)))\" y2=\"\(num(y(v)))\" stroke=\"#ddd\"/><text x=\"\(left - 4)\" y=\"\(num(y(v) + 4))\" text-anchor=\"end\">\(Int(v * 100)) %</text>"
        }
        s += "<text x=\"\(left)\" y=\"\(ht - 6)\">day 1</text><text x=\"\(w - 8)\" y=\"\(ht - 6)\" text-anchor=\"end\">day \(n)</text>"
        for (k, line) in series.enumerated() {
            let points = line.values.enumerated().map { "\(num(x($0.offset))),\(num(y($0.element)))" }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(line.colour)\" stroke-width=\"2\" points=\"\(points)\"/>"
            s += "<rect x=\"\(left + 10)\" y=\"\(top + 6 + Double(k) * 16)\" width=\"10\" height=\"10\" fill=\"\(line.colour)\"/><text x=\"\(left + 26)\" y=\"\(top + 15 + Double(k) * 16)\">\(LegacyHTML.escape(line.label))</text>"
        }
        return s + "</svg>"
    }

    // MARK: equity

    static func equity(_ report: OversightData.EquityReport?, areaSet: EquityAreaSet?, error: String?, uploadForm: String?, timeZone: TimeZone) -> String {
        var h = "<section id=\"equity\"><h2>Equity audit: do zones follow harm?</h2>"
        h += "<p class=\"note\">For each area (beats, tracts, neighbourhoods): its share of zone cell-days over every approved cycle against its share of the targeted harm (police-initiated records excluded) in the same span. A selection ratio of 1 means zones follow harm. Areas are flagged as over-selected at a ratio of 1.5 or more when a one-sided binomial check over zone periods gives p &lt; 0.05 with at least five periods (consecutive cycles often keep a zone, so treat p as a screen).</p>"
        if let error { h += "<p class=\"error\">\(LegacyHTML.escape(error))</p>" }
        if let areaSet {
            h += "<p>Areas: <strong>\(LegacyHTML.escape(areaSet.label))</strong> (\(areaSet.areaNames.count) areas), uploaded by \(LegacyHTML.escape(areaSet.recordedBy)) on \(LegacyHTML.escape(localText(areaSet.recordedAt, timeZone: timeZone))).</p>"
        } else {
            h += "<p id=\"equity-none\">No areas uploaded yet.</p>"
        }
        if let report {
            let a = report.audit
            h += "<p>\(report.cycles) approved cycle(s)\(report.from.map { " from \(LegacyHTML.escape(localText($0, timeZone: timeZone)))" } ?? "")\(report.to.map { " to \(LegacyHTML.escape(localText($0, timeZone: timeZone)))" } ?? ""); \(a.zonePeriods) zone periods, \(num(a.totalZoneCellDays)) zone cell-days; harm \(num(a.totalHarm, digits: 0)) (days, \(LegacyHTML.escape(report.categories.joined(separator: ", ")))).</p>"
            if a.flagged.isEmpty {
                h += "<p class=\"ok\" id=\"equity-flags\">No area is flagged as over-selected.</p>"
            } else {
                h += "<p class=\"error\" id=\"equity-flags\">Flagged: " + a.flagged.map { "<strong>\(LegacyHTML.escape($0.area))</strong> (\($0.flag == .selectedWithoutHarm ? "zones without recorded harm" : "ratio \(num($0.ratio ?? 0, digits: 2))"))" }.joined(separator: ", ") + "</p>"
            }
            h += "<table id=\"equity-table\"><thead><tr><th class=\"l\">area</th><th>zone cell-days</th><th>zone share</th><th>incidents</th><th>harm share</th><th>selection ratio</th><th>p</th><th class=\"l\">flag</th><th class=\"l\" style=\"min-width:12rem\">zone share (bar) vs harm share (tick)</th></tr></thead><tbody>"
            for r in a.rows + [a.outside] {
                h += "<tr data-area=\"\(LegacyHTML.escape(r.area))\" data-flag=\"\(r.flag.rawValue)\"><td class=\"l\">\(LegacyHTML.escape(r.area))</td><td>\(num(r.zoneCellDays))</td><td>\(pct(r.zoneShare))</td><td>\(r.incidents)</td><td>\(pct(r.harmShare))</td><td>\(r.ratio.map { num($0, digits: 2) } ?? "–")</td><td>\(r.pValue.map { String(format: "%.3g", $0) } ?? "–")</td><td class=\"l\">\(flagText(r.flag))</td><td class=\"l\">\(bar(r.zoneShare, tick: r.harmShare))</td></tr>"
            }
            h += "</tbody></table>"
        }
        if let uploadForm { h += uploadForm }
        return h + "</section>"
    }

    static func flagText(_ f: EquityAudit.Flag) -> String {
        switch f {
        case .none: ""
        case .overSelected: "<strong>over-selected</strong>"
        case .selectedWithoutHarm: "<strong>zones without recorded harm</strong>"
        case .insufficientData: "high ratio, too little data"
        case .underSelected: "under-selected"
        }
    }

    static func bar(_ share: Double, tick: Double) -> String {
        let w = 160.0
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"12\" viewBox=\"0 0 \(Int(w)) 12\" aria-hidden=\"true\"><rect width=\"\(num(w * min(1, share)))\" height=\"12\" fill=\"#4a76c9\"/><line x1=\"\(num(w * min(1, tick)))\" x2=\"\(num(w * min(1, tick)))\" y1=\"0\" y2=\"12\" stroke=\"#b00020\" stroke-width=\"2\"/></svg>"
    }

    static func uploadForm(csrf: String) -> String {
        """
        <form method="post" action="/oversight/areas" class="stack no-print" id="areas-form"><h3>Upload area boundaries</h3>
        <input type="hidden" name="csrf" value="\(LegacyHTML.escape(csrf))">
        <label>What the areas are <input type="text" name="label" maxlength="200" placeholder="Police beats 2024" required></label>
        <label>GeoJSON FeatureCollection of Polygon or MultiPolygon features, each with a <code>name</code> property (paste the file's contents; at most \(EquityAreaSet.maxBytes / 1024 / 1024) MiB)
        <textarea name="geojson" rows="8" required></textarea></label>
        <button>Upload and audit</button></form>
        """
    }

    // MARK: randomised evaluation

    static func randomised(_ records: [RandomisedAssignmentRecord], comparison: RandomisedComparison, form: String?) -> String {
        var h = "<section id=\"randomised\"><h2>Randomised evaluation (optional)</h2>"
        h += "<p class=\"note\">Among a proposal's candidate zones, which get patrols can be drawn at random with a recorded seed (anyone can re-draw it), as in Mohler et al. (2015)'s field trial. Treated and untreated candidates are then compared: the change in violent incidents (during the cycle against the 28 days before, scaled to the cycle's length), treated minus untreated, with a 95 % Welch interval. Negative means fewer incidents where patrols went.</p>"
        if records.isEmpty {
            h += "<p id=\"randomised-none\">No random assignments recorded.</p>"
        } else {
            h += "<table id=\"assignments\"><thead><tr><th class=\"l\">cycle</th><th class=\"l\">seed</th><th class=\"l\">treated</th><th class=\"l\">untreated</th><th class=\"l\">drawn by</th></tr></thead><tbody>"
            for r in records {
                h += "<tr><td class=\"l\">\(LegacyHTML.escape(r.assignment.cycleID))</td><td class=\"l\">\(r.assignment.seed)</td><td class=\"l\">\(LegacyHTML.escape(r.assignment.treated.joined(separator: ", ")))</td><td class=\"l\">\(LegacyHTML.escape(r.assignment.control.joined(separator: ", ")))</td><td class=\"l\">\(LegacyHTML.escape(r.recordedBy))</td></tr>"
            }
            h += "</tbody></table>"
            let c = comparison
            h += "<table id=\"randomised-comparison\"><thead><tr><th class=\"l\">group</th><th>candidate zones</th><th>incidents before</th><th>incidents during</th><th>mean change per zone</th></tr></thead><tbody>"
            h += "<tr><td class=\"l\">treated</td><td>\(c.treated.units)</td><td>\(c.treated.before)</td><td>\(c.treated.during)</td><td>\(c.treated.meanChange.map { num($0, digits: 2) } ?? "–")</td></tr>"
            h += "<tr><td class=\"l\">untreated</td><td>\(c.control.units)</td><td>\(c.control.before)</td><td>\(c.control.during)</td><td>\(c.control.meanChange.map { num($0, digits: 2) } ?? "–")</td></tr></tbody></table>"
            if let e = c.effect {
                h += "<p id=\"randomised-effect\">Effect (treated − untreated): <strong>\(num(e, digits: 2))</strong> incidents per zone and cycle\(c.low.map { l in ", 95 % interval \(num(l, digits: 2)) to \(num(c.high ?? l, digits: 2))" } ?? " (an interval needs at least two zones in each group)").</p>"
            } else {
                h += "<p id=\"randomised-effect\">No randomised cycle has started yet.</p>"
            }
        }
        if let form { h += form }
        return h + "</section>"
    }

    static func randomiseForm(csrf: String, cycleID: String, candidates: [String]) -> String {
        """
        <form method="post" action="/oversight/randomise" class="stack no-print" id="randomise-form"><h3>Draw which of proposal \(LegacyHTML.escape(cycleID))'s zones get patrols</h3>
        <input type="hidden" name="csrf" value="\(LegacyHTML.escape(csrf))"><input type="hidden" name="cycle" value="\(LegacyHTML.escape(cycleID))">
        <p class="note">Candidates: \(LegacyHTML.escape(candidates.joined(separator: ", "))). The draw is recorded with its seed; commanders then approve the treated zones at the IRIS meeting.</p>
        <label>Zones to patrol <input type="number" name="treated" min="1" max="\(max(1, candidates.count - 1))" value="\(max(1, candidates.count / 2))"></label>
        <label>Seed (blank: a random one, recorded) <input type="number" name="seed" min="0"></label>
        <button>Draw and record</button></form>
        """
    }
}
