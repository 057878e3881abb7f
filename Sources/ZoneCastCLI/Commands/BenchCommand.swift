import ArgumentParser
import Foundation
import ZoneCastSynthetic

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (build with -c release). Figures are printed; goals are stated beside them.",
        subcommands: [ImportBench.self, ForecastBench.self, PointProcessBench.self, BacktestBench.self, ZonesBench.self, HTTPBench.self, LoadBench.self])

    struct ImportBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Generate synthetic rows, import them into a fresh SQLite file in a child process, print rows/s and peak memory.",
            discussion: """
                Runs the import at a quarter of --rows and at --rows, each in its own process, so peak memory can be \
                compared across file sizes (streaming keeps it flat). Goal: >= 200,000 rows/s end to end.
                Example: swift run -c release zonecast bench import --rows 1000000
                """)

        @Option(help: "Rows in the large run.") var rows = 1_000_000
        @Option(help: "Imports per size; the median is judged (this machine is a shared VM, so single runs vary).") var repeats = 3
        @Option(help: "Seed.") var seed: UInt64 = 1
        @Option(help: "Working directory for the CSV and databases (default: a temporary directory, removed afterwards).") var workDir: String?

        func validate() throws {
            guard rows >= 4 else { throw ValidationError("--rows must be at least 4") }
            guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        }

        func run() throws { try CLIFailure.run(perform) }

        func perform() throws {
            let fm = FileManager.default
            let work = try BenchDirectory(workDir, name: "import")
            defer { work.remove() }
            let dir = work.path
            warnIfDebugBuild()
            print("bench import: \(ProcessInfo.processInfo.activeProcessorCount) cores")
            var medians: [(rows: Int, rate: Double, memory: Double)] = []
            for n in [rows / 4, rows] {
                let csv = "\(dir)/synthetic-\(n).csv"
                let t0 = Date()
                _ = try writeSyntheticCSV(rows: n, seed: seed, to: csv)
                let genSeconds = Date().timeIntervalSince(t0)
                let size = (try fm.attributesOfItem(atPath: csv)[.size] as? NSNumber)?.doubleValue ?? 0
                print(String(format: "  %@ rows: %.0f MB CSV generated in %.2f s", formatCount(n), size / 1e6, genSeconds))
                // Flush the freshly written CSV first, so the kernel's write-back does not compete with the import.
                sync()
                var rates: [Double] = [], memory = 0.0
                for run in 1...repeats {
                    let db = work.freshDatabase("bench-\(n).sqlite")
                    let r = try importInChildProcess(csv: csv, db: db)
                    rates.append(Double(r.rowsRead) / r.wallSeconds)
                    memory = max(memory, r.peakMemoryMiB)
                    print(String(format: "    run %d: %.2f s end to end (%.2f s inside the transaction) = %@ rows/s, peak memory %.0f MiB; %@ incidents, %@ quarantined",
                                 run, r.wallSeconds, r.importSeconds, formatCount(Int(rates.last!)), r.peakMemoryMiB,
                                 formatCount(r.incidentsImported), formatCount(r.rowsRejected)))
                }
                let median = rates.sorted()[rates.count / 2]
                print("    median \(formatCount(Int(median))) rows/s")
                medians.append((n, median, memory))
            }
            let large = medians.last!, small = medians.first!
            print(String(format: "  goal >= 200,000 rows/s end to end (median of %d): %@ (%@ rows/s)", repeats, large.rate >= 200_000 ? "met" : "NOT met", formatCount(Int(large.rate))))
            let growth = large.memory / max(small.memory, 1)
            print(String(format: "  peak memory with 4x the rows: %.0f MiB vs %.0f MiB (x%.2f): %@", large.memory, small.memory, growth,
                         growth < 1.25 ? "flat (streamed)" : "GROWS with file size"))
        }

        struct ChildImport {
            var wallSeconds: Double, importSeconds: Double, peakMemoryMiB: Double
            var rowsRead: Int, incidentsImported: Int, rowsRejected: Int
        }

        /// Runs `zonecast import --json` in a fresh process and times it from launch to exit: process start, file
        /// hash, parse, write, index build, commit and close.
        func importInChildProcess(csv: String, db: String) throws -> ChildImport {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
            child.arguments = ["import", "--preset", "synthetic", csv, "--db", db, "--json"]
            let pipe = Pipe()
            child.standardOutput = pipe
            let launched = Date()
            try child.run()
            let out = pipe.fileHandleForReading.readDataToEndOfFile()
            child.waitUntilExit()
            let wall = Date().timeIntervalSince(launched)
            guard child.terminationStatus == 0,
                  let json = try JSONSerialization.jsonObject(with: out) as? [String: Any],
                  let importSeconds = json["seconds"] as? Double, let mem = json["peakMemoryMiB"] as? Double,
                  let read = json["rowsRead"] as? Int else {
                throw ValidationError("the import child process failed (status \(child.terminationStatus)): \(String(decoding: out, as: UTF8.self))")
            }
            return ChildImport(wallSeconds: wall, importSeconds: importSeconds, peakMemoryMiB: mem, rowsRead: read,
                               incidentsImported: json["incidentsImported"] as? Int ?? 0, rowsRejected: json["rowsRejected"] as? Int ?? 0)
        }
    }
}

/// Benchmarks mean nothing in a debug build; say so rather than print misleading figures.
func warnIfDebugBuild() {
    #if DEBUG
    print("warning: this is a debug build; figures are only meaningful with -c release")
    #endif
}
