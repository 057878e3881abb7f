public import ZoneCastCore

/// A fixed, fictional city for demos, tests and scale runs. It does not depend on any seed: the geography is
/// part of the product (the shipped `synthetic-city.json` jurisdiction repeats it), only incidents are random.
///
/// It sits in open country in central Kansas (38.50° N, 97.00° W) where there is no real city, so nobody can
/// mistake a synthetic hot spot for a statement about a real neighbourhood. Every label says "fictional".
///
/// All planar features are in metres in `jurisdiction.projection` (transverse Mercator, origin at the
/// projection origin 38.50, −97.00; x east, y north).
public struct SyntheticCity: Hashable, Sendable {
    public let jurisdiction: Jurisdiction
    /// Where serious violence concentrates (the "truth" a forecast should find).
    public let violentHotAreas: [HotArea]
    /// Where police spend discretionary time. Police-initiated records (drug possession, DUI) are drawn from
    /// here on purpose, and these areas deliberately differ from `violentHotAreas`: such records measure
    /// enforcement, not harm, which is why models leave police-initiated records out by default.
    public let patrolAreas: [HotArea]
    /// Highways and arterials, for traffic crashes and DUI stops.
    public let corridors: [Corridor]

    public static let name = "synthetic-city"
    public static let displayName = "Synthetic City (fictional)"
    public static let timeZoneIdentifier = "America/Chicago"
    public static let projectionOrigin = GeoPoint(latitude: 38.50, longitude: -97.00)
    public static let headquarters = DefaultLocation(
        name: "Synthetic police headquarters", location: GeoPoint(latitude: 38.5010, longitude: -97.0020),
        radiusMeters: 25, addressPatterns: ["100 MAIN ST"])

    /// The boundary's outer ring in degrees, closed (last vertex repeats the first), about 20 km east-west by
    /// 16 km north-south, irregular on purpose (a notch in the north, a dent in the west) so point-in-polygon
    /// code is exercised on concave edges. Kept identical to `Sources/ZoneCastIngest/Jurisdictions/synthetic-city.json`
    /// (a test checks this).
    public static let boundaryRing: [GeoPoint] = [
        GeoPoint(latitude: 38.4320, longitude: -97.1130),
        GeoPoint(latitude: 38.4290, longitude: -97.0600),
        GeoPoint(latitude: 38.4350, longitude: -97.0150),
        GeoPoint(latitude: 38.4300, longitude: -96.9700),
        GeoPoint(latitude: 38.4340, longitude: -96.8890),
        GeoPoint(latitude: 38.4800, longitude: -96.8860),
        GeoPoint(latitude: 38.5250, longitude: -96.8920),
        GeoPoint(latitude: 38.5690, longitude: -96.8870),
        GeoPoint(latitude: 38.5720, longitude: -96.9400),
        GeoPoint(latitude: 38.5650, longitude: -96.9850),
        GeoPoint(latitude: 38.5500, longitude: -97.0100),
        GeoPoint(latitude: 38.5680, longitude: -97.0400),
        GeoPoint(latitude: 38.5700, longitude: -97.1100),
        GeoPoint(latitude: 38.5200, longitude: -97.1150),
        GeoPoint(latitude: 38.4900, longitude: -97.1050),
        GeoPoint(latitude: 38.4600, longitude: -97.1160),
        GeoPoint(latitude: 38.4320, longitude: -97.1130),
    ]

    public init() {
        jurisdiction = Jurisdiction(
            name: Self.name, displayName: Self.displayName, timeZoneIdentifier: Self.timeZoneIdentifier,
            boundary: GeoMultiPolygon([GeoPolygon(outer: Self.boundaryRing)]), projectionOrigin: Self.projectionOrigin,
            defaultLocations: [Self.headquarters], isSynthetic: true)
        violentHotAreas = Self.defaultViolentHotAreas
        patrolAreas = Self.defaultPatrolAreas
        corridors = Self.defaultCorridors
    }

    /// Twelve areas of persistent violence, unequal in weight and size as real hot spots are (a couple carry
    /// a large share; most are modest). Weights sum to 1.
    static let defaultViolentHotAreas: [HotArea] = [
        HotArea(name: "Northeast Flats", center: PlanarPoint(xMeters: 3200, yMeters: 2600), sigmaMeters: 450, weight: 0.16),
        HotArea(name: "Eastside Market", center: PlanarPoint(xMeters: 4800, yMeters: 500), sigmaMeters: 380, weight: 0.12),
        HotArea(name: "Riverside Courts", center: PlanarPoint(xMeters: 1500, yMeters: -2200), sigmaMeters: 350, weight: 0.11),
        HotArea(name: "Old Mill", center: PlanarPoint(xMeters: -2600, yMeters: 1800), sigmaMeters: 420, weight: 0.09),
        HotArea(name: "Depot Row", center: PlanarPoint(xMeters: 600, yMeters: 1100), sigmaMeters: 300, weight: 0.08),
        HotArea(name: "South Terrace", center: PlanarPoint(xMeters: -1200, yMeters: -4300), sigmaMeters: 500, weight: 0.08),
        HotArea(name: "Westgate Apartments", center: PlanarPoint(xMeters: -5200, yMeters: -900), sigmaMeters: 400, weight: 0.07),
        HotArea(name: "Pine Hollow", center: PlanarPoint(xMeters: 6200, yMeters: -3100), sigmaMeters: 450, weight: 0.06),
        HotArea(name: "Cedar Heights", center: PlanarPoint(xMeters: -4200, yMeters: 4600), sigmaMeters: 380, weight: 0.06),
        HotArea(name: "Harbor Junction", center: PlanarPoint(xMeters: 7400, yMeters: 3900), sigmaMeters: 520, weight: 0.06),
        HotArea(name: "Lakeview East", center: PlanarPoint(xMeters: 2600, yMeters: -5600), sigmaMeters: 400, weight: 0.06),
        HotArea(name: "Millbrook", center: PlanarPoint(xMeters: -7300, yMeters: -4200), sigmaMeters: 480, weight: 0.05),
    ]

    /// Where patrols concentrate: the downtown entertainment district near headquarters, the main highway
    /// interchange, and one violent area. Two of the three are not where violence is.
    static let defaultPatrolAreas: [HotArea] = [
        HotArea(name: "Entertainment District", center: PlanarPoint(xMeters: -400, yMeters: 600), sigmaMeters: 350, weight: 0.45),
        HotArea(name: "I-235 / US-81 Interchange", center: PlanarPoint(xMeters: 1150, yMeters: -850), sigmaMeters: 400, weight: 0.35),
        HotArea(name: "Westgate Apartments", center: PlanarPoint(xMeters: -5200, yMeters: -900), sigmaMeters: 500, weight: 0.20),
    ]

    static let defaultCorridors: [Corridor] = [
        Corridor(name: "Interstate 235", vertices: [
            PlanarPoint(xMeters: -9000, yMeters: -700), PlanarPoint(xMeters: -5000, yMeters: -400),
            PlanarPoint(xMeters: 0, yMeters: -900), PlanarPoint(xMeters: 4500, yMeters: -600), PlanarPoint(xMeters: 9300, yMeters: -300),
        ]),
        Corridor(name: "US Highway 81", vertices: [
            PlanarPoint(xMeters: 1200, yMeters: -7200), PlanarPoint(xMeters: 1000, yMeters: -2000),
            PlanarPoint(xMeters: 1400, yMeters: 3000), PlanarPoint(xMeters: 1500, yMeters: 6900),
        ]),
        Corridor(name: "Kellogg Parkway", vertices: [
            PlanarPoint(xMeters: -8000, yMeters: 6000), PlanarPoint(xMeters: -3000, yMeters: 2500),
            PlanarPoint(xMeters: 2500, yMeters: 300), PlanarPoint(xMeters: 8000, yMeters: -5500),
        ]),
        Corridor(name: "Broadway", vertices: [
            PlanarPoint(xMeters: -2000, yMeters: -7000), PlanarPoint(xMeters: -1800, yMeters: 0), PlanarPoint(xMeters: -2300, yMeters: 6000),
        ]),
    ]
}
