/// Everything the street layer can refuse. Bad single features are not errors: readers report them as
/// `StreetFeatureProblem`s and go on; these cases are for input that cannot be read at all.
public enum StreetsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not GeoJSON (or not one Feature per line for a sequence): where and why.
    case unreadableGeoJSON(source: String, line: Int?, reason: String)
    /// A CSV file (an intersections file) whose header cannot be used: which line and why.
    case unreadableCSV(source: String, line: Int, reason: String)
    /// A street mapping file that cannot be used: which field, its value, and why.
    case invalidMapping(field: String, value: String, reason: String)
    /// A viewport, grid or footprint that cannot describe a place (zero area, not finite): which and why.
    case invalidGeometry(what: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableGeoJSON(let source, let line, let reason):
            "\(source)\(line.map { " line \($0)" } ?? ""): not readable as GeoJSON: \(reason)"
        case .unreadableCSV(let source, let line, let reason): "\(source) line \(line): not readable as an intersections CSV: \(reason)"
        case .invalidMapping(let field, let value, let reason): "street mapping: \(field) = \"\(value)\": \(reason)"
        case .invalidGeometry(let what, let reason): "\(what): \(reason)"
        }
    }
}

/// One feature a reader skipped or partly used, named so a person can find it in the file.
public struct StreetFeatureProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    /// 0-based position of the feature in the file (for a GeoJSON sequence, its 0-based record).
    public var featureIndex: Int
    /// The property or member at fault ("geometry", "highway", the configured name property...).
    public var field: String
    /// The value found, shortened to 120 characters.
    public var value: String
    public var reason: String

    public init(featureIndex: Int, field: String, value: String, reason: String) {
        self.featureIndex = featureIndex
        self.field = field
        self.value = value.count > 120 ? String(value.prefix(120)) + "…" : value
        self.reason = reason
    }

    public var description: String { "feature \(featureIndex): \(field) = \"\(value)\": \(reason)" }
}
