import Foundation

/// A WGS84 position in decimal degrees. Latitude first, as people read them aloud; GeoJSON's lon/lat order is
/// handled only at the GeoJSON boundary.
public struct GeoPoint: Hashable, Sendable, Codable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Whether the pair can be a place on Earth at all (finite, within ±90/±180, and not the 0,0 "null island"
    /// that geocoders emit for failures).
    public var isPossible: Bool {
        latitude.isFinite && longitude.isFinite && abs(latitude) <= 90 && abs(longitude) <= 180
            && !(latitude == 0 && longitude == 0)
    }

    /// Great-circle distance in metres on the WGS84 mean sphere (haversine). Used for small radii such as
    /// "within 30 m of headquarters", where the spherical error (< 0.5 %) is irrelevant.
    public func distanceMeters(to other: GeoPoint) -> Double {
        let r = 6_371_008.8
        let phi1 = latitude * .pi / 180, phi2 = other.latitude * .pi / 180
        let dPhi = phi2 - phi1
        let dLambda = (other.longitude - longitude) * .pi / 180
        let sp = sin(dPhi / 2), sl = sin(dLambda / 2)
        let h: Double = sp * sp + cos(phi1) * cos(phi2) * sl * sl
        return 2 * r * asin(min(1, h.squareRoot()))
    }
}

/// A position in a planar projection, in metres east and north of the projection's origin.
public struct PlanarPoint: Hashable, Sendable, Codable {
    public var xMeters: Double
    public var yMeters: Double

    public init(xMeters: Double, yMeters: Double) {
        self.xMeters = xMeters
        self.yMeters = yMeters
    }

    public func distanceMeters(to other: PlanarPoint) -> Double {
        let dx = xMeters - other.xMeters, dy = yMeters - other.yMeters
        return (dx * dx + dy * dy).squareRoot()
    }
}
