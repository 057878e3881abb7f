public import Foundation

/// The encodings a message needs to travel as 7-bit text: RFC 5322 dates and folding, RFC 2047 encoded words,
/// RFC 2045 quoted-printable, and RFC 5321 dot-stuffing.
public enum MailEncoding {
    /// "Tue, 01 Dec 2026 22:17:00 +0000" (RFC 5322 §3.3), always in UTC so no time zone is needed.
    public static func date(_ d: Date) -> String {
        let seconds = Int(d.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - days * 86_400
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
        let iso = FixedDate.civil(days)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekday), \(two(iso.day)) \(months[iso.month - 1]) \(iso.year) \(two(inDay / 3_600)):\(two(inDay / 60 % 60)):\(two(inDay % 60)) +0000"
    }

    /// "Name: value" for unstructured text: plain ASCII folded at spaces to 78 columns where it can be; anything else
    /// (non-ASCII, a word that cannot fit in 998 octets, text that looks like an encoded word) as UTF-8 "B" encoded
    /// words of at most 75 characters on folded lines. Throws for a line break or control character.
    public static func unstructured(name: String, value: String) throws(MailError) -> String {
        if value.unicodeScalars.contains(where: { ($0.value < 32 && $0 != "\t") || $0.value == 127 }) {
            throw .invalidHeader(name: name, value: value, reason: "holds a line break or control character")
        }
        let plain = value.utf8.allSatisfy { $0 < 128 } && !value.contains("=?")
        if plain, let folded = fold(prefix: name + ":", words: value.split(separator: " ", omittingEmptySubsequences: false).map(String.init)) {
            return folded
        }
        return fold(prefix: name + ":", words: encodedWords(value, firstBudget: 78 - name.utf8.count - 2)) ?? ""
    }

    /// Folds `prefix` and `words` (joined by single spaces) into lines of at most 78 columns, breaking only at the
    /// spaces; nil when a line would still pass 998 octets.
    static func fold(prefix: String, words: [String]) -> String? {
        var lines: [String] = [prefix]
        for w in words {
            // Never break before the first word (the header line keeps it) nor before an empty one (a line of
            // only white space is not allowed when folding, RFC 5322 §3.2.2).
            if lines[lines.count - 1].utf8.count + 1 + w.utf8.count > 78 && lines[lines.count - 1] != prefix && !w.isEmpty {
                lines.append("")
            }
            lines[lines.count - 1] += " " + w
        }
        guard lines.allSatisfy({ $0.utf8.count <= 998 }) else { return nil }
        return lines.joined(separator: "\r\n")
    }

    /// A comma-separated header (To), folded after commas.
    static func foldList(name: String, items: [String]) -> String {
        var lines = [name + ":"]
        for (i, item) in items.enumerated() {
            let text = item + (i < items.count - 1 ? "," : "")
            if lines[lines.count - 1].utf8.count + 1 + text.utf8.count > 78 && i > 0 { lines.append("") }
            lines[lines.count - 1] += " " + text
        }
        return lines.joined(separator: "\r\n")
    }

    /// RFC 2047 "B" encoded words, each whole characters only and at most 75 characters long; the first fits in
    /// `firstBudget` columns when it can.
    static func encodedWords(_ text: String, firstBudget: Int) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        func limit() -> Int { (((words.isEmpty ? max(16, min(75, firstBudget)) : 75) - 12) / 4) * 3 }
        func flush() {
            words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
            chunk = []
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            for piece in bytes.count <= 45 ? [bytes] : String(character).unicodeScalars.map({ Array(String($0).utf8) }) {
                if chunk.count + piece.count > limit() && !chunk.isEmpty { flush() }
                chunk += piece
            }
        }
        if !chunk.isEmpty || words.isEmpty { flush() }
        return words
    }

    /// A display name: an atom run as it is, ASCII with specials as a quoted string, anything else as encoded words.
    static func phrase(_ name: String) -> String {
        guard name.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }), !name.contains("=?") else {
            return encodedWords(name, firstBudget: 75).joined(separator: " ")
        }
        let atomOrSpace = MailAddress.atext.union([32])
        if name.utf8.allSatisfy(atomOrSpace.contains) { return name }
        return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The body as (Content-Transfer-Encoding, text with CRLF endings and a final CRLF): "7bit" when it is ASCII
    /// without control characters and no line passes 78 characters, else "quoted-printable" of its UTF-8.
    public static func body(_ text: String) -> (encoding: String, text: String) {
        let lines = normalizedLines(text)
        let plain = lines.allSatisfy { l in l.utf8.count <= 78 && l.utf8.allSatisfy { ($0 >= 32 && $0 < 127) || $0 == 9 } }
        if plain { return ("7bit", lines.map { $0 + "\r\n" }.joined()) }
        return ("quoted-printable", lines.map { quotedPrintable(line: Array($0.utf8)) + "\r\n" }.joined())
    }

    /// The text's lines, any of CRLF, CR or LF ending one; a final line ending adds no empty line.
    static func normalizedLines(_ text: String) -> [String] {
        let unified = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = unified.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.count > 1 && lines.last == "" { lines.removeLast() }
        return lines
    }

    /// One line as quoted-printable (RFC 2045 §6.7): printable ASCII except "=" as itself, everything else as =XX,
    /// a space or tab before the line end encoded, soft line breaks ("=" CRLF) keeping every line within 76.
    static func quotedPrintable(line: [UInt8]) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [String] = []
        var current = ""
        for (i, b) in line.enumerated() {
            let last = i == line.count - 1
            let literal = (b >= 33 && b <= 126 && b != 61) || ((b == 32 || b == 9) && !last)
            let token = literal ? String(UnicodeScalar(b)) : "=" + String(UnicodeScalar(hex[Int(b >> 4)])) + String(UnicodeScalar(hex[Int(b & 15)]))
            // 75 leaves room for the soft break's "=" unless this is the line's last token.
            if current.utf8.count + token.utf8.count > (last ? 76 : 75) {
                out.append(current + "=")
                current = ""
            }
            current += token
        }
        out.append(current)
        return out.joined(separator: "\r\n")
    }

    /// The DATA payload (RFC 5321 §4.5.2): every line starting with "." gets another, then the terminating
    /// CRLF "." CRLF. `message` must already use CRLF endings (as `MailMessage.rendered()` does).
    public static func dotStuffed(_ message: String) -> String {
        var text = message.hasSuffix("\r\n") ? message : message + "\r\n"
        if text.hasPrefix(".") { text = "." + text }
        return text.replacingOccurrences(of: "\r\n.", with: "\r\n..") + ".\r\n"
    }
}

/// Days since 1970-01-01 to the civil date (Howard Hinnant's algorithm), so the encoding needs no calendar.
enum FixedDate {
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
