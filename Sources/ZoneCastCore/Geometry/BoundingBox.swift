/// An axis-aligned box in degrees (for geographic filters) or metres (for planar ones).
public struct GeoBoundingBox: Hashable, Sendable, Codable {
    public var minLatitude: Double
    public var minLongitude: Double
    public var maxLatitude: Double
    public var maxLongitude: Double

    public init(minLatitude: Double, minLongitude: Double, maxLatitude: Double, maxLongitude: Double) {
        self.minLatitude = minLatitude
        self.minLongitude = minLongitude
        self.maxLatitude = maxLatitude
        self.maxLongitude = maxLongitude
    }

    public func contains(_ p: GeoPoint) -> Bool {
        p.latitude >= minLatitude && p.latitude <= maxLatitude && p.longitude >= minLongitude && p.longitude <= maxLongitude
    }

    public var center: GeoPoint {
        GeoPoint(latitude: (minLatitude + maxLatitude) / 2, longitude: (minLongitude + maxLongitude) / 2)
    }

    /// The smallest box holding every point, or nil for none.
    public static func enclosing<S: Sequence>(_ points: S) -> GeoBoundingBox? where S.Element == GeoPoint {
        var box: GeoBoundingBox?
        for p in points {
            if var b = box {
                b.minLatitude = min(b.minLatitude, p.latitude); b.maxLatitude = max(b.maxLatitude, p.latitude)
                b.minLongitude = min(b.minLongitude, p.longitude); b.maxLongitude = max(b.maxLongitude, p.longitude)
                box = b
            } else {
                box = GeoBoundingBox(minLatitude: p.latitude, minLongitude: p.longitude, maxLatitude: p.latitude, maxLongitude: p.longitude)
            }
        }
        return box
    }
}

public struct PlanarBoundingBox: Hashable, Sendable, Codable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    public func contains(_ p: PlanarPoint) -> Bool {
        p.xMeters >= minX && p.xMeters <= maxX && p.yMeters >= minY && p.yMeters <= maxY
    }

    public var widthMeters: Double { maxX - minX }
    public var heightMeters: Double { maxY - minY }
}
