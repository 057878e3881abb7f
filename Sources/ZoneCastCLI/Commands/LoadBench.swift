import ArgumentParser
import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastIngest
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastPostgres
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastSynthetic

extension BenchCommand {
    struct LoadBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load",
            abstract: "Mixed read/write traffic (dashboards, zone pages, patrol logs, API reads) with an import running beside it, against SQLite or PostgreSQL; throughput, p50/p99 and errors per request type, server memory every second (goal: no errors, p99 < 200 ms, memory flat).",
            discussion: """
                Builds a fresh database (SQLite in the working directory, or with --database URL the PostgreSQL schema \
                the URL names, DROPPED and rebuilt: the URL must name a schema of its own): the synthetic city ending \
                yesterday, a cycle approved and in force (it began --cycle-age hours ago) with the Violent Crimes \
                Enforcement Division deployed to every zone, an analyst and --officers officers of that unit. Starts \
                `zonecast serve` on it in a child process (JSON request log, no scheduler), signs everyone in through \
                the forms and then, from --connections threads with one keep-alive connection each, sends in turn: \
                GET / and GET /zones/{cycle}/{zone} (analyst; 2 turns each), GET /api/zones (analyst), GET /officer, \
                POST /api/patrols (a new 10-minute visit each time, JSON with the session's CSRF token; 2 turns) and \
                GET /api/patrols (officers). --import-after seconds into the measured window, `zonecast import` of \
                --import-rows new synthetic rows starts in another child process on the same database (SQLite: one \
                transaction holding the write lock throughout; PostgreSQL: concurrent with the server's writes); \
                latencies are also shown for requests that started while it ran. The server's resident memory (VmRSS) \
                is read every second.
                Examples:
                  swift run -c release zonecast bench load
                  swift run -c release zonecast bench load --database "postgres://zonecast@127.0.0.1:5433/zonecast_test?sslmode=disable&schema=benchload"
                """)

        @Option(help: "Measured seconds (after the warm-up).") var seconds = 60.0
        @Option(help: "Warm-up seconds at full load before measuring (not recorded).") var warmup = 3.0
        @Option(help: "Concurrent keep-alive connections.") var connections = 50
        @Option(help: "Officer accounts (connection i logs patrols as officer i mod this). Each officer's visits are 11 minutes apart back from now, and must fit into the cycle so far: 50 officers over --cycle-age 90 h take up to about 22,000 visits.") var officers = 50
        @Option(help: "Synthetic incidents in the database before the run.") var rows = 200_000
        @Option(help: "Rows of the import run beside the traffic (0: no import; 100,000 is about a year of a large city's records).") var importRows = 100_000
        @Option(help: "Seconds into the measured window when the import starts.") var importAfter = 15.0
        @Option(help: "Hours since the cycle in force began (patrol visits are logged back from now to its start).") var cycleAge = 90.0
        @Option(help: "Seconds a request may take before it counts as an error (timeout) and its connection is replaced.") var timeout = 10
        @Option(help: "Seed for the synthetic city.") var seed: UInt64 = 2017
        @Option(help: "Server port on 127.0.0.1 (0: a free port chosen by the OS).") var port = 0
        @Option(help: "PostgreSQL instead of SQLite: a URL naming a schema of its own (&schema=NAME), which is dropped and rebuilt.") var database: String?
        @Option(help: "Working directory for the CSVs, SQLite database and logs (default: a temporary directory, removed afterwards).") var workDir: String?

        func validate() throws {
            guard seconds > 0, warmup >= 0 else { throw ValidationError("--seconds must be > 0 and --warmup >= 0") }
            guard (1...1_000).contains(connections) else { throw ValidationError("--connections must be 1-1000") }
            guard (1...500).contains(officers) else { throw ValidationError("--officers must be 1-500") }
            guard rows >= 1_000 else { throw ValidationError("--rows must be at least 1,000 (a proposal needs incidents)") }
            guard importRows >= 0, importAfter >= 0 else { throw ValidationError("--import-rows and --import-after must be >= 0") }
            guard (1...95).contains(cycleAge) else { throw ValidationError("--cycle-age must be 1-95 hours (the cycle must still be in force)") }
            guard timeout >= 1 else { throw ValidationError("--timeout must be at least 1 s") }
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0-65535") }
            if let database {
                let url = try PostgresStoreURL(database, environment: EdgeConfiguration.process.environment)
                guard url.schema != nil else { throw ValidationError("--database must name a schema of its own (&schema=benchload): the bench drops and rebuilds it") }
            }
        }

        func run() throws { try CLIFailure.run(perform) }

        static let analyst = "load-analyst"
        static let unit = PatrolUnit.violentCrimesEnforcement
        /// A patrol visit lasts 10 minutes; each officer's visits are 11 minutes apart, back from now.
        static let visitSeconds = 600.0, slotSeconds = 660.0

        var backend: String { database == nil ? "SQLite" : "PostgreSQL" }
        func databaseArguments(_ sqlitePath: String) -> [String] { database.map { ["--database", $0] } ?? ["--db", sqlitePath] }

        func perform() throws {
            let work = try BenchDirectory(workDir, name: "load")
            defer { work.remove() }
            let dir = work.path
            startHTTPBench("bench load (\(backend))")

            // 1. The database.
            let db = work.freshDatabase("bench-load.sqlite")
            let t0 = Date()
            let setup = try buildDatabase(db: db, csv: "\(dir)/city.csv")
            print(String(format: "  database (%@): %@ synthetic incidents, cycle %@ in force since %.0f h ago with %d zones, %@ deployed; 1 analyst, %d officers; built in %.1f s",
                         database.map(PostgresStoreURL.redacted) ?? "SQLite file", formatCount(rows), setup.cycle.id, cycleAge, setup.zones.count,
                         Self.unit.name, officers, Date().timeIntervalSince(t0)))

            // 2. The import that will run beside the traffic: new rows (their own source, so nothing is "already held").
            var importCSV: String?, mappingFile: String?
            if importRows > 0 {
                let t1 = Date()
                importCSV = "\(dir)/import.csv"
                let today = Int((Date().timeIntervalSince1970 / 86_400).rounded(.down))
                let days = SyntheticIncidentGenerator(rowCount: importRows, seed: seed &+ 1).configuration.durationDays
                _ = try writeSyntheticCSV(rows: importRows, seed: seed &+ 1, start: LocalDate(daysSinceEpoch: today - days), to: importCSV!)
                var mapping = try Presets.mapping(named: "synthetic")
                mapping.name = "synthetic-load"
                mapping.source = "synthetic-load"
                mappingFile = "\(dir)/synthetic-load.json"
                try JSONEncoder().encode(mapping).write(to: URL(fileURLWithPath: mappingFile!))
                sync()
                print(String(format: "  import file: %@ new synthetic rows (source synthetic-load), generated in %.1f s", formatCount(importRows), Date().timeIntervalSince(t1)))
            }

            // 3. The server.
            let serverPort = port == 0 ? try freeLoopbackPort() : port
            let server = try ChildCommand(arguments: ["serve"] + databaseArguments(db) + ["--port", String(serverPort), "--no-scheduler", "--log-format", "json"],
                                          log: "\(dir)/server.log")
            defer { server.stop() }
            let startup = try server.waitUntilHealthy(port: serverPort)
            let host = "127.0.0.1:\(serverPort)"
            print("  server: zonecast serve in child process \(server.pid) on \(host), healthy after \(String(format: "%.2f", startup)) s; request log as JSON lines in \(workDir == nil ? "the working directory" : "\(dir)/server.log")")

            // 4. Sessions: the analyst and every officer, through the forms; the officers' CSRF tokens from their page.
            let analyst = try LoadSession.signIn(port: serverPort, username: Self.analyst, password: setup.password)
            var officerSessions: [(session: String, csrf: String)] = []
            var bcrypt: [Double] = [analyst.milliseconds]
            for i in 0..<officers {
                let s = try LoadSession.signIn(port: serverPort, username: Self.officerName(i), password: setup.password)
                bcrypt.append(s.milliseconds)
                officerSessions.append((s.session, try LoadSession.csrfToken(port: serverPort, session: s.session, page: "/officer")))
            }
            print(String(format: "  signed in 1 analyst and %d officers through the forms (median %.0f ms each, bcrypt)", officers, bcrypt.sorted()[bcrypt.count / 2]))

            // 5. The mix.
            let targets = makeTargets(host: host, analyst: analyst.session, officers: officerSessions, cycle: setup.cycle.id, zones: setup.zones)
            try checkTargets(targets, port: serverPort, server: server)
            print(String(format: "  load: %d keep-alive HTTP/1.1 connections (one thread each), each in turn %@; %.0f s warm-up, then %.0f s measured; timeout %d s",
                         connections, targets.map { $0.weight > 1 ? "\($0.name) x\($0.weight)" : $0.name }.joined(separator: ", "), warmup, seconds, timeout))

            // 6. Run: memory sampler and the import beside the load generator.
            let monitor = Monitor()
            let loadStart = monotonicNanos()
            let sampler = Thread {
                while !monitor.isDone {
                    let t = monotonicNanos()
                    if let rss = server.memoryMiB() {
                        monitor.addSample(at: t, rss: rss, anon: server.memoryMiB("RssAnon") ?? rss, file: server.memoryMiB("RssFile") ?? 0)
                    }
                    usleep(1_000_000)
                }
            }
            sampler.start()
            let importDone = DispatchSemaphore(value: 0)
            if let importCSV, let mappingFile {
                let args = ["import", "--mapping", mappingFile, importCSV] + databaseArguments(db) + ["--json", "--now", ISO8601DateFormatter().string(from: Date())]
                let importThread = Thread {
                    defer { importDone.signal() }
                    let startAt = loadStart + UInt64((warmup + importAfter) * 1e9)
                    while monotonicNanos() < startAt { usleep(10_000) }
                    do {
                        let child = try ChildCommand(arguments: args, log: "\(dir)/import.log")
                        monitor.importStarted(at: monotonicNanos())
                        child.process.waitUntilExit()
                        monitor.importFinished(at: monotonicNanos(), status: child.process.terminationStatus, output: child.logText())
                    } catch {
                        monitor.importFinished(at: monotonicNanos(), status: -1, output: "\(error)")
                    }
                }
                importThread.start()
            } else {
                importDone.signal()
            }
            let machineBefore = machineBusySeconds()
            let cpuBefore = server.cpuSeconds()
            let clientBefore = processCPUSeconds()
            let result = LoadGenerator.run(port: serverPort, connections: connections, warmupSeconds: warmup, seconds: seconds,
                                           targets: targets, timeoutSeconds: timeout)
            let loadEnd = monotonicNanos()
            let serverCPU = server.cpuSeconds().map { $0 - (cpuBefore ?? 0) }
            let clientCPU = processCPUSeconds() - clientBefore
            let machineCPU = machineBusySeconds().flatMap { after in machineBefore.map { after - $0 } }
            let importStillRunning = monitor.importRunning
            if importStillRunning { print("  (the import was still running when the load ended; waiting for it)") }
            importDone.wait()
            monitor.finish()
            let peak = server.memoryMiB("VmHWM")

            report(result: result, monitor: monitor, loadEnd: loadEnd, serverCPU: serverCPU, clientCPU: clientCPU, machineCPU: machineCPU, peak: peak)
            let visits = try countVisits(cycle: setup.cycle.id, db: db)
            print("  patrol visits stored in cycle \(setup.cycle.id) after the run: \(formatCount(visits)) (each POST /api/patrols decodes the cycle's visits to check for overlaps)")
        }

        static func officerName(_ i: Int) -> String { "load-officer-\(i + 1)" }

        /// "2025-01-31T10:00:00Z" for seconds since 1970 (thread-safe, unlike a shared ISO8601DateFormatter).
        static func isoSeconds(_ t: Double) -> String {
            var seconds = time_t(t.rounded(.down))
            var parts = tm()
            gmtime_r(&seconds, &parts)
            return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                          Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        }

        // MARK: Database

        struct Setup {
            var password: String
            var cycle: ZoneCycle
            var zones: [String]
        }

        func openStore(db: String) throws -> any AppStore {
            guard let database else { return try EdgeConfiguration.process.openSQLite(db) }
            let url = try PostgresStoreURL(database, environment: EdgeConfiguration.process.environment)
            let schema = url.schema!   // checked by PostgresStoreURL: lower-case letters, digits and _
            let bare = try PostgresIncidentStore(url, migrate: false)
            try bare.executeForTesting("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE")
            return try PostgresIncidentStore(url)
        }

        /// The synthetic city ending yesterday; a proposal that began `cycleAge` hours ago, approved; the unit deployed
        /// to every zone; one analyst and the officers (one password, hashed once).
        func buildDatabase(db: String, csv: String) throws -> Setup {
            let store = try openStore(db: db)
            let now = Date()
            let origin = Date(timeIntervalSince1970: ((now.timeIntervalSince1970 - cycleAge * 3_600) / 3_600).rounded(.down) * 3_600)
            let cycle = try BenchCity.approvedCycle(in: store, rows: rows, seed: seed, csv: csv, origin: origin, reason: "approved as proposed (bench load)")
            let zones = cycle.zones.map(\.id)
            for zone in zones {
                try store.save(Deployment(id: "D-load-\(zone)", cycleID: cycle.id, zoneID: zone, units: [Self.unit], assignedBy: "bench", assignedAt: now,
                                          reason: "bench load"), audit: nil)
            }
            let password = Passwords.oneTime()
            let hash = try Passwords.hash(password)
            try store.addAccount(Account(username: Self.analyst, displayName: "Load analyst", role: .analyst, passwordHash: hash, mustChangePassword: false, createdAt: now))
            for i in 0..<officers {
                try store.addAccount(Account(username: Self.officerName(i), displayName: "Load officer \(i + 1)", role: .officer, units: [Self.unit],
                                             passwordHash: hash, mustChangePassword: false, createdAt: now))
            }
            return Setup(password: password, cycle: cycle, zones: zones)
        }

        func countVisits(cycle: String, db: String) throws -> Int {
            let edge = EdgeConfiguration.process
            let store: any AppStore = try database.map { try PostgresIncidentStore(url: $0, environment: edge.environment) } ?? edge.openSQLite(db)
            return try store.documents(kind: PatrolVisit.kind, group: cycle).count
        }

        // MARK: Traffic

        func makeTargets(host: String, analyst: String, officers: [(session: String, csrf: String)], cycle: String, zones: [String]) -> [LoadTarget] {
            let analystCookie = [("Cookie", "zc_session=\(analyst)")]
            let connections = self.connections
            let officerCount = officers.count
            // Visits go back from a few minutes ago, one 11-minute slot each; slot numbers are unique per officer
            // (connection c is officer c mod officers; its n-th visit takes slot n * sharing + c / officers).
            let anchor = (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 - 300
            let sharing = (connections + officerCount - 1) / officerCount
            let officer: @Sendable (Int) -> (session: String, csrf: String) = { officers[$0 % officerCount] }
            return [
                LoadTarget(name: "GET /", request: HTTPRequestBuilder.request(method: "GET", path: "/", host: host, headers: analystCookie), weight: 2),
                LoadTarget(name: "GET /zones/{c}/{z}", request: [], makeRequest: { c, n in
                    HTTPRequestBuilder.request(method: "GET", path: "/zones/\(cycle)/\(zones[(c + n) % zones.count])", host: host, headers: analystCookie)
                }, weight: 2),
                LoadTarget(name: "GET /api/zones", request: HTTPRequestBuilder.request(method: "GET", path: "/api/zones", host: host, headers: analystCookie)),
                LoadTarget(name: "GET /officer", request: [], makeRequest: { c, _ in
                    HTTPRequestBuilder.request(method: "GET", path: "/officer", host: host, headers: [("Cookie", "zc_session=\(officer(c).session)")])
                }),
                LoadTarget(name: "POST /api/patrols", request: [], expectedStatus: 201, makeRequest: { c, n in
                    let o = officer(c)
                    let slot = n * sharing + c / officerCount
                    var (start, end) = (anchor - Double(slot) * Self.slotSeconds - Self.visitSeconds, anchor - Double(slot) * Self.slotSeconds)
                    // The check before the run (a connection number beyond the workers'): a 3-minute visit after
                    // the anchor, where no worker's slot lies (a slot of its own once clashed with a worker's).
                    if c >= connections { (start, end) = (anchor + 60, anchor + 240) }
                    let (startText, endText) = (Self.isoSeconds(start), Self.isoSeconds(end))
                    let body = "{\"cycle\":\"\(cycle)\",\"zone\":\"\(zones[(c + n) % zones.count])\",\"startedAt\":\"\(startText)\",\"endedAt\":\"\(endText)\","
                        + "\"activities\":{\"communityContacts\":\(n % 4),\"businessChecks\":\(n % 3)},\"notes\":\"bench load visit \(n) of connection \(c)\"}"
                    return HTTPRequestBuilder.request(method: "POST", path: "/api/patrols", host: host,
                                                      headers: [("Cookie", "zc_session=\(o.session)"), ("X-CSRF-Token", o.csrf), ("Content-Type", "application/json")],
                                                      body: Array(body.utf8))
                }, weight: 2),
                LoadTarget(name: "GET /api/patrols", request: [], makeRequest: { c, _ in
                    HTTPRequestBuilder.request(method: "GET", path: "/api/patrols", host: host, headers: [("Cookie", "zc_session=\(officer(c).session)")])
                }),
            ]
        }

        /// One request of each kind before the load (as a connection beyond the workers', whose patrol visit lies
        /// after every worker's), so the figures are about real pages and not error pages.
        func checkTargets(_ targets: [LoadTarget], port: Int, server: ChildCommand) throws {
            let connection = try BlockingHTTPConnection(port: port, timeoutSeconds: 30)
            var seen: [String] = []
            for target in targets {
                let t0 = monotonicNanos()
                let r = try connection.send(target.makeRequest.map { $0(connections + 1_000, 0) } ?? target.request)
                let ms = Double(monotonicNanos() - t0) / 1e6
                guard r.status == target.expectedStatus else {
                    throw ValidationError("\(target.name) answered \(r.status), not \(target.expectedStatus): \(r.bodyText.prefix(300))\(server.logTail())")
                }
                seen.append(String(format: "%@ %@ B %.0f ms", target.name, formatCount(r.body.count), ms))
            }
            print("  first request of each (cold caches): " + seen.joined(separator: "; "))
        }

        // MARK: Report

        func report(result: LoadResult, monitor: Monitor, loadEnd: UInt64, serverCPU: Double?, clientCPU: Double, machineCPU: Double?, peak: Double?) {
            func ms(_ ns: UInt64) -> String { String(format: "%.1f", Double(ns) / 1e6) }
            func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
            let header = "  " + ["request".padding(toLength: 20, withPad: " ", startingAt: 0), pad("count", 9), pad("req/s", 7), pad("p50 ms", 8), pad("p99 ms", 8), pad("max ms", 8), pad("errors", 7)].joined(separator: " ")
            func row(_ name: String, _ samples: [UInt64], errors: Int, seconds: Double) -> String {
                let s = LatencySummary(samples: samples)
                return "  " + [name.padding(toLength: 20, withPad: " ", startingAt: 0), pad(formatCount(s.count + errors), 9),
                               pad(String(format: "%.0f", Double(s.count + errors) / max(seconds, 1e-9)), 7),
                               pad(ms(s.p50), 8), pad(ms(s.p99), 8), pad(ms(s.max), 8), pad(formatCount(errors), 7)].joined(separator: " ")
            }
            print("")
            print(header)
            for r in result.routes { print(row(r.name, r.latencies, errors: r.errorCount, seconds: result.measuredSeconds)) }
            let overall = result.overall
            print(row("all", result.routes.flatMap(\.latencies), errors: result.errorCount, seconds: result.measuredSeconds))
            print(String(format: "  measured %.2f s; throughput %@ req/s; %@ errors%@", result.measuredSeconds,
                         formatCount(Int((Double(result.requestCount) / result.measuredSeconds).rounded())), formatCount(result.errorCount),
                         result.reconnects > 0 ? ", \(result.reconnects) reconnects" : ""))
            for r in result.routes where r.errorCount > 0 {
                print("  \(r.name) errors: " + r.errors.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", "))
            }
            for m in result.firstErrors { print("    e.g. \(m)") }

            // The import's effect: the same table for requests that started while it ran, and for the rest.
            if let (from, to) = monitor.importWindow {
                let seconds = Double(to - from) / 1e9
                print("")
                print(String(format: "  import of %@ rows in a child process: started %.1f s into the measured window, took %.1f s, exit status %d%@",
                             formatCount(importRows), Double(Int64(from) - Int64(result.measureFrom)) / 1e9, seconds, monitor.importStatus,
                             monitor.importSummary.map { ": \($0)" } ?? ""))
                let overlapTo = min(to, loadEnd)
                if overlapTo > from {
                    print("  requests that started while the import ran (\(String(format: "%.1f", Double(overlapTo - from) / 1e9)) s of the window):")
                    print(header)
                    var during: [UInt64] = [], duringErrors = 0
                    for r in result.routes {
                        let l = r.latencies(startedFrom: from, to: overlapTo), e = r.errorCount(startedFrom: from, to: overlapTo)
                        during += l; duringErrors += e
                        print(row(r.name, l, errors: e, seconds: Double(overlapTo - from) / 1e9))
                    }
                    print(row("all", during, errors: duringErrors, seconds: Double(overlapTo - from) / 1e9))
                    let outside = result.routes.flatMap { r in zip(r.startTimes, r.latencies).compactMap { ($0.0 < from || $0.0 >= overlapTo) ? $0.1 : nil } }
                    let outsideSeconds = result.measuredSeconds - Double(overlapTo - from) / 1e9
                    print(row("all, import idle", outside, errors: result.errorCount - duringErrors, seconds: outsideSeconds))
                }
            } else if importRows > 0 {
                print("  the import did not start during the run (exit status \(monitor.importStatus)): \(monitor.importOutput.prefix(300))")
            }

            // Memory.
            let samples = monitor.samples.filter { $0.at >= result.measureFrom }
            print("")
            if let first = samples.first, let last = samples.last {
                let middle = samples[samples.count / 2]
                print(String(format: "  server memory (VmRSS, %d samples 1 s apart): start %.0f MiB, middle %.0f MiB, end %.0f MiB; min %.0f, max %.0f; peak (VmHWM) %@ MiB",
                             samples.count, first.rss, middle.rss, last.rss, samples.map(\.rss).min()!, samples.map(\.rss).max()!, peak.map { String(format: "%.0f", $0) } ?? "?"))
                print(String(format: "    of which heap and stacks (RssAnon) %.0f -> %.0f MiB, the mapped database file (RssFile, page cache the kernel can drop) %.0f -> %.0f MiB",
                             first.anon, last.anon, first.file, last.file))
                let verdict = MemorySample.flatness(samples, importWindow: monitor.importWindow)
                print("  memory: " + verdict.text)
                monitor.memoryFlat = verdict.flat
            }
            let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
            if let serverCPU {
                var line = String(format: "  CPU during the load (warm-up included): server %.1f core-s, load generator %.1f core-s", serverCPU, clientCPU)
                if let machineCPU { line += String(format: ", other processes (the import child and anything else on the machine) %.1f core-s", max(0, machineCPU - serverCPU - clientCPU)) }
                print(line + String(format: ", of %.0f core-s; load average now %@", cores * (result.measuredSeconds + warmup), loadAverage()))
            }
            let p99 = overall.p99
            let met = overall.count > 0 && p99 < 200_000_000 && result.errorCount == 0 && monitor.memoryFlat
            print("  goal (\(backend)): no errors, p99 < 200 ms, memory flat: \(met ? "met" : "NOT met") (p99 \(ms(p99)) ms over all requests, \(formatCount(result.errorCount)) errors, memory \(monitor.memoryFlat ? "flat" : "growing"))")
            let slow = result.routes.filter { $0.summary.p99 >= 200_000_000 }.map(\.name)
            if !slow.isEmpty { print("  request types with p99 >= 200 ms: " + slow.joined(separator: ", ")) }
        }
    }

    /// What the sampler and the import thread saw, read after the run.
    final class Monitor: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        private(set) var samples: [MemorySample] = []
        private var importFrom: UInt64?, importTo: UInt64?
        private(set) var importStatus: Int32 = 0
        private(set) var importOutput = ""
        var memoryFlat = false

        var isDone: Bool { lock.lock(); defer { lock.unlock() }; return done }
        func finish() { lock.lock(); done = true; lock.unlock() }
        func addSample(at t: UInt64, rss: Double, anon: Double, file: Double) {
            lock.lock(); samples.append(MemorySample(at: t, rss: rss, anon: anon, file: file)); lock.unlock()
        }
        func importStarted(at t: UInt64) { lock.lock(); importFrom = t; lock.unlock() }
        func importFinished(at t: UInt64, status: Int32, output: String) {
            lock.lock(); importTo = t; importStatus = status; importOutput = output; lock.unlock()
        }
        var importRunning: Bool { lock.lock(); defer { lock.unlock() }; return importFrom != nil && importTo == nil }
        var importWindow: (UInt64, UInt64)? {
            lock.lock(); defer { lock.unlock() }
            guard let importFrom, let importTo else { return nil }
            return (importFrom, importTo)
        }

        /// The import's own figures from its --json output.
        var importSummary: String? {
            guard let start = importOutput.firstIndex(of: "{"),
                  let json = try? JSONSerialization.jsonObject(with: Data(importOutput[start...].utf8)) as? [String: Any] else { return nil }
            let imported = json["incidentsImported"] as? Int ?? 0, read = json["rowsRead"] as? Int ?? 0
            let seconds = json["seconds"] as? Double ?? 0
            return "\(formatCount(read)) rows read, \(formatCount(imported)) incidents imported, \(String(format: "%.1f", seconds)) s inside the import"
        }
    }
}

/// One reading of the server's memory.
struct MemorySample: Sendable {
    var at: UInt64
    var rss: Double
    var anon: Double
    var file: Double

    /// Whether the server's memory stays flat under the load: the average resident size over the first sixth of the
    /// stretch judged against the last sixth (flat: grown by less than 25 MiB or 15 %). With an import in the window,
    /// the stretch judged starts 5 s after the import ended: the import adds half as much data again, and the caches
    /// (and SQLite's pages of the new rows) grow with it once; that step is reported beside the verdict, and what
    /// the verdict looks for is growth under steady load (a leak). Needs at least 12 samples after the import, else
    /// the whole window is judged.
    static func flatness(_ samples: [MemorySample], importWindow: (UInt64, UInt64)?) -> (flat: Bool, text: String) {
        func mean(_ s: ArraySlice<MemorySample>) -> Double { s.map(\.rss).reduce(0, +) / Double(max(1, s.count)) }
        func judge(_ s: [MemorySample]) -> (flat: Bool, early: Double, late: Double) {
            let sixth = max(1, s.count / 6)
            let early = mean(s.prefix(sixth)), late = mean(s.suffix(sixth))
            return (late - early < max(25, early * 0.15), early, late)
        }
        let whole = judge(samples)
        let wholeText = String(format: "first sixth of the window %.0f MiB on average, last sixth %.0f MiB", whole.early, whole.late)
        guard let (from, to) = importWindow else {
            return (whole.flat, wholeText + ": " + (whole.flat ? "flat" : "GROWING"))
        }
        let before = samples.filter { $0.at < from }.suffix(5)
        let settled = samples.filter { $0.at >= to + 5_000_000_000 }
        guard settled.count >= 12, !before.isEmpty else {
            return (whole.flat, wholeText + " (too little of the window after the import to judge it apart): " + (whole.flat ? "flat" : "GROWING"))
        }
        let steady = judge(settled)
        let step = settled.prefix(5).map(\.rss).reduce(0, +) / Double(min(5, settled.count)) - mean(before[...])
        return (steady.flat, String(format: "%@; the import stepped it by %+.0f MiB (5 s before it against the 5 s from 5 s after it); from then on (%d s) %.0f MiB on average in the first sixth, %.0f MiB in the last: %@",
                                    wholeText, step, settled.count, steady.early, steady.late, steady.flat ? "flat" : "GROWING"))
    }
}
