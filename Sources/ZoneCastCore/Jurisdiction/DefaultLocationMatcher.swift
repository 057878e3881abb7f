/// Finds the default location a row falls on, fast enough to run on every imported row: positions are compared
/// in the jurisdiction's planar projection (error ~1e-5 of the distance, see `TransverseMercator`) instead of by
/// haversine, and address patterns are searched byte-wise, ignoring ASCII case, without Foundation.
public struct DefaultLocationMatcher: Sendable {
    struct Entry: Sendable {
        let location: DefaultLocation
        let position: PlanarPoint
        let patterns: [[UInt8]]
    }

    let entries: [Entry]

    public init(_ jurisdiction: Jurisdiction, projection: TransverseMercator.Prepared) {
        entries = jurisdiction.defaultLocations.map { d in
            Entry(location: d, position: projection.project(d.location),
                  patterns: d.addressPatterns.filter { !$0.isEmpty }.map { Array($0.utf8).map(Self.upper) })
        }
    }

    public func match(position: PlanarPoint, address: String?) -> DefaultLocation? {
        for e in entries {
            if position.distanceMeters(to: e.position) <= e.location.radiusMeters { return e.location }
            if let address, !e.patterns.isEmpty, Self.contains(address, anyOf: e.patterns) { return e.location }
        }
        return nil
    }

    static func upper(_ b: UInt8) -> UInt8 { b >= 97 && b <= 122 ? b - 32 : b }

    static func contains(_ text: String, anyOf patterns: [[UInt8]]) -> Bool {
        var t = text
        return t.withUTF8 { bytes in
            for p in patterns where p.count <= bytes.count {
                var i = 0
                while i + p.count <= bytes.count {
                    var k = 0
                    while k < p.count, upper(bytes[i + k]) == p[k] { k += 1 }
                    if k == p.count { return true }
                    i += 1
                }
            }
            return false
        }
    }
}
