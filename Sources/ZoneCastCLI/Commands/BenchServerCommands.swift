import ArgumentParser
import ZoneCastBench
import ZoneCastPostgres

extension BenchCommand {
    struct HTTPBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "http",
            abstract: """
                Load the dashboard and the zone API with concurrent keep-alive connections on loopback; print throughput and p50/p99 latency \
                (goal p99 < 100 ms, no errors).
                """,
            discussion: """
                Builds a fresh SQLite database (the synthetic city, its last two years ending yesterday; a proposal for \
                now, approved so its zones are in force) and an analyst account, starts `zonecast serve` on it in a child \
                process (so the server has its own process), signs in once and then, with --connections concurrent \
                requests over as many keep-alive HTTP/1.1 connections (async-http-client's pool), requests GET / and \
                GET /api/zones in turn with the session cookie, each waiting for its response (a closed loop). Every \
                latency is recorded; a status other than 200 or a failed connection is an error. The server's peak \
                memory (VmHWM) is read before it is stopped.
                Example: swift run -c release zonecast bench http --seconds 30 --connections 50
                """)

        @Option(help: "Measured seconds (after the warm-up).") var seconds = 30.0
        @Option(help: "Warm-up seconds at full load before measuring (not recorded).") var warmup = 2.0
        @Option(help: "Concurrent keep-alive connections.") var connections = 50
        @Option(name: .customLong("route"),
                help: "A path to request, GET with the session cookie, expecting 200 (repeatable; default / and /api/zones, in turn).")
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
            guard !routes.isEmpty, routes.allSatisfy({ $0.hasPrefix("/") && !$0.contains(" ") }) else {
                throw ValidationError("--route takes paths like /api/zones")
            }
            guard timeout >= 1 else { throw ValidationError("--timeout must be at least 1 s") }
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0-65535") }
        }

        func run() async throws {
            let bench = HTTPBenchmark(seconds: seconds, warmup: warmup, connections: connections, routes: routes, timeout: timeout, rows: rows, seed: seed,
                                      port: port, workDir: workDir)
            try await runReportingFailure { try await bench.run(.commandLine) }
        }
    }

    struct LoadBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load",
            abstract: """
                Mixed read/write traffic (dashboards, zone pages, patrol logs, API reads) with an import running beside it, against SQLite or \
                PostgreSQL; throughput, p50/p99 and errors per request type, server memory every second (goal: no errors, p99 < 200 ms, memory flat).
                """,
            discussion: """
                Builds a fresh database (SQLite in the working directory, or with --database URL the PostgreSQL schema \
                the URL names, DROPPED and rebuilt: the URL must name a schema of its own): the synthetic city ending \
                yesterday, a cycle approved and in force (it began --cycle-age hours ago) with the Violent Crimes \
                Enforcement Division deployed to every zone, an analyst and --officers officers of that unit. Starts \
                `zonecast serve` on it in a child process (JSON request log, no scheduler), signs everyone in through \
                the forms and then, with --connections concurrent requests over as many keep-alive connections \
                (async-http-client's pool), each loop sends in turn: \
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
        @Option(help: """
            Officer accounts (connection i logs patrols as officer i mod this). Each officer's visits are 11 minutes apart back from now, and must fit \
            into the cycle so far: 50 officers over --cycle-age 90 h take up to about 22,000 visits.
            """) var officers = 50
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
                guard url.schema != nil else {
                    throw ValidationError("--database must name a schema of its own (&schema=benchload): the bench drops and rebuilds it")
                }
            }
        }

        func run() async throws {
            let bench = LoadBenchmark(seconds: seconds, warmup: warmup, connections: connections, officers: officers, rows: rows, importRows: importRows,
                                      importAfter: importAfter, cycleAge: cycleAge, timeout: timeout, seed: seed, port: port, database: database,
                                      workDir: workDir)
            try await runReportingFailure { try await bench.run(.commandLine) }
        }
    }
}
