import Foundation
import Hummingbird

/// Text as it arrives from a request, checked once at the edge. SQLite binds Swift strings as C strings (text after
/// a NUL is dropped) while the audit hash covers the whole string, and a terminal shows escape sequences from
/// stored text: so NUL, the other C0 controls, DEL and the C1 controls are refused before any route sees them,
/// with a 400 naming the field. Tab, line feed and carriage return are let through only where a field holds free
/// text of several lines (form bodies' text areas, a JSON body's `notes`); bytes that are not UTF-8 are refused
/// everywhere (a lenient decoder would otherwise turn them into U+FFFD or an empty string, silently).
enum InputText {
    /// Why `text` cannot be taken as given, or nil. `multiline` allows tab, line feed and carriage return.
    static func problem(_ text: some StringProtocol, multiline: Bool) -> String? {
        for s in text.unicodeScalars where isControl(s, multiline: multiline) {
            return "contains the control character U+\(String(s.value, radix: 16, uppercase: true).leftPadded(4))"
                + (multiline || !(s == "\t" || s == "\n" || s == "\r") ? "" : " (this field is one line)")
        }
        return nil
    }

    static func isControl(_ s: Unicode.Scalar, multiline: Bool) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0D: !multiline
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }

    /// The bytes as a string if they are valid UTF-8 (never repaired).
    static func utf8(_ bytes: some Collection<UInt8>) -> String? {
        var out = ""
        var decoder = UTF8()
        var it = bytes.makeIterator()
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): out.unicodeScalars.append(s)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        return out
    }

    /// Percent-decoding of one URL-encoded component (`+` as a space when `plusIsSpace`); nil when a `%` is not
    /// followed by two hex digits.
    static func percentDecoded(_ text: some StringProtocol, plusIsSpace: Bool) -> [UInt8]? {
        let b = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: "%"):
                guard i + 2 < b.count, let hi = hex(b[i + 1]), let lo = hex(b[i + 2]) else { return nil }
                out.append(hi << 4 | lo)
                i += 3
            case UInt8(ascii: "+") where plusIsSpace:
                out.append(UInt8(ascii: " "))
                i += 1
            default:
                out.append(b[i])
                i += 1
            }
        }
        return out
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// One `name=value` component decoded and checked: the text, or a `WebError` naming `what` (the field).
    static func decodeComponent(_ raw: some StringProtocol, what: @autoclosure () -> String, multiline: Bool, api: Bool,
                                plusIsSpace: Bool = true) throws(WebError) -> String {
        guard let bytes = percentDecoded(raw, plusIsSpace: plusIsSpace) else {
            throw WebError(.badRequest, "\(what()) \"\(raw.prefix(80))\": broken percent-encoding (a % must be followed by two hex digits)", api: api)
        }
        guard let text = utf8(bytes) else {
            throw WebError(.badRequest, "\(what()) \"\(String(decoding: bytes.prefix(80), as: UTF8.self))\": not valid UTF-8", api: api)
        }
        if let why = problem(text, multiline: multiline) {
            throw WebError(.badRequest, "\(what()) \"\(visible(text))\": \(why)", api: api)
        }
        return text
    }

    /// Text for an error message: control characters shown as \u{...} so the message itself is clean.
    static func visible(_ text: some StringProtocol) -> String {
        var out = ""
        for s in text.unicodeScalars.prefix(80) {
            if isControl(s, multiline: false) { out += "\\u{\(String(s.value, radix: 16))}" } else { out.unicodeScalars.append(s) }
        }
        return out
    }
}

/// Refuses a request whose path or query string holds broken percent-encoding, bytes that are not UTF-8 or
/// control characters, before routing: every route, page or API, passes through it, so no handler (nor the audit
/// entry it writes) ever sees such text. Form and JSON bodies are checked where they are read (`Form.read`, the
/// API's `APIEdgeMiddleware`).
struct InputEdgeMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try Self.check(path: request.uri.path, query: request.uri.query)
        return try await next(request, context)
    }

    static func check(path: String, query: String?) throws(WebError) {
        let api = path.hasPrefix("/api/")
        for segment in path.split(separator: "/") {
            _ = try InputText.decodeComponent(segment, what: "path segment", multiline: false, api: api, plusIsSpace: false)
        }
        guard let query else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try InputText.decodeComponent(kv[0], what: "query parameter name", multiline: false, api: api)
            if kv.count == 2 { _ = try InputText.decodeComponent(kv[1], what: "query parameter \(name)", multiline: false, api: api) }
        }
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
