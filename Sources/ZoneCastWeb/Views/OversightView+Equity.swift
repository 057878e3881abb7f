import Foundation
import ZoneCastHTML
import ZoneCastOversight
import ZoneCastServices
import ZoneCastStore

/// The oversight page's equity audit (against uploaded area boundaries) and randomised evaluation.
extension OversightView {
    // MARK: equity

    static func equity(_ report: OversightData.EquityReport?, areaSet: EquityAreaSet?, error: String?, uploadForm: HTML?, map: HTML? = nil,
                       timeZone tz: TimeZone) -> HTML {
        let errorParagraph: HTML? = error.map { "<p class=\"error\">\($0)</p>" }
        let areas: HTML = areaSet.map { set -> HTML in
            """
            <p>Areas: <strong>\(set.label)</strong> (\(set.areaNames.count) areas), uploaded by \(set.recordedBy) on \
            \(localText(set.recordedAt, timeZone: tz)).</p>
            """
        } ?? "<p id=\"equity-none\">No areas uploaded yet.</p>"
        return """
            <section id="equity"><h2>Equity audit: do zones follow harm?</h2><p class="note">For each area (beats, tracts, \
            neighbourhoods): its share of zone cell-days over every approved cycle against its share of the targeted harm \
            (police-initiated records excluded) in the same span. A selection ratio of 1 means zones follow harm. Areas are flagged as \
            over-selected at a ratio of 1.5 or more when a one-sided binomial check over zone periods gives p &lt; 0.05 with at least \
            five periods (consecutive cycles often keep a zone, so treat p as a screen).</p>\(errorParagraph)\(areas)\
            \(map)\(report.map { equityReport($0, timeZone: tz) })\(uploadForm)</section>
            """
    }

    static func equityReport(_ report: OversightData.EquityReport, timeZone tz: TimeZone) -> HTML {
        let a = report.audit
        let from: HTML? = report.from.map { d -> HTML in " from \(localText(d, timeZone: tz))" }
        let to: HTML? = report.to.map { d -> HTML in " to \(localText(d, timeZone: tz))" }
        let flags: HTML
        if a.flagged.isEmpty {
            flags = "<p class=\"ok\" id=\"equity-flags\">No area is flagged as over-selected.</p>"
        } else {
            let flagged = a.flagged.map { r -> HTML in
                let why = r.flag == .selectedWithoutHarm ? "zones without recorded harm" : "ratio \(num(r.ratio ?? 0, digits: 2))"
                return "<strong>\(r.area)</strong> (\(why))"
            }
            flags = "<p class=\"error\" id=\"equity-flags\">Flagged: \(flagged.joined(separator: ", "))</p>"
        }
        let rows = (a.rows + [a.outside]).map { r -> HTML in
            """
            <tr data-area="\(r.area)" data-flag="\(r.flag.rawValue)"><td class="l">\(r.area)</td><td>\(num(r.zoneCellDays))</td>\
            <td>\(pct(r.zoneShare))</td><td>\(r.incidents)</td><td>\(pct(r.harmShare))</td><td>\(r.ratio.map { num($0, digits: 2) } ?? "–")</td>\
            <td>\(r.pValue.map { String(format: "%.3g", $0) } ?? "–")</td><td class="l">\(flagText(r.flag))</td>\
            <td class="l">\(bar(r.zoneShare, tick: r.harmShare))</td></tr>
            """
        }
        return """
            <p>\(report.cycles) approved cycle(s)\(from)\(to); \(a.zonePeriods) zone periods, \(num(a.totalZoneCellDays)) zone cell-days; \
            harm \(num(a.totalHarm, digits: 0)) (days, \(report.categories.joined(separator: ", "))).</p>\(flags)\
            <table id="equity-table"><thead><tr><th class="l">area</th><th>zone cell-days</th><th>zone share</th><th>incidents</th>\
            <th>harm share</th><th>selection ratio</th><th>p</th><th class="l">flag</th>\
            <th class="l" style="min-width:12rem">zone share (bar) vs harm share (tick)</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    static func flagText(_ f: EquityAudit.Flag) -> HTML {
        switch f {
        case .none: .empty
        case .overSelected: "<strong>over-selected</strong>"
        case .selectedWithoutHarm: "<strong>zones without recorded harm</strong>"
        case .insufficientData: "high ratio, too little data"
        case .underSelected: "under-selected"
        }
    }

    static func bar(_ share: Double, tick: Double) -> HTML {
        let w = 160.0, t = num(w * min(1, tick))
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="12" viewBox="0 0 \(Int(w)) 12" aria-hidden="true">\
            <rect width="\(num(w * min(1, share)))" height="12" fill="#4a76c9"/>\
            <line x1="\(t)" x2="\(t)" y1="0" y2="12" stroke="#b00020" stroke-width="2"/></svg>
            """
    }

    static func uploadForm(csrf: String) -> HTML {
        """
        <form method="post" action="/oversight/areas" enctype="multipart/form-data" class="stack no-print" id="areas-form">\
        <h3>Upload area boundaries</h3>
        <input type="hidden" name="csrf" value="\(csrf)">
        <label>What the areas are <input type="text" name="label" maxlength="200" placeholder="Police beats 2024" required></label>
        <p class="note">A GeoJSON FeatureCollection of Polygon or MultiPolygon features, each with a <code>name</code> property, \
        at most \(EquityAreaSet.maxBytes / 1024 / 1024) MiB (\(EquityAreaSet.maxBytes) bytes).</p>
        <label>GeoJSON file (.geojson or .json) <input type="file" name="geojson_file" accept=".geojson,.json,application/geo+json,application/json">\
        </label>
        <label>or paste the file's contents <textarea name="geojson" rows="8"></textarea></label>
        <button>Upload and audit</button></form>
        """
    }

    // MARK: randomised evaluation

    static func randomised(_ records: [RandomisedAssignmentRecord], comparison c: RandomisedComparison, form: HTML?) -> HTML {
        let content: HTML = records.isEmpty
            ? "<p id=\"randomised-none\">No random assignments recorded.</p>"
            : "\(assignmentsTable(records))\(comparisonTable(c))"
        return """
            <section id="randomised"><h2>Randomised evaluation (optional)</h2><p class="note">Among a proposal's candidate zones, \
            which get patrols can be drawn at random with a recorded seed (anyone can re-draw it), as in Mohler et al. (2015)'s field \
            trial. Treated and untreated candidates are then compared: the change in violent incidents (during the cycle against the \
            28 days before, scaled to the cycle's length), treated minus untreated, with a 95 % Welch interval. Negative means fewer \
            incidents where patrols went.</p>\(content)\(form)</section>
            """
    }

    static func assignmentsTable(_ records: [RandomisedAssignmentRecord]) -> HTML {
        let rows = records.map { r -> HTML in
            """
            <tr><td class="l">\(r.assignment.cycleID)</td><td class="l">\(r.assignment.seed)</td>\
            <td class="l">\(r.assignment.treated.joined(separator: ", "))</td><td class="l">\(r.assignment.control.joined(separator: ", "))</td>\
            <td class="l">\(r.recordedBy)</td></tr>
            """
        }
        return """
            <table id="assignments"><thead><tr><th class="l">cycle</th><th class="l">seed</th><th class="l">treated</th>\
            <th class="l">untreated</th><th class="l">drawn by</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    static func comparisonTable(_ c: RandomisedComparison) -> HTML {
        func row(_ label: String, _ g: RandomisedComparison.Group) -> HTML {
            """
            <tr><td class="l">\(label)</td><td>\(g.units)</td><td>\(g.before)</td><td>\(g.during)</td>\
            <td>\(g.meanChange.map { num($0, digits: 2) } ?? "–")</td></tr>
            """
        }
        let effect: HTML
        if let e = c.effect {
            let interval = c.low.map { l in ", 95 % interval \(num(l, digits: 2)) to \(num(c.high ?? l, digits: 2))" }
                ?? " (an interval needs at least two zones in each group)"
            effect = """
                <p id="randomised-effect">Effect (treated − untreated): <strong>\(num(e, digits: 2))</strong> incidents per zone and \
                cycle\(interval).</p>
                """
        } else {
            effect = "<p id=\"randomised-effect\">No randomised cycle has started yet.</p>"
        }
        return """
            <table id="randomised-comparison"><thead><tr><th class="l">group</th><th>candidate zones</th><th>incidents before</th>\
            <th>incidents during</th><th>mean change per zone</th></tr></thead><tbody>\(row("treated", c.treated))\
            \(row("untreated", c.control))</tbody></table>\(effect)
            """
    }

    static func randomiseForm(csrf: String, cycleID: String, candidates: [String]) -> HTML {
        """
        <form method="post" action="/oversight/randomise" class="stack no-print" id="randomise-form">\
        <h3>Draw which of proposal \(cycleID)'s zones get patrols</h3>
        <input type="hidden" name="csrf" value="\(csrf)"><input type="hidden" name="cycle" value="\(cycleID)">
        <p class="note">Candidates: \(candidates.joined(separator: ", ")). The draw is recorded with its seed; commanders then approve \
        the treated zones at the IRIS meeting.</p>
        <label>Zones to patrol <input type="number" name="treated" min="1" max="\(max(1, candidates.count - 1))" \
        value="\(max(1, candidates.count / 2))"></label>
        <label>Seed (blank: a random one, recorded) <input type="number" name="seed" min="0"></label>
        <button>Draw and record</button></form>
        """
    }
}
