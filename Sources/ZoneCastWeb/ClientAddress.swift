import Hummingbird
import HTTPTypes
import NIOCore
import Foundation

/// The reverse proxies (`zonecast serve --trusted-proxy`) whose X-Forwarded-For the server believes. Behind a TLS
/// proxy every peer address is the proxy's, so without this all residents would share one tip quota; trusting
/// X-Forwarded-For from anyone else would let a client pick its own key.
public struct TrustedProxies: Sendable, Hashable {
    public private(set) var addresses: Set<String>

    public init() { addresses = [] }

    /// The proxies by IP address (IPv4 or IPv6); throws naming the first entry that is not one.
    public init(_ texts: [String]) throws(InvalidAddress) {
        addresses = []
        for text in texts {
            guard let address = Self.normalised(text) else { throw InvalidAddress(text: text) }
            addresses.insert(address)
        }
    }

    public struct InvalidAddress: Error, CustomStringConvertible {
        public var text: String
        public var description: String { "\"\(text.prefix(100))\" is not an IP address (give the proxy's IPv4 or IPv6 address, e.g. 127.0.0.1 or ::1)" }
    }

    public var isEmpty: Bool { addresses.isEmpty }

    public func contains(_ address: String) -> Bool { Self.normalised(address).map(addresses.contains) ?? false }

    /// One spelling per address: "[::1]" and "::1" match, and an IPv4-mapped IPv6 peer ("::ffff:10.0.0.1") is its
    /// IPv4 address. Nil for anything that is not an IP address.
    static func normalised(_ text: String) -> String? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("["), t.hasSuffix("]") { t = String(t.dropFirst().dropLast()) }
        guard !t.isEmpty, t.count <= 64, let address = try? SocketAddress(ipAddress: t, port: 0), var ip = address.ipAddress else { return nil }
        if ip.lowercased().hasPrefix("::ffff:"), ip.contains(".") { ip = String(ip.dropFirst(7)) }
        return ip
    }
}

/// Who sent a request, for per-client limits (the public tips form). The peer address, unless the peer is a trusted
/// proxy: then the right-most X-Forwarded-For entry that is not itself a trusted proxy (entries further left are
/// the client's to forge; each proxy appends the address it saw). Without a peer address (in-process tests, no
/// socket) the right-most forwarded entry, else "unknown".
func clientAddress(peer: String?, forwardedFor: [String], trusted: TrustedProxies) -> String {
    let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard let peer else { return hops.last.map { TrustedProxies.normalised($0) ?? String($0.prefix(100)) } ?? "unknown" }
    let peerAddress = TrustedProxies.normalised(peer) ?? peer
    guard trusted.contains(peerAddress) else { return peerAddress }
    for hop in hops.reversed() where !trusted.contains(hop) {
        return TrustedProxies.normalised(hop) ?? String(hop.prefix(100))
    }
    // Every hop is a trusted proxy (or there is none): the proxy itself is the client.
    return hops.first.flatMap(TrustedProxies.normalised) ?? peerAddress
}

/// The key the tip limiter counts by (see `clientAddress`).
func tipClientKey(_ request: Request, context: some RequestContext, trusted: TrustedProxies) -> String {
    let remote = (context as? any RemoteAddressRequestContext)?.remoteAddress
    let peer = remote.map { $0.ipAddress ?? "\($0)" }  // the address without the port: one client, many connections
    return clientAddress(peer: peer, forwardedFor: request.headers[values: HTTPField.Name("X-Forwarded-For")!], trusted: trusted)
}
