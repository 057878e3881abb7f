import Foundation
public import ZoneCastCore
public import ZoneCastStore

/// What the benchmarks take from the command line that runs them: the process environment (read at the edge, for
/// what a PostgreSQL URL leaves out), the edge's way of opening SQLite and of writing the synthetic city, the
/// executable the child processes run, and where the printed lines go. The benchmarks read none of these themselves.
public struct BenchContext: Sendable {
    /// The process environment, for PostgreSQL URLs (`PGUSER`, `USER`, `PGPASSWORD`).
    public var environment: [String: String]
    /// Opens (creating if needed) a SQLite store, with the command line's cache and map settings.
    public var openSQLite: @Sendable (_ path: String) throws -> any AppStore
    /// Writes `rows` rows of the synthetic city starting on `start` to `path` (and its metadata beside it).
    public var writeSyntheticCSV: @Sendable (_ rows: Int, _ seed: UInt64, _ start: LocalDate, _ path: String) throws -> Void
    /// The `zonecast` executable that the server and import child processes run.
    public var executable: String
    /// Where each line of figures goes.
    public var output: @Sendable (String) -> Void

    public init(environment: [String: String], openSQLite: @escaping @Sendable (String) throws -> any AppStore,
                writeSyntheticCSV: @escaping @Sendable (Int, UInt64, LocalDate, String) throws -> Void,
                executable: String = "/proc/self/exe", output: @escaping @Sendable (String) -> Void) {
        self.environment = environment
        self.openSQLite = openSQLite
        self.writeSyntheticCSV = writeSyntheticCSV
        self.executable = executable
        self.output = output
    }

    /// The first day of the synthetic city when a benchmark does not date it (as `zonecast generate`).
    static let defaultStart = LocalDate(year: 2023, month: 1, day: 1)

    func say(_ line: String) { output(line) }

    /// Benchmarks mean nothing in a debug build; say so rather than print misleading figures.
    func warnIfDebugBuild() {
        #if DEBUG
        say("warning: this is a debug build; figures are only meaningful with -c release")
        #endif
    }
}

/// A benchmark that cannot go on: its set-up failed, the server died, a first request answered wrongly.
public struct BenchError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

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

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
