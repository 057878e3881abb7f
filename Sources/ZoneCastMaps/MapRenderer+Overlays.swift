import Foundation
public import ZoneCastCore
import ZoneCastHTML
import ZoneCastStreets

/// A marked place with a tooltip (an intelligence item), drawn as a purple diamond.
public struct MapMarker: Hashable, Sendable {
    public var position: PlanarPoint
    public var title: String

    public init(position: PlanarPoint, title: String) {
        self.position = position
        self.title = title
    }
}

/// Cells shaded as one kind of area (the outcomes page's buffer rings and comparison places): one legend row per
/// kind (`data-layer="area-<key>"`), each part a group of its own with an optional id (`data-part`) and tooltip.
/// Drawn translucent over the streets and under the zones, so both stay readable.
public struct MapArea: Hashable, Sendable {
    public struct Part: Hashable, Sendable {
        public var id: String?
        public var title: String?
        public var cells: [Int]

        public init(id: String? = nil, title: String? = nil, cells: [Int]) {
            self.id = id
            self.title = title
            self.cells = cells
        }
    }

    public var key: String
    public var label: String
    /// A fill colour ("#009e73") and its opacity.
    public var colour: String
    public var opacity: Double
    public var parts: [Part]

    public init(key: String, label: String, colour: String, opacity: Double = 0.35, parts: [Part]) {
        self.key = key
        self.label = label
        self.colour = colour
        self.opacity = opacity
        self.parts = parts
    }
}

extension MapLayer {
    public static let markers = MapLayer(key: "markers", label: "Intelligence item")
    public static func area(_ a: MapArea) -> MapLayer { MapLayer(key: "area-\(a.key)", label: a.label, swatchColour: a.colour) }
}

extension MapRenderer {
    /// Areas with at least one cell in view, one group per area kind; the kinds drawn.
    func areas(_ areas: [MapArea], lattice: CellLattice, viewport: MapViewport) -> ([HTML], [MapArea]) {
        let view = viewport.bounds
        let side = max(0.6, lattice.cellSizeMeters / viewport.metersPerPixel)
        var groups = [HTML](), drawn = [MapArea]()
        for area in areas {
            let parts = area.parts.compactMap { part -> HTML? in
                var path = SVGPath(reservingCapacity: part.cells.count * 24)
                for c in part.cells where c >= 0 && c < lattice.cellCount {
                    let sq = lattice.square(of: c)
                    guard sq.maxX >= view.minX, sq.minX <= view.maxX, sq.maxY >= view.minY, sq.minY <= view.maxY else { continue }
                    let corner = PlanarPoint(xMeters: sq.minX, yMeters: sq.maxY)
                    path.move(toX: viewport.x(corner), y: viewport.y(corner))
                    path.horizontal(by: side)
                    path.vertical(by: side)
                    path.horizontal(by: -side)
                    path.close()
                }
                guard !path.isEmpty else { return nil }
                let id: HTML = part.id.map { " data-part=\"\($0)\"" } ?? ""
                let title: HTML = part.title.map { "<title>\($0)</title>" } ?? ""
                return "<g\(id)>\(title)<path d=\"\(path)\"/></g>"
            }
            guard !parts.isEmpty else { continue }
            groups.append("""
                <g data-layer="area-\(area.key)" fill="\(area.colour)" fill-opacity="\(area.opacity, decimals: 2)" stroke="none">\(parts)</g>
                """)
            drawn.append(area)
        }
        return (groups, drawn)
    }

    /// Markers in view as diamonds, each with its tooltip; nil when none is in view.
    func markers(_ markers: [MapMarker], viewport: MapViewport) -> HTML? {
        let view = viewport.bounds
        let shapes = markers.filter { view.contains($0.position) }.map { m -> HTML in
            var path = SVGPath()
            path.move(toX: viewport.x(m.position), y: viewport.y(m.position) - 7)
            path.line(byX: 5, y: 7)
            path.line(byX: -5, y: 7)
            path.line(byX: -5, y: -7)
            path.close()
            return "<path d=\"\(path)\"><title>\(m.title)</title></path>"
        }
        guard !shapes.isEmpty else { return nil }
        return "<g data-layer=\"markers\" fill=\"\(MapStyle.markerColour)\" stroke=\"#fff\" stroke-width=\"1\">\(shapes)</g>"
    }
}
