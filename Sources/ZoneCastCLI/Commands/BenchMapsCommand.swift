import ArgumentParser
import ZoneCastBench

extension BenchCommand {
    struct MapsBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "maps",
            abstract: "Server time of pages drawing streets (zone page, zoomed out, dashboard) on the synthetic city; p50/p99 (goal: zone page < 100 ms).",
            discussion: """
                Builds a fresh SQLite database (the synthetic city, its last two years ending yesterday, 200,000 incidents \
                by default; a proposal for now, approved; the synthetic street network imported as `zonecast demo` does) \
                and an analyst account, starts `zonecast serve` on it in a child process with the JSON request log, and \
                requests each zone page (in turn over the cycle's zones), each zone page zoomed out two levels, and the \
                dashboard, one request at a time on one keep-alive connection. Server time is each request's \
                duration_ms in the server's log (found by the X-Request-Id the bench sends); the client's round trip is \
                printed beside it. --street-pieces cuts every street segment into that many, to try a city with as \
                many segments as a large real one (12 gives about 50,000).
                Example: swift run -c release zonecast bench maps --iterations 500
                """)

        @Option(help: "Timed requests per route.") var iterations = 300
        @Option(help: "Requests per route before timing (not recorded).") var warmup = 20
        @Option(help: "Synthetic incidents in the database.") var rows = 200_000
        @Option(help: "Seed for the synthetic city and its streets.") var seed: UInt64 = 2017
        @Option(help: "Cut each street segment into this many (1: the network as the demo imports it).") var streetPieces = 1
        @Option(help: "Server port on 127.0.0.1 (0: a free port chosen by the OS).") var port = 0
        @Option(help: "Working directory for the CSV, database and server log (default: a temporary directory, removed afterwards).") var workDir: String?

        func validate() throws {
            guard (1...100_000).contains(iterations), (0...10_000).contains(warmup) else {
                throw ValidationError("--iterations must be 1-100000 and --warmup 0-10000")
            }
            guard rows >= 1_000 else { throw ValidationError("--rows must be at least 1,000 (a proposal needs incidents)") }
            guard (1...100).contains(streetPieces) else { throw ValidationError("--street-pieces must be 1-100") }
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0-65535") }
        }

        func run() async throws {
            let bench = MapsBenchmark(iterations: iterations, warmup: warmup, rows: rows, seed: seed, streetPieces: streetPieces, port: port,
                                      workDir: workDir)
            try await runReportingFailure { try await bench.run(.commandLine) }
        }
    }
}
