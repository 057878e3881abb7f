import ArgumentParser
import Foundation
import ZoneCastSynthetic

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (build with -c release). Figures are printed; goals are stated beside them.",
        subcommands: [ImportBench.self])

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
        @Option(help: "Seed.") var seed: UInt64 = 1
        @Option(help: "Working directory for the CSV and databases (default: a temporary directory, removed afterwards).") var workDir: String?

        func run() throws { try CLIFailure.run(perform) }

        func perform() throws {
            let fm = FileManager.default
            let dir = workDir ?? fm.temporaryDirectory.appendingPathComponent("zonecast-bench-\(UUID().uuidString)").path
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { if workDir == nil { try? fm.removeItem(atPath: dir) } }
            #if DEBUG
            print("warning: this is a debug build; figures are only meaningful with -c release")
            #endif
            print("bench import: \(ProcessInfo.processInfo.activeProcessorCount) cores")
            var results: [(Int, Double, Double, Double)] = []
            for n in [max(1, rows / 4), rows] {
                let csv = "\(dir)/synthetic-\(n).csv"
                let t0 = Date()
                _ = try writeSyntheticCSV(rows: n, seed: seed, to: csv)
                let genSeconds = Date().timeIntervalSince(t0)
                let size = (try fm.attributesOfItem(atPath: csv)[.size] as? NSNumber)?.doubleValue ?? 0
                let db = "\(dir)/bench-\(n).sqlite"
                let child = Process()
                child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
                child.arguments = ["import", "--preset", "synthetic", csv, "--db", db, "--json"]
                let pipe = Pipe()
                child.standardOutput = pipe
                let launched = Date()
                try child.run()
                let out = pipe.fileHandleForReading.readDataToEndOfFile()
                child.waitUntilExit()
                // End to end: process start, file hash, parse, write, index build, commit and close.
                let wallSeconds = Date().timeIntervalSince(launched)
                guard child.terminationStatus == 0,
                      let json = try JSONSerialization.jsonObject(with: out) as? [String: Any],
                      let importSeconds = json["seconds"] as? Double, let mem = json["peakMemoryMiB"] as? Double,
                      let read = json["rowsRead"] as? Int else {
                    throw ValidationError("the import child process failed (status \(child.terminationStatus)): \(String(decoding: out, as: UTF8.self))")
                }
                let seconds = wallSeconds
                let rate = Double(read) / seconds
                print(String(format: "  %@ rows (%.0f MB CSV, generated in %.2f s): imported in %.2f s end to end (%.2f s inside the transaction) = %@ rows/s, peak memory %.0f MiB; %@ incidents, %@ quarantined",
                             formatCount(n), size / 1e6, genSeconds, seconds, importSeconds, formatCount(Int(rate)), mem,
                             formatCount(json["incidentsImported"] as? Int ?? 0), formatCount(json["rowsRejected"] as? Int ?? 0)))
                results.append((n, seconds, rate, mem))
            }
            let (_, _, rate, mem) = results.last!
            let (_, _, _, smallMem) = results.first!
            print(String(format: "  goal >= 200,000 rows/s end to end: %@ (%@ rows/s)", rate >= 200_000 ? "met" : "NOT met", formatCount(Int(rate))))
            print(String(format: "  memory with 4x the rows: %.0f MiB vs %.0f MiB (x%.2f): %@", mem, smallMem, mem / max(smallMem, 1),
                         mem / max(smallMem, 1) < 1.5 ? "flat (streamed)" : "GROWS with file size"))
        }
    }
}
