import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastReports

/// An SVG map drawn by the application (no tiles, no network): a frame in the jurisdiction's projection, scaled
/// to a fixed pixel width, to which layers of boundary, grid cells, points and markers are added. Each layer is a
/// `<g>` with a class, so the page's layer toggles (plain CSS) can hide it.
struct MapCanvas {
    let projection: TransverseMercator.Prepared
    let minX: Double, minY: Double, scale: Double
    let width: Double, height: Double
    var layers: [HTML] = []

    /// A frame around `bounds` (planar metres) with a margin, `width` pixels wide.
    init?(projection: TransverseMercator, bounds: PlanarBoundingBox, width: Double = 720, marginMeters: Double = 0) {
        let w = bounds.widthMeters + 2 * marginMeters, h = bounds.heightMeters + 2 * marginMeters
        guard w > 0, h > 0 else { return nil }
        self.projection = projection.prepared()
        self.minX = bounds.minX - marginMeters
        self.minY = bounds.minY - marginMeters
        self.width = width
        self.scale = width / w
        self.height = (h * scale).rounded(.up)
    }

    /// A frame around a jurisdiction's boundary.
    init?(jurisdiction: Jurisdiction, width: Double = 720) {
        let p = jurisdiction.projection.prepared()
        let points = jurisdiction.boundary.polygons.flatMap { $0.outer.map(p.project) }
        guard let minX = points.map(\.xMeters).min(), let maxX = points.map(\.xMeters).max(),
              let minY = points.map(\.yMeters).min(), let maxY = points.map(\.yMeters).max() else { return nil }
        self.init(projection: jurisdiction.projection, bounds: PlanarBoundingBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY), width: width)
    }

    func x(_ p: PlanarPoint) -> Double { (p.xMeters - minX) * scale }
    func y(_ p: PlanarPoint) -> Double { height - (p.yMeters - minY) * scale }

    /// "x,y" in pixels, a tenth of a pixel apart.
    func xy(_ p: PlanarPoint) -> String { "\(SVGNumber.tenths(x(p))),\(SVGNumber.tenths(y(p)))" }

    /// A pixel coordinate to a tenth of a pixel.
    static func number(_ v: Double) -> String { SVGNumber.tenths(v) }

    mutating func add(_ layer: HTML) { layers.append(layer) }

    mutating func addBoundary(_ boundary: GeoMultiPolygon) {
        let polygons = boundary.polygons.map { polygon -> HTML in
            var path = SVGPath(reservingCapacity: polygon.outer.count * 14)
            for (k, point) in polygon.outer.enumerated() {
                let p = projection.project(point)
                if k == 0 { path.move(toX: x(p), y: y(p)) } else { path.line(toX: x(p), y: y(p)) }
            }
            if !path.isEmpty { path.close() }
            return "<path d=\"\(path)\"/>"
        }
        add("<g class=\"layer-boundary\" fill=\"none\" stroke=\"#555\" stroke-width=\"1\">\(polygons)</g>")
    }

    /// Cells as one path of squares ("M x y h s v s h -s z" per cell): a third of the bytes of one `<rect>` per
    /// cell, which matters on a dashboard of a thousand cells viewed hundreds of times a minute.
    func cellPathData(_ cells: [Int], grid: Grid) -> SVGPath {
        let side = max(0.8, grid.cellSizeMeters * scale)
        var path = SVGPath(reservingCapacity: cells.count * 28)
        for c in cells {
            let corner = PlanarPoint(xMeters: grid.originX + Double(grid.column(of: c)) * grid.cellSizeMeters,
                                     yMeters: grid.originY + Double(grid.row(of: c) + 1) * grid.cellSizeMeters)
            path.move(toX: x(corner), y: y(corner))
            path.horizontal(by: side)
            path.vertical(by: side)
            path.horizontal(by: -side)
            path.close()
        }
        return path
    }

    func cellPath(_ cells: [Int], grid: Grid) -> HTML { "<path d=\"\(cellPathData(cells, grid: grid))\"/>" }

    /// The highest cells of a surface on a sequential ramp, in ten colour classes (one path each), only the top
    /// `count` so the page stays small.
    mutating func addSurface(_ surface: RiskSurface, count: Int = 1_500) {
        let top = surface.topCells(count)
        guard let high = top.first.map({ surface.values[$0] }), high > 0 else { return }
        let classes = 10
        var byClass = Array(repeating: [Int](), count: classes)
        for c in top {
            let t = sqrt(max(0, surface.values[c]) / high)
            byClass[min(classes - 1, Int(t * Double(classes)))].append(c)
        }
        let groups = byClass.enumerated().filter { !$0.element.isEmpty }.map { k, cells -> HTML in
            "<g fill=\"\(ColorRamp.colour((Double(k) + 0.5) / Double(classes)))\">\(cellPath(cells, grid: surface.grid))</g>"
        }
        add("<g class=\"layer-surface\" fill-opacity=\"0.8\">\(groups)</g>")
    }

    /// How a zone is drawn: in force (solid blue) or proposed (dashed orange).
    enum ZoneKind: String, Sendable {
        case active, proposed
    }

    /// A zone: its cells and a label.
    mutating func addZone(id: String, cells: [Int], grid: Grid, kind: ZoneKind, link: String?) {
        let colour: HTML = kind == .proposed ? "#e07b00" : "#0057b8"
        let style: HTML = kind == .proposed ? " stroke-dasharray=\"3 2\" fill-opacity=\"0.25\"" : " fill-opacity=\"0.45\""
        var label = HTML.empty
        if let top = cells.min(by: { (grid.row(of: $0), -grid.column(of: $0)) > (grid.row(of: $1), -grid.column(of: $1)) }) {
            let c = grid.center(of: top)
            label = """
                <text x="\(x(c) + 6, decimals: 1)" y="\(y(c) - 6, decimals: 1)" fill="#000" fill-opacity="1" stroke="#fff" stroke-width="3" \
                paint-order="stroke" font-weight="bold">\(id)</text>
                """
        }
        let shape: HTML = "\(cellPath(cells, grid: grid))\(label)"
        let linked: HTML = link.map { "<a href=\"\($0)\"><title>\(id) (\(kind))</title>\(shape)</a>" } ?? shape
        add("""
            <g class="zone layer-zones-\(kind)" data-zone="\(id)" fill="\(colour)"\(style) stroke="\(colour)" stroke-width="0.6">\(linked)</g>
            """)
    }

    /// Points (incidents) of one category as round dots: one path of zero-length strokes with round caps, about
    /// a quarter of the bytes of a `<circle>` each.
    mutating func addPoints(_ points: [PlanarPoint], layer: String, colour: String, radius: Double = 2.2) {
        var path = SVGPath(reservingCapacity: points.count * 14)
        for p in points where p.xMeters >= minX && p.yMeters >= minY {
            path.move(toX: x(p), y: y(p))
            path.horizontal(by: 0)
        }
        add("""
            <g class="layer-\(layer)"><path d="\(path)" fill="none" stroke="\(colour)" stroke-opacity="0.75" \
            stroke-width="\(SVGNumber.tenths(2 * radius))" stroke-linecap="round"/></g>
            """)
    }

    /// Markers with a tooltip (intelligence items).
    mutating func addMarkers(_ markers: [(point: PlanarPoint, title: String)], layer: String) {
        let shapes = markers.map { m -> HTML in
            var path = SVGPath()
            path.move(toX: x(m.point), y: y(m.point) - 7)
            path.line(byX: 5, y: 7)
            path.line(byX: -5, y: 7)
            path.line(byX: -5, y: -7)
            path.close()
            return "<path d=\"\(path)\"><title>\(m.title)</title></path>"
        }
        add("<g class=\"layer-\(layer)\" fill=\"#6a1b9a\" stroke=\"#fff\" stroke-width=\"1\">\(shapes)</g>")
    }

    func svg(id: String = "map", label: String) -> HTML {
        let w = Int(width), h = Int(height)
        return """
            <svg xmlns="http://www.w3.org/2000/svg" id="\(id)" role="img" aria-label="\(label)" viewBox="0 0 \(w) \(h)" width="\(w)" height="\(h)" \
            style="background:#fafafa" font-family="sans-serif" font-size="12">\(layers)</svg>
            """
    }
}

/// Colours for incident categories on maps and charts (colour-blind-safe Okabe–Ito palette).
enum CategoryColour {
    static func of(_ c: HarmCategory) -> String {
        switch c {
        case .homicide: "#000000"
        case .nonFatalShooting: "#d55e00"
        case .driveByShooting: "#cc79a7"
        case .shotsFired: "#f0e442"
        case .fatalTrafficCrash: "#0072b2"
        case .drugOverdose: "#009e73"
        case .aggravatedAssault: "#e69f00"
        case .robbery: "#56b4e9"
        case .other: "#999999"
        }
    }
}
