import ArgumentParser

struct ReportEquity: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "equity", abstract: "(being built)")
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() throws { throw ValidationError("zonecast report equity is not built yet") }
}
