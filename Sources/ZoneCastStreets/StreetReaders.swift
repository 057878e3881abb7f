public import Foundation
import ZoneCastCore

/// Readers from GeoJSON to streets and landmarks. Pure: bytes in, values out; the file and `osmium` are the
/// caller's business (`ZoneCastOSM` runs osmium; the CLI reads files).
public enum StreetReaders {
    /// A city street-centreline file (FeatureCollection or sequence of LineString/MultiLineString features)
    /// through a `StreetMapping`. Features without a usable line are reported and skipped; a class value no rule
    /// maps (and no `defaultClass`) is reported and the street kept as `other`; a street without a name is kept
    /// unnamed (drawn, never used in text).
    public static func centrelines(_ data: Data, mapping: StreetMapping, source: String = "street file") throws(StreetsError) -> StreetReadResult {
        var result = StreetReadResult()
        try GeoJSONFeatures.read(data, source: source) { index, feature, raw in
            result.featureCount += 1
            guard let object = feature?.objectValue else {
                result.problems.append(.init(featureIndex: index, field: "feature", value: raw, reason: "not a JSON object"))
                return
            }
            let properties = object["properties"]?.objectValue ?? [:]
            let lines: [[GeoPoint]]
            switch GeoJSONFeatures.lines(object["geometry"]) {
            case .success(let l): lines = l
            case .failure(let p):
                result.problems.append(.init(featureIndex: index, field: "geometry", value: geometryType(object), reason: p.reason))
                return
            }
            let name = Self.name(properties, mapping: mapping)
            var streetClass = mapping.defaultClass ?? .other
            if let (property, value) = mapping.class.lazy.compactMap({ p in GeoJSONFeatures.text(properties[p]).map { (p, $0) } }).first {
                if let mapped = mapping.streetClass(for: value) {
                    streetClass = mapped
                } else if mapping.defaultClass == nil {
                    result.problems.append(.init(featureIndex: index, field: property, value: value,
                                                 reason: "no rule in \"classes\" matches and there is no defaultClass; drawn as other"))
                }
            }
            for line in lines { result.streets.append(Street(name: name, streetClass: streetClass, points: line)) }
        }
        return result
    }

    /// OpenStreetMap data as GeoJSON, the way `osmium export` writes it (tags as properties; a sequence or a
    /// FeatureCollection). Streets are ways with a `highway=*` value `StreetClass(osmHighway:)` knows (footways,
    /// cycleways and steps are not streets and are passed over silently). Named landmarks come from
    /// `amenity=school`, `leisure=park`, `amenity=place_of_worship`, and transit stops (`highway=bus_stop`,
    /// `railway=station|tram_stop|halt`, `public_transport=station|platform`). A street or landmark feature whose
    /// geometry is unusable is reported.
    public static func osm(_ data: Data, source: String = "OSM export") throws(StreetsError) -> StreetReadResult {
        var result = StreetReadResult()
        try GeoJSONFeatures.read(data, source: source) { index, feature, raw in
            result.featureCount += 1
            guard let object = feature?.objectValue else {
                result.problems.append(.init(featureIndex: index, field: "feature", value: raw, reason: "not a JSON object"))
                return
            }
            let tags = (object["properties"]?.objectValue ?? [:]).compactMapValues(GeoJSONFeatures.text)
            let name = tags["name"]?.trimmingCharacters(in: .whitespaces) ?? ""
            let type = geometryType(object)
            if let highway = tags["highway"], type.contains("LineString") {
                guard let streetClass = StreetClass(osmHighway: highway) else { return }
                switch GeoJSONFeatures.lines(object["geometry"]) {
                case .success(let lines):
                    for line in lines { result.streets.append(Street(name: name, streetClass: streetClass, points: line)) }
                case .failure(let p):
                    result.problems.append(.init(featureIndex: index, field: "geometry", value: type, reason: "highway=\(highway): \(p.reason)"))
                }
                return
            }
            guard let kind = landmarkKind(tags), !name.isEmpty else { return }
            guard let point = GeoJSONFeatures.point(object["geometry"]) else {
                result.problems.append(.init(featureIndex: index, field: "geometry", value: type,
                                             reason: "\(kind.label) \"\(name)\" has no usable point or polygon"))
                return
            }
            result.landmarks.append(Landmark(name: name, kind: kind, location: point))
        }
        return result
    }

    /// The landmark kind of a set of OSM tags, nil for other features.
    public static func landmarkKind(_ tags: [String: String]) -> LandmarkKind? {
        if tags["amenity"] == "school" { return .school }
        if tags["amenity"] == "place_of_worship" { return .placeOfWorship }
        if tags["leisure"] == "park" { return .park }
        if tags["highway"] == "bus_stop" || ["station", "tram_stop", "halt"].contains(tags["railway"] ?? "")
            || ["station", "platform"].contains(tags["public_transport"] ?? "") { return .transitStop }
        return nil
    }

    private static func geometryType(_ object: [String: JSONValue]) -> String {
        object["geometry"]?.objectValue?["type"]?.stringValue ?? "(none)"
    }

    private static func name(_ properties: [String: JSONValue], mapping: StreetMapping) -> String {
        for p in mapping.name {
            if let v = GeoJSONFeatures.text(properties[p])?.trimmingCharacters(in: .whitespaces), !v.isEmpty { return v }
        }
        let parts = (mapping.nameParts ?? []).compactMap { GeoJSONFeatures.text(properties[$0])?.trimmingCharacters(in: .whitespaces) }
        return parts.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
