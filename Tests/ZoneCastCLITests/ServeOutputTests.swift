import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an operator reading `serve`'s output through a pipe (systemd, docker, a log file) sees while it runs.
struct ServeOutputTests {
    /// A port of 127.0.0.1 no one listens on now (bound to 0 and released).
    static func freePort() throws -> Int {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(s >= 0)
        defer { close(s) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, length) == 0 && getsockname(s, $0, &length) == 0 }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test(.enabled(if: zonecastBinary != nil, "needs the built zonecast executable (swift build)"))
    func givenServeWritingToAPipe_whenItHasStarted_thenItsStartupLinesAreReadableWhileItRuns() throws {
        // Given a fresh database and `serve` with its standard output a pipe.
        let dir = try temporaryDirectory()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: zonecastBinary!)
        p.arguments = ["serve", "--db", "z.sqlite", "--port", String(try Self.freePort()), "--no-scheduler"]
        p.currentDirectoryURL = dir
        p.environment = zonecastEnvironment(in: dir)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { p.terminate() }; p.waitUntilExit() }
        // When its output is read for up to 30 s while it runs.
        let text = LockedText()
        out.fileHandleForReading.readabilityHandler = { text.append($0.availableData) }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && p.isRunning && !(text.value.contains("ZoneCast serving") && text.value.contains("Audit checkpoint at start")) {
            usleep(50_000)
        }
        out.fileHandleForReading.readabilityHandler = nil
        // Then the lines saying where it serves and its audit checkpoint arrived whole, the server still running.
        let seen = text.value
        #expect(p.isRunning, "serve exited: \(seen)")
        #expect(seen.contains("ZoneCast serving z.sqlite on http://127.0.0.1:"), "standard output so far: \(seen)")
        let checkpoint = try #require(seen.split(separator: "\n").first { $0.hasPrefix("Audit checkpoint at start") }, "standard output so far: \(seen)")
        #expect(checkpoint.hasSuffix(")"), "cut line: \(checkpoint)")
    }
}

/// Text appended from the pipe's reading thread and read from the test's.
private final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data) { lock.lock(); data.append(chunk); lock.unlock() }

    var value: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}
