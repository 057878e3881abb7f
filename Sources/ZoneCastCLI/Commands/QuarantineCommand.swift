import ArgumentParser
import Foundation
import ZoneCastIngest
import ZoneCastSQLite
import ZoneCastStore

struct QuarantineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine", abstract: "Inspect rows that were not imported, with their reasons.",
        subcommands: [List.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List quarantined rows: batch, line, reason, field, value, message and the raw row.",
            discussion: "Example: zonecast quarantine list --reason out_of_jurisdiction --limit 20")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this import batch.") var batch: Int64?
        @Option(help: "Only this reason (\(QuarantineReason.allCases.map(\.rawValue).joined(separator: ", "))).") var reason: String?
        @Option(help: "At most this many rows.") var limit = 50
        @Option(help: "Skip this many rows first.") var offset = 0
        @Flag(help: "Print as JSON.") var json = false

        func validate() throws {
            if let reason, QuarantineReason(rawValue: reason) == nil {
                throw ValidationError("unknown reason \"\(reason)\"; use one of \(QuarantineReason.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard limit >= 0, offset >= 0 else { throw ValidationError("--limit and --offset must be >= 0") }
        }

        func run() async throws { try await CLIFailure.run(perform) }

        func perform() async throws {
            guard database.postgresURL != nil || FileManager.default.fileExists(atPath: database.path) else { throw IngestError.fileNotFound(database.path) }
            let store = try await database.openStore()
            let rows = try await store.quarantinedRows(batchID: batch, reason: reason.flatMap(QuarantineReason.init(rawValue:)), limit: limit, offset: offset)
            if json { try printJSON(rows); return }
            if rows.isEmpty { print("No quarantined rows match."); return }
            // Everything from the file is shown with control characters escaped (`\u{1B}`): a row's text must not
            // reach the terminal as escape sequences (cursor moves, title changes, hidden text).
            for r in rows {
                let v = ImportText.visible
                print("batch \(r.batchID) line \(r.lineNumber)  \(r.reason.rawValue)  \(v(r.field ?? "-"))=\(v(r.value ?? "-"))")
                print("  \(v(r.message))")
                print("  raw: \(v(r.rawRow))")
            }
        }
    }
}

struct PresetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets", abstract: "List the shipped import presets and jurisdictions.",
        discussion: "Example: zonecast presets")

    func run() async throws { try await CLIFailure.run(perform) }

    func perform() async throws {
        print("Presets (zonecast import --preset NAME FILE):")
        for name in Presets.names {
            let m = try Presets.mapping(named: name)
            print("  \(name.padding(toLength: 20, withPad: " ", startingAt: 0)) source \(m.source), jurisdiction \(m.jurisdiction ?? "-")")
            if let d = m.description { print("      \(d)") }
        }
        print("Jurisdictions: \(Presets.jurisdictionNames.joined(separator: ", "))")
    }
}
