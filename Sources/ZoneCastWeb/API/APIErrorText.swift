import Foundation
import Hummingbird
import OpenAPIRuntime
import ZoneCastCore

/// Turns what an operation threw into the API's JSON error. swift-openapi-runtime wraps every failure in
/// `ServerError`: a handler's `WebError` is sent as it says; a body or parameter the generated code could not
/// decode is a 400 naming the field path and the value; an unsupported content type a 415.
enum APIErrorText {
    static func failure(for error: any Error, request: Request, body: [UInt8]?) -> any Error {
        switch error {
        case var web as WebError:
            web.api = true
            return web
        case is APIFailure:
            return error
        case let server as ServerError:
            return failure(for: server, request: request, body: body)
        case let decoding as DecodingError:
            return APIFailure(.badRequest, message(decoding, request: request, body: body))
        default:
            return error  // a fault, not the caller's: Hummingbird logs it and answers 500
        }
    }

    private static func failure(for server: ServerError, request: Request, body: [UInt8]?) -> any Error {
        let underlying = server.underlyingError
        if underlying is WebError || underlying is APIFailure || underlying is DecodingError {
            return failure(for: underlying, request: request, body: body)
        }
        switch server.httpStatus {
        case .unsupportedMediaType:
            let type = request.headers[.contentType] ?? "none"
            return APIFailure(.unsupportedMediaType, "send JSON (Content-Type: application/json), not \(InputText.visible(type))")
        case .badRequest:
            let missing = "Missing required query parameter named: "
            if server.causeDescription.hasPrefix(missing) {
                return APIFailure(.badRequest, "\(server.causeDescription.dropFirst(missing.count)) is required")
            }
            if server.causeDescription == "Missing required request body" { return APIFailure(.badRequest, "body: a JSON object is required") }
            return APIFailure(.badRequest, "request: \(server.causeDescription)")
        default:
            return underlying
        }
    }

    /// "activities.arrests \"true\": must be a whole number", "zone is required", "speed \"3\": unknown field".
    static func message(_ error: DecodingError, request: Request, body: [UInt8]?) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is required"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)) is required"
        case .typeMismatch(let type, let context):
            return invalid(context.codingPath, request: request, body: body, expecting(type))
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "body: not valid JSON (\(context.debugDescription.prefix(120)))" }
            if context.debugDescription.hasPrefix("Additional properties are disabled") {
                return invalid(context.codingPath, request: request, body: body, "unknown field")
            }
            return invalid(context.codingPath, request: request, body: body, "must be a whole number")
        @unknown default:
            return "body: \(error)"
        }
    }

    private static func invalid(_ codingPath: [any CodingKey], request: Request, body: [UInt8]?, _ why: String) -> String {
        let value = body.flatMap { bodyValue(codingPath, in: $0) } ?? queryValue(codingPath, request: request) ?? ""
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

    /// The refused value as the caller sent it, found again in the body along the coding path.
    private static func bodyValue(_ codingPath: [any CodingKey], in body: [UInt8]) -> String? {
        guard var value = try? JSONDecoder().decode(JSONValue.self, from: Data(body)) else { return nil }
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

    private static func queryValue(_ codingPath: [any CodingKey], request: Request) -> String? {
        guard let name = codingPath.first?.stringValue else { return nil }
        return request.uri.queryParameters[Substring(name)].map { InputText.visible($0) }
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
