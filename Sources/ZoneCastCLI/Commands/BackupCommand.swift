import ArgumentParser
import Foundation
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastOperations

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the SQLite database to FILE with SQLite's online backup (safe while zonecast serve runs).",
        discussion: """
            The copy is a consistent snapshot, checked with SQLite's integrity check before the command succeeds. \
            For PostgreSQL use pg_dump (see README).
            Example: zonecast backup --db kc.sqlite /backups/kc-2026-11-29.sqlite
            """)

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Backup file to create (must not exist).") var file: String

    func run() async throws { try await CLIFailure.run(perform) }

    func perform() async throws {
        guard FileManager.default.fileExists(atPath: database.path) else { throw ValidationError("no database at \(database.path)") }
        guard !FileManager.default.fileExists(atPath: file) else { throw ValidationError("\(file) already exists; choose a new file for the backup") }
        let store = try database.edge.openSQLite(database.path)
        let started = Date()
        try store.backup(to: file)
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.doubleValue ?? 0
        print(String(format: "Backed up %@ to %@ (%.1f MB, %.2f s); integrity check ok.", database.path, file, size / 1e6, Date().timeIntervalSince(started)))
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the SQLite database with a backup made by zonecast backup (refused while zonecast serve or another process has it open).",
        discussion: """
            The backup must pass SQLite's integrity check, hold ZoneCast's tables, keep the audit log's append-only triggers \
            and have an audit chain that verifies with the audit key; --allow-broken-audit restores one that fails the last \
            two anyway (and says so). The triggers are re-created in the restored file, which is created 0600.
            Example: zonecast restore --db kc.sqlite /backups/kc-2026-11-29.sqlite --force
            """)

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Backup file.") var file: String
    @Flag(help: "Replace an existing database.") var force = false
    @Flag(help: "Restore a backup whose audit chain does not verify or whose append-only triggers are missing.") var allowBrokenAudit = false

    func run() async throws { try await CLIFailure.run(perform) }

    func perform() async throws {
        if FileManager.default.fileExists(atPath: database.path) && !force {
            throw ValidationError("\(database.path) exists; pass --force to replace it with \(file)")
        }
        let key = try database.auditKey()
        let check = try SQLiteIncidentStore.restore(from: file, to: database.path, auditKey: key, allowBrokenAudit: allowBrokenAudit)
        let store = try database.edge.openSQLite(database.path, auditKey: key)
        let chain = try await store.verifyAuditChain()
        print("Restored \(file) into \(database.path): \(try await store.summary().incidents) incidents, "
              + "audit chain \(chain.isIntact ? "intact" : "BROKEN") (\(chain.entriesChecked) entries).")
        if let problem = check.chain.problem {
            FileHandle.standardError.write(Data("zonecast: warning: restored with a broken audit chain (entry \(problem.sequence): \(problem.reason))\n".utf8))
        }
        if !check.missingTriggers.isEmpty {
            FileHandle.standardError.write(Data("zonecast: warning: the backup lacked \(check.missingTriggers.joined(separator: ", ")); re-created\n".utf8))
        }
    }
}
