import Foundation
import GRDB
import ZoneCastStore

extension SQLiteIncidentStore {
    /// Copies the live database to `path` with SQLite's online backup: a consistent snapshot while the server
    /// keeps serving (readers and the writer are not stopped). Refuses to overwrite an existing file.
    public func backup(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw StoreError.database("\(path) already exists; choose a new file for the backup") }
        try wrap {
            let destination = try DatabaseQueue(path: path)
            try writer.backup(to: destination)
            try destination.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try destination.close()
        }
        try Self.checkBackup(path)
    }

    /// Replaces the database at `path` with the backup at `backupPath`, after checking that the backup is an intact
    /// ZoneCast database. The server must be stopped (a restore under a running server would pull the data from
    /// under its open connections). Migrations newer than the backup run when the restored file is next opened.
    public static func restore(from backupPath: String, to path: String) throws {
        try checkBackup(backupPath)
        do {
            let source = try DatabaseQueue(path: backupPath, configuration: { var c = Configuration(); c.readonly = true; return c }())
            let target = try DatabaseQueue(path: path)
            try source.backup(to: target)
            try target.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try source.close()
            try target.close()
        } catch let e as DatabaseError {
            throw StoreError.database("restoring \(backupPath) into \(path): \(e.description)")
        }
        _ = try SQLiteIncidentStore(path: path)
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
