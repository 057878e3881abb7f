import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastIngest
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastSynthetic

/// A benchmark's working directory: `--work-dir` when given (kept afterwards, for its logs and files), else a fresh
/// temporary directory that `remove()` deletes.
struct BenchDirectory {
    let path: String
    private let temporary: Bool

    init(_ workDir: String?, name: String) throws {
        temporary = workDir == nil
        path = workDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("zonecast-bench-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { if temporary { try? FileManager.default.removeItem(atPath: path) } }

    /// A SQLite path inside, with any database (and its WAL) from an earlier run removed.
    func freshDatabase(_ name: String) -> String {
        let db = "\(path)/\(name)"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        return db
    }
}

/// What every HTTP benchmark does first: warn about debug builds, ignore SIGPIPE (a closed socket must not kill the
/// load generator) and say how busy the machine already is.
func startHTTPBench(_ title: String) {
    warnIfDebugBuild()
    signal(SIGPIPE, SIG_IGN)
    print("\(title): \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage()) before starting (other processes on the machine skew the figures)")
}

enum BenchCity {
    /// The synthetic city's `rows` incidents ending yesterday (written to `csv`, imported into `store`), and the
    /// proposal made at `origin`, approved as proposed with `reason` and saved: what the HTTP benchmarks serve.
    static func approvedCycle(in store: any AppStore, rows: Int, seed: UInt64, csv: String, origin: Date, reason: String) throws -> ZoneCycle {
        let duration = SyntheticIncidentGenerator(rowCount: rows, seed: seed).configuration.durationDays
        let today = Int((Date().timeIntervalSince1970 / 86_400).rounded(.down))
        _ = try writeSyntheticCSV(rows: rows, seed: seed, start: LocalDate(daysSinceEpoch: today - duration), to: csv)
        let city = SyntheticCity()
        try store.setJurisdiction(city.jurisdiction)
        _ = try Importer(mapping: try Presets.mapping(named: "synthetic"), jurisdiction: city.jurisdiction, weights: try store.harmWeights(), now: Date(),
                         clock: EdgeConfiguration.wallClock)
            .importFile(try InputFile(path: csv), into: store)
        let id = "C-" + ISO8601DateFormatter().string(from: origin).replacingOccurrences(of: ":", with: "")
        var cycle = try ProposalService().propose(store: store, at: origin, id: id)
        guard !cycle.zones.isEmpty else { throw ValidationError("the proposal has no zones; nothing to serve") }
        cycle.status = .approved
        cycle.approvedZones = cycle.zones.map(\.zone)
        cycle.approvalReason = reason
        try store.saveCycle(try cycle.record(createdAt: Date()))
        return cycle
    }
}
