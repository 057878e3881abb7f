public import Foundation

/// A record the stores keep as a JSON document with a few indexed keys: meetings, intelligence items, deployments,
/// patrol visits, proposal adjustments, notices and API tokens. The store reads only `kind`, `id`, `group` and
/// `recordedAt`; the model layer owns the rest, so adding a field needs no migration in any backend.
public protocol StoredDocument: Codable, Sendable {
    static var kind: String { get }
    var id: String { get }
    /// What related documents share, for listing them without reading everything (e.g. the cycle id); "" for none.
    var group: String { get }
    var recordedAt: Date { get }
}

/// A document as the store holds it.
public struct DocumentData: Hashable, Sendable {
    public var kind: String
    public var id: String
    public var group: String
    public var recordedAt: Date
    public var json: Data

    public init(kind: String, id: String, group: String, recordedAt: Date, json: Data) {
        self.kind = kind
        self.id = id
        self.group = group
        self.recordedAt = recordedAt
        self.json = json
    }

    public init<D: StoredDocument>(_ document: D) throws {
        self.init(kind: D.kind, id: document.id, group: document.group, recordedAt: document.recordedAt, json: try JSONEncoder.documents.encode(document))
    }

    public func decode<D: StoredDocument>(_ type: D.Type) throws -> D {
        try JSONDecoder.documents.decode(D.self, from: json)
    }
}

extension JSONEncoder {
    /// Stable output (sorted keys, ISO dates to the millisecond is not needed: seconds since 1970 as doubles).
    public static var documents: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .secondsSince1970
        return e
    }
}

extension JSONDecoder {
    public static var documents: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .secondsSince1970
        return d
    }
}
