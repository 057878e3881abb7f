import Foundation
import ZoneCastCore
import ZoneCastIngest
import ZoneCastPostgres
import ZoneCastSynthetic
import ZoneCastPlanning
import ZoneCastAccess

/// `zonecast bench load`: mixed read/write traffic (dashboards, zone pages, officer pages, the zone and patrol APIs,
/// patrol logs) from an analyst and `officers` officers over `connections` keep-alive connections, with an import of
/// `importRows` rows into the same database (SQLite, or PostgreSQL with `database`) starting `importAfter` seconds
/// into the measured window; throughput, p50/p99 and errors per request type, and the server's memory every second
/// (goal: no errors, p99 < 200 ms, memory flat).
public struct LoadBenchmark: Sendable {
    public var seconds: Double
    public var warmup: Double
    public var connections: Int
    public var officers: Int
    public var rows: Int
    public var importRows: Int
    public var importAfter: Double
    public var cycleAge: Double
    public var timeout: Int
    public var seed: UInt64
    public var port: Int
    /// A PostgreSQL URL naming a schema of its own (dropped and rebuilt), or nil for SQLite.
    public var database: String?
    public var workDir: String?

    public init(seconds: Double, warmup: Double, connections: Int, officers: Int, rows: Int, importRows: Int, importAfter: Double, cycleAge: Double,
                timeout: Int, seed: UInt64, port: Int, database: String?, workDir: String?) {
        self.seconds = seconds
        self.warmup = warmup
        self.connections = connections
        self.officers = officers
        self.rows = rows
        self.importRows = importRows
        self.importAfter = importAfter
        self.cycleAge = cycleAge
        self.timeout = timeout
        self.seed = seed
        self.port = port
        self.database = database
        self.workDir = workDir
    }

    var backend: String { database == nil ? "SQLite" : "PostgreSQL" }
    func databaseArguments(_ sqlitePath: String) -> [String] { database.map { ["--database", $0] } ?? ["--db", sqlitePath] }

    public func run(_ context: BenchContext) async throws {
        let say = context.output
        let work = try BenchDirectory(workDir, name: "load")
        defer { work.remove() }
        let dir = work.path
        BenchServer.announce("bench load (\(backend))", context: context)

        // 1. The database.
        let db = work.freshDatabase("bench-load.sqlite")
        let t0 = Date()
        let setup = try await buildDatabase(db: db, csv: "\(dir)/city.csv", context: context)
        say(String(format: "  database (%@): %@ synthetic incidents, cycle %@ in force since %.0f h ago with %d zones, %@ deployed; 1 analyst, %d officers; "
                   + "built in %.1f s", database.map(PostgresStoreURL.redacted) ?? "SQLite file", FixedText.grouped(rows), setup.cycle.id, cycleAge,
                   setup.zones.count, Self.unit.name, officers, Date().timeIntervalSince(t0)))

        // 2. The import that will run beside the traffic: new rows (their own source, so nothing is "already held").
        let importFiles = try writeImportFiles(dir: dir, context: context)

        // 3. The server.
        let (server, serverPort, startup) = try await BenchServer.start(databaseArguments(db) + ["--no-scheduler", "--log-format", "json"], port: port,
                                                                        log: "\(dir)/server.log", context: context)
        defer { server.stop() }
        say("  server: zonecast serve in child process \(server.pid) on 127.0.0.1:\(serverPort), healthy after \(String(format: "%.2f", startup)) s; "
            + "request log as JSON lines in \(workDir == nil ? "the working directory" : "\(dir)/server.log")")

        // 4. Sessions: the analyst and every officer, through the forms; the officers' CSRF tokens from their page.
        // 5. The mix, each kind checked once.
        let targets = try await BenchHTTPClient.with(port: serverPort) { client in
            let analyst = try await LoadSession.signIn(client, username: Self.analyst, password: setup.password)
            var officerSessions: [(session: String, csrf: String)] = []
            var bcrypt: [Double] = [analyst.milliseconds]
            for i in 0..<officers {
                let s = try await LoadSession.signIn(client, username: Self.officerName(i), password: setup.password)
                bcrypt.append(s.milliseconds)
                officerSessions.append((s.session, try await LoadSession.csrfToken(client, session: s.session, page: "/officer")))
            }
            say(String(format: "  signed in 1 analyst and %d officers through the forms (median %.0f ms each, bcrypt)", officers,
                       bcrypt.sorted()[bcrypt.count / 2]))
            let targets = makeTargets(analyst: analyst.session, officers: officerSessions, cycle: setup.cycle.id, zones: setup.zones)
            try await checkTargets(targets, client: client, server: server, say: say)
            return targets
        }
        say(String(format: "  load: %d keep-alive HTTP/1.1 connections (async-http-client pool), each in turn %@; %.0f s warm-up, then %.0f s measured; "
                   + "timeout %d s", connections, targets.map { $0.weight > 1 ? "\($0.name) x\($0.weight)" : $0.name }.joined(separator: ", "),
                   warmup, seconds, timeout))

        // 6. Run: memory sampler and the import beside the load generator.
        let monitor = LoadMonitor()
        let loadStart = monotonicNanos()
        monitor.sampleMemory(of: server)
        if let importFiles {
            let args = ["import", "--mapping", importFiles.mapping, importFiles.csv] + databaseArguments(db)
                + ["--json", "--now", ISO8601DateFormatter().string(from: Date())]
            monitor.runImport(executable: context.executable, arguments: args, log: "\(dir)/import.log", at: loadStart + UInt64((warmup + importAfter) * 1e9))
        } else {
            monitor.noImport()
        }
        let cpu = CPUReading(serverPID: server.pid)
        let result = try await LoadGenerator.run(port: serverPort, connections: connections, warmupSeconds: warmup, seconds: seconds,
                                                 targets: targets, timeoutSeconds: Double(timeout))
        let loadEnd = monotonicNanos()
        let used = cpu.elapsed()
        if monitor.importRunning { say("  (the import was still running when the load ended; waiting for it)") }
        while !monitor.importDone { try await Task.sleep(for: .milliseconds(50)) }
        monitor.finish()
        let peak = server.memoryMiB("VmHWM")

        report(result: result, monitor: monitor, loadEnd: loadEnd, cpu: used, peak: peak, say: say)
        let visits = try await countVisits(cycle: setup.cycle.id, db: db, context: context)
        say("  patrol visits stored in cycle \(setup.cycle.id) after the run: \(FixedText.grouped(visits)) (each POST /api/patrols decodes the cycle's visits "
            + "to check for overlaps)")
    }

    /// The CSV of `importRows` new synthetic rows and a mapping giving them their own source, or nil without an import.
    func writeImportFiles(dir: String, context: BenchContext) throws -> (csv: String, mapping: String)? {
        guard importRows > 0 else { return nil }
        let t1 = Date()
        let csv = "\(dir)/import.csv"
        let today = Int((Date().timeIntervalSince1970 / 86_400).rounded(.down))
        let days = SyntheticIncidentGenerator(rowCount: importRows, seed: seed &+ 1).configuration.durationDays
        try context.writeSyntheticCSV(importRows, seed &+ 1, LocalDate(daysSinceEpoch: today - days), csv)
        var mapping = try Presets.mapping(named: "synthetic")
        mapping.name = "synthetic-load"
        mapping.source = "synthetic-load"
        let mappingFile = "\(dir)/synthetic-load.json"
        try JSONEncoder().encode(mapping).write(to: URL(fileURLWithPath: mappingFile))
        sync()
        context.say(String(format: "  import file: %@ new synthetic rows (source synthetic-load), generated in %.1f s", FixedText.grouped(importRows),
                           Date().timeIntervalSince(t1)))
        return (csv, mappingFile)
    }
}
