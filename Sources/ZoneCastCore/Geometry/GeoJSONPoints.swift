public import Foundation

extension GeoJSON {
    /// The points of GeoJSON text: Point and MultiPoint geometries, bare, in a Feature, a FeatureCollection or a
    /// GeometryCollection (other geometries are skipped; a feature with a null geometry too). For the analyst's static
    /// layers (liquor outlets, transit stops, vacant properties). A position that is not [longitude, latitude] within
    /// WGS84 ranges is refused with its JSON path and value, e.g. `$.features[3].geometry.coordinates: [181, 40] is not
    /// a WGS84 position`. Pure: takes bytes, returns values or a `CoreError`.
    public static func points(from data: Data) throws(CoreError) -> [GeoPoint] {
        let object: JSONValue
        do {
            object = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw CoreError.invalidGeoJSON("$: not valid JSON (\(error.localizedDescription))")
        }
        return try points(in: object, path: "$")
    }

    private static func points(in object: JSONValue, path: String) throws(CoreError) -> [GeoPoint] {
        guard let dict = object.objectValue, let type = dict["type"]?.stringValue else {
            throw CoreError.invalidGeoJSON("\(path): expected an object with a \"type\"")
        }
        switch type {
        case "FeatureCollection":
            guard let features = dict["features"]?.arrayValue else { throw CoreError.invalidGeoJSON("\(path).features: missing array") }
            var out: [GeoPoint] = []
            for (i, f) in features.enumerated() { out += try points(in: f, path: "\(path).features[\(i)]") }
            return out
        case "Feature":
            guard let geometry = dict["geometry"], geometry != .null else { return [] }
            return try points(in: geometry, path: "\(path).geometry")
        case "GeometryCollection":
            guard let geometries = dict["geometries"]?.arrayValue else { throw CoreError.invalidGeoJSON("\(path).geometries: missing array") }
            var out: [GeoPoint] = []
            for (i, g) in geometries.enumerated() { out += try points(in: g, path: "\(path).geometries[\(i)]") }
            return out
        case "Point":
            return [try position(dict["coordinates"], path: "\(path).coordinates")]
        case "MultiPoint":
            guard let list = dict["coordinates"]?.arrayValue else { throw CoreError.invalidGeoJSON("\(path).coordinates: missing array") }
            var out: [GeoPoint] = []
            for (i, p) in list.enumerated() { out.append(try position(p, path: "\(path).coordinates[\(i)]")) }
            return out
        default:
            return []
        }
    }

    private static func position(_ value: JSONValue?, path: String) throws(CoreError) -> GeoPoint {
        guard let pos = value?.arrayValue, pos.count >= 2, let lon = pos[0].numberValue, let lat = pos[1].numberValue else {
            throw CoreError.invalidGeoJSON("\(path): a position must be [longitude, latitude], got \(shown(value))")
        }
        guard lat.isFinite, lon.isFinite, abs(lat) <= 90, abs(lon) <= 180 else {
            throw CoreError.invalidGeoJSON("\(path): [\(lon), \(lat)] is not a WGS84 position")
        }
        return GeoPoint(latitude: lat, longitude: lon)
    }

    /// A JSON value as it was written (at most 60 characters), for errors; "nothing" when absent.
    private static func shown(_ value: JSONValue?) -> String {
        guard let value, let data = try? JSONEncoder().encode(value) else { return "nothing" }
        let text = String(decoding: data, as: UTF8.self)
        return text.count > 60 ? String(text.prefix(60)) + "\u{2026}" : text
    }
}
