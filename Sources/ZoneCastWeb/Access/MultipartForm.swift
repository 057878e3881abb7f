import Foundation

/// A file sent in a multipart/form-data form: the field it came in, the name the browser gave and the declared type.
struct UploadedFile: Sendable, Hashable {
    var field: String
    var filename: String
    /// The part's Content-Type, lower-cased without parameters; "" when the browser sent none.
    var contentType: String
    var bytes: [UInt8]
}

/// A strict reader of multipart/form-data bodies (RFC 7578), for the few forms that take a file (Hummingbird 2
/// has no multipart decoder). Strict because the bytes come from anyone with a session: the boundary must be
/// declared and found exactly, every part must name its field, at most one part may carry a file and only on a
/// form that takes one, a file larger than the form's limit is refused with a 413 naming the field and the limit,
/// and text fields are handed to `Form(strict:)`, so they meet exactly the rules of an url-encoded form.
enum MultipartForm {
    static let maxParts = 32
    static let maxHeaderBytes = 4_096

    /// The boundary of a `multipart/form-data` Content-Type, nil for any other type.
    static func boundary(contentType: String) throws(WebError) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let type = pieces.first, type.lowercased() == "multipart/form-data" else { return nil }
        let parameters = Self.parameters(pieces.dropFirst().joined(separator: ";"))
        guard let boundary = parameters["boundary"], (1...70).contains(boundary.utf8.count),
              boundary.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F || $0 == " " }) else {
            throw WebError(.badRequest, "the multipart form has no valid boundary in its Content-Type")
        }
        return boundary
    }

    /// The form's text fields and its file, if one was sent. `fileBytes` is the largest file the form takes (0: none).
    static func parse(_ body: [UInt8], boundary: String, fileBytes: Int) throws(WebError) -> (form: Form, file: UploadedFile?) {
        let dash = Array("--\(boundary)".utf8)
        let delimiter = Array("\r\n--\(boundary)".utf8)
        guard body.starts(with: dash) else { throw WebError(.badRequest, "the multipart form does not start with its boundary") }
        var position = dash.count
        var encoded = [UInt8]()
        var file: UploadedFile?
        var parts = 0
        while true {
            if body[position...].starts(with: Array("--".utf8)) { break }  // the closing delimiter; an epilogue is ignored
            guard body[position...].starts(with: Array("\r\n".utf8)) else { throw WebError(.badRequest, "the multipart form is malformed after a boundary") }
            parts += 1
            guard parts <= maxParts else { throw WebError(.badRequest, "the multipart form has more than \(maxParts) parts") }
            let headerStart = position + 2
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: body, from: headerStart, within: maxHeaderBytes) else {
                throw WebError(.badRequest, "part \(parts) of the multipart form has no end of headers within \(maxHeaderBytes) bytes")
            }
            let header = try partHeader(Array(body[headerStart..<headerEnd]), part: parts)
            let contentStart = headerEnd + 4
            guard let contentEnd = find(delimiter, in: body, from: contentStart) else {
                throw WebError(.badRequest, "\(header.name): the multipart form ends before the part's closing boundary")
            }
            let content = body[contentStart..<contentEnd]
            if let filename = header.filename, !(filename.isEmpty && content.isEmpty) {  // a browser's empty file input: no file
                guard fileBytes > 0 else { throw WebError(.badRequest, "\(header.name): this form takes no file") }
                guard file == nil else { throw WebError(.badRequest, "\(header.name): only one file can be sent") }
                guard content.count <= fileBytes else {
                    throw WebError(.payloadTooLarge, "\(header.name): the file \(filename) is \(content.count) bytes, more than the limit of "
                                   + "\(fileBytes) bytes (\(fileBytes / 1024 / 1024) MiB)")
                }
                file = UploadedFile(field: header.name, filename: filename, contentType: header.contentType, bytes: Array(content))
            } else if header.filename == nil {
                guard InputText.utf8(content) != nil else { throw WebError(.badRequest, "\(header.name): not valid UTF-8") }
                if !encoded.isEmpty { encoded.append(UInt8(ascii: "&")) }
                encoded += percentEncoded(Array(header.name.utf8)) + [UInt8(ascii: "=")] + percentEncoded(Array(content))
            }
            position = contentEnd + delimiter.count
        }
        return (try Form(strict: encoded), file)
    }

    /// A part's field name, file name (for a file part) and declared type.
    private static func partHeader(_ bytes: [UInt8], part: Int) throws(WebError) -> (name: String, filename: String?, contentType: String) {
        guard let text = InputText.utf8(bytes), InputText.problem(text.replacingOccurrences(of: "\r\n", with: ""), multiline: false) == nil else {
            throw WebError(.badRequest, "part \(part) of the multipart form has headers that are not plain text")
        }
        var disposition: [String: String]?, contentType = ""
        for line in text.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { throw WebError(.badRequest, "part \(part) of the multipart form has a malformed header") }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "content-disposition" {
                let pieces = value.split(separator: ";", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pieces.first?.lowercased() == "form-data" else {
                    throw WebError(.badRequest, "part \(part) of the multipart form is not form-data")
                }
                disposition = parameters(pieces.count > 1 ? pieces[1] : "")
            } else if name == "content-type" {
                contentType = value.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            }
        }
        guard let disposition, let name = disposition["name"], !name.isEmpty else {
            throw WebError(.badRequest, "part \(part) of the multipart form names no field")
        }
        return (name, disposition["filename"], contentType)
    }

    /// `key=value` and `key="quoted; value"` parameters after a header's first value (keys lower-cased).
    static func parameters(_ text: String) -> [String: String] {
        var result = [String: String]()
        var rest = Substring(text)
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == ";" }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                while let c = rest.first, c != "\"" {
                    if c == "\\", rest.count > 1 { rest = rest.dropFirst() }
                    value.append(rest.first!)
                    rest = rest.dropFirst()
                }
                rest = rest.dropFirst()
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            if result[key] == nil { result[key] = value }
        }
        return result
    }

    /// The first index of `needle` in `haystack` at or after `start` (and, with `within`, starting no later than that many bytes on).
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int, within: Int? = nil) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        let last = min(haystack.count - needle.count, within.map { start + $0 } ?? Int.max)
        guard start <= last else { return nil }
        return haystack.withUnsafeBufferPointer { h -> Int? in
            var i = start
            while i <= last {
                if h[i] == first {
                    var k = 1
                    while k < needle.count && h[i + k] == needle[k] { k += 1 }
                    if k == needle.count { return i }
                }
                i += 1
            }
            return nil
        }
    }

    /// Bytes percent-encoded but for letters and digits, so `Form(strict:)` decodes exactly them.
    private static func percentEncoded(_ bytes: [UInt8]) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 3)
        for b in bytes {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): out.append(b)
            default: out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 15)]]
            }
        }
        return out
    }
}
