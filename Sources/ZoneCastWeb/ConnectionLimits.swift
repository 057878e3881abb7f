public import Hummingbird
public import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// How long a connection may sit idle or dribble a request, and how many may be open at once. Without them, a few
/// hundred half-open connections that send a header line now and then (slowloris) hold every slot and `/health`
/// stops answering.
public struct ConnectionLimits: Sendable, Hashable {
    /// Closes a connection with no request in progress after this long without a complete request head: the idle
    /// keep-alive connection, and the one that sends partial headers (bytes of an unfinished head do not count as
    /// activity, so this is also the header-read timeout).
    public var idleTimeout: Duration
    /// Closes a connection whose request (head to the end of its body) has not fully arrived this long after its head.
    public var requestTimeout: Duration
    /// Closes a connection whose client has stopped reading its responses (the server's writes wait this long with
    /// the socket's buffers full). A client that pipelined requests and never read held its connection for ever, past
    /// both timeouts above, and enough of them filled `maxConnections`.
    public var writeTimeout: Duration
    /// Open connections at most: past it the server stops accepting (new ones wait in the listen backlog) until one
    /// closes, so file descriptors and memory stay bounded.
    public var maxConnections: Int

    public static let defaultIdleSeconds = 15
    public static let defaultRequestSeconds = 60
    public static let defaultMaxConnections = 512
    public static let defaultWriteSeconds = 30

    public init(idleTimeout: Duration = .seconds(defaultIdleSeconds), requestTimeout: Duration = .seconds(defaultRequestSeconds),
                writeTimeout: Duration = .seconds(defaultWriteSeconds), maxConnections: Int = defaultMaxConnections) {
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.writeTimeout = writeTimeout
        self.maxConnections = maxConnections
    }

    /// Hummingbird's HTTP/1 server with the idle timeout, the request deadline and the write stall limit.
    public var server: HTTPServerBuilder {
        let requestTimeout = TimeAmount(requestTimeout), writeTimeout = TimeAmount(writeTimeout)
        return .http1(configuration: HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionDeadlineHandler(requestTimeout: requestTimeout, writeTimeout: writeTimeout)],
            idleTimeout: TimeAmount(idleTimeout)))
    }

    /// The application configuration with the connection cap.
    public func applicationConfiguration(host: String, port: Int, serverName: String) -> ApplicationConfiguration {
        ApplicationConfiguration(address: .hostname(host, port: port), serverName: serverName,
                                 availableConnectionsDelegate: MaximumAvailableConnections(maxConnections, logger: Logger(label: "zonecast.connections")))
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// Closes the connection when a request's head arrived more than `requestTimeout` ago and its body has not ended (a
/// client dribbling a body a byte at a time keeps Hummingbird's idle timer alive), or when its writes have waited
/// `writeTimeout` on full buffers: the client has stopped reading what it asked for. Hummingbird's idle timer ignores
/// a connection with a response in progress and the request deadline ends with the request, so a client that
/// pipelined requests and never read kept its connection open indefinitely. One per connection.
final class ConnectionDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let requestTimeout: TimeAmount, writeTimeout: TimeAmount
    private var requestDeadline: Scheduled<Void>?, writeDeadline: Scheduled<Void>?

    init(requestTimeout: TimeAmount, writeTimeout: TimeAmount) {
        self.requestTimeout = requestTimeout
        self.writeTimeout = writeTimeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            requestDeadline?.cancel()
            requestDeadline = Self.close(context, in: requestTimeout)
        case .end:
            requestDeadline?.cancel()
            requestDeadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            writeDeadline?.cancel()
            writeDeadline = nil
        } else if writeDeadline == nil {
            writeDeadline = Self.close(context, in: writeTimeout)
        }
        context.fireChannelWritabilityChanged()
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancelAll() }

    func channelInactive(context: ChannelHandlerContext) {
        cancelAll()
        context.fireChannelInactive()
    }

    private func cancelAll() {
        requestDeadline?.cancel()
        writeDeadline?.cancel()
        requestDeadline = nil
        writeDeadline = nil
    }

    private static func close(_ context: ChannelHandlerContext, in timeout: TimeAmount) -> Scheduled<Void> {
        let channel = context.channel
        return context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }
}
