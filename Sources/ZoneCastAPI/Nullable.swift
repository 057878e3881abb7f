/// A value of the API that is written as JSON `null` when absent, as the API has always answered (generated
/// optional properties are left out instead). scripts/generate-api maps the document's nullable schemas here.
public enum Nullable<Wrapped: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    case null
    case value(Wrapped)

    public init(_ wrapped: Wrapped?) {
        self = wrapped.map(Nullable.value) ?? .null
    }

    public var wrapped: Wrapped? {
        if case .value(let w) = self { w } else { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .null : .value(try container.decode(Wrapped.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .value(let w): try container.encode(w)
        }
    }
}
