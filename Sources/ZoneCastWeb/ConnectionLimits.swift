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
    /// Open connections at most: past it the server stops accepting (new ones wait in the listen backlog) until one
    /// closes, so file descriptors and memory stay bounded.
    public var maxConnections: Int

    public static let defaultIdleSeconds = 15
    public static let defaultRequestSeconds = 60
    public static let defaultMaxConnections = 512

    public init(idleTimeout: Duration = .seconds(defaultIdleSeconds), requestTimeout: Duration = .seconds(defaultRequestSeconds),
                maxConnections: Int = defaultMaxConnections) {
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.maxConnections = maxConnections
    }

    /// Hummingbird's HTTP/1 server with the idle timeout and the request deadline.
    public var server: HTTPServerBuilder {
        let requestTimeout = TimeAmount(requestTimeout)
        return .http1(configuration: HTTP1Channel.Configuration(additionalChannelHandlers: [RequestDeadlineHandler(timeout: requestTimeout)],
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

/// Closes the connection when a request's head arrived more than `timeout` ago and its body has not ended (a client
/// dribbling a body a byte at a time keeps Hummingbird's idle timer alive). One per connection.
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let channel = context.channel
            deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }
}
