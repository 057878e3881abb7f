import Foundation
import ZoneCastCore
import ZoneCastHTML

extension MapRenderer {
    /// Slippy-map ("{z}/{x}/{y}", Web Mercator) tiles under the map at the zoom whose tiles come closest to 256
    /// pixels on screen at this scale: z = round(log₂(156,543.03 m · cos φ / metres per pixel)), 0...19, so every
    /// zoom view gets tiles of matching detail. Each tile's corners are projected into the map's transverse
    /// Mercator; at city scale the two differ within a tile by a small rotation (meridian convergence, about 0.15°
    /// 20 km from the central meridian), under a pixel at these sizes. At most 100 tiles (a very tall or wide view
    /// takes a coarser zoom). The template is checked by `validTileTemplate`; a bad one draws no tiles.
    func tiles(template: String, viewport: MapViewport) -> HTML? {
        guard Self.validTileTemplate(template) else { return nil }
        let p = projection.prepared()
        let b = viewport.bounds
        let corners = [PlanarPoint(xMeters: b.minX, yMeters: b.minY), PlanarPoint(xMeters: b.maxX, yMeters: b.maxY),
                       PlanarPoint(xMeters: b.minX, yMeters: b.maxY), PlanarPoint(xMeters: b.maxX, yMeters: b.minY)].map(p.unproject)
        let west = corners.map(\.longitude).min()!, east = corners.map(\.longitude).max()!
        let south = corners.map(\.latitude).min()!, north = corners.map(\.latitude).max()!
        let lat = (south + north) / 2
        var zoom = Self.tileZoom(metersPerPixel: viewport.metersPerPixel, latitude: lat)
        func range(_ z: Int) -> (ClosedRange<Int>, ClosedRange<Int>) {
            (Self.tileX(west, z)...Self.tileX(east, z), Self.tileY(north, z)...Self.tileY(south, z))
        }
        while zoom > 0, range(zoom).0.count * range(zoom).1.count > 100 { zoom -= 1 }
        let (xs, ys) = range(zoom)
        var images = [HTML]()
        for tx in xs {
            for ty in ys {
                let nw = p.project(GeoPoint(latitude: Self.tileLatitude(ty, zoom), longitude: Self.tileLongitude(tx, zoom)))
                let se = p.project(GeoPoint(latitude: Self.tileLatitude(ty + 1, zoom), longitude: Self.tileLongitude(tx + 1, zoom)))
                let url = template.replacingOccurrences(of: "{z}", with: String(zoom)).replacingOccurrences(of: "{x}", with: String(tx))
                    .replacingOccurrences(of: "{y}", with: String(ty))
                images.append("""
                    <image href="\(url)" x="\(viewport.x(nw), decimals: 1)" y="\(viewport.y(nw), decimals: 1)" \
                    width="\(viewport.x(se) - viewport.x(nw), decimals: 1)" height="\(viewport.y(se) - viewport.y(nw), decimals: 1)" \
                    preserveAspectRatio="none"/>
                    """)
            }
        }
        return "<g data-layer=\"tiles\" data-tile-zoom=\"\(zoom)\" opacity=\"0.7\">\(images)</g>"
    }

    /// http(s) and all three placeholders.
    public static func validTileTemplate(_ t: String) -> Bool {
        (t.hasPrefix("https://") || t.hasPrefix("http://")) && t.contains("{z}") && t.contains("{x}") && t.contains("{y}")
    }

    /// The slippy zoom whose 256 px tiles match `metersPerPixel` at `latitude`.
    public static func tileZoom(metersPerPixel: Double, latitude: Double) -> Int {
        let z = log2(156_543.033_92 * cos(latitude * .pi / 180) / metersPerPixel)
        return z.isFinite ? max(0, min(19, Int(z.rounded()))) : 0
    }

    static func tileX(_ longitude: Double, _ z: Int) -> Int {
        let n = pow(2, Double(z))
        return max(0, min(Int(n) - 1, Int(((longitude + 180) / 360 * n).rounded(.down))))
    }

    static func tileY(_ latitude: Double, _ z: Int) -> Int {
        let phi = latitude * .pi / 180, n = pow(2, Double(z))
        return max(0, min(Int(n) - 1, Int(((1 - log(tan(phi) + 1 / cos(phi)) / .pi) / 2 * n).rounded(.down))))
    }

    static func tileLongitude(_ x: Int, _ z: Int) -> Double { Double(x) / pow(2, Double(z)) * 360 - 180 }

    static func tileLatitude(_ y: Int, _ z: Int) -> Double { atan(sinh(.pi * (1 - 2 * Double(y) / pow(2, Double(z))))) * 180 / .pi }
}
