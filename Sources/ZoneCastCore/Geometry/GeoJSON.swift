public import Foundation

/// Reads the boundary geometry out of GeoJSON text: a Polygon, a MultiPolygon, a Feature holding one, or a
/// FeatureCollection (all polygonal features are merged). Pure: takes bytes, returns a value or a `CoreError`.
public enum GeoJSON {
    public static func multiPolygon(from data: Data) throws(CoreError) -> GeoMultiPolygon {
        let object: JSONValue
        do {
            object = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw CoreError.invalidGeoJSON("$: not valid JSON (\(error.localizedDescription))")
        }
        let polygons = try polygons(in: object, path: "$")
        guard !polygons.isEmpty else { throw CoreError.invalidGeoJSON("$: no Polygon or MultiPolygon geometry found") }
        return GeoMultiPolygon(polygons)
    }

    private static func polygons(in object: JSONValue, path: String) throws(CoreError) -> [GeoPolygon] {
        guard let dict = object.objectValue, let type = dict["type"]?.stringValue else {
            throw CoreError.invalidGeoJSON("\(path): expected an object with a \"type\"")
        }
        switch type {
        case "FeatureCollection":
            guard let features = dict["features"]?.arrayValue else { throw CoreError.invalidGeoJSON("\(path).features: missing array") }
            var result: [GeoPolygon] = []
            for (i, f) in features.enumerated() { result += try polygons(in: f, path: "\(path).features[\(i)]") }
            return result
        case "Feature":
            guard let geometry = dict["geometry"], geometry != .null else { return [] }
            return try polygons(in: geometry, path: "\(path).geometry")
        case "Polygon":
            return [try polygon(dict["coordinates"], path: "\(path).coordinates")]
        case "MultiPolygon":
            guard let parts = dict["coordinates"]?.arrayValue else { throw CoreError.invalidGeoJSON("\(path).coordinates: missing array") }
            var result: [GeoPolygon] = []
            for (i, p) in parts.enumerated() { result.append(try polygon(p, path: "\(path).coordinates[\(i)]")) }
            return result
        case "GeometryCollection":
            guard let geometries = dict["geometries"]?.arrayValue else { throw CoreError.invalidGeoJSON("\(path).geometries: missing array") }
            var result: [GeoPolygon] = []
            for (i, g) in geometries.enumerated() { result += try polygons(in: g, path: "\(path).geometries[\(i)]") }
            return result
        default:
            return []
        }
    }

    private static func polygon(_ value: JSONValue?, path: String) throws(CoreError) -> GeoPolygon {
        guard let rings = value?.arrayValue, !rings.isEmpty else { throw CoreError.invalidGeoJSON("\(path): a polygon needs at least one ring") }
        var parsed: [[GeoPoint]] = []
        for (r, ringValue) in rings.enumerated() {
            guard let ring = ringValue.arrayValue else { throw CoreError.invalidGeoJSON("\(path)[\(r)]: a ring must be an array of positions") }
            var points: [GeoPoint] = []
            for (k, posValue) in ring.enumerated() {
                guard let pos = posValue.arrayValue, pos.count >= 2,
                      let lon = pos[0].numberValue, let lat = pos[1].numberValue else {
                    throw CoreError.invalidGeoJSON("\(path)[\(r)][\(k)]: a position must be [longitude, latitude]")
                }
                let p = GeoPoint(latitude: lat, longitude: lon)
                guard lat.isFinite, lon.isFinite, abs(lat) <= 90, abs(lon) <= 180 else {
                    throw CoreError.invalidGeoJSON("\(path)[\(r)][\(k)]: [\(lon), \(lat)] is not a WGS84 position")
                }
                points.append(p)
            }
            guard points.count >= 4 else { throw CoreError.invalidGeoJSON("\(path)[\(r)]: a ring needs at least 4 positions, got \(points.count)") }
            parsed.append(points)
        }
        return GeoPolygon(outer: parsed[0], holes: Array(parsed.dropFirst()))
    }

    /// A boundary as GeoJSON text (a FeatureCollection of one MultiPolygon feature).
    public static func featureCollection(_ boundary: GeoMultiPolygon, properties: [String: String] = [:]) -> String {
        func ring(_ r: [GeoPoint]) -> String {
            var pts = r
            if let f = pts.first, pts.last != f { pts.append(f) }
            return "[" + pts.map { "[\($0.longitude),\($0.latitude)]" }.joined(separator: ",") + "]"
        }
        let coords = "[" + boundary.polygons.map { "[" + ([ring($0.outer)] + $0.holes.map(ring)).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        let props = properties.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }.joined(separator: ",")
        return #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{\#(props)},"geometry":"#
            + #"{"type":"MultiPolygon","coordinates":\#(coords)}}]}"#
    }

    static func jsonString(_ s: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])
        let text = String(decoding: data, as: UTF8.self)
        return String(text.dropFirst().dropLast())
    }
}
