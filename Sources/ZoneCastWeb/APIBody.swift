import Foundation
import Hummingbird

/// A JSON request body read at the edge: at most `maxBytes`, valid UTF-8, a JSON object, and no control character
/// in any key or string (tab and new lines only in the `multiline` fields), each refusal a 400 naming the field.
/// A `\u0000` escape decodes to a NUL that SQLite would cut the text at, so strings are checked after decoding.
enum APIBody {
    static func object(_ request: Request, maxBytes: Int, multiline: Set<String> = []) async throws -> [String: Any] {
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: maxBytes) } catch {
            throw APIError(.contentTooLarge, "the request body is larger than \(maxBytes / 1024) KiB")
        }
        return try object(Array(body.readableBytesView), multiline: multiline)
    }

    static func object(_ bytes: [UInt8], multiline: Set<String> = []) throws(WebError) -> [String: Any] {
        guard InputText.utf8(bytes) != nil else { throw WebError(.badRequest, "body: not valid UTF-8", api: true) }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(bytes)) } catch {
            throw WebError(.badRequest, "body: not valid JSON (\(error.localizedDescription))", api: true)
        }
        guard let object = parsed as? [String: Any] else { throw APIQuery.invalid("body", "", "must be a JSON object") }
        try check(object, path: "", multiline: multiline)
        return object
    }

    private static func check(_ value: Any, path: String, multiline: Set<String>) throws(WebError) {
        switch value {
        case let object as [String: Any]:
            for (key, inner) in object {
                let name = path.isEmpty ? key : "\(path).\(key)"
                if let why = InputText.problem(key, multiline: false) { throw APIQuery.invalid("field name", InputText.visible(key), why) }
                try check(inner, path: name, multiline: multiline)
            }
        case let array as [Any]:
            for (i, inner) in array.enumerated() { try check(inner, path: "\(path)[\(i)]", multiline: multiline) }
        case let text as String:
            if let why = InputText.problem(text, multiline: multiline.contains(path)) { throw APIQuery.invalid(path, InputText.visible(text), why) }
        default:
            break
        }
    }
}
