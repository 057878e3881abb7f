import Foundation
#if canImport(Glibc)
import Glibc
private let streamSocket = Int32(SOCK_STREAM.rawValue)
#elseif canImport(Darwin)
import Darwin
private let streamSocket = SOCK_STREAM
#endif

/// A `zonecast` subcommand in a child process (the same executable), its output in a log file: the server of
/// `bench http` and `bench load` (any database option), or an import running beside it.
final class ChildCommand: @unchecked Sendable {
    let process = Process()
    let log: String
    var pid: Int32 { process.processIdentifier }

    init(executable: String, arguments: [String], log: String) throws {
        self.log = log
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = FileHandle(forWritingAtPath: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits until GET /health answers 200 through `client` (a server); throws if the process exits first or after
    /// `timeout` seconds. Returns the seconds it took.
    func waitUntilHealthy(_ client: BenchHTTPClient, timeout: Double = 60) async throws -> Double {
        let t0 = monotonicNanos()
        func seconds() -> Double { Double(monotonicNanos() - t0) / 1e9 }
        while true {
            if !process.isRunning { throw BenchError("the server exited with status \(process.terminationStatus) before answering /health\(logTail())") }
            if let r = try? await client.send(BenchRequest(method: "GET", path: "/health"), timeoutSeconds: 2), r.status == 200 { break }
            if seconds() > timeout {
                stop()
                throw BenchError("the server did not answer /health within \(Int(timeout)) s\(logTail())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return seconds()
    }

    /// SIGTERM, then SIGKILL after 10 s (idempotent).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A line of /proc/PID/status in MiB (VmRSS: resident now; VmHWM: peak), while the process runs.
    func memoryMiB(_ field: String = "VmRSS") -> Double? { ProcessStats.memoryMiB(pid: pid, field: field) }

    func logText() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// The end of the log, to append to an error message.
    func logTail(_ lines: Int = 15) -> String {
        let text = logText()
        return text.isEmpty ? "" : "\nlog (end):\n" + text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}

/// A free TCP port on the loopback interface, as the OS assigns it (released before returning, so another process
/// can bind it; the window for a race is tiny on a bench machine). A raw socket: binding port 0 is the only way to
/// ask the OS, and the server that will listen there is another process.
func freeLoopbackPort() throws -> Int {
    let s = socket(AF_INET, streamSocket, 0)
    guard s >= 0 else { throw BenchError("socket: \(String(cString: strerror(errno)))") }
    defer { _ = close(s) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let rc = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
            guard bind(s, p, length) == 0 else { return -1 }
            return getsockname(s, p, &length)
        }
    }
    guard rc == 0 else { throw BenchError("bind 127.0.0.1:0: \(String(cString: strerror(errno)))") }
    return Int(UInt16(bigEndian: address.sin_port))
}
