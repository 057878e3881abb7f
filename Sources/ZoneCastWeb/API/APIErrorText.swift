import Foundation
import Hummingbird
import OpenAPIRuntime
import ZoneCastCore

/// Turns what an operation threw into the API's JSON error. swift-openapi-runtime wraps every failure in
/// `ServerError`: a handler's `WebError` is sent as it says; a body or parameter the generated code could not
/// decode is a 400 naming the field path (or parameter) and the value; an unsupported content type a 415.
enum APIErrorText {
    /// What the operation ("GET /api/incidents") was sent: the query and the body (nil without one).
    struct Sent {
        var operation: String
        var request: Request
        var body: [UInt8]?

        var query: [(name: String, value: String)] { request.uri.queryParameters.map { (String($0.key), String($0.value)) } }
    }

    static func failure(for error: any Error, _ sent: Sent) -> any Error {
        switch error {
        case var web as WebError:
            web.api = true
            return web
        case let server as ServerError:
            return failure(for: server, sent)
        case let decoding as DecodingError:
            return WebError(.badRequest, message(decoding, sent), api: true)
        default:
            guard var web = WebError(domain: error) else { return error }  // a fault, not the caller's: logged, 500
            web.api = true
            return web
        }
    }

    private static func failure(for server: ServerError, _ sent: Sent) -> any Error {
        let underlying = server.underlyingError
        if underlying is WebError || underlying is DecodingError || WebError(domain: underlying) != nil {
            return failure(for: underlying, sent)
        }
        switch server.httpStatus {
        case .unsupportedMediaType:
            let type = sent.request.headers[.contentType] ?? "none"
            return WebError(.unsupportedMediaType, "send JSON (Content-Type: application/json), not \(InputText.visible(type))", api: true)
        case .badRequest:
            if let problem = APIParameters.problem(operation: sent.operation, query: sent.query) { return WebError(.badRequest, problem, api: true) }
            if server.causeDescription == "Missing required request body" { return WebError(.badRequest, "body: a JSON object is required", api: true) }
            return WebError(.badRequest, "request: \(server.causeDescription)", api: true)
        default:
            return underlying
        }
    }

    /// "activities.arrests \"true\": must be a whole number", "zone is required", "speed \"3\": unknown field".
    static func message(_ error: DecodingError, _ sent: Sent) -> String {
        // Query items: the generated code's errors for them carry no coding path; the document says what they should be.
        if sent.body == nil, let problem = APIParameters.problem(operation: sent.operation, query: sent.query) { return problem }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is required"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)) is required"
        case .typeMismatch(let type, let context):
            return invalid(context.codingPath, sent, expecting(type))
        case .dataCorrupted(let context):
            if context.debugDescription.hasPrefix("Additional properties are disabled") {
                if let key = context.codingPath.last?.stringValue, let why = InputText.problem(key, multiline: false) {
                    return "field name \"\(InputText.visible(key))\": \(why)"
                }
                let expected = APIParameters.bodyFields(operation: sent.operation, at: context.codingPath.dropLast().map(\.stringValue))
                return invalid(context.codingPath, sent, "unknown field" + (expected.isEmpty ? "" : " (expected \(expected.joined(separator: ", ")))"))
            }
            if !context.codingPath.isEmpty { return invalid(context.codingPath, sent, "must be a whole number") }
            // A number that fits no integer (1.5, 1e19) is reported as invalid JSON, without its place: find it.
            if let json = sent.body.flatMap(parsed), let (at, n) = APIParameters.unfitNumber(in: json) {
                return "\(at.isEmpty ? "body" : at) \"\(text(.number(n)))\": must be a whole number"
            }
            return "body: not valid JSON (\(context.debugDescription.prefix(120)))"
        @unknown default:
            return "body: \(error)"
        }
    }

    private static func invalid(_ codingPath: [any CodingKey], _ sent: Sent, _ why: String) -> String {
        let value = sent.body.flatMap(parsed).flatMap { found(at: codingPath, in: $0) } ?? ""
        return "\(path(codingPath)) \"\(value.prefix(80))\": \(why)"
    }

    private static func expecting(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Double.Type: "must be a whole number"
        case is Bool.Type: "must be true or false"
        case is String.Type: "must be a string"
        default: "must be a JSON object"
        }
    }

    /// "activities.arrests", "features[2].id" (field names shown with control characters escaped).
    static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == String(index) {
                out += "[\(index)]"
            } else {
                out += (out.isEmpty ? "" : ".") + InputText.visible(key.stringValue)
            }
        }
        return out.isEmpty ? "body" : out
    }

    private static func parsed(_ body: [UInt8]) -> JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(body)) }

    /// The refused value as the caller sent it, found again in the body along the coding path.
    private static func found(at codingPath: [any CodingKey], in json: JSONValue) -> String? {
        var value = json
        for key in codingPath {
            if let index = key.intValue, let array = value.arrayValue, array.indices.contains(index) {
                value = array[index]
            } else if let next = value.objectValue?[key.stringValue] {
                value = next
            } else {
                return nil
            }
        }
        return text(value)
    }

    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : "\(n)"
        case .string(let s): InputText.visible(s)
        case .array: "[...]"
        case .object: "{...}"
        }
    }
}
