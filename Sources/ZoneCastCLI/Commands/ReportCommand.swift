import ArgumentParser

/// Oversight reports from the command line, the same figures as the web application's outcomes and oversight pages.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Did it work and did it stay fair: outcomes and displacement, patrol dosage, the non-enforcement monitor, equity.",
        subcommands: [ReportOutcomes.self, ReportDosage.self, ReportEnforcement.self, ReportEquity.self])
}
