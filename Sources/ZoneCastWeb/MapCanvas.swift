import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastReports

/// An SVG map drawn by the application (no tiles, no network): a frame in the jurisdiction's projection, scaled
/// to a fixed pixel width, to which layers of boundary, grid cells, points and markers are added. Each layer is a
/// `<g>` with a class, so the page's layer toggles (plain CSS) can hide it.
struct MapCanvas {
    let projection: TransverseMercator.Prepared
    let minX: Double, minY: Double, scale: Double
    let width: Double, height: Double
    var layers: [String] = []

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
    func xy(_ p: PlanarPoint) -> String { String(format: "%.1f,%.1f", x(p), y(p)) }

    mutating func add(_ svg: String) { layers.append(svg) }

    mutating func addBoundary(_ boundary: GeoMultiPolygon) {
        var s = "<g class=\"layer-boundary\" fill=\"none\" stroke=\"#555\" stroke-width=\"1\">"
        for polygon in boundary.polygons {
            s += "<polygon points=\"\(polygon.outer.map { xy(projection.project($0)) }.joined(separator: " "))\"/>"
        }
        add(s + "</g>")
    }

    /// Cells as one path of squares ("M x y h s v s h -s z" per cell): a third of the bytes of one `<rect>` per
    /// cell, which matters on a dashboard of a thousand cells viewed hundreds of times a minute.
    func cellPath(_ cells: [Int], grid: Grid) -> String {
        let side = max(0.8, grid.cellSizeMeters * scale)
        let s = Self.number(side)
        var d = ""
        d.reserveCapacity(cells.count * 28)
        for c in cells {
            let corner = PlanarPoint(xMeters: grid.originX + Double(grid.column(of: c)) * grid.cellSizeMeters,
                                     yMeters: grid.originY + Double(grid.row(of: c) + 1) * grid.cellSizeMeters)
            d += "M\(Self.number(x(corner))) \(Self.number(y(corner)))h\(s)v\(s)h-\(s)z"
        }
        return "<path d=\"\(d)\"/>"
    }

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
        var g = "<g class=\"layer-surface\" fill-opacity=\"0.8\">"
        for (k, cells) in byClass.enumerated() where !cells.isEmpty {
            g += "<g fill=\"\(ColorRamp.hex((Double(k) + 0.5) / Double(classes)))\">" + cellPath(cells, grid: surface.grid) + "</g>"
        }
        add(g + "</g>")
    }

    /// A zone: its cells and a label. `kind` is "active" or "proposed" (drawn differently).
    mutating func addZone(id: String, cells: [Int], grid: Grid, kind: String, link: String?) {
        let colour = kind == "proposed" ? "#e07b00" : "#0057b8"
        let style = kind == "proposed" ? " stroke-dasharray=\"3 2\" fill-opacity=\"0.25\"" : " fill-opacity=\"0.45\""
        var s = "<g class=\"zone layer-zones-\(kind)\" data-zone=\"\(HTML.escape(id))\" fill=\"\(colour)\"\(style) stroke=\"\(colour)\" stroke-width=\"0.6\">"
        if let link { s += "<a href=\"\(HTML.escape(link))\"><title>\(HTML.escape(id)) (\(kind))</title>" }
        s += cellPath(cells, grid: grid)
        if let top = cells.min(by: { (grid.row(of: $0), -grid.column(of: $0)) > (grid.row(of: $1), -grid.column(of: $1)) }) {
            let c = grid.center(of: top)
            s += "<text x=\"\(String(format: "%.1f", x(c) + 6))\" y=\"\(String(format: "%.1f", y(c) - 6))\" fill=\"#000\" fill-opacity=\"1\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\" font-weight=\"bold\">\(HTML.escape(id))</text>"
        }
        if link != nil { s += "</a>" }
        add(s + "</g>")
    }

    /// Points (incidents) of one category as round dots: one path of zero-length strokes with round caps, about
    /// a quarter of the bytes of a `<circle>` each.
    mutating func addPoints(_ points: [PlanarPoint], layer: String, colour: String, radius: Double = 2.2) {
        var d = ""
        d.reserveCapacity(points.count * 14)
        for p in points where p.xMeters >= minX && p.yMeters >= minY {
            d += "M\(Self.number(x(p))) \(Self.number(y(p)))h0"
        }
        add("<g class=\"layer-\(layer)\"><path d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-opacity=\"0.75\" stroke-width=\"\(Self.number(2 * radius))\" stroke-linecap=\"round\"/></g>")
    }

    /// A coordinate to one decimal, without a trailing ".0" (pixels; a tenth is below what a screen shows).
    /// Not finite or beyond a billion pixels (a point projected from far away) is clamped, never converted raw.
    static func number(_ v: Double) -> String {
        let tenths = Int(v.isNaN ? 0 : min(max((v * 10).rounded(), -1e13), 1e13))
        let whole = tenths / 10, frac = abs(tenths % 10)
        if frac == 0 { return String(whole) }
        return (tenths < 0 && whole == 0 ? "-0" : String(whole)) + "." + String(frac)
    }

    /// Markers with a tooltip (intelligence items).
    mutating func addMarkers(_ markers: [(point: PlanarPoint, title: String)], layer: String) {
        var s = "<g class=\"layer-\(layer)\" fill=\"#6a1b9a\" stroke=\"#fff\" stroke-width=\"1\">"
        for m in markers {
            let cx = x(m.point), cy = y(m.point)
            s += "<path d=\"M\(String(format: "%.1f", cx)) \(String(format: "%.1f", cy - 7))l5 7l-5 7l-5 -7z\"><title>\(HTML.escape(m.title))</title></path>"
        }
        add(s + "</g>")
    }

    func svg(id: String = "map", label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(id)\" role=\"img\" aria-label=\"\(HTML.escape(label))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" style=\"background:#fafafa\" font-family=\"sans-serif\" font-size=\"12\">"
            + layers.joined() + "</svg>"
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
