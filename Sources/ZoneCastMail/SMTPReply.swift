/// An SMTP reply (RFC 5321 §4.2): a three-digit code and one or more lines of text. A multi-line reply repeats the
/// code on every line, with "-" after it on all but the last ("250-first", "250-second", "250 last").
public struct SMTPReply: Hashable, Sendable {
    public var code: Int
    public var lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// 2yz: done; 3yz: go on (354 after DATA, 334 during AUTH).
    public var isPositive: Bool { (200..<400).contains(code) }

    /// "550 5.1.1 no such user" (lines joined by " / ").
    public var text: String { "\(code) " + lines.joined(separator: " / ") }
}

/// Collects reply lines until a reply is complete. Throws `MailError.malformedReply` (naming `command`) for a line
/// that is not `ddd`, `ddd text` or `ddd-text`, or a continuation line with another code.
struct SMTPReplyParser {
    private var code: Int?
    private var lines: [String] = []

    /// The complete reply once `line` ends it, nil while more lines are due.
    mutating func add(_ line: String, command: String) throws(MailError) -> SMTPReply? {
        let b = Array(line.utf8)
        guard b.count >= 3, b[0] >= 50, b[0] <= 53, b[1] >= 48, b[1] <= 57, b[2] >= 48, b[2] <= 57,
              b.count == 3 || b[3] == 32 || b[3] == 45 else {
            throw .malformedReply(command: command, line: line)
        }
        let c = Int(b[0] - 48) * 100 + Int(b[1] - 48) * 10 + Int(b[2] - 48)
        if let code, code != c { throw .malformedReply(command: command, line: line) }
        code = c
        lines.append(b.count > 4 ? String(decoding: b[4...], as: UTF8.self) : "")
        guard b.count == 3 || b[3] == 32 else { return nil }
        defer { self = SMTPReplyParser() }
        return SMTPReply(code: c, lines: lines)
    }
}
