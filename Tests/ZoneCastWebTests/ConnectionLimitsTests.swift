import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Testing
import ZoneCastStore
@testable import ZoneCastWeb
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking TCP client on loopback, byte by byte as a slow or hostile client would send.
final class RawConnection {
    let fd: Int32

    /// `receiveBufferBytes` shrinks the socket's receive buffer (before connecting, so the window is small from
    /// the start): a client that never reads then stalls the server's writes quickly.
    init(port: Int, receiveBufferBytes: Int32? = nil) throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw RawError("socket: errno \(errno)") }
        if var bytes = receiveBufferBytes {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard result == 0 else { close(fd); throw RawError("connect: errno \(errno)") }
    }

    deinit { close(fd) }

    struct RawError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// False once the server has closed the connection.
    @discardableResult func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// True once the server has reset or hung up the connection, whatever is still unread in the socket.
    var hungUp: Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) > 0 && (Int32(p.revents) & (POLLHUP | POLLERR)) != 0
    }

    enum ReadResult: Equatable { case data(String), closed, timedOut }

    /// Reads until the server closes or `seconds` pass (whatever arrived by then, if anything). Waits by sleeping
    /// the task, never by blocking a thread: the server under test runs its handlers on the same cooperative pool.
    func readAll(within seconds: Double) async -> ReadResult {
        var received = [UInt8]()
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 0) <= 0 {
                if deadline.timeIntervalSinceNow <= 0 { return received.isEmpty ? .timedOut : .data(String(decoding: received, as: UTF8.self)) }
                try? await Task.sleep(for: .milliseconds(5))
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 4_096)
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return received.isEmpty ? .closed : .data(String(decoding: received, as: UTF8.self)) }
            received += buffer[0..<n]
        }
    }
}

/// Runs the application on a loopback port chosen by the system for the duration of `body`.
func withLiveServer<T: Sendable>(limits: ConnectionLimits, environment: WebEnvironment = WebEnvironment(store: InMemoryIncidentStore()),
                                  _ body: @Sendable (Int) async throws -> T) async throws -> T {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(router: buildRouter(environment), server: limits.server,
                          configuration: limits.applicationConfiguration(host: "127.0.0.1", port: 0, serverName: "ZoneCast test"),
                          onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0); continuation.finish() },
                          logger: Logger(label: "test.server"))
    let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test.group")))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        do {
            let value = try await body(port)
            await group.triggerGracefulShutdown()
            return value
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
    }
}

/// GET /health on a fresh connection; the response text, or nil when none came within `seconds`.
func health(port: Int, within seconds: Double) async throws -> String? {
    let c = try RawConnection(port: port)
    c.send("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    if case .data(let text) = await c.readAll(within: seconds) { return text }
    return nil
}

@Suite("Connection limits: slow clients time out, the cap holds, /health keeps answering", .serialized)
struct ConnectionLimitsTests {
    static let slowHead = "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: "

    @Test("given 300 connections that sent half a request head, when /health is asked, then it answers before the 3 s idle timeout, and every half-open connection is closed by it")
    func halfOpenConnectionsAreClosed() async throws {
        let limits = ConnectionLimits(idleTimeout: .seconds(3), requestTimeout: .seconds(5), maxConnections: 1_000)
        try await withLiveServer(limits: limits) { (port: Int) async throws -> Void in
            // Given
            let slow = try (0..<300).map { _ in try RawConnection(port: port) }
            for c in slow { #expect(c.send(Self.slowHead)) }
            // When / then: /health is answered while they are open
            let started = Date()
            let answer = try await health(port: port, within: 5)
            #expect(answer?.hasPrefix("HTTP/1.1 200") == true && answer?.hasSuffix("ok") == true, "\(answer ?? "no answer")")
            #expect(Date().timeIntervalSince(started) < 2, "/health took \(Date().timeIntervalSince(started)) s")
            // And each slow client is disconnected once the idle timeout passes, without ever getting a response
            let closing = Date()
            var closed = 0
            for c in slow {
                let left = 8 - Date().timeIntervalSince(closing)
                if await c.readAll(within: max(0.01, left)) == .closed { closed += 1 }
            }
            #expect(closed == 300, "\(closed) of 300 half-open connections closed within 8 s")
            #expect(try await health(port: port, within: 5)?.hasPrefix("HTTP/1.1 200") == true)
        }
    }

    @Test("given the cap of 16 connections held by clients sending partial headers, when /health is asked, then it waits (the 17th is not accepted) and is answered once the idle timeout frees a slot")
    func capHoldsAndTimeoutsFreeSlots() async throws {
        let limits = ConnectionLimits(idleTimeout: .seconds(1), requestTimeout: .seconds(5), maxConnections: 16)
        try await withLiveServer(limits: limits) { (port: Int) async throws -> Void in
            // Given the 16 slots taken (each holds a slot from its accept)
            let slow = try (0..<16).map { _ in try RawConnection(port: port) }
            for c in slow { c.send(Self.slowHead) }
            try await Task.sleep(for: .milliseconds(100))
            // When
            let c = try RawConnection(port: port)
            #expect(c.send("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
            // Then nothing is answered while the cap is reached
            #expect(await c.readAll(within: 0.4) == .timedOut)
            // And once the idle timeout closes the slow ones, the waiting request is accepted and answered
            guard case .data(let text) = await c.readAll(within: 5) else { Issue.record("/health not answered after the slots freed"); return }
            #expect(text.hasPrefix("HTTP/1.1 200") && text.hasSuffix("ok"))
        }
    }

    @Test("given a request whose body arrives one byte every 200 ms (each byte keeps the idle timer alive), when the 1.5 s request timeout passes, then the server closes the connection")
    func dribbledBodyIsCut() async throws {
        let limits = ConnectionLimits(idleTimeout: .seconds(1), requestTimeout: .milliseconds(1_500), maxConnections: 100)
        try await withLiveServer(limits: limits) { (port: Int) async throws -> Void in
            let c = try RawConnection(port: port)
            c.send("POST /tips HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n")
            let started = Date()
            var closedAfter: Double?
            for _ in 0..<30 {  // at most 6 s
                try await Task.sleep(for: .milliseconds(200))
                let sent = c.send("a")
                let read = await c.readAll(within: 0.001)
                if !sent || read != .timedOut {
                    closedAfter = Date().timeIntervalSince(started)
                    break
                }
            }
            let after = try #require(closedAfter, "the dribbling client was never disconnected")
            #expect(after >= 1.2 && after < 3.5, "closed after \(after) s")
            #expect(try await health(port: port, within: 5)?.hasPrefix("HTTP/1.1 200") == true)
        }
    }
}
