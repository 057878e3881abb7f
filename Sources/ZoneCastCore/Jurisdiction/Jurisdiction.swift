import Foundation

/// The area a department is responsible for, and how ZoneCast measures distances and dates in it.
public struct Jurisdiction: Hashable, Sendable, Codable {
    /// Short machine name, e.g. "kansas-city".
    public var name: String
    public var displayName: String
    public var timeZoneIdentifier: String
    public var boundary: GeoMultiPolygon
    /// Centre of the local projection (defaults to the boundary's bounding-box centre).
    public var projectionOrigin: GeoPoint
    /// Places records systems use when the real location is unknown (e.g. the police headquarters). Points
    /// within `radiusMeters`, or rows whose address matches, are quarantined as default locations.
    public var defaultLocations: [DefaultLocation]
    /// Whether the jurisdiction is a made-up city (the synthetic generator's); shown wherever it is used.
    public var isSynthetic: Bool

    public init(
        name: String, displayName: String, timeZoneIdentifier: String, boundary: GeoMultiPolygon,
        projectionOrigin: GeoPoint? = nil, defaultLocations: [DefaultLocation] = [], isSynthetic: Bool = false
    ) {
        self.name = name
        self.displayName = displayName
        self.timeZoneIdentifier = timeZoneIdentifier
        self.boundary = boundary
        self.projectionOrigin = projectionOrigin ?? boundary.boundingBox?.center ?? GeoPoint(latitude: 0, longitude: 0)
        self.defaultLocations = defaultLocations
        self.isSynthetic = isSynthetic
    }

    /// The jurisdiction's local transverse Mercator (scale 1 through its centre; see `TransverseMercator`).
    public var projection: TransverseMercator { .local(centeredOn: projectionOrigin) }

    public func contains(_ p: GeoPoint) -> Bool { boundary.contains(p) }

    /// The default location a point or address falls on, if any (for hot loops, hold a `DefaultLocationMatcher`).
    public func defaultLocation(at p: GeoPoint, address: String?) -> DefaultLocation? {
        let projection = self.projection.prepared()
        return DefaultLocationMatcher(self, projection: projection).match(position: projection.project(p), address: address)
    }

    public func validated() throws(CoreError) -> Jurisdiction {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw CoreError.invalidJurisdiction("name \"\(name)\" must be non-empty letters, digits, - or _")
        }
        guard TimeZone(identifier: timeZoneIdentifier) != nil else { throw CoreError.unknownTimeZone(timeZoneIdentifier) }
        guard !boundary.polygons.isEmpty else { throw CoreError.invalidJurisdiction("\(name): boundary has no polygon") }
        for (p, polygon) in boundary.polygons.enumerated() {
            for (r, ring) in ([polygon.outer] + polygon.holes).enumerated() {
                let place = "boundary polygon \(p + 1), ring \(r + 1)"
                if let far = ring.first(where: { abs($0.latitude) > 85 }) {
                    throw CoreError.invalidJurisdiction("\(name): \(place) has the position [\(far.longitude), \(far.latitude)], beyond 85° latitude: "
                                                        + "GeoJSON positions are [longitude, latitude]; are the two swapped?")
                }
                if let (e, f) = RingCrossings.first(in: ring) {
                    func edge(_ k: Int) -> String {
                        let a = ring[k], b = ring[(k + 1) % ring.count]
                        return "[\(a.longitude), \(a.latitude)] to [\(b.longitude), \(b.latitude)]"
                    }
                    throw CoreError.invalidJurisdiction("\(name): \(place) crosses or touches itself: edge \(e + 1) (\(edge(e))) meets edge \(f + 1) "
                                                        + "(\(edge(f))), so inside and outside are ambiguous; repair the file (e.g. QGIS "
                                                        + "'Fix geometries' or ogr2ogr -makevalid)")
                }
            }
        }
        return self
    }
}

public struct DefaultLocation: Hashable, Sendable, Codable {
    public var name: String
    public var location: GeoPoint
    public var radiusMeters: Double
    public var addressPatterns: [String]

    public init(name: String, location: GeoPoint, radiusMeters: Double, addressPatterns: [String] = []) {
        self.name = name
        self.location = location
        self.radiusMeters = radiusMeters
        self.addressPatterns = addressPatterns
    }
}
