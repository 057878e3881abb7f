import ArgumentParser
import Foundation

/// The `zonecast` command line. The executable target only calls `ZoneCastCommand.main()`.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct ZoneCastCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "zonecast",
        abstract: "Intelligence-led, place-based patrol planning: import incident records, forecast harm, propose patrol zones.",
        subcommands: [
            ImportCommand.self, QuarantineCommand.self, SummaryCommand.self, PresetsCommand.self, WeightsCommand.self,
            ForecastCommand.self, FactorsCommand.self, BacktestCommand.self, ProposeCommand.self, CyclesCommand.self, UsersCommand.self, AuditCommand.self, ReportCommand.self, BackupCommand.self, RestoreCommand.self, ServeCommand.self,
            GenerateCommand.self, DemoCommand.self, BenchCommand.self,
        ]
    )

    public init() {}
}

/// Options shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (default: $ZONECAST_DB or ./zonecast.sqlite).")
    var db: String?

    var path: String { db ?? ProcessInfo.processInfo.environment["ZONECAST_DB"] ?? "zonecast.sqlite" }
}
