/// What a map cannot be drawn from, naming the value refused.
public enum MapError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A viewport without area or with a non-finite or non-positive size or scale.
    case invalidViewport(String)
    /// A tile URL template without {z}, {x} and {y}, or not http(s).
    case invalidTileTemplate(String)

    public var description: String {
        switch self {
        case .invalidViewport(let m): "map viewport: \(m)"
        case .invalidTileTemplate(let t): "tile URL template \"\(t)\" must be http(s) and hold {z}, {x} and {y}"
        }
    }
}
