import Foundation
import GRDB
public import ZoneCastOperations
import ZoneCastStore

extension SQLiteIncidentStore {
    /// Copies the live database to `path` with SQLite's online backup: a consistent snapshot while the server
    /// keeps serving (readers and the writer are not stopped). Refuses to overwrite an existing file.
    public func backup(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw StoreError.database("\(path) already exists; choose a new file for the backup") }
        try PrivateFile.create(path)
        try wrap {
            let destination = try DatabaseQueue(path: path)
            try writer.backup(to: destination)
            try destination.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try destination.close()
        }
        try Self.checkBackup(path)
    }

    /// What a restore found in the backup it copied in.
    public struct RestoreCheck: Sendable {
        /// The backup's audit chain, verified with the key given (and its switch-over point).
        public var chain: AuditVerification
        /// Append-only triggers the backup lacked (re-created in the restored database).
        public var missingTriggers: [String]
    }

    /// Replaces the database at `path` with the backup at `backupPath`, after checking that the backup is an intact
    /// ZoneCast database whose audit chain verifies under `auditKey` and whose audit log has its append-only
    /// triggers; with `allowBrokenAudit` a backup failing those two checks is restored anyway (the result says
    /// what was wrong). Refuses while any process has the database open (`DatabaseFileLock`): a restore under a
    /// running server would pull the data from under its connections. The triggers are re-created in the restored
    /// file; migrations newer than the backup run when it is next opened. A new file is created 0600.
    @discardableResult
    public static func restore(from backupPath: String, to path: String, auditKey: AuditKey? = nil, allowBrokenAudit: Bool = false) throws -> RestoreCheck {
        try checkBackup(backupPath)
        let check = try auditCheck(backupPath, auditKey: auditKey)
        if !allowBrokenAudit {
            if let problem = check.chain.problem {
                throw StoreError.corrupt("the audit chain of \(backupPath) is broken at entry \(problem.sequence): \(problem.reason); "
                                         + "refusing to restore it (pass --allow-broken-audit to restore it anyway)")
            }
            if !check.missingTriggers.isEmpty {
                throw StoreError.corrupt("\(backupPath) lacks the audit log's append-only triggers (\(check.missingTriggers.joined(separator: ", "))): "
                                         + "it was altered outside ZoneCast; refusing to restore it (pass --allow-broken-audit to restore it anyway)")
            }
        }
        try PrivateFile.create(path)
        do {
            let lock = try DatabaseFileLock.exclusive(path)
            let source = try DatabaseQueue(path: backupPath, configuration: { var c = Configuration(); c.readonly = true; return c }())
            let target = try DatabaseQueue(path: path)
            try source.backup(to: target)
            try target.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: auditTriggersSQL)
            }
            try source.close()
            try target.close()
            withExtendedLifetime(lock) {}
        } catch let e as DatabaseError {
            throw StoreError.database("restoring \(backupPath) into \(path): \(e.description)")
        }
        _ = try SQLiteIncidentStore(path: path, auditKey: auditKey)
        return check
    }

    /// The backup's audit chain and triggers, read without changing the file.
    static func auditCheck(_ path: String, auditKey: AuditKey?) throws -> RestoreCheck {
        do {
            let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
            defer { try? queue.close() }
            return try queue.read { db in
                let triggers = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"))
                let keyedFrom = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [keyedFromSetting]).flatMap { Int64($0) }
                let entries = try Row.fetchCursor(db, sql: "SELECT * FROM audit_log ORDER BY sequence").map(auditEntry(from:))
                var all: [AuditEntry] = []
                while let e = try entries.next() { all.append(e) }
                return RestoreCheck(chain: AuditChain.verify(all, keying: AuditKeying(keyedFrom: keyedFrom, key: auditKey)),
                                    missingTriggers: auditTriggerNames.filter { !triggers.contains($0) })
            }
        } catch let e as DatabaseError {
            throw StoreError.corrupt("\(path): cannot read its audit log: \(e.description)")
        }
    }

    /// A backup must pass SQLite's integrity check and hold ZoneCast's schema.
    static func checkBackup(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.database("no backup at \(path)") }
        do {
            let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
            defer { try? queue.close() }
            try queue.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard check == ["ok"] else { throw StoreError.corrupt("\(path) fails SQLite's integrity check: \(check.prefix(3).joined(separator: "; "))") }
                let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
                let missing = ["incident", "import_batch", "cycle", "account", "audit_log"].filter { !tables.contains($0) }
                guard missing.isEmpty else { throw StoreError.corrupt("\(path) is not a ZoneCast database (no table \(missing.joined(separator: ", ")))") }
            }
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError.corrupt("\(path) is not a readable SQLite database: \(error)")
        }
    }

    /// Every table's rows as sorted text: for tests that compare a restore with its original.
    public func tableDump() throws -> [String: [String]] {
        try wrap {
            try writer.read { db in
                var out: [String: [String]] = [:]
                for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") {
                    out[table] = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map { $0.description }.sorted()
                }
                return out
            }
        }
    }
}
