import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastOversight

/// The outcomes page's forest chart and map.
extension OutcomesView {
    /// A forest chart of the difference-in-differences ratios (violent incidents): a bar from 1 to the estimate
    /// on a log scale, whiskers for the interval; places with too few incidents say so.
    /// `names`: what each place is called (by cycle date and zone label) instead of its id.
    static func chart(_ r: OutcomesReport, names: [String: String] = [:]) -> HTML {
        let rows: [(String, ChangeEstimate)] = r.places.map { (names[$0.id] ?? $0.id, $0.estimates.violentVersusComparison) }
            + [("All places", r.cumulative.violentVersusComparison)]
        let left = 110.0, width = 620.0, plot = width - left - 20, rowH = 24.0, top = 24.0
        let height = top + Double(rows.count) * rowH + 30
        let lo = log(0.1), hi = log(10.0)
        func x(_ v: Double) -> Double { left + (log(min(10, max(0.1, v))) - lo) / (hi - lo) * plot }
        func n(_ v: Double) -> String { SVGNumber.tenths(v) }
        let ticks = [0.1, 0.25, 0.5, 1, 2, 4, 10].map { tick -> HTML in
            let tx = n(x(tick))
            let label = tick == 1 ? "no change" : "×" + (tick < 1 ? String(tick) : String(Int(tick)))
            return """
                <line x1="\(tx)" y1="\(Int(top - 6))" x2="\(tx)" y2="\(Int(height - 24))" stroke="\(tick == 1 ? "#333" : "#ddd")"/>\
                <text x="\(tx)" y="\(Int(height - 10))" text-anchor="middle">\(label)</text>
                """
        }
        let bars = rows.enumerated().map { k, row -> HTML in
            let y = top + Double(k) * rowH + rowH / 2
            let bold: HTML? = k == rows.count - 1 ? " font-weight=\"bold\"" : nil
            let name: HTML = "<text x=\"\(Int(left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\"\(bold)>\(row.0)</text>"
            let e = row.1
            guard e.status == .estimated, let ratio = e.ratio, let l = e.lower, let u = e.upper else {
                return "\(name)<text x=\"\(n(x(1) + 6))\" y=\"\(n(y + 4))\" fill=\"#777\">too few incidents to say</text>"
            }
            let x0 = x(1), x1 = x(ratio)
            let colour = ratio < 1 ? "#0057b8" : "#b00020"
            return """
                \(name)<rect class="bar" x="\(n(min(x0, x1)))" y="\(n(y - 7))" width="\(n(max(1, abs(x1 - x0))))" height="14" \
                fill="\(colour)" fill-opacity="0.55"><title>\(row.0): \(e.text)</title></rect>\
                <g class="whisker" stroke="#000" stroke-width="1.5"><line x1="\(n(x(l)))" y1="\(n(y))" x2="\(n(x(u)))" y2="\(n(y))"/>\
                <line x1="\(n(x(l)))" y1="\(n(y - 5))" x2="\(n(x(l)))" y2="\(n(y + 5))"/>\
                <line x1="\(n(x(u)))" y1="\(n(y - 5))" x2="\(n(x(u)))" y2="\(n(y + 5))"/></g>
                """
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" id="outcomes-chart" role="img" aria-label="Violent incidents in each zone against its \
            comparison places: ratio with confidence interval" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" \
            height="\(Int(height))" font-family="sans-serif" font-size="11">\(ticks)<text x="\(Int(left))" y="12">fewer in zones ←</text>\
            <text x="\(Int(width - 20))" y="12" text-anchor="end">→ more in zones</text>\(bars)</svg>
            """
    }

    /// The zones, their buffer rings and comparison places on the city's streets, drawn by `PageMap` like every
    /// other map (only for viewers who may see zone locations; the page adds the confidentiality banner). Not
    /// zoomable: the zoom links would drop the page's buffer setting.
    static func zoneMap(_ r: OutcomesReport, grid: Grid, jurisdiction: Jurisdiction) -> HTML {
        guard let frame = PageMap.box(of: jurisdiction) else { return .empty }
        let buffers = Array(Set(r.places.flatMap(\.bufferCells))).sorted()
        let comparisons = r.places.flatMap { p in
            p.comparisonPlaces.enumerated().map { k, c in MapArea.Part(id: p.id, title: "Comparison \(k + 1) for \(p.id)", cells: c.cells) }
        }
        var content = MapContent(lattice: PageMap.lattice(grid), boundary: jurisdiction.boundary,
                                 zones: r.places.map { MapZone(id: $0.id, label: $0.id, cells: $0.cells, status: .active) })
        content.areas = [
            MapArea(key: "buffers", label: "Buffer ring (\(number(r.settings.bufferMeters)) m)", colour: "#e69f00", opacity: 0.3,
                    parts: [MapArea.Part(cells: buffers)]),
            MapArea(key: "comparisons", label: "Comparison place", colour: "#009e73", opacity: 0.5, parts: comparisons),
        ]
        return PageMap.figure(id: "outcomes-map", title: "Zones, their buffer rings and their comparison places", projection: jurisdiction.projection,
                              frame: frame, content: content, zoomable: false)
    }
}
