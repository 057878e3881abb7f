import Foundation
import ZoneCastCore
import ZoneCastHTML
import ZoneCastReports

extension MapCanvas {
    /// Base-map tiles from a department's own tile server ("{z}/{x}/{y}" template, Web Mercator "slippy map"
    /// tiles), placed under the app's layers. Each tile's corners are projected into the map's transverse
    /// Mercator frame; at city scale the two projections differ by well under a pixel within a tile apart from
    /// a small rotation (meridian convergence, about 0.15° 20 km from the central meridian), which is invisible
    /// at the zooms chosen here. At most `maxTiles` tiles: the zoom is the finest that fits.
    mutating func addTiles(template: String, maxTiles: Int = 64) {
        let corners = [PlanarPoint(xMeters: minX, yMeters: minY), PlanarPoint(xMeters: minX + width / scale, yMeters: minY + height / scale)].map(projection.unproject)
        let west = min(corners[0].longitude, corners[1].longitude), east = max(corners[0].longitude, corners[1].longitude)
        let south = min(corners[0].latitude, corners[1].latitude), north = max(corners[0].latitude, corners[1].latitude)
        var zoom = 18
        func range(_ z: Int) -> (x: ClosedRange<Int>, y: ClosedRange<Int>) {
            (Self.tileX(west, z)...Self.tileX(east, z), Self.tileY(north, z)...Self.tileY(south, z))
        }
        while zoom > 1, range(zoom).x.count * range(zoom).y.count > maxTiles { zoom -= 1 }
        let r = range(zoom)
        var s = "<g class=\"layer-tiles\">"
        for tx in r.x {
            for ty in r.y {
                let nw = projection.project(GeoPoint(latitude: Self.tileLatitude(ty, zoom), longitude: Self.tileLongitude(tx, zoom)))
                let se = projection.project(GeoPoint(latitude: Self.tileLatitude(ty + 1, zoom), longitude: Self.tileLongitude(tx + 1, zoom)))
                let url = template.replacingOccurrences(of: "{z}", with: String(zoom)).replacingOccurrences(of: "{x}", with: String(tx)).replacingOccurrences(of: "{y}", with: String(ty))
                s += "<image href=\"\(LegacyHTML.escape(url))\" x=\"\(String(format: "%.1f", x(nw)))\" y=\"\(String(format: "%.1f", y(nw)))\" width=\"\(String(format: "%.1f", x(se) - x(nw)))\" height=\"\(String(format: "%.1f", y(se) - y(nw)))\" preserveAspectRatio=\"none\"/>"
            }
        }
        add(s + "</g>")
    }

    static func tileX(_ longitude: Double, _ z: Int) -> Int {
        Int(((longitude + 180) / 360 * pow(2, Double(z))).rounded(.down))
    }

    static func tileY(_ latitude: Double, _ z: Int) -> Int {
        let phi = latitude * .pi / 180
        return Int(((1 - log(tan(phi) + 1 / cos(phi)) / .pi) / 2 * pow(2, Double(z))).rounded(.down))
    }

    static func tileLongitude(_ x: Int, _ z: Int) -> Double { Double(x) / pow(2, Double(z)) * 360 - 180 }

    static func tileLatitude(_ y: Int, _ z: Int) -> Double {
        atan(sinh(.pi * (1 - 2 * Double(y) / pow(2, Double(z))))) * 180 / .pi
    }
}

extension WebConfiguration {
    /// The tile server's origin ("http://tiles.local:8081"), which the pages' Content-Security-Policy must allow.
    var tileOrigin: String? {
        guard let t = tileURLTemplate, let url = URL(string: t.replacingOccurrences(of: "{z}", with: "0").replacingOccurrences(of: "{x}", with: "0").replacingOccurrences(of: "{y}", with: "0")),
              let scheme = url.scheme, let host = url.host else { return nil }
        return "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")"
    }
}
