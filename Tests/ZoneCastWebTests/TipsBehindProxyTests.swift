import Foundation
import Testing
import ZoneCastOperations
import ZoneCastStore
@testable import ZoneCastWeb

@Suite("Tips behind a proxy: the client address, accepted tips only, bounded memory, the start warning", .serialized)
struct TipsBehindProxyTests {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    @Test("given X-Forwarded-For, when the peer is not a trusted proxy, then the peer is the client; when it is, the right-most entry that is not a trusted proxy")
    func clientAddressRules() async throws {
        let proxies = try TrustedProxies(["10.0.0.1", "[::1]", "10.0.0.2"])
        // Untrusted peer: its forwarded header is ignored, whatever it says
        #expect(clientAddress(peer: "198.51.100.9", forwardedFor: ["203.0.113.5"], trusted: proxies) == "198.51.100.9")
        #expect(clientAddress(peer: "198.51.100.9", forwardedFor: ["203.0.113.5"], trusted: TrustedProxies()) == "198.51.100.9")
        // Trusted peer: the right-most untrusted hop; entries to its left are the client's to forge
        #expect(clientAddress(peer: "10.0.0.1", forwardedFor: ["6.6.6.6, 203.0.113.5"], trusted: proxies) == "203.0.113.5")
        #expect(clientAddress(peer: "::1", forwardedFor: ["6.6.6.6", "203.0.113.5, 10.0.0.2"], trusted: proxies) == "203.0.113.5")
        #expect(clientAddress(peer: "::ffff:10.0.0.1", forwardedFor: ["2001:db8::7"], trusted: proxies) == "2001:db8::7")
        // A trusted proxy without the header (or only proxies in it) is its own client
        #expect(clientAddress(peer: "10.0.0.1", forwardedFor: [], trusted: proxies) == "10.0.0.1")
        #expect(clientAddress(peer: "10.0.0.1", forwardedFor: ["10.0.0.2"], trusted: proxies) == "10.0.0.2")
        // Bad configuration is refused naming the value
        #expect(throws: TrustedProxies.InvalidAddress.self) { try TrustedProxies(["proxy.local"]) }
        do { _ = try TrustedProxies(["10.0.0.1", "10.0.0.300"]) } catch { #expect("\(error)".contains("\"10.0.0.300\" is not an IP address")) }
    }

    @Test("given a limiter of 2 per client, when a submission is given back (not stored), then it does not count; the overall cap still holds; and clients whose attempts expired are forgotten")
    func limiterCountsKeptAttemptsAndStaysBounded() async {
        let limiter = RateLimiter(perClient: 2, overall: 5, window: 60)
        #expect(await limiter.allow("a", now: Self.t0))
        await limiter.release("a", at: Self.t0)
        #expect(await limiter.allow("a", now: Self.t0 + 1))
        #expect(await limiter.allow("a", now: Self.t0 + 2))
        #expect(await !limiter.allow("a", now: Self.t0 + 3))
        // The overall cap: 5 in the window, whoever sends them
        for k in 0..<3 { #expect(await limiter.allow("c\(k)", now: Self.t0 + 4)) }
        #expect(await !limiter.allow("d", now: Self.t0 + 5))
        // Bounded: 10,000 distinct refused clients add nothing; expired clients are swept
        for k in 0..<10_000 { _ = await limiter.allow("x\(k)", now: Self.t0 + 6) }
        #expect(await limiter.clientCount <= 5)
        for k in 0..<10 { #expect(await limiter.allow("late\(k)", now: Self.t0 + 70 + Double(k / 5) * 61)) }
        #expect(await limiter.clientCount <= 6)
    }

    /// POSTs a valid (or, with `what` empty, invalid) tip on a raw connection with the double-submitted CSRF token.
    static func postTip(port: Int, forwardedFor: String?, what: String = "Loud fight outside") async throws -> String {
        let body = "csrf=tok&what=\(what.replacingOccurrences(of: " ", with: "+"))&where=Elm+and+5th"
        let c = try RawConnection(port: port)
        c.send("POST /tips HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: zc_tip_csrf=tok\r\nContent-Type: application/x-www-form-urlencoded\r\n"
               + (forwardedFor.map { "X-Forwarded-For: \($0)\r\n" } ?? "") + "Content-Length: \(body.utf8.count)\r\n\r\n" + body)
        // Generous: in a parallel test run the in-process server can wait seconds for a thread (nothing here is timed).
        guard case .data(let text) = await c.readAll(within: 60) else { return "" }
        return String(text.prefix(12))
    }

    @Test("given a live server behind a trusted proxy at 127.0.0.1, when residents with different forwarded addresses send tips, then each has its own quota, rejected tips use none, and an untrusted peer's header is ignored")
    func tipsThroughTheProxy() async throws {
        let limits = ConnectionLimits(idleTimeout: .seconds(60), requestTimeout: .seconds(60), maxConnections: 64)
        let store = InMemoryIncidentStore()
        let trusted = WebEnvironment(store: store, tipLimiter: RateLimiter(perClient: 2, overall: 100, window: 3_600),
                                     configuration: WebConfiguration(trustedProxies: try TrustedProxies(["127.0.0.1"])))
        try await withLiveServer(limits: limits, environment: trusted) { (port: Int) async throws -> Void in
            // Given resident A: two invalid submissions (no "what") are answered 400 and do not count
            #expect(try await Self.postTip(port: port, forwardedFor: "203.0.113.10", what: "") == "HTTP/1.1 400")
            #expect(try await Self.postTip(port: port, forwardedFor: "203.0.113.10", what: "") == "HTTP/1.1 400")
            // When A sends two good tips, both are taken, and the third is refused
            #expect(try await Self.postTip(port: port, forwardedFor: "203.0.113.10") == "HTTP/1.1 200")
            #expect(try await Self.postTip(port: port, forwardedFor: "6.6.6.6, 203.0.113.10") == "HTTP/1.1 200")
            #expect(try await Self.postTip(port: port, forwardedFor: "203.0.113.10") == "HTTP/1.1 429")
            // Then resident B behind the same proxy still has a quota of their own
            #expect(try await Self.postTip(port: port, forwardedFor: "203.0.113.11") == "HTTP/1.1 200")
        }
        #expect(try await store.documents(IntelligenceItem.self).filter { $0.source == .communityTip }.count == 3)

        // Without --trusted-proxy the forwarded header is the client's to forge: all of these are one client (the peer)
        let untrusted = WebEnvironment(store: InMemoryIncidentStore(), tipLimiter: RateLimiter(perClient: 2, overall: 100, window: 3_600))
        try await withLiveServer(limits: limits, environment: untrusted) { (port: Int) async throws -> Void in
            #expect(try await Self.postTip(port: port, forwardedFor: "203.0.113.20") == "HTTP/1.1 200")
            #expect(try await Self.postTip(port: port, forwardedFor: "203.0.113.21") == "HTTP/1.1 200")
            #expect(try await Self.postTip(port: port, forwardedFor: "203.0.113.22") == "HTTP/1.1 429")
        }
    }

    @Test("given serve's host, when it is reachable from other machines and cookies are not Secure, then a warning is printed at start; loopback or --secure-cookies give none")
    func exposureWarning() async {
        for host in ["0.0.0.0", "::", "192.168.1.20", "zonecast.example.org"] {
            let warnings = WebConfiguration(host: host, secureCookies: false).startWarnings
            #expect(warnings.count == 1 && warnings[0].contains("listening on \(host)") && warnings[0].contains("--secure-cookies"), "\(host)")
        }
        for host in ["127.0.0.1", "127.0.0.2", "localhost", "::1"] {
            #expect(WebConfiguration(host: host, secureCookies: false).startWarnings.isEmpty, "\(host)")
        }
        #expect(WebConfiguration(host: "0.0.0.0", secureCookies: true).startWarnings.isEmpty)
    }
}
