import Foundation
public import ZoneCastCore

/// The shipped presets (mapping files) and jurisdictions, read from the module's resources.
public enum Presets {
    public static var names: [String] {
        let dir = Bundle.module.resourceURL?.appendingPathComponent("Presets")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir?.path ?? "")) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    public static func mapping(named name: String) throws(IngestError) -> Mapping {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Presets"),
              let data = try? Data(contentsOf: url) else { throw .unknownPreset(name, known: names) }
        return try Mapping.decode(data, file: "preset \(name)")
    }

    public static func mapping(file path: String) throws(IngestError) -> Mapping {
        guard let data = FileManager.default.contents(atPath: path) else { throw .fileNotFound(path) }
        return try Mapping.decode(data, file: path)
    }

    public static var jurisdictionNames: [String] {
        let dir = Bundle.module.resourceURL?.appendingPathComponent("Jurisdictions")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir?.path ?? "")) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// A shipped jurisdiction by name, or a jurisdiction JSON file by path.
    public static func jurisdiction(_ nameOrPath: String) throws -> Jurisdiction {
        let data: Data
        if let url = Bundle.module.url(forResource: nameOrPath, withExtension: "json", subdirectory: "Jurisdictions"),
           let d = try? Data(contentsOf: url) {
            data = d
        } else if let d = FileManager.default.contents(atPath: nameOrPath) {
            data = d
        } else {
            throw IngestError.unknownJurisdiction(nameOrPath, known: jurisdictionNames)
        }
        return try JurisdictionFile.decode(data, file: nameOrPath)
    }
}

/// The JSON shape of a jurisdiction file: the boundary is GeoJSON (inline object or a file path beside it).
struct JurisdictionFile: Codable {
    var name: String
    var displayName: String
    var timeZone: String
    var boundary: AnyJSON
    var projectionOrigin: [Double]?
    var defaultLocations: [DefaultLocationFile]?
    var synthetic: Bool?

    struct DefaultLocationFile: Codable {
        var name: String
        var latitude: Double
        var longitude: Double
        var radiusMeters: Double
        var addressPatterns: [String]?
    }

    static func decode(_ data: Data, file: String) throws -> Jurisdiction {
        let f: JurisdictionFile
        do {
            f = try JSONDecoder().decode(JurisdictionFile.self, from: data)
        } catch {
            throw CoreError.invalidJurisdiction("\(file): \(error)")
        }
        let boundary = try GeoJSON.multiPolygon(from: f.boundary.data)
        let origin = f.projectionOrigin.flatMap { $0.count == 2 ? GeoPoint(latitude: $0[0], longitude: $0[1]) : nil }
        return try Jurisdiction(
            name: f.name, displayName: f.displayName, timeZoneIdentifier: f.timeZone, boundary: boundary, projectionOrigin: origin,
            defaultLocations: (f.defaultLocations ?? []).map {
                DefaultLocation(name: $0.name, location: GeoPoint(latitude: $0.latitude, longitude: $0.longitude), radiusMeters: $0.radiusMeters,
                                addressPatterns: $0.addressPatterns ?? [])
            },
            isSynthetic: f.synthetic ?? false
        ).validated()
    }
}

/// Holds an arbitrary JSON value so GeoJSON can be passed through to its own parser.
struct AnyJSON: Codable {
    let data: Data

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let value = try c.decode(JSONValue.self)
        data = try JSONEncoder().encode(value)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(try JSONDecoder().decode(JSONValue.self, from: data))
    }
}
