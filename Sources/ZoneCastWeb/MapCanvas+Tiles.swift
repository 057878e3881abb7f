import Foundation
import ZoneCastCore
import ZoneCastHTML

extension MapCanvas {
    /// Base-map tiles from a department's own tile server ("{z}/{x}/{y}" template, Web Mercator "slippy map"
    /// tiles), placed under the app's layers. Each tile's corners are projected into the map's transverse
    /// Mercator frame; at city scale the two projections differ by well under a pixel within a tile apart from
    /// a small rotation (meridian convergence, about 0.15° 20 km from the central meridian), which is invisible
    /// at the zooms chosen here. At most `maxTiles` tiles: the zoom is the finest that fits.
    mutating func addTiles(template: String, maxTiles: Int = 64) {
        let corners = [PlanarPoint(xMeters: minX, yMeters: minY), PlanarPoint(xMeters: minX + width / scale, yMeters: minY + height / scale)]
            .map(projection.unproject)
        let west = min(corners[0].longitude, corners[1].longitude), east = max(corners[0].longitude, corners[1].longitude)
        let south = min(corners[0].latitude, corners[1].latitude), north = max(corners[0].latitude, corners[1].latitude)
        var zoom = 18
        func range(_ z: Int) -> (x: ClosedRange<Int>, y: ClosedRange<Int>) {
            (Self.tileX(west, z)...Self.tileX(east, z), Self.tileY(north, z)...Self.tileY(south, z))
        }
        while zoom > 1, range(zoom).x.count * range(zoom).y.count > maxTiles { zoom -= 1 }
        let r = range(zoom)
        let images = r.x.flatMap { tx in
            r.y.map { ty -> HTML in
                let nw = projection.project(GeoPoint(latitude: Self.tileLatitude(ty, zoom), longitude: Self.tileLongitude(tx, zoom)))
                let se = projection.project(GeoPoint(latitude: Self.tileLatitude(ty + 1, zoom), longitude: Self.tileLongitude(tx + 1, zoom)))
                let url = template.replacingOccurrences(of: "{z}", with: String(zoom)).replacingOccurrences(of: "{x}", with: String(tx))
                    .replacingOccurrences(of: "{y}", with: String(ty))
                return """
                    <image href="\(url)" x="\(x(nw), decimals: 1)" y="\(y(nw), decimals: 1)" width="\(x(se) - x(nw), decimals: 1)" \
                    height="\(y(se) - y(nw), decimals: 1)" preserveAspectRatio="none"/>
                    """
            }
        }
        add("<g class=\"layer-tiles\">\(images)</g>")
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
        guard let t = tileURLTemplate,
              let url = URL(string: ["{z}", "{x}", "{y}"].reduce(t) { $0.replacingOccurrences(of: $1, with: "0") }),
              let scheme = url.scheme, let host = url.host else { return nil }
        return "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")"
    }
}
