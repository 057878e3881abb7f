import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `bench http` and `bench load` share: the start of the report, and `zonecast serve` in a child process.
enum BenchServer {
    /// Warns about debug builds, ignores SIGPIPE (a closed socket must not kill the load generator) and says how busy
    /// the machine already is.
    static func announce(_ title: String, context: BenchContext) {
        context.warnIfDebugBuild()
        signal(SIGPIPE, SIG_IGN)
        context.say("\(title): \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(ProcessStats.loadAverage()) before starting "
                    + "(other processes on the machine skew the figures)")
    }

    /// `zonecast serve` with `arguments` (the database) on `port` of 127.0.0.1 (0: a free one), its output in `log`;
    /// returns once GET /health answers, with the port and the seconds that took. The caller stops the child.
    static func start(_ arguments: [String], port: Int, log: String, context: BenchContext) async throws -> (server: ChildCommand, port: Int, startup: Double) {
        let serverPort = port == 0 ? try freeLoopbackPort() : port
        let server = try ChildCommand(executable: context.executable, arguments: ["serve"] + arguments + ["--port", String(serverPort)], log: log)
        do {
            let startup = try await BenchHTTPClient.with(port: serverPort) { try await server.waitUntilHealthy($0) }
            return (server, serverPort, startup)
        } catch {
            server.stop()
            throw error
        }
    }

    /// "GET /api/zones" with the session cookie.
    static func get(_ path: String, session: String) -> BenchRequest {
        BenchRequest(method: "GET", path: path, headers: [("Cookie", "zc_session=\(session)")])
    }

    static func milliseconds(_ ns: UInt64) -> String { String(format: "%.1f", Double(ns) / 1e6) }
}
