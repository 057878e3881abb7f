import Foundation
@testable import ZoneCastMail

/// Decoders written independently of the code under test, to check encodings by round trip.
enum MailDecode {
    /// The text of a header value made of RFC 2047 "B" encoded words (white space between them dropped) or plain text.
    static func unstructured(_ folded: String) -> String {
        let unfolded = folded.replacingOccurrences(of: "\r\n ", with: " ")
        guard unfolded.contains("=?UTF-8?B?") else { return unfolded }
        var bytes: [UInt8] = []
        for word in unfolded.split(separator: " ") {
            let inner = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            bytes += Data(base64Encoded: String(inner)).map(Array.init) ?? []
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Quoted-printable (RFC 2045 §6.7) back to text: soft breaks joined, =XX decoded, hard breaks as "\n".
    static func quotedPrintable(_ text: String) -> String {
        let joined = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var out: [UInt8] = []
        var i = 0
        while i < joined.count {
            if joined[i] == 61, i + 2 < joined.count, let b = UInt8(String(decoding: joined[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(b)
                i += 3
            } else {
                out.append(joined[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// Header block and body of a message.
    static func split(_ message: String) -> (headers: [String: String], body: String) {
        let parts = message.components(separatedBy: "\r\n\r\n")
        var headers: [String: String] = [:]
        let unfolded = parts[0].replacingOccurrences(of: "\r\n ", with: "\u{1}")
        for line in unfolded.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[String(line[..<colon]).lowercased()] = String(line[line.index(after: colon)...]).dropFirst().replacingOccurrences(of: "\u{1}", with: "\r\n ")
        }
        return (headers, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
}

enum MailFixture {
    static let date = ISO8601DateFormatter().date(from: "2026-12-01T22:17:00Z")!

    static func message(subject: String = "Enforcement above threshold in zone Z2",
                        body: String = "Zone Z2: 3 minor citations in 4.0 h.\n.\n.hidden line\nEnd",
                        to: [String] = ["commander@pd.example", "duty.officer@pd.example"], id: String = "alert-1@zonecast.pd.example") throws -> MailMessage {
        try MailMessage(from: MailAddress("alerts@zonecast.pd.example", name: "ZoneCast"), to: to.map { try MailAddress($0) }, subject: subject,
                        body: body, date: date, messageID: id, headers: [MailHeader("X-ZoneCast-Alert", "enforcement/c1/Z2/2026-12-01")])
    }
}
