public import ZoneCastCore

/// Road classes, ordered from the largest. The names follow OpenStreetMap's `highway=*` values, which most city
/// centreline files can be mapped onto (`StreetMapping`), so one scale serves drawing, labelling and describing.
public enum StreetClass: String, CaseIterable, Hashable, Sendable, Codable, Comparable {
    case motorway, trunk, primary, secondary, tertiary, residential, service, other

    /// 0 for motorways up to 7 for `other`: smaller is bigger.
    public var rank: Int { Self.allCases.firstIndex(of: self) ?? Self.allCases.count }

    /// Streets a map labels and a description prefers: tertiary and up.
    public var isMajor: Bool { rank <= StreetClass.tertiary.rank }

    public static func < (a: StreetClass, b: StreetClass) -> Bool { a.rank < b.rank }

    /// The class of an OSM `highway=*` value; nil for ways that are not streets a patrol drives (footways,
    /// cycleways, steps, tracks, platforms). `_link` ramps take their road's class.
    public init?(osmHighway value: String) {
        let base = value.hasSuffix("_link") ? String(value.dropLast(5)) : value
        switch base {
        case "motorway": self = .motorway
        case "trunk": self = .trunk
        case "primary": self = .primary
        case "secondary": self = .secondary
        case "tertiary": self = .tertiary
        case "residential", "living_street", "unclassified": self = .residential
        case "service": self = .service
        case "road", "busway": self = .other
        default: return nil
        }
    }
}

/// A named (or unnamed) street centreline: one polyline in WGS84. A real street is usually many features (one per
/// block or per OSM way); everything that groups them does so by `name`.
public struct Street: Hashable, Sendable, Codable {
    /// The name as the source spells it; empty when the source has none (drawn, never named in text).
    public var name: String
    public var streetClass: StreetClass
    /// At least two points.
    public var points: [GeoPoint]

    public init(name: String, streetClass: StreetClass, points: [GeoPoint]) {
        self.name = name
        self.streetClass = streetClass
        self.points = points
    }
}

/// Kinds of place a description can refer to ("two blocks east of Central High School").
public enum LandmarkKind: String, CaseIterable, Hashable, Sendable, Codable {
    case school, park, transitStop = "transit_stop", placeOfWorship = "place_of_worship", other

    /// How a legend or a list names the kind.
    public var label: String {
        switch self {
        case .school: "school"
        case .park: "park"
        case .transitStop: "transit stop"
        case .placeOfWorship: "place of worship"
        case .other: "landmark"
        }
    }
}

/// A named place, as one point (an area's centroid for parks and school grounds).
public struct Landmark: Hashable, Sendable, Codable {
    public var name: String
    public var kind: LandmarkKind
    public var location: GeoPoint

    public init(name: String, kind: LandmarkKind, location: GeoPoint) {
        self.name = name
        self.kind = kind
        self.location = location
    }
}
