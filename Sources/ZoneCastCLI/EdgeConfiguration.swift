import Foundation
import Logging
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastSQLite

/// What the command line takes from its process: the environment, read here once, and the wall clock and standard
/// error, handed from here. The modules below (stores, import, planning, forecasting, oversight) read none of them
/// themselves: they get plain values, a clock and a `Logger` (Tests/ZoneCastCLITests/ExplicitInputsTests.swift
/// holds them to it).
///
/// The environment variables read here, as the README documents them:
/// - `ZONECAST_TRACE` (any value): phase timings of imports and proposals on standard error (debug level);
/// - `ZONECAST_CACHE_MIB`: SQLite's page cache per connection, MiB (overrides each command's default);
/// - `ZONECAST_MMAP_MIB`: SQLite's memory map, MiB;
/// - `ZONECAST_ENFORCEMENT_*`, `ZONECAST_DOSAGE_*`: the oversight thresholds;
/// - `PGUSER`, `USER`, `PGPASSWORD`: what a PostgreSQL URL leaves out;
/// - `ZONECAST_DB`, `ZONECAST_DATABASE_URL`, `ZONECAST_AUDIT_KEY_FILE`, `XDG_CONFIG_HOME`, `HOME`: see `DatabaseOptions`.
struct EdgeConfiguration: Sendable {
    let environment: [String: String]

    init(environment: [String: String]) {
        self.environment = environment
    }

    /// This process's: its environment, read once on first use.
    static let process = EdgeConfiguration(environment: ProcessInfo.processInfo.environment)

    /// The system's wall clock, for whatever the command stamps or times.
    static let wallClock: @Sendable () -> Date = { Date() }

    /// `ZONECAST_TRACE` is set.
    var trace: Bool { environment["ZONECAST_TRACE"] != nil }

    /// A whole number of MiB from `variable` (nil when unset or not a whole number, as before: then ignored).
    func mebibytes(_ variable: String) -> Int? { environment[variable].flatMap { Int($0) } }

    /// A logger for what a command's modules report: warnings and errors on standard error, one line each; with
    /// `ZONECAST_TRACE`, the debug-level timings too. (`serve` logs through its own bootstrapped handler instead.)
    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label, factory: { LineLogHandler(label: $0, format: .text, sink: .standardError) })
        logger.logLevel = trace ? .debug : .warning
        return logger
    }

    /// SQLite's options: `ZONECAST_CACHE_MIB` over the command's own page cache (`pageCacheMiB`, else the store's
    /// default of 64 MiB), `ZONECAST_MMAP_MIB` over the store's default map; diagnostics to `logger`.
    func sqliteOptions(pageCacheMiB: Int? = nil, logger: Logger? = nil) -> SQLiteStoreOptions {
        var options = SQLiteStoreOptions(logger: logger ?? self.logger("zonecast.sqlite"))
        if let cache = mebibytes("ZONECAST_CACHE_MIB") ?? pageCacheMiB { options.pageCacheMiB = cache }
        if let map = mebibytes("ZONECAST_MMAP_MIB") { options.mmapMiB = map }
        return options
    }

    /// Opens (creating if needed) a SQLite store with `sqliteOptions`.
    func openSQLite(_ path: String, pageCacheMiB: Int? = nil, auditKey: AuditKey? = nil) throws -> SQLiteIncidentStore {
        try SQLiteIncidentStore(path: path, options: sqliteOptions(pageCacheMiB: pageCacheMiB), auditKey: auditKey)
    }

    /// The non-enforcement monitor's thresholds: the defaults, overridden by `ZONECAST_ENFORCEMENT_*`.
    func enforcementThresholds() throws(OversightInputError) -> EnforcementThresholds {
        try EnforcementThresholds.from(environment: environment)
    }

    /// Low-patrol thresholds: the defaults, overridden by `ZONECAST_DOSAGE_*`.
    func dosageThresholds() throws(OversightInputError) -> DosageThresholds {
        try DosageThresholds.from(environment: environment)
    }
}
