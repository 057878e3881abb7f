public import ArgumentParser
import Foundation
import Logging
import ZoneCastOperations
import ZoneCastPostgres
import ZoneCastSQLite
import ZoneCastStore

/// The `zonecast` command line. The executable target only calls `ZoneCastCommand.main()`.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct ZoneCastCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "zonecast",
        abstract: "Intelligence-led, place-based patrol planning: import incident records, forecast harm, propose patrol zones.",
        subcommands: [
            ImportCommand.self, QuarantineCommand.self, SummaryCommand.self, PresetsCommand.self, WeightsCommand.self,
            ForecastCommand.self, FactorsCommand.self, BacktestCommand.self, ProposeCommand.self, CyclesCommand.self, UsersCommand.self, AuditCommand.self,
            ReportCommand.self, BackupCommand.self, RestoreCommand.self, MigrateCommand.self, ServeCommand.self,
            GenerateCommand.self, DemoCommand.self, BenchCommand.self, StreetsCommand.self, JurisdictionCommand.self,
        ]
    )

    public init() {}
}

/// Options shared by every command that opens the database: a SQLite file (the embedded default) or a
/// PostgreSQL server (production).
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (default: $ZONECAST_DB or ./zonecast.sqlite).")
    var db: String?

    @Option(name: .long, help: """
        PostgreSQL instead of SQLite: postgres://user[:password]@host[:port]/database[?sslmode=require] \
        (default: $ZONECAST_DATABASE_URL).
        """)
    var database: String?

    @Option(name: .long, help: """
        The audit log's HMAC key file (default: $ZONECAST_AUDIT_KEY_FILE, else ~/.config/zonecast/audit.key, created 0600 on first use). \
        Keep it where whoever can write the database cannot read it.
        """)
    var auditKeyFile: String?

    @Option(name: .long, help: "Append-only file of signed audit checkpoints (default: audit-checkpoints beside the key file).")
    var auditCheckpointFile: String?

    /// The process's environment and clock, read once (see `EdgeConfiguration`).
    var edge: EdgeConfiguration { .process }

    var path: String { db ?? edge.environment["ZONECAST_DB"] ?? "zonecast.sqlite" }

    /// The key file: the flag, else the environment, else the default location (the only one created if missing).
    var auditKeyPath: (path: String, isDefault: Bool) {
        let env = edge.environment
        if let auditKeyFile { return (auditKeyFile, false) }
        if let fromEnv = env["ZONECAST_AUDIT_KEY_FILE"], !fromEnv.isEmpty { return (fromEnv, false) }
        return (AuditKeyFile.defaultPath(environment: env), true)
    }

    /// The audit key, read from its file.
    func auditKey() throws -> AuditKey {
        let (path, isDefault) = auditKeyPath
        return try AuditKeyFile.load(path, create: isDefault)
    }

    /// Where `audit checkpoint` appends and `audit verify` and `serve` look.
    var checkpointPath: String {
        auditCheckpointFile ?? ((auditKeyPath.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("audit-checkpoints")
    }

    /// Names this database in the shared checkpoint file: the SQLite file's absolute path, or the redacted URL.
    var checkpointLabel: String {
        postgresURL.map(PostgresStoreURL.redacted) ?? URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The arguments that name this database and its key again, for a command run from another (demo runs
    /// summary, propose and serve).
    var forwardedArguments: [String] {
        (db.map { ["--db", $0] } ?? []) + (database.map { ["--database", $0] } ?? [])
            + (auditKeyFile.map { ["--audit-key-file", $0] } ?? []) + (auditCheckpointFile.map { ["--audit-checkpoint-file", $0] } ?? [])
    }

    /// The PostgreSQL URL when one is given (an explicit --db wins over the environment variable).
    var postgresURL: String? {
        if let database { return database }
        if db != nil { return nil }
        return edge.environment["ZONECAST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The option that names this database again, for the next command a message suggests.
    var argument: String { postgresURL.map { "--database \(PostgresStoreURL.redacted($0))" } ?? "--db \(path)" }

    /// What the messages call the database.
    var label: String { postgresURL.map(PostgresStoreURL.redacted) ?? path }

    /// Opens the store, creating a SQLite file if needed; migrations run on open in both backends. `pageCacheMiB`:
    /// SQLite's page cache per connection (nil: the default; `ZONECAST_CACHE_MIB` overrides either). `logger`: the
    /// store's diagnostics (default: warnings on standard error, timings too with `ZONECAST_TRACE`).
    func openStore(pageCacheMiB: Int? = nil, logger: Logger? = nil) async throws -> any AppStore {
        let key = try auditKey()
        if let url = postgresURL { return try await PostgresIncidentStore(url: url, environment: edge.environment, auditKey: key) }
        return try SQLiteIncidentStore(path: path, options: edge.sqliteOptions(pageCacheMiB: pageCacheMiB, logger: logger), auditKey: key)
    }

    /// Opens a store that must already hold data (reports, audits): a missing SQLite file is a usage error, not a
    /// new empty database.
    func openExistingStore() async throws -> any AppStore {
        if postgresURL == nil && !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("no database at \(path) (pass --db PATH, --database URL, or set ZONECAST_DB)")
        }
        return try await openStore()
    }
}

extension ZoneCastCommand {
    /// Runs a command from `parseAsRoot` as `main()` does: an async command through its async `run` (the synchronous
    /// one of an `AsyncParsableCommand` only prints help). For callers that run commands in-process (tests).
    static func run(parsed command: Any) async throws {
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else if var syncCommand = command as? any ParsableCommand {
            try syncCommand.run()
        }
    }
}
