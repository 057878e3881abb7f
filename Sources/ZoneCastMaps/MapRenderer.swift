import Foundation
public import ZoneCastCore
public import ZoneCastHTML
import ZoneCastStreets

/// A placed label, for pages (and tests) that need to know what was written where.
public struct MapLabel: Hashable, Sendable {
    public let text: String
    /// Centre and turn (degrees, clockwise) in pixels.
    public let x: Double, y: Double, angleDegrees: Double
    /// The collision box used when placing it.
    public let minX: Double, minY: Double, maxX: Double, maxY: Double
}

/// The drawn map: the SVG, the layers drawn in legend order, and the labels placed.
public struct RenderedMap: Sendable {
    public let svg: HTML
    /// Exactly the layers drawn, in the legend's order (top of the drawing first).
    public let legend: [MapLayer]
    public let labels: [MapLabel]
    /// Where the legend was drawn inside the map (nil when it was not).
    public let legendBox: PixelBox?
}

/// The one map component (issue #14): draws `MapContent` for a `MapViewport` as an SVG through the `HTML` type,
/// in this order, bottom to top: base-map tiles, the risk surface (muted), streets by class, the boundary, shaded
/// areas, clickable cells, zones (bold outlines, labelled), incidents by category, marked places, street labels,
/// then the scale bar, the north arrow and the legend. Only what lies in the viewport is drawn (streets through the
/// layer's segment index, surface cells, areas, incidents and markers by their position), so a zone view costs the
/// same in a city of 200,000 incidents and 50,000 street segments as in a small one.
///
/// At city-wide scales minor streets are left out (service roads above 12 m per pixel, residential and other
/// roads above 25 m per pixel) so the map stays legible and small; the legend then omits them too.
public struct MapRenderer: Sendable {
    public var projection: TransverseMercator
    /// Most surface cells drawn (the highest in the view).
    public var surfaceCellLimit: Int
    public var labelFontSize: Double
    /// Whether the legend is drawn inside the SVG (pages that show it beside the map use `RenderedMap.legend`).
    public var legendInside: Bool

    public init(projection: TransverseMercator, surfaceCellLimit: Int = 6_000, labelFontSize: Double = 11, legendInside: Bool = true) {
        self.projection = projection
        self.surfaceCellLimit = surfaceCellLimit
        self.labelFontSize = labelFontSize
        self.legendInside = legendInside
    }

    /// Draws the map. `title` is the SVG's accessible name; `id` its element id.
    public func render(_ content: MapContent, in viewport: MapViewport, id: String = "map", title: String) -> RenderedMap {
        var groups = [HTML]()
        var drawn = [MapLayer]()
        var placer = LabelPlacer(width: viewport.widthPixels, height: viewport.heightPixels)
        let furniture = furnitureBoxes(viewport)
        for box in furniture { placer.reserve(box) }
        if let template = content.tileURLTemplate, let tiles = tiles(template: template, viewport: viewport) {
            groups.append(tiles)
            drawn.append(.tiles)
        }
        if let lattice = content.lattice, let values = content.surface, let g = surface(values, lattice: lattice, viewport: viewport) {
            groups.append(g)
            drawn.append(.surface)
        }
        var streetLabels = [StreetLabelCandidate]()
        if let layer = content.streets {
            let (g, classes, candidates) = streets(layer, viewport: viewport)
            groups.append(contentsOf: g)
            drawn.append(contentsOf: classes.map(MapLayer.streets))
            streetLabels = candidates
        }
        if let boundary = content.boundary, let g = self.boundary(boundary, viewport: viewport) {
            groups.append(g)
            drawn.append(.boundary)
        }
        if let lattice = content.lattice, !content.areas.isEmpty {
            let (g, kinds) = areas(content.areas, lattice: lattice, viewport: viewport)
            groups.append(contentsOf: g)
            drawn.append(contentsOf: kinds.map(MapLayer.area))
        }
        if let lattice = content.lattice, let cells = content.clickableCells, let g = clickable(cells, lattice: lattice, viewport: viewport) {
            groups.append(g)
            drawn.append(.cells)
        }
        var labels = [MapLabel](), zoneArea = [PixelBox]()
        if let lattice = content.lattice, !content.zones.isEmpty {
            let (g, statuses, zoneLabels, covered) = zones(content.zones, lattice: lattice, viewport: viewport, placer: &placer)
            zoneArea = covered
            groups.append(contentsOf: g)
            drawn.append(contentsOf: statuses.map(MapLayer.zones))
            labels.append(contentsOf: zoneLabels)
        }
        if !content.incidents.isEmpty {
            let (g, categories) = incidents(content.incidents, viewport: viewport)
            groups.append(contentsOf: g)
            drawn.append(contentsOf: categories.map(MapLayer.incidents))
        }
        if let g = markers(content.markers, viewport: viewport) {
            groups.append(g)
            drawn.append(.markers)
        }
        var legendFrame: PixelBox?
        if legendInside, !drawn.isEmpty {
            legendFrame = self.legendFrame(rows: drawn.count, viewport: viewport, avoiding: zoneArea)
            placer.reserve(legendFrame!)
        }
        let (labelGroup, placed) = placeStreetLabels(streetLabels, placer: &placer)
        groups.append(labelGroup)
        labels.append(contentsOf: placed)
        let legend = Array(drawn.reversed())
        groups.append(scaleBar(viewport))
        groups.append(northArrow(viewport))
        if let legendFrame { groups.append(legendBox(legend, frame: legendFrame)) }
        let w = Int(viewport.widthPixels), h = Int(viewport.heightPixels)
        let svg: HTML = """
            <svg xmlns="http://www.w3.org/2000/svg" id="\(id)" class="zc-map" role="img" aria-label="\(title)" viewBox="0 0 \(w) \(h)" \
            width="\(w)" height="\(h)" font-family="sans-serif" font-size="\(labelFontSize, decimals: 0)" style="background:#fbfbf8">\
            <title>\(title)</title>\(groups)</svg>
            """
        return RenderedMap(svg: svg, legend: legend, labels: labels, legendBox: legendFrame)
    }

    /// The jurisdiction boundary: thin, dark grey, dash-dot, no fill.
    func boundary(_ boundary: GeoMultiPolygon, viewport: MapViewport) -> HTML? {
        let p = projection.prepared()
        var path = SVGPath(reservingCapacity: 4_096)
        for polygon in boundary.polygons {
            for ring in [polygon.outer] + polygon.holes where ring.count >= 3 {
                for (k, g) in ring.enumerated() {
                    let q = p.project(g)
                    if k == 0 { path.move(toX: viewport.x(q), y: viewport.y(q)) } else { path.line(toX: viewport.x(q), y: viewport.y(q)) }
                }
                path.close()
            }
        }
        guard !path.isEmpty else { return nil }
        return """
            <g data-layer="boundary" fill="none" stroke="#3a3a3a" stroke-width="1.6" stroke-dasharray="10 3 2 3"><path d="\(path)"/></g>
            """
    }

    /// Cells as separate squares carrying their id, transparent but clickable, for click-to-adjust.
    func clickable(_ cells: [Int], lattice: CellLattice, viewport: MapViewport) -> HTML? {
        let view = viewport.bounds
        let size = lattice.cellSizeMeters / viewport.metersPerPixel
        let rects = cells.compactMap { c -> HTML? in
            guard c >= 0, c < lattice.cellCount else { return nil }
            let sq = lattice.square(of: c)
            guard sq.maxX >= view.minX, sq.minX <= view.maxX, sq.maxY >= view.minY, sq.minY <= view.maxY else { return nil }
            let x = viewport.x(PlanarPoint(xMeters: sq.minX, yMeters: sq.maxY)), y = viewport.y(PlanarPoint(xMeters: sq.minX, yMeters: sq.maxY))
            return "<rect data-cell=\"\(c)\" x=\"\(x, decimals: 1)\" y=\"\(y, decimals: 1)\" width=\"\(size, decimals: 1)\" height=\"\(size, decimals: 1)\"/>"
        }
        guard !rects.isEmpty else { return nil }
        return """
            <g data-layer="cells" fill="#ffffff" fill-opacity="0" stroke="#8a8a8a" stroke-opacity="0.35" stroke-width="0.5" \
            pointer-events="all">\(rects)</g>
            """
    }
}
