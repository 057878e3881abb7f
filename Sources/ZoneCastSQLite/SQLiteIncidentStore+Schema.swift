import GRDB

extension SQLiteIncidentStore {
    /// Schema migrations, applied in order and recorded by GRDB; never edit a shipped migration, add one.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-incidents") { db in
            try db.execute(sql: """
                CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE import_batch (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    mapping_name TEXT NOT NULL,
                    file_name TEXT NOT NULL,
                    file_sha256 TEXT NOT NULL,
                    started_at REAL NOT NULL,
                    finished_at REAL NOT NULL,
                    counts_json TEXT NOT NULL
                );
                CREATE INDEX import_batch_file ON import_batch(source, file_sha256);
                CREATE TABLE incident (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    record_id TEXT NOT NULL,
                    category TEXT NOT NULL,
                    offence TEXT NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    occurred_precision TEXT NOT NULL,
                    time_zone TEXT NOT NULL,
                    local_date INTEGER NOT NULL,
                    reported_at INTEGER,
                    latitude REAL NOT NULL,
                    longitude REAL NOT NULL,
                    x REAL NOT NULL,
                    y REAL NOT NULL,
                    cell_km INTEGER NOT NULL,
                    address TEXT,
                    firearm INTEGER NOT NULL,
                    fatal INTEGER NOT NULL,
                    police_initiated INTEGER NOT NULL,
                    row_count INTEGER NOT NULL,
                    batch_id INTEGER NOT NULL REFERENCES import_batch(id),
                    raw_row TEXT NOT NULL,
                    UNIQUE (source, record_id)
                );
                \(secondaryIndexes.map { $0.create + ";" }.joined(separator: "\n"))
                -- One row per distinct source row ever seen: its content fingerprint, its identity (source,
                -- record id, row key) when it was imported, and where it came from.
                CREATE TABLE source_row (
                    fingerprint BLOB PRIMARY KEY,
                    identity BLOB,
                    batch_id INTEGER NOT NULL,
                    line INTEGER NOT NULL
                ) WITHOUT ROWID;
                -- Partial: most sources have one row per record and no identity, and an import pays for every index.
                CREATE UNIQUE INDEX source_row_identity ON source_row(identity) WHERE identity IS NOT NULL;
                CREATE TABLE quarantine (
                    id INTEGER PRIMARY KEY,
                    batch_id INTEGER NOT NULL REFERENCES import_batch(id),
                    line INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    field TEXT,
                    value TEXT,
                    message TEXT NOT NULL,
                    raw_row TEXT NOT NULL
                );
                CREATE INDEX quarantine_batch ON quarantine(batch_id, line);
                CREATE INDEX quarantine_reason ON quarantine(reason);
                """)
        }
        return m
    }

    /// Incident indexes that a large import drops and rebuilds (sorting once beats a million random inserts).
    /// - Time and category share one index: a query without a category filter lists every category, and SQLite
    ///   scans one time range per category.
    /// - Space and time: rows are keyed by their 1 km square (see `SpatialCell`) then time; a bounding box
    ///   becomes a list of squares, each scanned over the time range. (An R*Tree costs about 7 microseconds a
    ///   row to build, most of the import budget.)
    static let secondaryIndexes: [(name: String, create: String)] = [
        ("incident_category_time", "CREATE INDEX incident_category_time ON incident(category, occurred_at)"),
        ("incident_cell_time", "CREATE INDEX incident_cell_time ON incident(cell_km, occurred_at)"),
    ]
}
