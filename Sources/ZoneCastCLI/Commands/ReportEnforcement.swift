import ArgumentParser

struct ReportEnforcement: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enforcement", abstract: "(being built)")
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() throws { throw ValidationError("zonecast report enforcement is not built yet") }
}
