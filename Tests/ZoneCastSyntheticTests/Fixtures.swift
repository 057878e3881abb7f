import Foundation
import ZoneCastCore
@testable import ZoneCastSynthetic

/// Data sets shared by several tests, generated once per test process (static lets are lazily and safely
/// initialised, and Swift Testing runs tests in parallel).
enum Fixtures {
    static let city = SyntheticCity()

    /// 20,000 rows, default mix, seed 7.
    static let standardGenerator = SyntheticIncidentGenerator(rowCount: 20_000, seed: 7)
    static let standard: (rows: [SyntheticRow], csv: String, metadata: SyntheticMetadata) = {
        var rows: [SyntheticRow] = []
        let metadata = standardGenerator.generate { rows.append($0) }
        return (rows, SyntheticCSV.text(of: rows), metadata)
    }()

    /// 20,000 rows of shootings only: a large sample of the ETAS process.
    static let shootingsOnly: [SyntheticRow] = {
        var config = SyntheticIncidentGenerator.Configuration(rowCount: 20_000, seed: 11, dirtyRows: .none)
        config.mix = OffenceMix(shootings: 1, shotsFired: 0, fatalCrashes: 0, overdoses: 0, aggravatedAssaults: 0, robberies: 0,
                                drugPossession: 0, drunkDriving: 0, larceny: 0, burglary: 0)
        return SyntheticIncidentGenerator(configuration: config).generateAll()
    }()

    static func csvData(rowCount: Int, seed: UInt64) -> Data {
        var data = Data()
        SyntheticCSV.write(SyntheticIncidentGenerator(rowCount: rowCount, seed: seed), chunkBytes: 4_096) { data.append($0) }
        return data
    }

    /// Data lines of a CSV text (header dropped), split on LF.
    static func dataLines(_ csv: String) -> [Substring] {
        Array(csv.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().filter { !$0.isEmpty })
    }
}
