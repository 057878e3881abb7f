import Foundation
import ZoneCastCore

/// What `bench load` watches beside the traffic, on threads of their own (they block: a sleep between readings, a
/// wait for the import's process): the server's memory every second, and the import child process. Read after the run.
final class LoadMonitor: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    private(set) var samples: [MemorySample] = []
    private var importFrom: UInt64?, importTo: UInt64?
    private var importOver = false
    private(set) var importStatus: Int32 = 0
    private(set) var importOutput = ""
    var memoryFlat = false

    private func locked<T>(_ body: () -> T) -> T { lock.lock(); defer { lock.unlock() }; return body() }

    var isDone: Bool { locked { done } }
    func finish() { locked { done = true } }

    /// Reads the server's VmRSS, RssAnon and RssFile every second until `finish()`.
    func sampleMemory(of server: ChildCommand) {
        Thread {
            while !self.isDone {
                let t = monotonicNanos()
                if let rss = server.memoryMiB() {
                    let sample = MemorySample(at: t, rss: rss, anon: server.memoryMiB("RssAnon") ?? rss, file: server.memoryMiB("RssFile") ?? 0)
                    self.locked { self.samples.append(sample) }
                }
                usleep(1_000_000)
            }
        }.start()
    }

    /// Runs `zonecast` with `arguments` in a child process from `startAt` (monotonicNanos), recording when it ran,
    /// its exit status and its output.
    func runImport(executable: String, arguments: [String], log: String, at startAt: UInt64) {
        Thread {
            while monotonicNanos() < startAt { usleep(10_000) }
            do {
                let child = try ChildCommand(executable: executable, arguments: arguments, log: log)
                self.locked { self.importFrom = monotonicNanos() }
                child.process.waitUntilExit()
                self.importFinished(status: child.process.terminationStatus, output: child.logText())
            } catch {
                self.importFinished(status: -1, output: "\(error)")
            }
        }.start()
    }

    /// There is no import this run.
    func noImport() { locked { importOver = true } }

    private func importFinished(status: Int32, output: String) {
        locked {
            importTo = monotonicNanos()
            importStatus = status
            importOutput = output
            importOver = true
        }
    }

    var importRunning: Bool { locked { importFrom != nil && importTo == nil } }
    /// The import has ended (or failed to start, or there is none).
    var importDone: Bool { locked { importOver } }
    var importWindow: (UInt64, UInt64)? {
        locked {
            guard let importFrom, let importTo else { return nil }
            return (importFrom, importTo)
        }
    }

    /// The import's own figures from its --json output.
    var importSummary: String? {
        struct Report: Decodable {
            var incidentsImported: Int?
            var rowsRead: Int?
            var seconds: Double?
        }
        guard let start = importOutput.firstIndex(of: "{"),
              let report = try? JSONDecoder().decode(Report.self, from: Data(importOutput[start...].utf8)) else { return nil }
        let imported = report.incidentsImported ?? 0, read = report.rowsRead ?? 0, seconds = report.seconds ?? 0
        return "\(FixedText.grouped(read)) rows read, \(FixedText.grouped(imported)) incidents imported, \(String(format: "%.1f", seconds)) s inside the import"
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
        return (steady.flat, String(format: "%@; the import stepped it by %+.0f MiB (5 s before it against the 5 s from 5 s after it); "
                                    + "from then on (%d s) %.0f MiB on average in the first sixth, %.0f MiB in the last: %@",
                                    wholeText, step, settled.count, steady.early, steady.late, steady.flat ? "flat" : "GROWING"))
    }
}
