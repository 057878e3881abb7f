public import Foundation
public import ZoneCastStreets

/// The one I/O boundary of OSM street import: turning an OpenStreetMap file into GeoJSON features. The live
/// implementation runs Debian's `osmium` (`OsmiumExtractor`); tests use `InMemoryOSMExtractor`. Everything after
/// the bytes (which features are streets, classes, landmarks, problems) is the pure `StreetReaders.osm`.
public protocol OSMExtractor: Sendable {
    /// The streets and landmark candidates of an OSM file (`.osm.pbf`, `.osm`, `.osm.bz2`...) as GeoJSON (a
    /// FeatureCollection or a GeoJSON text sequence).
    func export(_ file: URL) async throws(OSMError) -> Data
}

/// Reading street layers from files, whatever their kind: OSM extracts go through an `OSMExtractor`; GeoJSON
/// exports (`.geojson`, `.geojsonseq`, `.json`) are read directly as OSM-tagged GeoJSON, as `osmium export` writes
/// them.
public enum OSMStreetSource {
    /// Whether a file needs osmium (an OSM extract) rather than being GeoJSON already.
    public static func needsExtractor(_ file: URL) -> Bool {
        let name = file.lastPathComponent.lowercased()
        return !(name.hasSuffix(".geojson") || name.hasSuffix(".geojsonseq") || name.hasSuffix(".geojsonl") || name.hasSuffix(".json"))
    }

    /// Streets, landmarks and per-feature problems of one OSM file or OSM-tagged GeoJSON file.
    public static func read(_ file: URL, extractor: any OSMExtractor) async throws(OSMError) -> StreetReadResult {
        let data: Data
        if needsExtractor(file) {
            data = try await extractor.export(file)
        } else {
            do { data = try Data(contentsOf: file) } catch { throw .io(path: file.path, reason: error.localizedDescription) }
        }
        do { return try StreetReaders.osm(data, source: file.lastPathComponent) } catch { throw .streets(error) }
    }
}

/// A fake extractor for tests: answers from a table of file path to GeoJSON, or fails as told.
public struct InMemoryOSMExtractor: OSMExtractor {
    public var exports: [String: Data]
    public var failure: OSMError?

    public init(exports: [String: Data] = [:], failure: OSMError? = nil) {
        self.exports = exports
        self.failure = failure
    }

    public func export(_ file: URL) async throws(OSMError) -> Data {
        if let failure { throw failure }
        guard let data = exports[file.path] else { throw .io(path: file.path, reason: "no such file in the in-memory extractor") }
        return data
    }
}
