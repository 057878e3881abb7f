public import ZoneCastStreets

/// Everything reading an OpenStreetMap extract can fail on, with the file or command at fault.
public enum OSMError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The `osmium` executable is not where it was looked for.
    case osmiumMissing(path: String)
    /// osmium ran and failed: its exit status and the end of what it wrote to stderr.
    case osmiumFailed(file: String, status: Int32, message: String)
    /// The input or a working file could not be read or written.
    case io(path: String, reason: String)
    /// The exported GeoJSON could not be read at all (single bad features are problems, not errors).
    case streets(StreetsError)

    public var description: String {
        switch self {
        case .osmiumMissing(let path):
            "osmium not found at \(path): install Debian's osmium-tool (apt-get install osmium-tool) to read .osm.pbf/.osm files"
        case .osmiumFailed(let file, let status, let message): "osmium export of \(file) failed (exit \(status)): \(message)"
        case .io(let path, let reason): "\(path): \(reason)"
        case .streets(let e): e.description
        }
    }
}
