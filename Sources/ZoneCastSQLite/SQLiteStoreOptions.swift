public import Logging

/// How a `SQLiteIncidentStore` opens its file: sizes and where its diagnostics go. Built by the caller (the command
/// line reads `ZONECAST_CACHE_MIB` and `ZONECAST_MMAP_MIB` into it); the store reads no environment itself.
public struct SQLiteStoreOptions: Sendable {
    /// SQLite's page cache per connection, in MiB. 64 by default, which imports want for their index builds; the
    /// server asks for less, since its reads come from the mapped file and each of its pooled readers keeps its own
    /// cache (with 64 MiB each, reading a fresh import's pages from the WAL grew the server by ~50 MiB under
    /// `bench load`).
    public var pageCacheMiB: Int
    /// How much of the file reads map instead of copying pages, in MiB (0: no mapping).
    public var mmapMiB: Int
    /// Import timings (debug) and the background checkpointer's failures (warning). No output by default.
    public var logger: Logger

    public init(pageCacheMiB: Int = 64, mmapMiB: Int = 1_024, logger: Logger = SQLiteStoreOptions.silentLogger) {
        self.pageCacheMiB = pageCacheMiB
        self.mmapMiB = mmapMiB
        self.logger = logger
    }

    /// A logger that drops everything: the default where a caller passes none.
    public static let silentLogger = Logger(label: "zonecast.sqlite", factory: { _ in SwiftLogNoOpLogHandler() })
}
