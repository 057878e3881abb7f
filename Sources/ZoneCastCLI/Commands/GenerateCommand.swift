import ArgumentParser
import Foundation
import ZoneCastSynthetic

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a seeded synthetic city's incidents (SYNTHETIC DATA, a fictional city) as CSV, with FILE.meta.json beside it.",
        discussion: """
            The metadata records the generator's known truth (ETAS branching ratio, triggering time and distance \
            scales for shootings), counts by offence and the deliberately dirty rows. Import with --preset synthetic.
            Example: zonecast generate --incidents 100000 --seed 7 --out city.csv
            """)

    @Option(help: "Number of rows.") var incidents: Int
    @Option(help: "Random seed: the same seed gives the same file.") var seed: UInt64 = 1
    @Option(help: "First day (yyyy-MM-dd) of the two-year span.") var start = "2023-01-01"
    @Option(help: "Output CSV path.") var out: String

    func validate() throws {
        guard incidents >= 0 else { throw ValidationError("--incidents must be >= 0") }
        guard parseDay(start) != nil else { throw ValidationError("--start \"\(start)\" is not a date like 2023-01-01") }
    }

    func run() async throws { try await CLIFailure.run(perform) }

    func perform() async throws {
        let started = Date()
        let metadata = try writeSyntheticCSV(rows: incidents, seed: seed, start: parseDay(start)!, to: out)
        print("\(SyntheticMetadata.standardLabel)")
        print("Wrote \(FixedText.grouped(metadata.rowCount)) rows to \(out) and \(out).meta.json in "
              + "\(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        let p = metadata.shootingProcess
        print("Shooting process truth: branching ratio \(p.branchingRatio), triggering decay \(p.omegaPerDay)/day, distance sigma \(p.sigmaMeters) m")
    }
}

/// Generates the synthetic city into `path` (its metadata into `path.meta.json`, its streets into `path.streets.geojson`).
func writeSyntheticCSV(rows: Int, seed: UInt64, start: ZoneCastCore.LocalDate = .init(year: 2023, month: 1, day: 1),
                       to path: String) throws -> SyntheticMetadata {
    guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
        throw ValidationError("cannot create \(path)")
    }
    defer { try? handle.close() }
    var configuration = SyntheticIncidentGenerator(rowCount: rows, seed: seed).configuration
    configuration.startDate = start
    let metadata = try SyntheticCSV.write(SyntheticIncidentGenerator(configuration: configuration), to: handle)
    try metadata.prettyJSON().write(to: URL(fileURLWithPath: path + ".meta.json"))
    // The city's named street network beside it (FILE.streets.geojson), for `zonecast streets import`.
    try SyntheticStreetNetwork(seed: seed).write(besideCSV: path)
    return metadata
}

func parseDay(_ s: String) -> ZoneCastCore.LocalDate? {
    let parts = s.split(separator: "-").compactMap { Int($0) }
    guard parts.count == 3 else { return nil }
    let d = ZoneCastCore.LocalDate(year: parts[0], month: parts[1], day: parts[2])
    return d.isValid ? d : nil
}

import ZoneCastCore
