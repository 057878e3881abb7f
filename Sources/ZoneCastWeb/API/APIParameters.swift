import Foundation
import ZoneCastAPI
import ZoneCastCore

/// The query parameters each operation declares in the document, to name the one the generated code could not
/// decode (its errors for query items carry no coding path) and for numbers in a body that do not fit an integer.
enum APIParameters {
    struct Parameter: Sendable {
        var name: String
        var required: Bool
        var integer: Bool
    }

    /// "GET /api/incidents" -> its query parameters, read once from the served document.
    static let declared: [String: [Parameter]] = {
        guard let doc = try? JSONDecoder().decode(JSONValue.self, from: OpenAPIDocument.json),
              let paths = doc.objectValue?["paths"]?.objectValue else { return [:] }
        var out: [String: [Parameter]] = [:]
        for (path, operations) in paths {
            for (method, operation) in operations.objectValue ?? [:] {
                out["\(method.uppercased()) \(path)"] = (operation.objectValue?["parameters"]?.arrayValue ?? []).compactMap { p in
                    guard let p = p.objectValue, p["in"]?.stringValue == "query", let name = p["name"]?.stringValue else { return nil }
                    return Parameter(name: name, required: p["required"] == .bool(true), integer: p["schema"]?.objectValue?["type"]?.stringValue == "integer")
                }
            }
        }
        return out
    }()

    /// The field names the document allows in an operation's JSON body at `path` (["activities"] for the counts).
    static func bodyFields(operation: String, at path: [String]) -> [String] {
        guard let doc = try? JSONDecoder().decode(JSONValue.self, from: OpenAPIDocument.json) else { return [] }
        let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return [] }
        let operationObject = doc.objectValue?["paths"]?.objectValue?[parts[1]]?.objectValue?[parts[0].lowercased()]
        var schema = operationObject?.objectValue?["requestBody"]?.objectValue?["content"]?.objectValue?["application/json"]?.objectValue?["schema"]
        func resolved(_ s: JSONValue?) -> JSONValue? {
            guard let ref = s?.objectValue?["$ref"]?.stringValue, let name = ref.split(separator: "/").last else { return s }
            return doc.objectValue?["components"]?.objectValue?["schemas"]?.objectValue?[String(name)]
        }
        for key in path { schema = resolved(schema)?.objectValue?["properties"]?.objectValue?[key] }
        return (resolved(schema)?.objectValue?["properties"]?.objectValue?.keys).map { $0.sorted() } ?? []
    }

    /// "cycle is required", "limit \"ten\": must be a whole number", or nil when the query is as the document says.
    static func problem(operation: String, query: [(name: String, value: String)]) -> String? {
        for p in declared[operation] ?? [] {
            let values = query.filter { $0.name == p.name }.map(\.value)
            if p.required && values.isEmpty { return "\(p.name) is required" }
            if values.count > 1 { return "\(p.name) \"\(InputText.visible(values.joined(separator: ",")))\": give it once" }
            if p.integer, let v = values.first, Int(v) == nil {
                return "\(p.name) \"\(InputText.visible(v))\": not a whole number"
            }
        }
        return nil
    }

    /// The first number in a JSON body that is not a whole number an integer field can hold, with its path:
    /// the decoder reports such numbers ("activities.arrests": 1.5 or 1e19) without saying where they are.
    static func unfitNumber(in value: JSONValue, path: String = "") -> (path: String, value: Double)? {
        switch value {
        case .number(let n):
            return n.rounded() == n && abs(n) < 9.2e18 ? nil : (path, n)
        case .array(let items):
            for (i, item) in items.enumerated() { if let found = unfitNumber(in: item, path: "\(path)[\(i)]") { return found } }
            return nil
        case .object(let fields):
            for key in fields.keys.sorted() {
                if let found = unfitNumber(in: fields[key]!, path: path.isEmpty ? key : "\(path).\(key)") { return found }
            }
            return nil
        default:
            return nil
        }
    }
}
