import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastAccess
import ZoneCastPlanning
import ZoneCastZoning
import ZoneCastStore
import ZoneCastOperations
import ZoneCastStreets

/// One zone: why it was chosen, its map and trend, the patrol it has had this cycle and the incidents inside.
enum ZoneView {
    /// The parts that depend only on the data (the same for everyone who may see the zone): rendered once and
    /// reused while the data and the hour stay the same.
    struct DataSections: Sendable {
        /// The explanation and its table.
        let why: HTML
        /// The trend chart.
        let trend: HTML
        /// What the map draws, rendered for each view a request asks for (`MapRequest`) and kept with the sections.
        let map: MapContent
        let projection: TransverseMercator
        let frame: PlanarBoundingBox
        let mapTitle: String
        /// The incidents inside.
        let incidents: HTML
        let figures = RenderedFigures()
    }

    /// What the data sections are drawn from.
    struct Inside {
        let zone: ZoneCycle.ExplainedZone
        let isApproved: Bool
        let cycleStart: Date
        /// Incidents inside the zone up to `until` (now, or the cycle's start if later).
        let incidents: [Incident]
        let until: Date
        /// A year before the cycle's start: where the map and the list begin.
        let yearBefore: Date
        /// The zone's box with a margin: the map's frame.
        let around: PlanarBoundingBox
        /// The map tooltip's words instead of the zone's drawn status (`ZoneData.mapNote`: "upcoming, starts …").
        var mapNote: String? = nil
    }

    static func page(view: CycleView, zone: ZoneCycle.ExplainedZone, viewer: Viewer, isSynthetic: Bool, now: Date, timeZone tz: TimeZone,
                     sections: DataSections, patrol: HTML?, location: ZoneLocation? = nil) -> HTML {
        let reason: HTML? = zone.reason.isEmpty ? nil : " (\(zone.reason))"
        let units = view.deployments[zone.id]?.units.map(\.name).joined(separator: ", ") ?? "not assigned yet"
        return """
            \(Layout.syntheticBanner(isSynthetic))\(Layout.confidential(viewer, at: now, timeZone: tz))\
            <p>Cycle \(view.cycle.id) (\(view.status.rawValue)), \(localText(view.cycle.startsAt, timeZone: tz)) to \
            \(localText(view.cycle.endsAt, timeZone: tz)). Status in the proposal: \(zone.status.rawValue)\(reason). Units: \(units).</p>\
            \(ZoneLocationText.paragraph(location, id: "zone-location"))\(sections.why)\
            <div class="cols"><div><h2>Map</h2>\(sections.mapFigure)</div><div><h2>Trend</h2>\(sections.trend)</div></div>\
            \(patrol)\(sections.incidents)
            """
    }

    static func dataSections(_ d: Inside, jurisdiction: Jurisdiction, grid: Grid, timeZone tz: TimeZone) -> DataSections {
        let zone = d.zone
        let factors = HTML.table(header: ["category", "7 days", "28 days", "365 days"], rows: zone.explanation.categories.map {
            [$0.category.displayName, String($0.last7Days), String($0.last28Days), String($0.last365Days)]
        })
        // Zoomed to the zone's blocks by default (its box and 400 m around it); the map's links zoom and pan.
        let recent = d.incidents.filter { $0.occurredAt >= d.yearBefore }.map { MapIncident(position: $0.position, category: $0.category) }
        let content = MapContent(lattice: PageMap.lattice(grid), boundary: jurisdiction.boundary,
                                 zones: [MapZone(id: zone.id, label: zone.id, cells: zone.zone.cells, status: d.isApproved ? .active : .proposed,
                                                 note: d.mapNote)],
                                 incidents: recent)
        let why: HTML = "<h2>Why this zone</h2><p id=\"explanation\">\(zone.explanation.text)</p>\(factors)"
        return DataSections(why: why, trend: trendChart(d.incidents, end: d.until, timeZone: tz), map: content, projection: jurisdiction.projection,
                            frame: d.around, mapTitle: "Zone \(zone.id) and incidents inside it in the year before the cycle",
                            incidents: incidentList(d, timeZone: tz))
    }

    static func incidentList(_ d: Inside, timeZone tz: TimeZone) -> HTML {
        let listed = d.incidents.filter { $0.occurredAt >= d.yearBefore }.sorted { $0.occurredAt > $1.occurredAt }
        let rows = listed.prefix(500).map { i -> HTML in
            let since: HTML? = i.occurredAt >= d.cycleStart ? " class=\"since-start\"" : nil
            return """
                <tr\(since)><td class="l">\(localText(i.occurredAt, timeZone: tz))</td><td class="l">\(i.category.displayName)</td>\
                <td class="l">\(i.offence)</td><td class="l">\(i.address ?? "")</td><td class="l">\(i.id.description)</td></tr>
                """
        }
        let more: HTML? = listed.count > 500 ? "<p class=\"note\">Showing the newest 500 of \(listed.count).</p>" : nil
        return """
            <h2>Incidents inside (last 365 days before the cycle, and since)</h2><table id="zone-incidents"><thead><tr><th class="l">when</th>\
            <th class="l">category</th><th class="l">offence</th><th class="l">address</th><th class="l">record</th></tr></thead>\
            <tbody>\(rows)</tbody></table>\(more)
            """
    }

    /// Monthly counts of incidents inside the zone over the last 24 months, by category, as stacked bars.
    static func trendChart(_ incidents: [Incident], end: Date, timeZone tz: TimeZone) -> HTML {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = tz
        let endMonth = calendar.date(from: calendar.dateComponents([.year, .month], from: end))!
        let months = (0..<24).reversed().map { calendar.date(byAdding: .month, value: -$0, to: endMonth)! }
        var counts = Array(repeating: [HarmCategory: Int](), count: months.count)
        for i in incidents {
            let m = calendar.date(from: calendar.dateComponents([.year, .month], from: i.occurredAt))!
            if let k = months.firstIndex(of: m) { counts[k][i.category, default: 0] += 1 }
        }
        let peak = max(1, counts.map { $0.values.reduce(0, +) }.max() ?? 1)
        let w = 520.0, h = 200.0, left = 30.0, bottom = 30.0, barW = (w - left) / Double(months.count)
        let f = DateFormatter()
        f.timeZone = tz
        f.dateFormat = "MMM yy"
        let bars = months.enumerated().map { k, month -> HTML in
            var y = h - bottom
            let stack = HarmCategory.allCases.compactMap { c -> HTML? in
                guard let n = counts[k][c], n > 0 else { return nil }
                let bh = Double(n) / Double(peak) * (h - bottom - 12)
                y -= bh
                return """
                    <rect x="\(left + Double(k) * barW + 1, decimals: 1)" y="\(y, decimals: 1)" width="\(barW - 2, decimals: 1)" \
                    height="\(bh, decimals: 1)" fill="\(CategoryColour.of(c))"><title>\(f.string(from: month)): \(c.counted(n))</title></rect>
                    """
            }
            let label: HTML? = k % 3 == 0 ? "<text x=\"\(left + Double(k) * barW, decimals: 1)\" y=\"\(Int(h - 12))\">\(f.string(from: month))</text>" : nil
            return "\(stack)\(label)"
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" id="trend" role="img" aria-label="Monthly incidents inside the zone" \
            viewBox="0 0 \(Int(w)) \(Int(h))" width="\(Int(w))" height="\(Int(h))" font-family="sans-serif" font-size="10">\
            <text x="0" y="10">\(peak)</text><text x="0" y="\(Int(h - bottom))">0</text>\(bars)</svg>
            """
    }
}

extension ZoneView.DataSections {
    /// The zone's map, zoomed to its blocks unless the request asks for another view.
    var mapFigure: HTML {
        figures.figure(for: MapRequest.current) { request in
            PageMap.figure(id: "zone-map", title: mapTitle, projection: projection, frame: frame, widthPixels: 560, content: map, zoomable: true,
                           request: request)
        }
    }
}
