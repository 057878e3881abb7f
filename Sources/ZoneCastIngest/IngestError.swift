/// Everything ingest can refuse before or outside a row (row-level problems become quarantine records instead).
public enum IngestError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileNotFound(String)
    case unreadableFile(path: String, reason: String)
    case emptyFile(String)
    case invalidMapping(file: String, reason: String)
    case missingColumn(mapping: String, field: String, candidates: [String], header: [String])
    case unknownPreset(String, known: [String])
    case unknownJurisdiction(String, known: [String])
    case decompressionFailed(path: String, reason: String)
    /// The header names a column the mapping reads more than once (1-based column numbers): which one is meant is
    /// not for the importer to guess.
    case duplicateColumn(mapping: String, field: String, name: String, columns: [Int])
    case invalidHeader(file: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let p): "file not found: \(p)"
        case .unreadableFile(let p, let r): "cannot read \(p): \(r)"
        case .emptyFile(let p): "\(p) is empty: no header row"
        case .invalidMapping(let f, let r): "invalid mapping \(f): \(r)"
        case .missingColumn(let m, let field, let c, let h):
            "mapping \(m): field \(field) needs one of the columns [\(c.joined(separator: ", "))], but the header has [\(h.joined(separator: ", "))]"
        case .unknownPreset(let p, let k): "unknown preset \"\(p)\" (known: \(k.joined(separator: ", ")))"
        case .unknownJurisdiction(let j, let k):
            "unknown jurisdiction \"\(j)\" (known: \(k.joined(separator: ", ")); or give a JSON file path; for another city, create it in the "
                + "database first: zonecast jurisdiction create --name \(j) --boundary CITY-LIMITS.geojson --time-zone ZONE)"
        case .decompressionFailed(let p, let r): "cannot decompress \(p): \(r)"
        case .duplicateColumn(let m, let field, let name, let cols):
            "mapping \(m): field \(field) reads column \"\(name)\", which the header has \(cols.count) times "
                + "(columns \(cols.map(String.init).joined(separator: ", "))); rename the columns or name the one meant in the mapping"
        case .invalidHeader(let f, let r): "\(f): header row: \(r)"
        }
    }
}
