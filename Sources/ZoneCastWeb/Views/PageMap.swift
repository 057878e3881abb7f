import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastStreets

/// Every page's map, drawn by ZoneCastMaps' `MapRenderer` (issue #14): streets when the request has a street
/// layer, base-map tiles when `--tile-url` is set (at every zoom), the boundary, the surface muted, zones as
/// outlines (active solid, proposed dashed), incidents by category, a scale bar, a north arrow and a legend of
/// exactly what is drawn. A zoomable map also gets links to zoom in and out and pan, server-rendered views that
/// need no script (`MapRequest`); every zoomable map on a page follows the same view.
enum PageMap {
    static func lattice(_ g: Grid) -> CellLattice {
        CellLattice(originX: g.originX, originY: g.originY, cellSizeMeters: g.cellSizeMeters, columns: g.columns, rows: g.rows)
    }

    /// The box around some cells, nil for none.
    static func box(of cells: [Int], grid g: Grid) -> PlanarBoundingBox? {
        guard !cells.isEmpty else { return nil }
        let s = g.cellSizeMeters
        let cols = cells.map(g.column(of:)), rows = cells.map(g.row(of:))
        return PlanarBoundingBox(minX: g.originX + Double(cols.min()!) * s, minY: g.originY + Double(rows.min()!) * s,
                                 maxX: g.originX + Double(cols.max()! + 1) * s, maxY: g.originY + Double(rows.max()! + 1) * s)
    }

    /// The box around a jurisdiction's boundary.
    static func box(of jurisdiction: Jurisdiction) -> PlanarBoundingBox? {
        let p = jurisdiction.projection.prepared()
        let points = jurisdiction.boundary.polygons.flatMap { $0.outer.map(p.project) }
        guard let minX = points.map(\.xMeters).min(), let maxX = points.map(\.xMeters).max(),
              let minY = points.map(\.yMeters).min(), let maxY = points.map(\.yMeters).max() else { return nil }
        return PlanarBoundingBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
    }

    /// The figure: the map, its zoom and pan links (when `zoomable`) and a caption. `frame` is the default view,
    /// shown with `marginMeters` around it; `content` gets the request's street layer and tile template here.
    static func figure(id: String, title: String, projection: TransverseMercator, frame: PlanarBoundingBox, widthPixels: Double = 720,
                       marginMeters: Double = 0, maxHeightPixels: Double? = nil, surfaceCellLimit: Int = 6_000, content: MapContent, zoomable: Bool,
                       adjustField: String? = nil, request: MapRequest = MapRequest.current) -> HTML {
        guard var viewport = try? MapViewport(fitting: frame, widthPixels: widthPixels, marginMeters: marginMeters, minHeightPixels: 220,
                                              maxHeightPixels: maxHeightPixels ?? widthPixels * 1.1) else { return .empty }
        if zoomable {
            viewport = viewport.zoomed(by: request.zoom).panned(east: Double(request.east) / 2, north: Double(request.north) / 2)
        }
        var content = content
        // A layer built in another projection would draw streets in the wrong place: better none.
        if content.streets == nil, let streets = request.streets, streets.projection == projection { content.streets = streets }
        content.tileURLTemplate = request.tileURLTemplate
        let renderer = MapRenderer(projection: projection, surfaceCellLimit: surfaceCellLimit, labelFontSize: widthPixels < 400 ? 10 : 11)
        let map = renderer.render(content, in: viewport, id: id, title: title)
        var svg = map.svg
        if let adjustField {
            // The renderer's SVG carries no adjustment target; the figure names the input the script fills.
            svg = "<div class=\"zc-adjust\" data-adjust-for=\"\(adjustField)\">\(map.svg)</div>"
        }
        let nav = zoomable ? navigation(anchor: "fig-\(id)", request: request) : .empty
        return """
            <figure class="zc-figure" id="fig-\(id)" tabindex="-1"><div class="mapwrap">\(svg)</div>\(nav)\
            <figcaption class="note">\(title)</figcaption></figure>
            """
    }

    /// Zoom in and out and pan by half a view: plain links to the same page (no script needed).
    static func navigation(anchor: String, request r: MapRequest) -> HTML {
        func link(_ key: String, _ text: String, zoom: Int, east: Int, north: Int) -> HTML {
            guard MapRequest.zoomLevels.contains(zoom), MapRequest.panSteps.contains(east), MapRequest.panSteps.contains(north) else {
                return "<span class=\"zc-nav-off\">\(text)</span>"
            }
            return "<a data-map-nav=\"\(key)\" href=\"\(r.link(zoom: zoom, east: east, north: north, anchor: anchor))\">\(text)</a>"
        }
        let reset: HTML = r.isDefaultView ? .empty : "<a data-map-nav=\"reset\" href=\"\(r.link(zoom: 0, east: 0, north: 0, anchor: anchor))\">Reset view</a>"
        // Pan steps are half a view at the current scale, so a zoomed-in map moves by less ground.
        return """
            <nav class="zc-zoom no-print" aria-label="Zoom and pan the map">\
            \(link("in", "Zoom in", zoom: r.zoom + 1, east: r.east * 2, north: r.north * 2))\
            \(link("out", "Zoom out", zoom: r.zoom - 1, east: r.east / 2, north: r.north / 2))\
            \(link("west", "West", zoom: r.zoom, east: r.east - 1, north: r.north))\
            \(link("east", "East", zoom: r.zoom, east: r.east + 1, north: r.north))\
            \(link("north", "North", zoom: r.zoom, east: r.east, north: r.north + 1))\
            \(link("south", "South", zoom: r.zoom, east: r.east, north: r.north - 1))\(reset)</nav>
            """
    }
}

/// Colours for incident categories on charts beside the maps: the maps' own (`MapStyle.categoryColour`, Okabe-Ito),
/// so a chart and the map's legend agree.
enum CategoryColour {
    static func of(_ c: HarmCategory) -> String { MapStyle.categoryColour(c) }
}
