public import Foundation
public import ZoneCastCore
public import ZoneCastOSM
public import ZoneCastStore
public import ZoneCastStreets

/// What `zonecast streets import` did: counts before and after clipping, and the features it skipped.
public struct StreetImportReport: Sendable {
    public var featureCount: Int
    public var streetsRead: Int
    public var landmarksRead: Int
    /// The jurisdiction the layer was clipped to; nil when it was imported unclipped.
    public var clippedTo: String?
    public var problems: [StreetFeatureProblem]
    /// What was stored.
    public var layer: StoredStreetLayer
}

/// Reads a street file, clips it to the jurisdiction and replaces the store's street layer with it. Bad features
/// are reported, never fatal; a file that cannot be read at all (or osmium failing) is an error and the old layer
/// stays. The clock is the caller's (the CLI's wall clock, a test's fixed instant).
public enum StreetImport {
    /// Streets and landmarks of `file`: OSM extracts (.osm.pbf, .osm) through `extractor`; GeoJSON as OSM-tagged
    /// features, or, with a `mapping`, as a city centreline file; a `.csv` as named intersections
    /// (`StreetReaders.intersections`: approximate centrelines joining each street's corners, no landmarks).
    public static func read(_ file: URL, mapping: StreetMapping?, extractor: any OSMExtractor) async throws -> StreetReadResult {
        if file.pathExtension.lowercased() == "csv" {
            guard mapping == nil else {
                throw IngestError.invalidMapping(file: file.lastPathComponent, reason: "--mapping is for city centreline GeoJSON; "
                                                 + "a .csv is read as named intersections (import it without --mapping)")
            }
            let data: Data
            do { data = try Data(contentsOf: file) } catch { throw IngestError.fileNotFound(file.path) }
            return try StreetReaders.intersections(data, source: file.lastPathComponent)
        }
        guard let mapping else { return try await OSMStreetSource.read(file, extractor: extractor) }
        guard !OSMStreetSource.needsExtractor(file) else {
            throw IngestError.invalidMapping(file: file.lastPathComponent,
                                             reason: "--mapping is for city centreline GeoJSON; this is an OSM extract (import it without --mapping)")
        }
        let data: Data
        do { data = try Data(contentsOf: file) } catch { throw IngestError.fileNotFound(file.path) }
        return try StreetReaders.centrelines(data, mapping: mapping, source: file.lastPathComponent)
    }

    /// The read features clipped to `jurisdiction`'s boundary (pieces outside cut off at the crossing, landmarks
    /// outside dropped); unchanged when `jurisdiction` is nil.
    public static func clip(_ read: StreetReadResult, to jurisdiction: Jurisdiction?) -> (streets: [Street], landmarks: [Landmark]) {
        guard let jurisdiction else { return (read.streets, read.landmarks) }
        let layer = StreetLayer(streets: read.streets, landmarks: read.landmarks, projection: jurisdiction.projection).clipped(to: jurisdiction.boundary)
        return (layer.streets.map(\.street), layer.landmarks.map(\.landmark))
    }

    public static func run(_ file: URL, mapping: StreetMapping?, jurisdiction: Jurisdiction?, extractor: any OSMExtractor,
                           store: any StreetStore, clock: @Sendable () -> Date) async throws -> StreetImportReport {
        let read = try await read(file, mapping: mapping, extractor: extractor)
        let kept = clip(read, to: jurisdiction)
        let layer = StoredStreetLayer(streets: kept.streets, landmarks: kept.landmarks, source: file.lastPathComponent, importedAt: clock())
        try await store.replaceStreetLayer(layer)
        return StreetImportReport(featureCount: read.featureCount, streetsRead: read.streets.count, landmarksRead: read.landmarks.count,
                                  clippedTo: jurisdiction?.name, problems: read.problems, layer: layer)
    }
}
