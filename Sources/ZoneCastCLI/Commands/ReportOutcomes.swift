import ArgumentParser

struct ReportOutcomes: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "outcomes", abstract: "(being built)")
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() throws { throw ValidationError("zonecast report outcomes is not built yet") }
}
