public import Foundation
import PostgresNIO
public import ZoneCastAccess
public import ZoneCastOperations
public import ZoneCastStore

// MARK: Cycles

extension PostgresIncidentStore {
    public func saveCycle(_ r: CycleRecord) async throws {
        try await wrap { try await pool.withConnection { s in try await Self.saveCycle(r, in: s) } }
    }

    static func saveCycle(_ r: CycleRecord, in s: PostgresSession) async throws {
        try await s.query("""
            INSERT INTO cycle (id, status, starts_at, ends_at, created_at, document)
            VALUES (\(r.id), \(r.status.rawValue), \(r.startsAt.timeIntervalSince1970), \(r.endsAt.timeIntervalSince1970), \
            \(r.createdAt.timeIntervalSince1970), \(r.document))
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
                created_at = excluded.created_at, document = excluded.document
            """)
    }

    public func cycle(id: String) async throws -> CycleRecord? {
        try await wrap {
            try await pool.withConnection { s in
                try await s.query("SELECT id, status, starts_at, ends_at, created_at, document FROM cycle WHERE id = \(id)").first
                    .map(Self.cycle(from:))
            }
        }
    }

    public func cycles() async throws -> [CycleRecord] {
        try await wrap {
            try await pool.withConnection { s in
                try await s.query("SELECT id, status, starts_at, ends_at, created_at, document FROM cycle ORDER BY starts_at DESC, id DESC")
                    .map(Self.cycle(from:))
            }
        }
    }

    public func cycleInForce(at date: Date) async throws -> CycleRecord? {
        let t = date.timeIntervalSince1970
        return try await wrap {
            try await pool.withConnection { s in
                try await s.query("""
                    SELECT id, status, starts_at, ends_at, created_at, document FROM cycle
                    WHERE status IN ('approved', 'active') AND starts_at <= \(t) AND \(t) < ends_at ORDER BY starts_at DESC, id DESC LIMIT 1
                    """).first.map(Self.cycle(from:))
            }
        }
    }

    public func newestCycle(status: CycleStatus) async throws -> CycleRecord? {
        try await wrap {
            try await pool.withConnection { s in
                try await s.query("""
                    SELECT id, status, starts_at, ends_at, created_at, document FROM cycle
                    WHERE status = \(status.rawValue) ORDER BY starts_at DESC, id DESC LIMIT 1
                    """).first.map(Self.cycle(from:))
            }
        }
    }

    static func cycle(from row: PostgresRow) throws -> CycleRecord {
        let (id, raw, starts, ends, created, document) = try row.decode((String, String, Double, Double, Double, Data).self)
        guard let status = CycleStatus(rawValue: raw) else { throw StoreError.corrupt("cycle status \(raw)") }
        return CycleRecord(id: id, status: status, startsAt: Date(timeIntervalSince1970: starts), endsAt: Date(timeIntervalSince1970: ends),
                           createdAt: Date(timeIntervalSince1970: created), document: document)
    }
}

// MARK: Accounts

extension PostgresIncidentStore {
    public func addAccount(_ a: Account) async throws {
        let units = try Self.unitsJSON(a)
        let inserted = try await wrap {
            try await pool.withConnection { s in
                try await s.query("""
                    INSERT INTO account (username, display_name, role, units_json, password_hash, must_change_password, created_at, disabled,
                                         sessions_revoked_at, failures_cleared_at)
                    VALUES (\(a.username), \(a.displayName), \(a.role.rawValue), \(units), \(a.passwordHash), \(a.mustChangePassword),
                            \(a.createdAt.timeIntervalSince1970), \(a.disabled), \(a.sessionsRevokedAt?.timeIntervalSince1970), \
                    \(a.failuresClearedAt?.timeIntervalSince1970))
                    ON CONFLICT (username) DO NOTHING
                    """).metadata.rows ?? 0
            }
        }
        guard inserted == 1 else { throw AccessError.duplicateUsername(a.username) }
    }

    public func updateAccount(_ a: Account) async throws {
        let units = try Self.unitsJSON(a)
        let updated = try await wrap {
            try await pool.withConnection { s in
                try await s.query("""
                    UPDATE account SET display_name = \(a.displayName), role = \(a.role.rawValue), units_json = \(units), password_hash = \(a.passwordHash),
                        must_change_password = \(a.mustChangePassword), created_at = \(a.createdAt.timeIntervalSince1970), disabled = \(a.disabled),
                        sessions_revoked_at = \(a.sessionsRevokedAt?.timeIntervalSince1970), failures_cleared_at = \(a.failuresClearedAt?.timeIntervalSince1970)
                    WHERE username = \(a.username)
                    """).metadata.rows ?? 0
            }
        }
        guard updated == 1 else { throw AccessError.unknownUsername(a.username) }
    }

    public func deleteAccount(username: String) async throws {
        let deleted = try await wrap {
            try await pool.withConnection { s in try await s.query("DELETE FROM account WHERE username = \(username)").metadata.rows ?? 0 }
        }
        guard deleted == 1 else { throw AccessError.unknownUsername(username) }
    }

    static let accountColumns = "username, display_name, role, units_json, password_hash, must_change_password, created_at, disabled, "
        + "sessions_revoked_at, failures_cleared_at"

    public func account(username: String) async throws -> Account? {
        try await wrap {
            try await pool.withConnection { s in
                try await s.query("SELECT \(unescaped: Self.accountColumns) FROM account WHERE username = \(username)").first.map(Self.account(from:))
            }
        }
    }

    public func accounts() async throws -> [Account] {
        try await wrap {
            try await pool.withConnection { s in
                try await s.query("SELECT \(unescaped: Self.accountColumns) FROM account ORDER BY username").map(Self.account(from:))
            }
        }
    }

    /// The units as the SQLite store keeps them: a JSON array of names, sorted.
    static func unitsJSON(_ a: Account) throws -> String {
        String(decoding: try JSONEncoder().encode(a.units.sorted().map(\.name)), as: UTF8.self)
    }

    static func account(from row: PostgresRow) throws -> Account {
        let (username, displayName, roleRaw, unitsJSON, passwordHash, mustChange, created, disabled, revoked, cleared) =
            try row.decode((String, String, String, String, String, Bool, Double, Bool, Double?, Double?).self)
        guard let role = Role(rawValue: roleRaw) else { throw StoreError.corrupt("account role \(roleRaw)") }
        let units: [String]
        do { units = try JSONDecoder().decode([String].self, from: Data(unitsJSON.utf8)) } catch { throw StoreError.corrupt("account units: \(error)") }
        return Account(username: username, displayName: displayName, role: role, units: Set(units.map(PatrolUnit.init)), passwordHash: passwordHash,
                       mustChangePassword: mustChange, createdAt: Date(timeIntervalSince1970: created), disabled: disabled,
                       sessionsRevokedAt: revoked.map(Date.init(timeIntervalSince1970:)), failuresClearedAt: cleared.map(Date.init(timeIntervalSince1970:)))
    }
}

// MARK: Operational records and the audit log

extension PostgresIncidentStore {
    public func apply(_ changes: [StoreChange]) async throws -> [AuditEntry] {
        // A lone audit entry (a page view's): one statement, the database's `audit_append` (see migration v5).
        if changes.count == 1, case .audit(let given) = changes[0] {
            let key = try appendKey()
            let draft = given.stored
            let pads = key.map { k in (inner: Data(k.hmacPads.inner), outer: Data(k.hmacPads.outer)) }
            return try await wrap {
                try await pool.withConnection { s in
                    let row = try await s.query("""
                        SELECT out_sequence, out_previous_hash, out_hash \
                        FROM audit_append_keyed(\(AuditChain.genesisHash), \(draft.atMilliseconds), \(draft.actor),
                            \(draft.action.rawValue), \(draft.subject), \(draft.detail), \(pads?.inner), \(pads?.outer))
                        """).first!
                    let (sequence, previousHash, hash) = try row.decode((Int64, String, String).self)
                    return [AuditEntry(sequence: sequence, atMilliseconds: draft.atMilliseconds, actor: draft.actor, action: draft.action.rawValue,
                                       subject: draft.subject, detail: draft.detail, previousHash: previousHash, hash: hash)]
                }
            }
        }
        let key = try appendKey()
        return try await wrap { try await pool.transaction { s in try await Self.apply(changes, in: s, key: key) } }
    }

    /// The key entries are appended with; refuses (no round trip) when this store has none but the database's
    /// chain was keyed when it opened.
    func appendKey() throws -> AuditKey? {
        if auditKey == nil, auditKeyedFrom != nil { throw StoreError.database(Self.keyRequired(label: location)) }
        return auditKey
    }

    /// Applies changes inside a transaction the caller holds (`apply`, and an import's audit entry, which
    /// `importBatch` appends in the import's own transaction); audit entries are keyed with `key`.
    static func apply(_ changes: [StoreChange], in s: PostgresSession, key: AuditKey?) async throws -> [AuditEntry] {
        var last: AuditEntry?
        if changes.contains(where: { if case .audit = $0 { true } else { false } }) {
            // Taken first, before any row lock of the other changes, so two change lists always lock in the
            // same order. EXCLUSIVE lets readers read but no other transaction append: the head read next
            // (a new snapshot, after the lock) is the head this transaction's entries follow.
            try await s.execute("LOCK TABLE audit_log IN EXCLUSIVE MODE")
            last = try await s.query("SELECT \(unescaped: Self.auditColumns) FROM audit_log ORDER BY sequence DESC LIMIT 1").first.map(Self.auditEntry(from:))
        }
        var appended: [AuditEntry] = []
        for change in changes {
            switch change {
            case .saveDocument(let d):
                try await s.query("""
                    INSERT INTO document (kind, id, grp, recorded_at, json) \
                    VALUES (\(d.kind), \(d.id), \(d.group), \(d.recordedAt.timeIntervalSince1970), \(d.json))
                    ON CONFLICT (kind, id) DO UPDATE SET grp = excluded.grp, recorded_at = excluded.recorded_at, json = excluded.json
                    """)
            case .saveCycle(let r):
                try await Self.saveCycle(r, in: s)
            case .audit(let draft):
                let e = draft.entry(after: last, key: key)
                try await s.query("""
                    INSERT INTO audit_log (sequence, at_ms, actor, action, subject, detail, previous_hash, hash)
                    VALUES (\(e.sequence), \(e.atMilliseconds), \(e.actor), \(e.action), \(e.subject), \(e.detail), \(e.previousHash), \(e.hash))
                    """)
                last = e
                appended.append(e)
            }
        }
        return appended
    }

    public func document(kind: String, id: String) async throws -> DocumentData? {
        try await wrap {
            try await pool.withConnection { s in
                try await s.query("SELECT kind, id, grp, recorded_at, json FROM document WHERE kind = \(kind) AND id = \(id)").first.map(Self.document(from:))
            }
        }
    }

    public func documents(kind: String, group: String?) async throws -> [DocumentData] {
        try await wrap {
            try await pool.withConnection { s in
                if let group {
                    return try await s.query(
                        "SELECT kind, id, grp, recorded_at, json FROM document WHERE kind = \(kind) AND grp = \(group) ORDER BY recorded_at, id")
                        .map(Self.document(from:))
                }
                return try await s.query("SELECT kind, id, grp, recorded_at, json FROM document WHERE kind = \(kind) ORDER BY recorded_at, id")
                    .map(Self.document(from:))
            }
        }
    }

    public func documentsFingerprint(kind: String, group: String?) async throws -> String {
        try await wrap { try await pool.withConnection { s in try await Self.documentsFingerprint(kind: kind, group: group, in: s) } }
    }

    public func apply(_ changes: [StoreChange], tracking kind: String, group: String?) async throws -> TrackedWrite {
        let key = try appendKey()
        return try await wrap {
            try await pool.transaction { s in
                // Locked, so concurrent tracked writes to the group take turns here and each before/after pair
                // brackets exactly its own write (the patrol-visit cache chains them).
                let before = try await Self.documentsFingerprint(kind: kind, group: group, in: s, locking: true)
                _ = try await Self.apply(changes, in: s, key: key)
                return TrackedWrite(before: before, after: try await Self.documentsFingerprint(kind: kind, group: group, in: s))
            }
        }
    }

    /// The counters only grow (their rows are never deleted), so the sum changes with every write.
    static func documentsFingerprint(kind: String, group: String?, in s: PostgresSession, locking: Bool = false) async throws -> String {
        let rows: PostgresQueryResult
        if let group, locking {
            rows = try await s.query("""
                SELECT coalesce(sum(version), 0)::bigint FROM (SELECT version FROM document_version WHERE kind = \(kind) AND grp = \(group) FOR UPDATE) v
                """)
        } else if let group {
            rows = try await s.query("SELECT coalesce(sum(version), 0)::bigint FROM document_version WHERE kind = \(kind) AND grp = \(group)")
        } else {
            rows = try await s.query("SELECT coalesce(sum(version), 0)::bigint FROM document_version WHERE kind = \(kind)")
        }
        return "v\(try rows.first!.decode(Int64.self))"
    }

    static let auditColumns = "sequence, at_ms, actor, action, subject, detail, previous_hash, hash"

    public func auditEntries(from sequence: Int64, limit: Int) async throws -> [AuditEntry] {
        try await wrap {
            try await pool.withConnection { s in
                try await s.query("""
                    SELECT \(unescaped: Self.auditColumns) FROM audit_log WHERE sequence >= \(sequence) ORDER BY sequence LIMIT \(Int64(max(0, limit)))
                    """)
                    .map(Self.auditEntry(from:))
            }
        }
    }

    public func latestAuditEntries(limit: Int) async throws -> [AuditEntry] {
        try await wrap {
            try await pool.withConnection { s in
                try await s.query("SELECT \(unescaped: Self.auditColumns) FROM audit_log ORDER BY sequence DESC LIMIT \(Int64(max(0, limit)))")
                    .map(Self.auditEntry(from:))
            }
        }
    }

    static func document(from row: PostgresRow) throws -> DocumentData {
        let (kind, id, group, recorded, json) = try row.decode((String, String, String, Double, Data).self)
        return DocumentData(kind: kind, id: id, group: group, recordedAt: Date(timeIntervalSince1970: recorded), json: json)
    }

    static func auditEntry(from row: PostgresRow) throws -> AuditEntry {
        let (sequence, atMs, actor, action, subject, detail, previousHash, hash) = try row.decode(
            (Int64, Int64, String, String, String, String, String, String).self)
        return AuditEntry(sequence: sequence, atMilliseconds: atMs, actor: actor, action: action, subject: subject, detail: detail,
                          previousHash: previousHash, hash: hash)
    }
}
