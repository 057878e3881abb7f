import Foundation

/// Sends one message. `SMTPTransport` talks to a relay; `InMemoryOutbox` keeps what it was given (for tests and for
/// a server with no relay configured).
public protocol MailTransport: Sendable {
    /// Sends `message` to every recipient, or to none: a recipient the server refuses fails the whole message.
    func send(_ message: MailMessage) async throws(MailError) -> MailReceipt
}

/// What the transport did: the message id, the recipients accepted and the server's final reply ("250 ... queued
/// as ..."), worth keeping in the audit entry.
public struct MailReceipt: Hashable, Sendable {
    public var messageID: String
    public var recipients: [String]
    public var serverReply: String

    public init(messageID: String, recipients: [String], serverReply: String) {
        self.messageID = messageID
        self.recipients = recipients
        self.serverReply = serverReply
    }
}

/// Keeps every message sent, rendered as the SMTP transport would write it (so a message the relay would refuse for
/// its form is refused here too).
public final class InMemoryOutbox: MailTransport, @unchecked Sendable {
    public struct Sent: Hashable, Sendable {
        public var message: MailMessage
        /// The RFC 5322 text, CRLF line endings, before dot-stuffing.
        public var rendered: String
    }

    private let lock = NSLock()
    private var stored: [Sent] = []

    public init() {}

    public var sent: [Sent] { lock.withLock { stored } }

    public func send(_ message: MailMessage) async throws(MailError) -> MailReceipt {
        let text = try message.rendered()
        lock.withLock { stored.append(Sent(message: message, rendered: text)) }
        return MailReceipt(messageID: message.messageID, recipients: message.to.map(\.address), serverReply: "250 kept in memory")
    }
}
