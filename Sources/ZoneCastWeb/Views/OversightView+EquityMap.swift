import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastOversight

/// The equity audit's areas on a map, each coloured by its selection ratio (zone share over harm share), drawn by
/// `PageMap` like every other map. Only for viewers who may see zone locations: where the ratio is high is where
/// zones were. Areas are shaded through their cells on a coarse grid (a cell takes the area holding its centre),
/// since the renderer shades cells, not polygons; the table above keeps the exact figures.
///
/// The scale diverges around 1 (zones follow harm) on a ratio scale, so 0.5 and 2 are equally far from even, with
/// the ColorBrewer RdBu hues (Brewer 2003; colour-blind safe): blues where zones fall short of harm, reds where they
/// exceed it, a neutral grey in between (white would vanish on the map's background). The 1.5 break is the audit's
/// flag threshold. Areas with zones but no recorded harm get the darkest red; areas with neither stay unshaded.
enum EquityMap {
    struct RatioClass {
        var key: String
        var label: String
        var colour: String
    }

    /// Class breaks of the ratio, ascending; class k holds ratios in [breaks[k-1], breaks[k]).
    static let breaks: [Double] = [0.5, 2.0 / 3.0, 0.9, 1 / 0.9, 1.5, 2]
    static let colours = ["#2166ac", "#67a9cf", "#d1e5f0", "#d9d9d9", "#fddbc7", "#ef8a62", "#b2182b"]
    static let withoutHarm = RatioClass(key: "ratio-no-harm", label: "zones but no recorded harm (no ratio)", colour: "#67001f")
    /// Few enough cells for a page of ordinary size; finer grids only add bytes, not legibility, at city scale.
    static let maxCells = 8_000

    static var classes: [RatioClass] {
        colours.indices.map { k in
            let low: Double? = k == 0 ? nil : breaks[k - 1], high: Double? = k == breaks.count ? nil : breaks[k]
            let text = switch (low, high) {
            case (nil, let h?): "ratio under \(OversightView.num(h, digits: 2))"
            case (let l?, nil): "ratio \(OversightView.num(l, digits: 2)) or more"
            case (let l?, let h?): "ratio \(OversightView.num(l, digits: 2)) to \(OversightView.num(h, digits: 2))"
            case (nil, nil): "any ratio"
            }
            let note = k == 3 ? " (zones follow harm)" : k == 5 ? " (flag threshold 1.5)" : ""
            return RatioClass(key: "ratio-\(k)", label: text + note, colour: colours[k])
        }
    }

    /// The class of an area's ratio: by its value, the no-harm class (index `colours.count`) for zones without harm,
    /// nil for an area with neither.
    static func classIndex(ratio: Double?, zoneShare: Double) -> Int? {
        guard let ratio else { return zoneShare > 0 ? colours.count : nil }
        return breaks.firstIndex { ratio < $0 } ?? breaks.count
    }

    /// The coarse grid the map shades: the jurisdiction's cells at no less than `minimumCellMeters`, and about `maxCells` at most in its box.
    static func grid(_ jurisdiction: Jurisdiction, minimumCellMeters: Double) -> Grid? {
        guard let box = PageMap.box(of: jurisdiction) else { return nil }
        let side = max(minimumCellMeters, ((box.maxX - box.minX) * (box.maxY - box.minY) / Double(maxCells)).squareRoot())
        return Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: (side / 50).rounded(.up) * 50)
    }

    /// Each area's cells on `grid` (the first area holding a cell's centre, as the audit assigns points).
    static func cells(of areas: [EquityArea], grid: Grid, projection: TransverseMercator) -> [[Int]] {
        let prepared = projection.prepared()
        let boxes = areas.map(\.boundary.boundingBox)
        var result = [[Int]](repeating: [], count: areas.count)
        for cell in grid.activeCells {
            let g = prepared.unproject(grid.center(of: cell))
            let hit = areas.indices.first { a in
                guard let b = boxes[a], g.latitude >= b.minLatitude, g.latitude <= b.maxLatitude,
                      g.longitude >= b.minLongitude, g.longitude <= b.maxLongitude else { return false }
                return areas[a].boundary.contains(g)
            }
            if let hit { result[hit].append(cell) }
        }
        return result
    }

    /// The figure and its legend of every class (with how many areas each holds). `rows` and `areaCells` are in the areas' order.
    static func figure(rows: [EquityAudit.Row], areaCells: [[Int]], grid: Grid, jurisdiction: Jurisdiction) -> HTML {
        guard let frame = PageMap.box(of: jurisdiction) else { return .empty }
        let all = classes + [withoutHarm]
        var parts = [[MapArea.Part]](repeating: [], count: all.count)
        var counts = [Int](repeating: 0, count: all.count)
        for (row, cells) in zip(rows, areaCells) {
            guard let k = classIndex(ratio: row.ratio, zoneShare: row.zoneShare) else { continue }
            counts[k] += 1
            let ratio = row.ratio.map { OversightView.num($0, digits: 2) } ?? "none"
            let title = "\(row.area): selection ratio \(ratio) (zone share \(OversightView.pct(row.zoneShare)), harm share \(OversightView.pct(row.harmShare)))"
            if !cells.isEmpty { parts[k].append(MapArea.Part(id: row.area, title: title, cells: cells)) }
        }
        var content = MapContent(lattice: PageMap.lattice(grid), boundary: jurisdiction.boundary)
        content.areas = all.indices.map { k in MapArea(key: all[k].key, label: all[k].label, colour: all[k].colour, opacity: 0.8, parts: parts[k]) }
        let map = PageMap.figure(id: "equity-map", title: "Areas coloured by selection ratio (zone share over harm share)",
                                 projection: jurisdiction.projection, frame: frame, content: content, zoomable: false)
        let legend = all.indices.reversed().map { k -> HTML in
            """
            <li data-class="\(all[k].key)"><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" \
            fill="\(all[k].colour)" stroke="#555" stroke-width="0.5"/></svg> \(all[k].label): \(counts[k]) area(s)</li>
            """
        }
        let unshaded = rows.count - counts.reduce(0, +)
        let none: HTML = unshaded > 0 ? "<li data-class=\"none\">not shaded: no zones and no recorded harm: \(unshaded) area(s)</li>" : .empty
        return """
            <div id="equity-choropleth">\(map)<ul class="plain" id="equity-map-legend" aria-label="Selection ratio classes">\(legend)\(none)</ul></div>
            """
    }
}
