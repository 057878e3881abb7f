import Foundation
import Testing
import ZoneCastStore
@testable import ZoneCastWeb

/// Clients that hold the server's resources by being slow on purpose: a body sent a byte at a time, responses never
/// read. An attacker's pass stopped `/health` for a minute with 8 of the first and filled the connection cap with the
/// second.
@Suite("Slow clients: a dribbled body holds no handler place, an unread response does not hold its connection", .serialized)
struct SlowClientTests {
    static func environment(places: Int) -> WebEnvironment {
        var configuration = WebConfiguration()
        configuration.maxConcurrentRequests = places
        return WebEnvironment(store: InMemoryIncidentStore(), configuration: configuration)
    }

    // No bound tighter than the timeout: beside the whole parallel suite /health took 6 s. Held places would make it
    // wait until the dribbling sign-ins are cut at 30 s; it must be answered while they are still connected.
    @Test("given both handler places taken by sign-ins whose bodies arrive a byte at a time, when /health is asked, then it is answered while they still hold their connections, before the 30 s request timeout cuts them")
    func dribbledBodiesHoldNoPlace() async throws {
        let limits = ConnectionLimits(idleTimeout: .seconds(30), requestTimeout: .seconds(30), maxConnections: 100)
        try await withLiveServer(limits: limits, environment: Self.environment(places: 2)) { (port: Int) async throws -> Void in
            // Given two sign-ins that declare 1,000 bytes and send one
            let slow = try (0..<2).map { _ in try RawConnection(port: port) }
            for c in slow {
                #expect(c.send("POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                               + "Content-Length: 1000\r\n\r\nu"))
            }
            try await Task.sleep(for: .milliseconds(300))
            // When
            let started = Date()
            let answer = try await health(port: port, within: 25)
            // Then
            let seconds = Date().timeIntervalSince(started)
            #expect(answer?.hasPrefix("HTTP/1.1 200") == true, "\(answer ?? "no answer") after \(seconds) s")
            for c in slow { #expect(c.send("s") && !c.hungUp) }  // the slow ones are still connected, only waiting
        }
    }

    @Test("given a sign-in declaring a body over 256 KiB, when its head arrives, then it is refused with 413 without waiting for the body")
    func oversizedBodyIsRefusedAtOnce() async throws {
        let limits = ConnectionLimits(idleTimeout: .seconds(10), requestTimeout: .seconds(10), maxConnections: 100)
        try await withLiveServer(limits: limits, environment: Self.environment(places: 2)) { (port: Int) async throws -> Void in
            let c = try RawConnection(port: port)
            c.send("POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                   + "Content-Length: 300000\r\nConnection: close\r\n\r\nu")
            guard case .data(let text) = await c.readAll(within: 5) else { Issue.record("no answer within 5 s"); return }
            #expect(text.hasPrefix("HTTP/1.1 413"), "\(text.prefix(200))")
            #expect(text.contains("larger than 256 KiB"))
        }
    }

    @Test("given a client that pipelines 400 requests for the API document and never reads, when its responses fill the buffers, then the server closes the connection after the 2 s write timeout")
    func unreadResponsesCloseTheConnection() async throws {
        let limits = ConnectionLimits(idleTimeout: .seconds(1), requestTimeout: .seconds(5), writeTimeout: .seconds(2), maxConnections: 100)
        try await withLiveServer(limits: limits) { (port: Int) async throws -> Void in
            // Given
            let c = try RawConnection(port: port, receiveBufferBytes: 4_096)
            let request = "GET /api/openapi.json HTTP/1.1\r\nHost: localhost\r\n\r\n"
            #expect(c.send(String(repeating: request, count: 400)))
            // When the server's writes stall, then within a few seconds the connection is gone: a send fails (reset)
            let started = Date()
            var closedAfter: Double?
            while Date().timeIntervalSince(started) < 15 {
                try await Task.sleep(for: .milliseconds(250))
                if !c.send(request) || c.hungUp { closedAfter = Date().timeIntervalSince(started); break }
            }
            let after = try #require(closedAfter, "the connection that never read was still open after 15 s")
            #expect(after < 10, "closed after \(after) s")
            #expect(try await health(port: port, within: 5)?.hasPrefix("HTTP/1.1 200") == true)
        }
    }
}
