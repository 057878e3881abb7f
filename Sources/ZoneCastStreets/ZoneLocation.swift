public import ZoneCastCore

/// A zone's plain location, as the explanation, the zone page, the briefing, the officer card and `propose --json`
/// show it: `locationDescription` is the sentence, `streets` the named streets inside, longest stretch first.
public struct ZoneLocation: Hashable, Sendable, Codable {
    /// The whole text, e.g. "E 31st St to E 35th St, between Prospect Ave and Indiana Ave. Main streets: ..."
    public var locationDescription: String
    /// Named streets with a stretch inside the zone, by whole metres inside (longest first; ties by class, then name).
    public var streets: [String]
    /// The streets along each side, when found (see `ZoneDescriber`).
    public var boundingStreets: BoundingStreets
    /// The nearest landmark within the search radius, if any.
    public var nearestLandmark: LandmarkReference?
    /// Nearest named intersections ("A & B"), filled when the sides alone do not describe the zone.
    public var intersections: [String]
    /// The zone's middle in WGS84 (mean of cell centres, or the ring's centroid).
    public var centre: GeoPoint
    /// False when there was no street layer (or an empty one): the text then says so and gives `centre`.
    public var usedStreetLayer: Bool

    /// A location as given (a describer's, or a caller's own words where no footprint can be described).
    public init(locationDescription: String, streets: [String] = [], boundingStreets: BoundingStreets = BoundingStreets(),
                nearestLandmark: LandmarkReference? = nil, intersections: [String] = [], centre: GeoPoint, usedStreetLayer: Bool) {
        self.locationDescription = locationDescription
        self.streets = streets
        self.boundingStreets = boundingStreets
        self.nearestLandmark = nearestLandmark
        self.intersections = intersections
        self.centre = centre
        self.usedStreetLayer = usedStreetLayer
    }
}

/// The streets that run along a zone's sides, in the street grid's own orientation (see `ZoneDescriber`).
public struct BoundingStreets: Hashable, Sendable, Codable {
    public var north: String?
    public var south: String?
    public var west: String?
    public var east: String?

    public init(north: String? = nil, south: String? = nil, west: String? = nil, east: String? = nil) {
        self.north = north
        self.south = south
        self.west = west
        self.east = east
    }

    /// How many sides were found.
    public var count: Int { [north, south, west, east].compactMap { $0 }.count }
}

/// "Two blocks east of Central High School": the zone's middle seen from the landmark.
public struct LandmarkReference: Hashable, Sendable, Codable {
    public var name: String
    public var kind: LandmarkKind
    /// From the landmark to the zone's middle.
    public var distanceMeters: Double
    /// Eight-point compass direction of the zone's middle from the landmark ("north", "south-east"...).
    public var direction: String
    /// Whether the landmark lies inside the zone (then the text says "includes").
    public var inside: Bool
    /// `distanceMeters` in blocks of `ZoneDescriber.blockLengthMeters`, rounded.
    public var blocks: Int
}
