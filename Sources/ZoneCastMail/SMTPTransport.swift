import Foundation
public import NIOCore
public import NIOPosix

/// A real SMTP client (RFC 5321) on SwiftNIO: greeting, EHLO (HELO when the server does not know EHLO), AUTH PLAIN or
/// LOGIN when credentials are configured, MAIL FROM, RCPT TO per recipient, DATA with the dot-stuffed message, QUIT.
/// One connection per message (alerts are rare; a pooled session would have to handle the relay's idle timeouts).
///
/// **No TLS.** Neither STARTTLS nor implicit TLS is spoken, so the message and any credentials cross the network in
/// clear text. Use a relay on the same host or a trusted network; AUTH is refused (before connecting) to a host that
/// is not loopback unless `allowPlainAuthentication` is set.
///
/// Every failure names the command and, when the server answered, its reply (`MailError.rejected`). The server has
/// `replyTimeoutSeconds` to answer each command (no read or write for that long ends the session); the
/// connection `connectTimeoutSeconds` to open.
public struct SMTPTransport: MailTransport {
    public let configuration: SMTPConfiguration
    private let group: any EventLoopGroup

    public init(configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = eventLoopGroup
    }

    public func send(_ message: MailMessage) async throws(MailError) -> MailReceipt {
        let data = MailEncoding.dotStuffed(try message.rendered())
        let c = configuration
        if c.credentials != nil && !c.isLoopback && !c.allowPlainAuthentication { throw .plainAuthenticationRefused(host: c.host) }
        let channel: NIOAsyncChannel<String, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.milliseconds(Int64(c.connectTimeoutSeconds * 1_000)))
                .connect(host: c.host, port: c.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            IdleStateHandler(allTimeout: .milliseconds(Int64(c.replyTimeoutSeconds * 1_000))), IdleToTimeoutHandler(),
                            ByteToMessageHandler(SMTPLineDecoder()),
                        ])
                        return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw .connectionFailed(host: c.host, port: c.port, reason: String(describing: error))
        }
        do {
            return try await channel.executeThenClose { inbound, outbound in
                var session = SMTPSession(lines: inbound.makeAsyncIterator(), outbound: outbound, timeoutSeconds: c.replyTimeoutSeconds)
                do {
                    let receipt = try await session.deliver(message: message, data: data, configuration: c)
                    await session.quit()
                    return receipt
                } catch {
                    await session.quit()
                    throw error
                }
            }
        } catch let error as MailError {
            throw error
        } catch {
            throw .connectionFailed(host: c.host, port: c.port, reason: String(describing: error))
        }
    }
}

/// One conversation: send a command, read its whole reply, check the code.
struct SMTPSession {
    var lines: NIOAsyncChannelInboundStream<String>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let timeoutSeconds: Double
    var closed = false

    init(lines: NIOAsyncChannelInboundStream<String>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, timeoutSeconds: Double) {
        self.lines = lines
        self.outbound = outbound
        self.timeoutSeconds = timeoutSeconds
    }

    /// The next complete reply; `command` names what it answers, in errors.
    mutating func reply(to command: String) async throws(MailError) -> SMTPReply {
        var parser = SMTPReplyParser()
        while true {
            let line: String?
            do {
                line = try await lines.next()
            } catch is SMTPTimeout {
                closed = true
                throw .timedOut(command: command, seconds: timeoutSeconds)
            } catch let e as MailError {
                closed = true
                throw e
            } catch {
                closed = true
                throw .connectionClosed(command: command)
            }
            guard let line else {
                closed = true
                throw .connectionClosed(command: command)
            }
            do {
                if let reply = try parser.add(line, command: command) { return reply }
            } catch {
                // A server that does not speak SMTP will not answer QUIT either.
                closed = true
                throw error
            }
        }
    }

    /// Writes `text` CRLF and reads the reply, which must have one of `expected` codes. `shown` is how the command
    /// appears in errors (never with credentials).
    @discardableResult
    mutating func command(_ text: String, shown: String? = nil, expected: Set<Int>) async throws(MailError) -> SMTPReply {
        let name = shown ?? text
        try await write(text + "\r\n", command: name)
        let r = try await reply(to: name)
        guard expected.contains(r.code) else { throw .rejected(command: name, reply: r) }
        return r
    }

    func write(_ text: String, command: String) async throws(MailError) {
        do { try await outbound.write(ByteBuffer(string: text)) } catch { throw .connectionClosed(command: command) }
    }

    mutating func deliver(message: MailMessage, data: String, configuration c: SMTPConfiguration) async throws(MailError) -> MailReceipt {
        let greeting = try await reply(to: "the connection greeting")
        guard greeting.code == 220 else { throw .rejected(command: "the connection greeting", reply: greeting) }
        var extensions: [String] = []
        let ehlo = "EHLO " + c.heloName
        try await write(ehlo + "\r\n", command: ehlo)
        let hello = try await reply(to: ehlo)
        if hello.code == 250 {
            extensions = Array(hello.lines.dropFirst())
        } else if [500, 502].contains(hello.code) {
            try await command("HELO " + c.heloName, expected: [250])
        } else {
            throw .rejected(command: ehlo, reply: hello)
        }
        if let credentials = c.credentials { try await authenticate(credentials, extensions: extensions) }
        try await command("MAIL FROM:<\(message.from.address)>", expected: [250])
        for r in message.to { try await command("RCPT TO:<\(r.address)>", expected: [250, 251]) }
        try await command("DATA", expected: [354])
        try await write(data, command: "the message data (after DATA)")
        let done = try await reply(to: "the message data (after DATA)")
        guard done.code == 250 else { throw .rejected(command: "the message data (after DATA)", reply: done) }
        return MailReceipt(messageID: message.messageID, recipients: message.to.map(\.address), serverReply: done.text)
    }

    /// AUTH PLAIN (RFC 4616) when offered, else AUTH LOGIN; 235 is success.
    mutating func authenticate(_ credentials: SMTPConfiguration.Credentials, extensions: [String]) async throws(MailError) {
        let offered = extensions.compactMap { line -> [String]? in
            let words = line.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
            return words.first == "AUTH" ? Array(words.dropFirst()) : nil
        }.flatMap { $0 }
        func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
        if offered.contains("PLAIN") {
            try await command("AUTH PLAIN " + b64("\0" + credentials.username + "\0" + credentials.password), shown: "AUTH PLAIN", expected: [235])
        } else if offered.contains("LOGIN") {
            try await command("AUTH LOGIN", expected: [334])
            try await command(b64(credentials.username), shown: "AUTH LOGIN (user name)", expected: [334])
            try await command(b64(credentials.password), shown: "AUTH LOGIN (password)", expected: [235])
        } else {
            throw .authenticationUnavailable(offered: offered.joined(separator: " "))
        }
    }

    /// QUIT, best effort: the message is already accepted or already failed, so its answer changes nothing.
    mutating func quit() async {
        guard !closed else { return }
        closed = true
        _ = try? await command("QUIT", expected: [221])
    }
}

/// Raised in the pipeline when neither a read nor a write happened for the reply timeout.
struct SMTPTimeout: Error {}

final class IdleToTimeoutHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.fireErrorCaught(SMTPTimeout())
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// Splits the server's bytes into lines (CRLF or LF), at most `maxLength` bytes each (RFC 5321 allows 512 for a
/// reply line; a server sending far more is broken or hostile).
struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String
    var maxLength = 4_096

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: 10) else {
            if buffer.readableBytes > maxLength {
                throw MailError.malformedReply(command: "(reading a reply)", line: "a line longer than \(maxLength) bytes")
            }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        var bytes = buffer.readBytes(length: length + 1) ?? []
        bytes.removeLast()
        if bytes.last == 13 { bytes.removeLast() }
        context.fireChannelRead(wrapInboundOut(String(decoding: bytes, as: UTF8.self)))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
