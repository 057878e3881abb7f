/// Everything the pure core can refuse, each case carrying the value that was refused.
public enum CoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidGeoJSON(String)
    case unknownCRS(String)
    case unknownCategory(String)
    case invalidHarmWeight(category: String, value: Double)
    case invalidJurisdiction(String)
    case invalidHarmWeights(String)
    case unknownTimeZone(String)
    /// A setting out of its range (`field` names it as the user sets it).
    case invalidSetting(field: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .invalidGeoJSON(let m): "invalid GeoJSON: \(m)"
        case .unknownCRS(let c):
            "unknown coordinate reference system \"\(c)\" (known: EPSG:4326, EPSG:326NN/327NN UTM, EPSG:269NN NAD83 UTM, EPSG:3435, EPSG:3436, "
                + "or an inline transverseMercator definition)"
        case .unknownCategory(let c): "unknown harm category \"\(c)\" (known: \(HarmCategory.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .invalidHarmWeight(let c, let v): "harm weight for \(c) must be a finite number >= 0, got \(v)"
        case .invalidJurisdiction(let m): "invalid jurisdiction: \(m)"
        case .invalidHarmWeights(let m): "invalid harm weights: \(m)"
        case .unknownTimeZone(let z): "unknown time zone \"\(z)\" (use an IANA name such as America/Chicago)"
        case .invalidSetting(let f, let v, let r): "\(f) \"\(v)\": \(r)"
        }
    }
}
