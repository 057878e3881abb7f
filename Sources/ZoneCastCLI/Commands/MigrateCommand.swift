import ArgumentParser
import Foundation
import ZoneCastPostgres
import ZoneCastSQLite

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring the database schema up to date (SQLite or PostgreSQL) and list the migrations applied.",
        discussion: """
            Every command migrates on open; this does only that, for an upgrade step before restarting the server.
            Example: zonecast migrate --db kc.sqlite
            Example: zonecast migrate --database postgres://zonecast@db.local/zonecast
            """)

    @OptionGroup var database: DatabaseOptions

    func run() async throws { try await CLIFailure.run(perform) }

    func perform() async throws {
        let applied: [String]
        if let url = database.postgresURL {
            let store = try await PostgresIncidentStore(url: url, environment: database.edge.environment, migrate: false)
            let new = try await store.migrate()
            applied = try await store.appliedMigrations()
            print(new.isEmpty ? "PostgreSQL schema up to date." : "Applied \(new.joined(separator: ", ")).")
        } else {
            let before = FileManager.default.fileExists(atPath: database.path)
            let store = try database.edge.openSQLite(database.path)
            applied = try await store.appliedMigrations()
            print(before ? "SQLite schema of \(database.path) up to date." : "Created \(database.path) with the current schema.")
        }
        print("Migrations in \(database.label): \(applied.joined(separator: ", "))")
    }
}
