public import Foundation
public import ZoneCastCore
public import ZoneCastStreets

/// A jurisdiction's street layer as the store keeps it: the features as imported (WGS84), where they came from and
/// when (the caller's clock, like an import batch's finish time).
public struct StoredStreetLayer: Equatable, Sendable {
    public var streets: [Street]
    public var landmarks: [Landmark]
    /// The source as the import names it (a file name, "synthetic street network").
    public var source: String
    public var importedAt: Date

    public init(streets: [Street], landmarks: [Landmark] = [], source: String, importedAt: Date) {
        self.streets = streets
        self.landmarks = landmarks
        self.source = source
        self.importedAt = importedAt
    }

    /// Street counts by class, largest class first (what `zonecast streets show` prints).
    public var streetCountsByClass: [(streetClass: StreetClass, count: Int)] {
        let counts = Dictionary(grouping: streets, by: \.streetClass).mapValues(\.count)
        return StreetClass.allCases.compactMap { c in counts[c].map { (c, $0) } }
    }
}

/// Where the street layer lives. Implemented by every store and part of `AppStore`; a store whose layer was never
/// imported answers nil (version "none"), so maps simply draw no streets.
///
/// There is one layer per database: a re-import replaces it whole in one transaction, so readers see the old layer
/// or the new one, never a mix, and a failed import leaves the old layer as it was.
public protocol StreetStore: Sendable {
    /// Replaces streets, landmarks, source and import time at once. Throws `StoreError.invalidStreet` (nothing
    /// changed) for a street with fewer than two points or a coordinate that is not a possible latitude/longitude.
    func replaceStreetLayer(_ layer: StoredStreetLayer) async throws
    /// The layer, nil before the first import. Streets and landmarks come back in the order they were given.
    func streetLayer() async throws -> StoredStreetLayer?
    /// Streets whose bounding box meets `box` (degrees), in the order they were given: what a map of part of the
    /// city needs, answered from the store's spatial index.
    func streets(intersecting box: GeoBoundingBox) async throws -> [Street]
    /// Changes with every replacement (and only then), so readers can keep a built `StreetLayer` until it moves.
    /// "none" before the first import.
    func streetLayerVersion() async throws -> String
}

/// Checks and encodes street geometry the same way in every store.
public enum StreetRecords {
    /// Refuses what `StreetStore.replaceStreetLayer` refuses, naming the feature, field and value.
    public static func validate(_ street: Street, index: Int) throws {
        guard street.points.count >= 2 else {
            throw StoreError.invalidStreet(index: index, field: "points", value: "\(street.points.count) point(s); a street needs at least 2")
        }
        if let bad = street.points.first(where: { !$0.isPossible }) {
            throw StoreError.invalidStreet(index: index, field: "points", value: "latitude \(bad.latitude), longitude \(bad.longitude)")
        }
    }

    /// Refuses a landmark whose location is not a possible latitude/longitude.
    public static func validate(_ landmark: Landmark, index: Int) throws {
        guard landmark.location.isPossible else {
            throw StoreError.invalidStreet(index: index, field: "landmark location",
                                           value: "latitude \(landmark.location.latitude), longitude \(landmark.location.longitude)")
        }
    }

    /// Points as little-endian 64-bit floats, latitude then longitude: 16 bytes a point, exact round trip.
    public static func encode(_ points: [GeoPoint]) -> Data {
        var data = Data(capacity: points.count * 16)
        for p in points {
            withUnsafeBytes(of: p.latitude.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            withUnsafeBytes(of: p.longitude.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    /// The inverse of `encode`; a length that is not a whole number of points is corrupt.
    public static func decode(_ data: Data) throws -> [GeoPoint] {
        guard data.count % 16 == 0 else { throw StoreError.corrupt("street geometry of \(data.count) bytes is not a whole number of points") }
        let bytes = [UInt8](data)
        func double(at offset: Int) -> Double {
            var bits: UInt64 = 0
            for k in 0..<8 { bits |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
            return Double(bitPattern: bits)
        }
        return stride(from: 0, to: bytes.count, by: 16).map { GeoPoint(latitude: double(at: $0), longitude: double(at: $0 + 8)) }
    }

    /// A street's bounding box (validated streets have at least two points).
    public static func bounds(_ street: Street) -> GeoBoundingBox {
        GeoBoundingBox.enclosing(street.points) ?? GeoBoundingBox(minLatitude: 0, minLongitude: 0, maxLatitude: 0, maxLongitude: 0)
    }

    /// Whether two boxes overlap or touch.
    public static func overlaps(_ a: GeoBoundingBox, _ b: GeoBoundingBox) -> Bool {
        a.minLatitude <= b.maxLatitude && b.minLatitude <= a.maxLatitude && a.minLongitude <= b.maxLongitude && b.minLongitude <= a.maxLongitude
    }
}
