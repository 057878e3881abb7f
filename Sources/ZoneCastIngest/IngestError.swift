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

    public var description: String {
        switch self {
        case .fileNotFound(let p): "file not found: \(p)"
        case .unreadableFile(let p, let r): "cannot read \(p): \(r)"
        case .emptyFile(let p): "\(p) is empty: no header row"
        case .invalidMapping(let f, let r): "invalid mapping \(f): \(r)"
        case .missingColumn(let m, let field, let c, let h):
            "mapping \(m): field \(field) needs one of the columns [\(c.joined(separator: ", "))], but the header has [\(h.joined(separator: ", "))]"
        case .unknownPreset(let p, let k): "unknown preset \"\(p)\" (known: \(k.joined(separator: ", ")))"
        case .unknownJurisdiction(let j, let k): "unknown jurisdiction \"\(j)\" (known: \(k.joined(separator: ", ")); or give a JSON file path)"
        case .decompressionFailed(let p, let r): "cannot decompress \(p): \(r)"
        }
    }
}
