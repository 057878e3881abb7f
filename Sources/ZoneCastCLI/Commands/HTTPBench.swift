import ArgumentParser
import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastIngest
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastSynthetic

extension BenchCommand {
    struct HTTPBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "http",
            abstract: "Load the dashboard and the zone API with concurrent keep-alive connections on loopback; print throughput and p50/p99 latency (goal p99 < 100 ms, no errors).",
            discussion: """
                Builds a fresh SQLite database (the synthetic city, its last two years ending yesterday; a proposal for \
                now, approved so its zones are in force) and an analyst account, starts `zonecast serve` on it in a child \
                process (so the server has its own process), signs in once and then, from --connections threads with one \
                keep-alive HTTP/1.1 connection each, requests GET / and GET /api/zones in turn with the session cookie, \
                each waiting for its response (a closed loop). Every latency is recorded; a status other than 200 or a \
                failed connection is an error. The server's peak memory (VmHWM) is read before it is stopped.
                Example: swift run -c release zonecast bench http --seconds 30 --connections 50
                """)

        @Option(help: "Measured seconds (after the warm-up).") var seconds = 30.0
        @Option(help: "Warm-up seconds at full load before measuring (not recorded).") var warmup = 2.0
        @Option(help: "Concurrent keep-alive connections.") var connections = 50
        @Option(name: .customLong("route"), help: "A path to request, GET with the session cookie, expecting 200 (repeatable; default / and /api/zones, in turn).")
        var routes: [String] = ["/", "/api/zones"]
        @Option(help: "Seconds a request may take before it counts as an error (timeout) and its connection is replaced.") var timeout = 10
        @Option(help: "Synthetic incidents in the database.") var rows = 200_000
        @Option(help: "Seed for the synthetic city.") var seed: UInt64 = 2017
        @Option(help: "Server port on 127.0.0.1 (0: a free port chosen by the OS).") var port = 0
        @Option(help: "Working directory for the CSV, database and server log (default: a temporary directory, removed afterwards).") var workDir: String?

        func validate() throws {
            guard seconds > 0, warmup >= 0 else { throw ValidationError("--seconds must be > 0 and --warmup >= 0") }
            guard (1...1_000).contains(connections) else { throw ValidationError("--connections must be 1-1000") }
            guard rows >= 1_000 else { throw ValidationError("--rows must be at least 1,000 (a proposal needs incidents)") }
            guard !routes.isEmpty, routes.allSatisfy({ $0.hasPrefix("/") && !$0.contains(" ") }) else { throw ValidationError("--route takes paths like /api/zones") }
            guard timeout >= 1 else { throw ValidationError("--timeout must be at least 1 s") }
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0-65535") }
        }

        func run() throws { try CLIFailure.run(perform) }

        static let username = "bench-analyst"

        func perform() throws {
            let work = try BenchDirectory(workDir, name: "http")
            defer { work.remove() }
            let dir = work.path
            startHTTPBench("bench http")

            let db = work.freshDatabase("bench-http.sqlite")
            let t0 = Date()
            let (password, cycle) = try buildDatabase(db: db, csv: "\(dir)/city.csv")
            print(String(format: "  database: %@ synthetic incidents, cycle %@ approved with %d zones (%@), analyst account; built in %.1f s",
                         formatCount(rows), cycle.id, cycle.zones.count, "in force now", Date().timeIntervalSince(t0)))

            let serverPort = port == 0 ? try freeLoopbackPort() : port
            let server = try ChildCommand(arguments: ["serve", "--db", db, "--port", String(serverPort)], log: "\(dir)/server.log")
            defer { server.stop() }
            let startup = try server.waitUntilHealthy(port: serverPort)
            let host = "127.0.0.1:\(serverPort)"
            print("  server: zonecast serve in child process \(server.pid) on \(host), healthy after \(String(format: "%.2f", startup)) s")

            // Sign in once; every connection shares the session (one bcrypt verification, as one analyst's browser tabs).
            let signedIn: (session: String, milliseconds: Double)
            do { signedIn = try LoadSession.signIn(port: serverPort, username: Self.username, password: password) } catch {
                throw ValidationError("\(error)\(server.logTail())")
            }
            print(String(format: "  signed in as %@ (analyst) in %.0f ms (bcrypt)", Self.username, signedIn.milliseconds))
            let session = signedIn.session
            let cookie = [("Cookie", "zc_session=\(session)")]
            let dashboard = HTTPRequestBuilder.request(method: "GET", path: "/", host: host, headers: cookie)
            let api = HTTPRequestBuilder.request(method: "GET", path: "/api/zones", host: host, headers: cookie)
            try checkResponses(port: serverPort, dashboard: dashboard, api: api, server: server)

            let targets = routes.map { LoadTarget(name: "GET \($0)", request: HTTPRequestBuilder.request(method: "GET", path: $0, host: host, headers: cookie)) }
            print(String(format: "  load: %d keep-alive HTTP/1.1 connections (one thread each), %@%@; %.0f s warm-up, then %.0f s measured; timeout %d s",
                         connections, targets.count > 1 ? "in turn " : "", targets.map(\.name).joined(separator: ", "), warmup, seconds, timeout))
            let machineBefore = machineBusySeconds()
            let cpuBefore = server.cpuSeconds()
            let clientBefore = processCPUSeconds()
            let result = LoadGenerator.run(port: serverPort, connections: connections, warmupSeconds: warmup, seconds: seconds,
                                           targets: targets, timeoutSeconds: timeout)
            let serverCPU = server.cpuSeconds().map { $0 - (cpuBefore ?? 0) }
            let clientCPU = processCPUSeconds() - clientBefore
            let machineCPU = machineBusySeconds().flatMap { after in machineBefore.map { after - $0 } }
            let peak = server.memoryMiB("VmHWM")

            func ms(_ ns: UInt64) -> String { String(format: "%.1f", Double(ns) / 1e6) }
            func row(_ name: String, _ s: LatencySummary, errors: Int) -> String {
                let cells = [name.padding(toLength: 16, withPad: " ", startingAt: 0),
                             formatCount(s.count + errors).leftPadded(10), String(format: "%.0f", Double(s.count + errors) / result.measuredSeconds).leftPadded(8),
                             ms(s.p50).leftPadded(8), ms(s.p90).leftPadded(8), ms(s.p99).leftPadded(8), ms(s.max).leftPadded(8), formatCount(errors).leftPadded(7)]
                return "  " + cells.joined(separator: " ")
            }
            print("")
            print("  " + ["route".padding(toLength: 16, withPad: " ", startingAt: 0), "requests".leftPadded(10), "req/s".leftPadded(8), "p50 ms".leftPadded(8),
                          "p90 ms".leftPadded(8), "p99 ms".leftPadded(8), "max ms".leftPadded(8), "errors".leftPadded(7)].joined(separator: " "))
            for r in result.routes { print(row(r.name, r.summary, errors: r.errorCount)) }
            let overall = result.overall
            if result.routes.count > 1 { print(row("all", overall, errors: result.errorCount)) }
            print("")
            print(String(format: "  measured %.2f s; throughput %@ req/s; %@ errors%@", result.measuredSeconds,
                         formatCount(Int((Double(result.requestCount) / result.measuredSeconds).rounded())), formatCount(result.errorCount),
                         result.reconnects > 0 ? ", \(result.reconnects) reconnects" : ""))
            for r in result.routes where r.errorCount > 0 {
                print("  \(r.name) errors: " + r.errors.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", "))
            }
            for m in result.firstErrors { print("    e.g. \(m)") }
            let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
            if let serverCPU {
                var line = String(format: "  CPU during the load (warm-up included): server %.1f core-s, load generator %.1f core-s", serverCPU, clientCPU)
                if let machineCPU { line += String(format: ", other processes %.1f core-s", max(0, machineCPU - serverCPU - clientCPU)) }
                print(line + String(format: ", of %.0f core-s", cores * (result.measuredSeconds + warmup)))
            }
            if let peak { print(String(format: "  server peak memory (VmHWM): %.0f MiB", peak)) }
            let met = overall.count > 0 && overall.p99 < 100_000_000 && result.errorCount == 0
            print("  goal p99 < 100 ms with no errors: \(met ? "met" : "NOT met") (p99 \(ms(overall.p99)) ms, \(formatCount(result.errorCount)) errors)")
        }

        /// The synthetic city ending yesterday, imported; a proposal starting this hour, approved; an analyst account.
        func buildDatabase(db: String, csv: String) throws -> (password: String, cycle: ZoneCycle) {
            let store = try EdgeConfiguration.process.openSQLite(db)
            let origin = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 3_600).rounded(.down) * 3_600)
            let cycle = try BenchCity.approvedCycle(in: store, rows: rows, seed: seed, csv: csv, origin: origin, reason: "approved as proposed (bench http)")
            let password = Passwords.oneTime()
            // mustChangePassword false: the bench signs in and goes straight to the dashboard.
            try store.addAccount(Account(username: Self.username, displayName: "Bench analyst", role: .analyst, passwordHash: Passwords.hash(password),
                                         mustChangePassword: false, createdAt: Date()))
            return (password, cycle)
        }

        /// One request of each kind before the load, so the figures are about the real pages and not an error page.
        func checkResponses(port: Int, dashboard: [UInt8], api: [UInt8], server: ChildCommand) throws {
            let connection = try BlockingHTTPConnection(port: port)
            var t0 = monotonicNanos()
            let page = try connection.send(dashboard)
            let pageMs = Double(monotonicNanos() - t0) / 1e6
            let zonesDrawn = page.bodyText.components(separatedBy: "data-zone=\"").count - 1
            guard page.status == 200, page.bodyText.contains("<svg"), zonesDrawn > 0 else {
                throw ValidationError("GET / answered \(page.status) without a map of zones: \(page.bodyText.prefix(300))\(server.logTail())")
            }
            t0 = monotonicNanos()
            let zones = try connection.send(api)
            let apiMs = Double(monotonicNanos() - t0) / 1e6
            // Zones listed anywhere in the answer (under "zones", at the top or inside the active cycle and proposal).
            func zoneCount(_ value: Any?) -> Int {
                guard let object = value as? [String: Any] else { return 0 }
                return object.reduce(0) { $0 + ($1.key == "zones" ? ($1.value as? [Any])?.count ?? 0 : zoneCount($1.value)) }
            }
            let apiZones = zoneCount(try? JSONSerialization.jsonObject(with: Data(zones.body)))
            guard zones.status == 200, apiZones > 0 else {
                throw ValidationError("GET /api/zones answered \(zones.status) without zones: \(zones.bodyText.prefix(300))\(server.logTail())")
            }
            print(String(format: "  GET / : %@ bytes, %d zones drawn (first request, cold caches, %.1f ms); GET /api/zones: %@ bytes, %d zones (first request %.1f ms)",
                         formatCount(page.body.count), zonesDrawn, pageMs, formatCount(zones.body.count), apiZones, apiMs))
            // Service time without contention: a few requests one after another on one connection.
            var alone: [String] = []
            for (name, request) in [("GET /", dashboard), ("GET /api/zones", api)] {
                var samples: [UInt64] = []
                for _ in 0..<7 {
                    let t = monotonicNanos()
                    let r = try connection.send(request)
                    guard r.status == 200 else { throw ValidationError("\(name) answered \(r.status)\(server.logTail())") }
                    samples.append(monotonicNanos() - t)
                }
                alone.append(String(format: "%@ %.1f ms", name, Double(LatencySummary(samples: samples).p50) / 1e6))
            }
            print("  one request at a time (median of 7): " + alone.joined(separator: ", "))
        }
    }
}

/// The 1, 5 and 15 minute load averages from /proc/loadavg.
func loadAverage() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}

/// CPU time the machine's processes have used so far (user, nice, system, irq, softirq: not idle, iowait, steal
/// or guest, which user already counts), from /proc/stat.
func machineBusySeconds() -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8), let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
    let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
    guard ticks.count >= 5 else { return nil }
    let busy = ticks.prefix(7).reduce(0, +) - ticks[3] - ticks[4]
    return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// User plus system CPU time of this process.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
