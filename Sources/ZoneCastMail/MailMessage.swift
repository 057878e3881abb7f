public import Foundation

/// One plain-text message. Nothing here reads the clock: the caller gives `date` (the moment the alert was raised,
/// from its own clock) and `messageID`, so a message renders to the same bytes every time.
public struct MailMessage: Hashable, Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var subject: String
    /// Plain text; any line ending (LF, CR, CRLF) is written as CRLF.
    public var body: String
    public var date: Date
    /// `local@domain` without the angle brackets (e.g. "notice-enforcement-c1-z2-2026-12-01@zonecast.pd.example").
    public var messageID: String
    /// Extra headers (e.g. `X-ZoneCast-Alert`), written after the standard ones in this order.
    public var headers: [MailHeader]

    public init(from: MailAddress, to: [MailAddress], subject: String, body: String, date: Date, messageID: String, headers: [MailHeader] = []) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID
        self.headers = headers
    }

    /// Headers ZoneCast writes itself; an extra header may not repeat them (nor Bcc, which must never be written).
    static let reservedHeaders: Set<String> = ["from", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version", "content-type",
                                               "content-transfer-encoding", "sender", "reply-to"]

    /// The message as RFC 5322 text, CRLF line endings, no line over 998 octets and header lines folded to 78 where a
    /// break is allowed; ASCII only (non-ASCII subjects and names as RFC 2047 encoded words, a non-ASCII body or one
    /// with lines over 78 characters as quoted-printable UTF-8). Not dot-stuffed: that is the SMTP transport's job.
    public func rendered() throws(MailError) -> String {
        guard !to.isEmpty else { throw .invalidMessage(field: "to", reason: "no recipient") }
        guard to.count <= 100 else { throw .invalidMessage(field: "to", reason: "\(to.count) recipients, at most 100 (RFC 5321 §4.5.3.1.8)") }
        guard messageID.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != 60 && $0 != 62 }), messageID.split(separator: "@").count == 2 else {
            throw .invalidHeader(name: "Message-ID", value: messageID, reason: "expected local@domain in printable ASCII without <, > or spaces")
        }
        var lines: [String] = []
        lines.append("Date: " + MailEncoding.date(date))
        lines.append("From: " + from.headerText)
        lines.append(MailEncoding.foldList(name: "To", items: to.map(\.headerText)))
        lines.append(try MailEncoding.unstructured(name: "Subject", value: subject))
        lines.append("Message-ID: <" + messageID + ">")
        lines.append("MIME-Version: 1.0")
        let (encoding, text) = MailEncoding.body(body)
        lines.append("Content-Type: text/plain; charset=" + (encoding == "7bit" ? "us-ascii" : "utf-8"))
        lines.append("Content-Transfer-Encoding: " + encoding)
        for h in headers {
            guard !Self.reservedHeaders.contains(h.name.lowercased()) else {
                throw .invalidHeader(name: h.name, value: h.value, reason: "ZoneCast writes this header itself")
            }
            lines.append(try MailEncoding.unstructured(name: h.name, value: h.value))
        }
        return lines.joined(separator: "\r\n") + "\r\n\r\n" + text
    }
}

/// An extra header. The name must be printable ASCII without a colon (RFC 5322 §2.2); the value is unstructured text,
/// encoded when it is not ASCII, and may hold no line break (a line break is how header injection works).
public struct MailHeader: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) throws(MailError) {
        guard !name.isEmpty, name.utf8.count <= 76, name.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != 58 }) else {
            throw .invalidHeader(name: name, value: value, reason: "a header name is 1 to 76 printable ASCII characters without a colon")
        }
        self.name = name
        self.value = value
    }
}
