import ArgumentParser
import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastIngest
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastSynthetic

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate the synthetic city (or take --data FILE --preset NAME), import it into a local SQLite file and summarise it.",
        discussion: """
            Example: zonecast demo
            Example: zonecast demo --data ../shared/data/kc_kcpd_2017_victims_subset/kcpd_2017_victims_geocoded.csv --preset kcpd-2017-victims --db kc.sqlite
            """)

    @Option(help: "SQLite database file.") var db = "zonecast-demo.sqlite"
    @Option(help: "Import this CSV instead of generating synthetic data.") var data: String?
    @Option(help: "Preset for --data.") var preset: String?
    @Option(help: "Synthetic rows to generate.") var incidents = 200_000
    @Option(help: "Seed for the synthetic city.") var seed: UInt64 = 2017
    @Flag(name: .customLong("no-serve"), help: "Stop after the proposal instead of serving the web application.") var noServe = false
    @Option(help: "Port for the web application.") var port = 8080
    @Option(help: """
        The audit log's HMAC key file (default: $ZONECAST_AUDIT_KEY_FILE, else ~/.config/zonecast/audit.key, created 0600 on first use).
        """) var auditKeyFile: String?

    /// The database and audit key as every command names them, so the summary, proposal and server that demo runs
    /// use the same key.
    var database: DatabaseOptions {
        get throws { try DatabaseOptions.parse(["--db", db] + (auditKeyFile.map { ["--audit-key-file", $0] } ?? [])) }
    }

    func validate() throws {
        guard (data == nil) == (preset == nil) else { throw ValidationError("--data and --preset go together") }
        guard incidents > 0 else { throw ValidationError("--incidents must be > 0") }
    }

    func run() async throws {
        try await CLIFailure.run(perform)
        if !noServe { try await ServeCommand.parse(try database.forwardedArguments + ["--port", String(port)]).run() }
    }

    func perform() async throws {
        let file: String
        let mapping: Mapping
        let now = Date()
        // Synthetic incidents end yesterday, so the demo is a live operation: a cycle in force, the next proposal,
        // an IRIS meeting to decide it. Real data (--data) keeps its own dates.
        let today = Int((now.timeIntervalSince1970 / 86_400).rounded(.down))
        if let data, let preset {
            file = data
            mapping = try Presets.mapping(named: preset)
        } else {
            let duration = SyntheticIncidentGenerator(rowCount: incidents, seed: seed).configuration.durationDays
            let start = LocalDate(daysSinceEpoch: today - duration)
            file = (db as NSString).deletingPathExtension + "-synthetic-\(incidents)-seed\(seed)-from-\(start).csv"
            mapping = try Presets.mapping(named: "synthetic")
            if !FileManager.default.fileExists(atPath: file) {
                print("Generating \(FixedText.grouped(incidents)) synthetic incidents (seed \(seed)) into \(file) ...")
                let meta = try writeSyntheticCSV(rows: incidents, seed: seed, start: start, to: file)
                print("  \(meta.label)")
            }
        }
        let store = try EdgeConfiguration.process.openSQLite(db, auditKey: try database.auditKey())
        let jurisdiction = try await resolveJurisdiction(store: store, requested: mapping.jurisdiction, boundary: nil)
        print("Importing \(file) with preset \(mapping.name) into \(db) ...")
        let importer = Importer(mapping: mapping, jurisdiction: jurisdiction, weights: try await store.harmWeights(), now: now,
                                auditActor: importActor(command: "demo"), clock: EdgeConfiguration.wallClock,
                                logger: EdgeConfiguration.process.logger("zonecast.import"))
        let report = try await importer.importFile(try InputFile(path: file), into: store)
        if report.alreadyImported {
            print("  already imported as batch \(report.batchID ?? 0); nothing changed.")
        } else {
            print("  \(FixedText.grouped(report.rowsRead)) rows: \(FixedText.grouped(report.incidentsImported)) incidents, "
                  + "\(FixedText.grouped(report.rowsMerged)) merged, "
                  + "\(FixedText.grouped(report.rowsRejected)) quarantined (\(String(format: "%.2f", report.seconds)) s)")
        }
        if data == nil { try await importSyntheticStreets(besideCSV: file, seed: seed, into: store, jurisdiction: jurisdiction) }
        print("")
        try await SummaryCommand.parse(try database.forwardedArguments).perform()
        if try await store.cycles().isEmpty, let last = try await store.summary().lastOccurredAt {
            print("")
            if data == nil {
                try await DemoOperations(store: store, now: now).stage()
            } else {
                // Real data: forecast and propose zones for the 96 hours after the newest incident.
                let origin = Date(timeIntervalSince1970: (last.timeIntervalSince1970 / 3_600).rounded(.up) * 3_600)
                try await ProposeCommand.parse(try database.forwardedArguments + ["--at", ISO8601DateFormatter().string(from: origin)]).perform()
            }
        }
        // One account per role, for trying the application; passwords are shown once.
        if try await store.accounts().isEmpty {
            print("")
            print("Demo accounts (one-time passwords, shown once):")
            let units: [Role: Set<PatrolUnit>] = [.officer: [.violentCrimesEnforcement]]
            for role in Role.allCases {
                let name = "demo-\(role.rawValue)"
                let password = try await createAccount(store: store, username: name, displayName: "Demo \(role.rawValue)", role: role, units: units[role] ?? [])
                print("  \(name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(password)")
            }
        }
        print("")
        print("Next: zonecast summary --db \(db) | zonecast backtest --db \(db) --model all --from ... --to ... | zonecast factors --db \(db)")
    }
}
