import Foundation
import ZoneCastCore

/// `zonecast bench import`: synthetic rows imported into a fresh SQLite file by `zonecast import` in a child process,
/// at a quarter of the rows and at the rows, `repeats` times each; rows/s end to end and peak memory.
public struct ImportBenchmark: Sendable {
    public var rows: Int
    public var repeats: Int
    public var seed: UInt64
    public var workDir: String?

    public init(rows: Int, repeats: Int, seed: UInt64, workDir: String?) {
        self.rows = rows
        self.repeats = repeats
        self.seed = seed
        self.workDir = workDir
    }

    public func run(_ context: BenchContext) throws {
        let say = context.output
        let work = try BenchDirectory(workDir, name: "import")
        defer { work.remove() }
        let dir = work.path
        context.warnIfDebugBuild()
        say("bench import: \(ProcessInfo.processInfo.activeProcessorCount) cores")
        var medians: [(rows: Int, rate: Double, memory: Double)] = []
        for n in [rows / 4, rows] {
            let csv = "\(dir)/synthetic-\(n).csv"
            let t0 = Date()
            try context.writeSyntheticCSV(n, seed, BenchContext.defaultStart, csv)
            let genSeconds = Date().timeIntervalSince(t0)
            let size = (try FileManager.default.attributesOfItem(atPath: csv)[.size] as? NSNumber)?.doubleValue ?? 0
            say(String(format: "  %@ rows: %.0f MB CSV generated in %.2f s", FixedText.grouped(n), size / 1e6, genSeconds))
            // Flush the freshly written CSV first, so the kernel's write-back does not compete with the import.
            sync()
            var rates: [Double] = [], memory = 0.0
            for run in 1...repeats {
                let db = work.freshDatabase("bench-\(n).sqlite")
                let r = try importInChildProcess(executable: context.executable, csv: csv, db: db)
                rates.append(Double(r.rowsRead) / r.wallSeconds)
                memory = max(memory, r.peakMemoryMiB)
                say(String(format: "    run %d: %.2f s end to end (%.2f s inside the transaction) = %@ rows/s, peak memory %.0f MiB; "
                           + "%@ incidents, %@ quarantined",
                           run, r.wallSeconds, r.importSeconds, FixedText.grouped(Int(rates.last!)), r.peakMemoryMiB,
                           FixedText.grouped(r.incidentsImported), FixedText.grouped(r.rowsRejected)))
            }
            let median = rates.sorted()[rates.count / 2]
            say("    median \(FixedText.grouped(Int(median))) rows/s")
            medians.append((n, median, memory))
        }
        let large = medians.last!, small = medians.first!
        say(String(format: "  goal >= 200,000 rows/s end to end (median of %d): %@ (%@ rows/s)", repeats, large.rate >= 200_000 ? "met" : "NOT met",
                   FixedText.grouped(Int(large.rate))))
        let growth = large.memory / max(small.memory, 1)
        say(String(format: "  peak memory with 4x the rows: %.0f MiB vs %.0f MiB (x%.2f): %@", large.memory, small.memory, growth,
                   growth < 1.25 ? "flat (streamed)" : "GROWS with file size"))
    }

    struct ChildImport {
        var wallSeconds: Double, importSeconds: Double, peakMemoryMiB: Double
        var rowsRead: Int, incidentsImported: Int, rowsRejected: Int
    }

    /// Runs `zonecast import --json` in a fresh process and times it from launch to exit: process start, file hash,
    /// parse, write, index build, commit and close.
    func importInChildProcess(executable: String, csv: String, db: String) throws -> ChildImport {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: executable)
        child.arguments = ["import", "--preset", "synthetic", csv, "--db", db, "--json"]
        let pipe = Pipe()
        child.standardOutput = pipe
        let launched = Date()
        try child.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        let wall = Date().timeIntervalSince(launched)
        struct Report: Decodable {
            var seconds: Double
            var peakMemoryMiB: Double
            var rowsRead: Int
            var incidentsImported: Int?
            var rowsRejected: Int?
        }
        guard child.terminationStatus == 0, let report = try? JSONDecoder().decode(Report.self, from: out) else {
            throw BenchError("the import child process failed (status \(child.terminationStatus)): \(String(decoding: out, as: UTF8.self))")
        }
        return ChildImport(wallSeconds: wall, importSeconds: report.seconds, peakMemoryMiB: report.peakMemoryMiB, rowsRead: report.rowsRead,
                           incidentsImported: report.incidentsImported ?? 0, rowsRejected: report.rowsRejected ?? 0)
    }
}
