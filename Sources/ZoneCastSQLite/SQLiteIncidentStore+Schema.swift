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
                    -- The first row: its fingerprint (SHA-256, 16 bytes), line and text.
                    fingerprint BLOB NOT NULL,
                    line INTEGER NOT NULL,
                    raw_row TEXT NOT NULL,
                    UNIQUE (source, record_id)
                );
                \(secondaryIndexes.map { $0.create + ";" }.joined(separator: "\n"))
                -- Every row of a record that has several (one per victim or involved person), by row key.
                CREATE TABLE incident_row (
                    incident_id INTEGER NOT NULL REFERENCES incident(id),
                    row_key TEXT NOT NULL,
                    fingerprint BLOB NOT NULL,
                    batch_id INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    raw_row TEXT NOT NULL,
                    PRIMARY KEY (incident_id, row_key)
                ) WITHOUT ROWID;
                CREATE TABLE quarantine (
                    id INTEGER PRIMARY KEY,
                    batch_id INTEGER NOT NULL REFERENCES import_batch(id),
                    line INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    field TEXT,
                    value TEXT,
                    message TEXT NOT NULL,
                    fingerprint BLOB NOT NULL,
                    raw_row TEXT NOT NULL
                );
                CREATE INDEX quarantine_batch ON quarantine(batch_id, line);
                CREATE INDEX quarantine_fingerprint ON quarantine(fingerprint);
                CREATE INDEX quarantine_reason ON quarantine(reason);
                """)
        }
        m.registerMigration("v2-cycles") { db in
            try db.execute(sql: """
                CREATE TABLE cycle (
                    id TEXT PRIMARY KEY,
                    status TEXT NOT NULL,
                    starts_at REAL NOT NULL,
                    ends_at REAL NOT NULL,
                    created_at REAL NOT NULL,
                    document BLOB NOT NULL
                );
                CREATE INDEX cycle_start ON cycle(starts_at);
                """)
        }
        m.registerMigration("v3-accounts") { db in
            try db.execute(sql: """
                CREATE TABLE account (
                    username TEXT PRIMARY KEY,
                    display_name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    units_json TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    must_change_password INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    disabled INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v4-operations") { db in
            // Operational records are JSON documents owned by the model layer, with the keys queries need.
            // The audit log is append-only: triggers refuse UPDATE and DELETE, and the hash chain catches anyone
            // who edits the file around them.
            try db.execute(sql: """
                CREATE TABLE document (
                    kind TEXT NOT NULL,
                    id TEXT NOT NULL,
                    grp TEXT NOT NULL,
                    recorded_at REAL NOT NULL,
                    json BLOB NOT NULL,
                    PRIMARY KEY (kind, id)
                ) WITHOUT ROWID;
                CREATE INDEX document_group ON document(kind, grp, recorded_at);
                CREATE TABLE audit_log (
                    sequence INTEGER PRIMARY KEY,
                    at_ms INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    previous_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        m.registerMigration("v5-document-versions") { db in
            // A counter per kind and group that every write to `document` bumps (triggers, so writes from any
            // process count): caches of decoded documents (a cycle's patrol visits) check it on every request,
            // where summing the group's rows cost a scan that grew with the cycle.
            try db.execute(sql: """
                CREATE TABLE document_version (
                    kind TEXT NOT NULL,
                    grp TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    PRIMARY KEY (kind, grp)
                ) WITHOUT ROWID;
                INSERT INTO document_version (kind, grp, version) SELECT kind, grp, 1 FROM document WHERE true GROUP BY kind, grp;
                CREATE TRIGGER document_version_insert AFTER INSERT ON document BEGIN
                    INSERT INTO document_version (kind, grp, version) VALUES (NEW.kind, NEW.grp, 1)
                        ON CONFLICT (kind, grp) DO UPDATE SET version = version + 1;
                END;
                CREATE TRIGGER document_version_update AFTER UPDATE ON document BEGIN
                    INSERT INTO document_version (kind, grp, version) VALUES (OLD.kind, OLD.grp, 1)
                        ON CONFLICT (kind, grp) DO UPDATE SET version = version + 1;
                    INSERT INTO document_version (kind, grp, version) VALUES (NEW.kind, NEW.grp, 1)
                        ON CONFLICT (kind, grp) DO UPDATE SET version = version + 1;
                END;
                CREATE TRIGGER document_version_delete AFTER DELETE ON document BEGIN
                    INSERT INTO document_version (kind, grp, version) VALUES (OLD.kind, OLD.grp, 1)
                        ON CONFLICT (kind, grp) DO UPDATE SET version = version + 1;
                END;
                """)
        }
        m.registerMigration("v6-audit-anchoring") { db in
            // The audit chain is keyed from the first open with an audit key (settings `audit_keyed_from`,
            // `audit_key_id`; see SQLiteIncidentStore+AuditKey). Here only the append-only triggers come back if a
            // database lost them (the same statements `restore` runs after copying a backup in).
            try db.execute(sql: SQLiteIncidentStore.auditTriggersSQL)
        }
        m.registerMigration("v6-account-security") { db in
            // Stamps another process (`zonecast users`) writes and the server honours: sessions created under an
            // older `sessions_revoked_at` end; failed sign-ins at or before `failures_cleared_at` stop counting.
            try db.execute(sql: """
                ALTER TABLE account ADD COLUMN sessions_revoked_at REAL;
                ALTER TABLE account ADD COLUMN failures_cleared_at REAL;
                """)
        }
        m.registerMigration("v6-import-hardening") { db in
            // A quarantined row's exact bytes when its text holds a NUL (which GRDB's text reads would cut short);
            // `raw_row` then holds a visible copy (`ImportText.visible`). NULL for every other row.
            try db.execute(sql: "ALTER TABLE quarantine ADD COLUMN raw_bytes BLOB")
        }
        m.registerMigration("v7-streets") { db in
            // The street layer and landmarks with an R*Tree over street boxes (SQLiteIncidentStore+Streets).
            try db.execute(sql: SQLiteIncidentStore.streetsSchemaSQL)
        }
        return m
    }

    /// The append-only triggers on `audit_log`, created if missing.
    static let auditTriggersSQL = """
        CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """
    static let auditTriggerNames = ["audit_log_no_update", "audit_log_no_delete"]

    /// Incident indexes that a large import drops and rebuilds (sorting once beats a million inserts).
    ///
    /// One covering index answers time, category and space: every query ZoneCast makes is bounded in time, so
    /// time leads, and category and the 1 km square (`SpatialCell`) are checked inside the index before any row
    /// is read. Incidents arrive roughly in time order, which makes both building and maintaining it cheap:
    /// measured on a million synthetic rows, 0.3 s to build against 1.0 s for a square-leading index and about
    /// 7 us per row for an R*Tree. A query without a time bound scans the index, a few tens of milliseconds per
    /// million incidents.
    static let secondaryIndexes: [(name: String, create: String)] = [
        ("incident_time_category_cell", "CREATE INDEX incident_time_category_cell ON incident(occurred_at, category, cell_km)"),
    ]
}

extension SQLiteIncidentStore {
    /// The schema migrations recorded in the database, oldest first (opening the store applies any missing).
    public func appliedMigrations() throws -> [String] {
        try wrap { try writer.read { db in try Self.migrator.appliedIdentifiers(db).sorted() } }
    }

    /// Every migration this build knows.
    public static var knownMigrations: [String] { migrator.migrations }
}
