import Foundation
import GRDB
public import ZoneCastOperations
public import ZoneCastStore

extension SQLiteIncidentStore: OperationsStore {
    public func apply(_ changes: [StoreChange]) async throws -> [AuditEntry] {
        try await wrap { try await writer.write { db in try apply(changes, in: db) } }
    }

    /// Applies changes inside a write transaction the caller holds (`apply`, and an import's audit entry, which
    /// `importBatch` appends in the import's own transaction).
    func apply(_ changes: [StoreChange], in db: Database) throws -> [AuditEntry] {
        var appended: [AuditEntry] = []
        var last: AuditEntry?
        var lastLoaded = false
        for change in changes {
            switch change {
            case .saveDocument(let d):
                try db.execute(sql: """
                    INSERT INTO document(kind, id, grp, recorded_at, json) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(kind, id) DO UPDATE SET grp = excluded.grp, recorded_at = excluded.recorded_at, json = excluded.json
                    """, arguments: [d.kind, d.id, d.group, d.recordedAt.timeIntervalSince1970, d.json])
            case .saveCycle(let r):
                try Self.saveCycle(r, in: db)
            case .audit(let draft):
                // The write transaction holds SQLite's single writer lock, so no other append can slip in
                // between reading the head and writing the next link.
                if !lastLoaded {
                    // Without a key, check the database is still unkeyed (another process may have keyed it since
                    // this store opened): an unkeyed entry after the switch-over would break the chain.
                    if auditKey == nil,
                       try auditKeyedFrom != nil
                        || String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [Self.keyedFromSetting]) != nil {
                        throw StoreError.database(Self.keyRequired(label: path ?? "the in-memory database"))
                    }
                    last = try Row.fetchOne(db, sql: "SELECT * FROM audit_log ORDER BY sequence DESC LIMIT 1").map(Self.auditEntry(from:))
                    lastLoaded = true
                }
                let e = draft.entry(after: last, key: auditKey)
                try db.execute(sql: "INSERT INTO audit_log(sequence, at_ms, actor, action, subject, detail, previous_hash, hash) "
                                   + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: [e.sequence, e.atMilliseconds, e.actor, e.action, e.subject, e.detail, e.previousHash, e.hash])
                last = e
                appended.append(e)
            }
        }
        return appended
    }

    public func document(kind: String, id: String) async throws -> DocumentData? {
        try await wrap {
            try await writer.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM document WHERE kind = ? AND id = ?", arguments: [kind, id]).map(Self.document(from:))
            }
        }
    }

    public func documents(kind: String, group: String?) async throws -> [DocumentData] {
        try await wrap {
            try await writer.read { db in
                if let group {
                    return try Row.fetchAll(db, sql: "SELECT * FROM document WHERE kind = ? AND grp = ? ORDER BY recorded_at, id", arguments: [kind, group])
                        .map(Self.document(from:))
                }
                return try Row.fetchAll(db, sql: "SELECT * FROM document WHERE kind = ? ORDER BY recorded_at, id", arguments: [kind]).map(Self.document(from:))
            }
        }
    }

    public func documentsFingerprint(kind: String, group: String?) async throws -> String {
        try await wrap { try await writer.read { db in try Self.documentsFingerprint(kind: kind, group: group, in: db) } }
    }

    public func apply(_ changes: [StoreChange], tracking kind: String, group: String?) async throws -> TrackedWrite {
        try await wrap {
            try await writer.write { db in
                let before = try Self.documentsFingerprint(kind: kind, group: group, in: db)
                _ = try apply(changes, in: db)
                return TrackedWrite(before: before, after: try Self.documentsFingerprint(kind: kind, group: group, in: db))
            }
        }
    }

    /// The counters only grow (their rows are never deleted), so the sum changes with every write.
    static func documentsFingerprint(kind: String, group: String?, in db: Database) throws -> String {
        let sql = "SELECT coalesce(sum(version), 0) FROM document_version WHERE kind = ?" + (group == nil ? "" : " AND grp = ?")
        let version = try db.cachedStatement(sql: sql)
        return "v\(try Int64.fetchOne(version, arguments: StatementArguments([kind] + (group.map { [$0] } ?? []))) ?? 0)"
    }

    public func auditEntries(from sequence: Int64, limit: Int) async throws -> [AuditEntry] {
        try await wrap {
            try await writer.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM audit_log WHERE sequence >= ? ORDER BY sequence LIMIT ?", arguments: [sequence, limit])
                    .map(Self.auditEntry(from:))
            }
        }
    }

    public func latestAuditEntries(limit: Int) async throws -> [AuditEntry] {
        try await wrap {
            try await writer.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY sequence DESC LIMIT ?", arguments: [limit]).map(Self.auditEntry(from:))
            }
        }
    }

    static func document(from row: Row) -> DocumentData {
        DocumentData(kind: row["kind"], id: row["id"], group: row["grp"], recordedAt: Date(timeIntervalSince1970: row["recorded_at"]), json: row["json"])
    }

    static func auditEntry(from row: Row) -> AuditEntry {
        AuditEntry(sequence: row["sequence"], atMilliseconds: row["at_ms"], actor: row["actor"], action: row["action"], subject: row["subject"],
                   detail: row["detail"], previousHash: row["previous_hash"], hash: row["hash"])
    }
}

extension SQLiteIncidentStore {
    /// Raw SQL, for tests that play an attacker with access to the database file.
    public func executeForTesting(_ sql: String) throws {
        try writer.write { db in try db.execute(sql: sql) }
    }
}
