import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's basics plus the peer address, which the public tips form
/// rate-limits by (a forwarded header would be the client's to forge when no reverse proxy sets it).
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
