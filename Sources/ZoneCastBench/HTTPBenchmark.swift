import Foundation
import ZoneCastCore
import ZoneCastAccess
import ZoneCastPlanning
import ZoneCastStore

/// `zonecast bench http`: a fresh SQLite database (the synthetic city, a proposal approved and in force) served by
/// `zonecast serve` in a child process, loaded with `connections` concurrent keep-alive connections requesting
/// `routes` in turn with an analyst's session (a closed loop); throughput and latency per route, errors, server CPU
/// and peak memory (goal: p99 < 100 ms, no errors).
public struct HTTPBenchmark: Sendable {
    public var seconds: Double
    public var warmup: Double
    public var connections: Int
    public var routes: [String]
    public var timeout: Int
    public var rows: Int
    public var seed: UInt64
    public var port: Int
    public var workDir: String?

    public init(seconds: Double, warmup: Double, connections: Int, routes: [String], timeout: Int, rows: Int, seed: UInt64, port: Int, workDir: String?) {
        self.seconds = seconds
        self.warmup = warmup
        self.connections = connections
        self.routes = routes
        self.timeout = timeout
        self.rows = rows
        self.seed = seed
        self.port = port
        self.workDir = workDir
    }

    static let username = "bench-analyst"

    public func run(_ context: BenchContext) async throws {
        let say = context.output
        let work = try BenchDirectory(workDir, name: "http")
        defer { work.remove() }
        BenchServer.announce("bench http", context: context)

        let db = work.freshDatabase("bench-http.sqlite")
        let t0 = Date()
        let (password, cycle) = try await buildDatabase(db: db, csv: "\(work.path)/city.csv", context: context)
        say(String(format: "  database: %@ synthetic incidents, cycle %@ approved with %d zones (%@), analyst account; built in %.1f s",
                   FixedText.grouped(rows), cycle.id, cycle.zones.count, "in force now", Date().timeIntervalSince(t0)))

        let (server, serverPort, startup) = try await BenchServer.start(["--db", db], port: port, log: "\(work.path)/server.log", context: context)
        defer { server.stop() }
        say("  server: zonecast serve in child process \(server.pid) on 127.0.0.1:\(serverPort), healthy after \(String(format: "%.2f", startup)) s")

        // Sign in once; every connection shares the session (one bcrypt verification, as one analyst's browser tabs).
        let session = try await BenchHTTPClient.with(port: serverPort) { client in
            let signedIn: (session: String, milliseconds: Double)
            do { signedIn = try await LoadSession.signIn(client, username: Self.username, password: password) } catch {
                throw BenchError("\(error)\(server.logTail())")
            }
            say(String(format: "  signed in as %@ (analyst) in %.0f ms (bcrypt)", Self.username, signedIn.milliseconds))
            try await checkResponses(client, session: signedIn.session, server: server, say: say)
            return signedIn.session
        }

        let targets = routes.map { LoadTarget(name: "GET \($0)", request: BenchServer.get($0, session: session)) }
        say(String(format: "  load: %d keep-alive HTTP/1.1 connections (async-http-client pool), %@%@; %.0f s warm-up, then %.0f s measured; timeout %d s",
                   connections, targets.count > 1 ? "in turn " : "", targets.map(\.name).joined(separator: ", "), warmup, seconds, timeout))
        let cpu = CPUReading(serverPID: server.pid)
        let result = try await LoadGenerator.run(port: serverPort, connections: connections, warmupSeconds: warmup, seconds: seconds,
                                                 targets: targets, timeoutSeconds: Double(timeout))
        let used = cpu.elapsed()
        let peak = server.memoryMiB("VmHWM")
        report(result, cpu: used, peak: peak, say: say)
    }

    func report(_ result: LoadResult, cpu: (server: Double?, client: Double, machine: Double?), peak: Double?, say: (String) -> Void) {
        let ms = BenchServer.milliseconds
        func row(_ name: String, _ s: LatencySummary, errors: Int) -> String {
            let cells = [name.padding(toLength: 16, withPad: " ", startingAt: 0),
                         FixedText.grouped(s.count + errors).leftPadded(10),
                         String(format: "%.0f", Double(s.count + errors) / result.measuredSeconds).leftPadded(8),
                         ms(s.p50).leftPadded(8), ms(s.p90).leftPadded(8), ms(s.p99).leftPadded(8), ms(s.max).leftPadded(8),
                         FixedText.grouped(errors).leftPadded(7)]
            return "  " + cells.joined(separator: " ")
        }
        say("")
        say("  " + ["route".padding(toLength: 16, withPad: " ", startingAt: 0), "requests".leftPadded(10), "req/s".leftPadded(8), "p50 ms".leftPadded(8),
                    "p90 ms".leftPadded(8), "p99 ms".leftPadded(8), "max ms".leftPadded(8), "errors".leftPadded(7)].joined(separator: " "))
        for r in result.routes { say(row(r.name, r.summary, errors: r.errorCount)) }
        let overall = result.overall
        if result.routes.count > 1 { say(row("all", overall, errors: result.errorCount)) }
        say("")
        result.summaryLines().forEach(say)
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        if let serverCPU = cpu.server {
            var line = String(format: "  CPU during the load (warm-up included): server %.1f core-s, load generator %.1f core-s", serverCPU, cpu.client)
            if let machine = cpu.machine { line += String(format: ", other processes %.1f core-s", max(0, machine - serverCPU - cpu.client)) }
            say(line + String(format: ", of %.0f core-s", cores * (result.measuredSeconds + warmup)))
        }
        if let peak { say(String(format: "  server peak memory (VmHWM): %.0f MiB", peak)) }
        let met = overall.count > 0 && overall.p99 < 100_000_000 && result.errorCount == 0
        say("  goal p99 < 100 ms with no errors: \(met ? "met" : "NOT met") (p99 \(ms(overall.p99)) ms, \(FixedText.grouped(result.errorCount)) errors)")
    }

    /// The synthetic city ending yesterday, imported; a proposal starting this hour, approved; an analyst account.
    func buildDatabase(db: String, csv: String, context: BenchContext) async throws -> (password: String, cycle: ZoneCycle) {
        let store = try context.openSQLite(db)
        let origin = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 3_600).rounded(.down) * 3_600)
        let cycle = try await BenchCity.approvedCycle(in: store, context: context, rows: rows, seed: seed, csv: csv, origin: origin,
                                                reason: "approved as proposed (bench http)")
        let password = Passwords.oneTime()
        // mustChangePassword false: the bench signs in and goes straight to the dashboard.
        try await store.addAccount(Account(username: Self.username, displayName: "Bench analyst", role: .analyst, passwordHash: Passwords.hash(password),
                                     mustChangePassword: false, createdAt: Date()))
        return (password, cycle)
    }

    /// One request of each kind before the load, so the figures are about the real pages and not an error page; then a
    /// few one after another on one connection, for the service time without contention.
    func checkResponses(_ client: BenchHTTPClient, session: String, server: ChildCommand, say: (String) -> Void) async throws {
        let dashboard = BenchServer.get("/", session: session), api = BenchServer.get("/api/zones", session: session)
        var t0 = monotonicNanos()
        let page = try await client.send(dashboard)
        let pageMs = Double(monotonicNanos() - t0) / 1e6
        let zonesDrawn = page.bodyText.components(separatedBy: "data-zone=\"").count - 1
        guard page.status == 200, page.bodyText.contains("<svg"), zonesDrawn > 0 else {
            throw BenchError("GET / answered \(page.status) without a map of zones: \(page.bodyText.prefix(300))\(server.logTail())")
        }
        t0 = monotonicNanos()
        let zones = try await client.send(api)
        let apiMs = Double(monotonicNanos() - t0) / 1e6
        let apiZones = (try? JSONDecoder().decode(LooseJSON.self, from: Data(zones.body))).map(Self.zoneCount) ?? 0
        guard zones.status == 200, apiZones > 0 else {
            throw BenchError("GET /api/zones answered \(zones.status) without zones: \(zones.bodyText.prefix(300))\(server.logTail())")
        }
        say(String(format: "  GET / : %@ bytes, %d zones drawn (first request, cold caches, %.1f ms); "
                   + "GET /api/zones: %@ bytes, %d zones (first request %.1f ms)",
                   FixedText.grouped(page.body.count), zonesDrawn, pageMs, FixedText.grouped(zones.body.count), apiZones, apiMs))
        var alone: [String] = []
        for (name, request) in [("GET /", dashboard), ("GET /api/zones", api)] {
            var samples: [UInt64] = []
            for _ in 0..<7 {
                let t = monotonicNanos()
                let r = try await client.send(request)
                guard r.status == 200 else { throw BenchError("\(name) answered \(r.status)\(server.logTail())") }
                samples.append(monotonicNanos() - t)
            }
            alone.append(String(format: "%@ %.1f ms", name, Double(LatencySummary(samples: samples).p50) / 1e6))
        }
        say("  one request at a time (median of 7): " + alone.joined(separator: ", "))
    }

    /// Zones listed anywhere in a JSON answer (under "zones", at the top or inside the active cycle and proposal).
    static func zoneCount(_ value: LooseJSON) -> Int {
        guard case .object(let object) = value else { return 0 }
        return object.reduce(0) { total, member in
            if member.key == "zones", case .array(let zones) = member.value { return total + zones.count }
            return total + zoneCount(member.value)
        }
    }

    /// Any JSON, read only as far as objects and arrays (what `zoneCount` walks).
    enum LooseJSON: Decodable {
        case object([String: LooseJSON])
        case array([LooseJSON])
        case scalar

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let object = try? container.decode([String: LooseJSON].self) {
                self = .object(object)
            } else if let array = try? container.decode([LooseJSON].self) {
                self = .array(array)
            } else {
                self = .scalar
            }
        }
    }
}
