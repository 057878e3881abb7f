import ArgumentParser

struct ReportDosage: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dosage", abstract: "(being built)")
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() throws { throw ValidationError("zonecast report dosage is not built yet") }
}
