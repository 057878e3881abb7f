import Foundation
import ZoneCastHTML
import ZoneCastOversight
import ZoneCastStore

/// The oversight page: the feedback-loop guard (sensitivity and simulation), the equity audit and the randomised
/// evaluation (OversightView+Equity.swift). Figures and zone ids: no zone maps or cells, so auditors (who may
/// not see zone locations) can read all of it; the equity areas' choropleth (OversightView+EquityMap.swift) is
/// added only for roles that may see zone locations.
enum OversightView {
    static func page(viewer: Viewer, isSynthetic: Bool, sections: [HTML]) -> HTML {
        Layout.page(title: "Oversight", viewer: viewer, current: "/oversight", body: """
            \(Layout.syntheticBanner(isSynthetic))<p class="no-print"><a href="#sensitivity">Police-initiated sensitivity</a> · \
            <a href="#feedback-simulation">Feedback-loop simulation</a> · <a href="#equity">Equity audit</a> · \
            <a href="#randomised">Randomised evaluation</a> · \
            <a href="/oversight/enforcement">Non-enforcement monitor</a> · <a href="/oversight/dosage">Patrol dosage</a></p>\(sections)
            """)
    }

    static func pct(_ x: Double, digits: Int = 1) -> String { String(format: "%.\(digits)f %%", 100 * x) }
    static func num(_ x: Double, digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
    static func signed(_ x: Double?, digits: Int = 1, suffix: String = " %") -> String {
        guard let x else { return "–" }
        return String(format: "%+.\(digits)f", x) + suffix
    }

    // MARK: sensitivity

    static func sensitivity(_ s: PoliceInitiatedSensitivity?, error: String?, cycles: [CycleRecord], selected: String?) -> HTML {
        let links = cycles.map { r -> HTML in
            guard r.id != selected else { return "<strong>\(r.id)</strong>" }
            let query = r.id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? r.id
            return "<a href=\"/oversight?cycle=\(query)#sensitivity\">\(r.id)</a>"
        }
        let picker: HTML? = cycles.isEmpty ? nil : "<p class=\"no-print\">Proposal: \(links.joined(separator: " · "))</p>"
        let content: HTML
        if let error {
            content = "<p class=\"error\">\(error)</p>"
        } else if let s {
            content = sensitivityResult(s)
        } else {
            content = "<p>No proposals recorded yet.</p>"
        }
        return """
            <section id="sensitivity"><h2>Feedback-loop guard: would police-initiated records change the zones?</h2><p class="note">\
            Police-initiated records (drug possession, DUI, weapons law and the like) measure where police looked, not where harm happened, \
            so forecasts leave them out by default. For each proposal, the same forecast (same incidents, model, grid, window and weights) \
            is recomputed with them included, and the optimiser is run again on it. Large changes would mean past police activity steers \
            the zones.</p>\(picker)\(content)</section>
            """
    }

    static func sensitivityResult(_ s: PoliceInitiatedSensitivity) -> HTML {
        let change = signed(s.totalWithout > 0 ? 100 * (s.totalWith - s.totalWithout) / s.totalWithout : nil)
        let byCategory = s.policeInitiatedByCategory.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let categories: HTML? = s.policeInitiatedByCategory.isEmpty
            ? nil : "<p class=\"note\">Police-initiated records by category: \(byCategory).</p>"
        let unchanged: HTML? = s.unchanged ? """
            <p class="ok" id="sensitivity-unchanged">Including them changes no cell of this forecast: its model gives their categories \
            no weight, so past police activity cannot steer this proposal.</p>
            """ : nil
        let rows = s.zones.map { z -> HTML in
            let overlap = pct(z.overlapWithReoptimised ?? 0, digits: 0)
            let chosen: HTML = z.stillChosen.map { still -> HTML in
                still ? "yes (\(overlap) of its cells)" : "<strong>no</strong> (\(overlap) of its cells)"
            } ?? "–"
            return """
                <tr data-zone-id="\(z.zoneID)"><td class="l">\(z.zoneID)</td><td>\(z.cellCount)</td><td>\(HarmText.amount(z.scoreWithout))</td>\
                <td>\(HarmText.amount(z.scoreWith))</td><td>\(signed(z.percentChange))</td><td>\(pct(z.shareWithout, digits: 2))</td>\
                <td>\(pct(z.shareWith, digits: 2))</td><td>\(z.rankWithout) → \(z.rankWith)</td><td>\(pct(z.topCellShareWith, digits: 0))</td>\
                <td class="l">\(chosen)</td></tr>
                """
        }
        let largest: HTML? = s.largestChange.map { largest in
            let review: HTML? = largest >= 10
                ? " <strong>Review:</strong> this proposal would shift materially with police-initiated records." : nil
            return "<p>Largest change of any zone's score: <strong>\(num(largest)) %</strong>.\(review)</p>"
        }
        return """
            <p>Proposal <strong>\(s.cycleID)</strong>: \(s.policeInitiatedRecords) police-initiated records in its training data; \
            the city's forecast total goes from \(HarmText.amount(s.totalWithout)) to \(HarmText.amount(s.totalWith)) (\(change)).</p>\(categories)\(unchanged)\
            <table id="sensitivity-table"><thead><tr><th class="l">zone</th><th>cells</th><th>score without</th><th>score with</th>\
            <th>change</th><th>share without</th><th>share with</th><th>rank without → with</th><th>top-cell share with</th>\
            <th class="l">still chosen?</th></tr></thead><tbody>\(rows)</tbody></table>\(largest)
            """
    }

    // MARK: feedback simulation

    static func simulation(_ sim: FeedbackLoopSimulation, seed: UInt64) -> HTML {
        let discovered = sim.run(.discovered, seed: seed), reported = sim.run(.reported, seed: seed)
        let totalTrue = Double(reported.trueIncidents.reduce(0, +))
        let names = (0..<sim.trueRates.count).map { String(UnicodeScalar(UInt8(65 + $0))) }
        let rows = sim.trueRates.indices.map { r -> HTML in
            let trueShare = totalTrue > 0 ? Double(reported.trueIncidents[r]) / totalTrue : 0
            return """
                <tr><td class="l">\(names[r])</td><td>\(num(sim.trueRates[r]))</td><td>\(pct(trueShare, digits: 0))</td>\
                <td>\(pct(discovered.patrolShare[r], digits: 0))</td><td>\(pct(reported.patrolShare[r], digits: 0))</td></tr>
                """
        }
        let chart = lineChart([("police-discovered inputs", discovered.shareAtHighestOverTime, "#d55e00"),
                               ("reported-harm inputs (default)", reported.shareAtHighestOverTime, "#0072b2")])
        return """
            <section id="feedback-simulation"><h2>Why: the runaway feedback loop (Ensign et al. 2018)</h2><p class="note">\
            A simulated city of \(sim.trueRates.count) places with known true rates, \(sim.days) days, one patrol a day sent to the place \
            with the highest estimate. Place A was patrolled before (\(num(sim.initialEstimates.first ?? 0, digits: 0)) recorded \
            incidents), but B has the highest true rate. If the estimate learns only from incidents police <em>discover</em> (found only \
            where they patrol), patrols never leave A. If it learns from <em>reported</em> harm (victims report wherever it happens), \
            patrols move to B within weeks. Seed \(seed); deterministic.</p>\(chart)\
            <table id="simulation-table"><thead><tr><th class="l">place</th><th>true rate / day</th><th>share of true incidents</th>\
            <th>patrol share, discovered inputs</th><th>patrol share, reported inputs</th></tr></thead><tbody>\(rows)</tbody></table>\
            <p>Share of patrol days at the highest-rate place: <strong id="sim-discovered">\(pct(discovered.shareAtHighestTrueRate, digits: 0))\
            </strong> with discovered inputs, <strong id="sim-reported">\(pct(reported.shareAtHighestTrueRate, digits: 0))</strong> \
            with reported harm.</p></section>
            """
    }

    /// A line chart of series in [0, 1] over days (SVG, no script).
    static func lineChart(_ series: [(label: String, values: [Double], colour: String)]) -> HTML {
        let w = 640.0, ht = 200.0, left = 40.0, bottom = 24.0, top = 8.0
        let n = series.map(\.values.count).max() ?? 1
        func x(_ i: Int) -> Double { left + (w - left - 8) * Double(i) / Double(max(1, n - 1)) }
        func y(_ v: Double) -> Double { top + (ht - top - bottom) * (1 - v) }
        let grid = [0.0, 0.5, 1.0].map { v -> HTML in
            """
            <line x1="\(left, decimals: 1)" x2="\(w - 8, decimals: 1)" y1="\(num(y(v)))" y2="\(num(y(v)))" stroke="#ddd"/>\
            <text x="\(left - 4, decimals: 1)" y="\(num(y(v) + 4))" text-anchor="end">\(Int(v * 100)) %</text>
            """
        }
        let lines = series.enumerated().map { k, line -> HTML in
            let points = line.values.enumerated().map { "\(num(x($0.offset))),\(num(y($0.element)))" }.joined(separator: " ")
            return """
                <polyline fill="none" stroke="\(line.colour)" stroke-width="2" points="\(points)"/>\
                <rect x="\(left + 10, decimals: 1)" y="\(top + 6 + Double(k) * 16, decimals: 1)" width="10" height="10" fill="\(line.colour)"/>\
                <text x="\(left + 26, decimals: 1)" y="\(top + 15 + Double(k) * 16, decimals: 1)">\(line.label)</text>
                """
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" id="simulation-chart" role="img" \
            aria-label="Share of patrol days at the highest-rate place over time" viewBox="0 0 \(Int(w)) \(Int(ht))" \
            width="\(Int(w))" height="\(Int(ht))" font-family="sans-serif" font-size="11">\(grid)\
            <text x="\(left, decimals: 1)" y="\(ht - 6, decimals: 1)">day 1</text>\
            <text x="\(w - 8, decimals: 1)" y="\(ht - 6, decimals: 1)" text-anchor="end">day \(n)</text>\(lines)</svg>
            """
    }
}
