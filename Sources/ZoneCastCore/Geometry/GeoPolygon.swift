/// A polygon (outer ring plus holes) in WGS84 degrees, as GeoJSON describes jurisdiction boundaries.
/// Rings are closed implicitly; the last vertex may repeat the first.
public struct GeoPolygon: Hashable, Sendable, Codable {
    public var outer: [GeoPoint]
    public var holes: [[GeoPoint]]

    public init(outer: [GeoPoint], holes: [[GeoPoint]] = []) {
        self.outer = outer
        self.holes = holes
    }

    /// Even-odd ray casting in lon/lat. GeoJSON edges are straight lines in lon/lat, so this is exact for them.
    public func contains(_ p: GeoPoint) -> Bool {
        guard Self.ringContains(outer, p) else { return false }
        return !holes.contains { Self.ringContains($0, p) }
    }

    public var boundingBox: GeoBoundingBox? { GeoBoundingBox.enclosing(outer) }

    static func ringContains(_ ring: [GeoPoint], _ p: GeoPoint) -> Bool {
        EvenOddRule.ringContains(count: ring.count, x: p.longitude, y: p.latitude) { (ring[$0].longitude, ring[$0].latitude) }
    }
}

/// One or more polygons: a jurisdiction with detached parts (Kansas City north of the river, say).
public struct GeoMultiPolygon: Hashable, Sendable, Codable {
    public var polygons: [GeoPolygon]

    public init(_ polygons: [GeoPolygon]) { self.polygons = polygons }

    public func contains(_ p: GeoPoint) -> Bool { polygons.contains { $0.contains(p) } }

    public var boundingBox: GeoBoundingBox? { GeoBoundingBox.enclosing(polygons.flatMap(\.outer)) }
}
