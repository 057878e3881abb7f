import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastIngest
import ZoneCastSQLite
import ZoneCastStore

struct WeightsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Show or set the harm weight of each category (days of imprisonment equivalent; defaults after the Cambridge Crime Harm Index).",
        discussion: """
            A weights file is a JSON object of category to number, e.g. {"robbery": 900, "drug_overdose": 730}; categories \
            left out keep their defaults. Imports use the weights to decide which row's category an incident keeps; \
            forecasts use them to combine harms.
            Example: zonecast weights --db kc.sqlite
            Example: zonecast weights --db kc.sqlite --set weights.json
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Set the weights from this JSON file.") var set: String?
    @Flag(help: "Go back to the defaults.") var reset = false
    @Flag(help: "Print as JSON.") var json = false

    func validate() throws {
        if set != nil && reset { throw ValidationError("give --set FILE or --reset, not both") }
    }

    func run() async throws { try await CLIFailure.run(perform) }

    func perform() async throws {
        let store = try await database.openStore()
        if let set {
            guard let data = FileManager.default.contents(atPath: set) else { throw IngestError.fileNotFound(set) }
            try await store.setHarmWeights(try HarmWeights.decode(data))
        } else if reset {
            try await store.setHarmWeights(.cambridgeDefaults)
        }
        let weights = try await store.harmWeights()
        if json {
            try printJSON(Dictionary(uniqueKeysWithValues: HarmCategory.allCases.map { ($0.rawValue, weights[$0]) }))
            return
        }
        for c in HarmCategory.allCases {
            let mark = weights[c] == HarmWeights.cambridgeDefaults[c] ? "" : "   (default \(FixedText.grouped(Int(HarmWeights.cambridgeDefaults[c]))))"
            print("\(c.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0)) \(String(format: "%8.0f", weights[c]))\(mark)")
        }
    }
}
