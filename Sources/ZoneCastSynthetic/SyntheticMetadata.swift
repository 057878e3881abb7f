public import Foundation

/// What a synthetic data set is and how it was made, written beside the CSV as `FILE.meta.json`. It carries the
/// true parameters so a fitted model can be checked against them, and a label no one can miss.
public struct SyntheticMetadata: Codable, Hashable, Sendable {
    public static let standardLabel = "SYNTHETIC DATA - fictional city, not real incidents"

    public var label: String
    public var generatorVersion: String
    public var seed: UInt64
    /// CSV data rows (header excluded), including duplicate rows.
    public var rowCount: Int
    /// Distinct generated incidents (rows minus duplicates).
    public var eventCount: Int
    public var jurisdiction: String
    public var timeZone: String
    /// First and last local dates of the window (yyyy-MM-dd).
    public var startDate: String
    public var durationDays: Int
    public var endDate: String
    public var csvHeader: String
    public var shootingProcess: ShootingProcessTruth
    /// Spontaneous (background) events per stream; equal to the stream's count for all but shootings.
    public var backgroundCountsByStream: [String: Int]
    /// Distinct events per CSV offence text.
    public var eventCountsByOffence: [String: Int]
    /// CSV rows per offence text (duplicates counted twice); sums to `rowCount`.
    public var rowCountsByOffence: [String: Int]
    public var dirtyRows: DirtyRowCounts
    /// Events written with a date but a blank time.
    public var dateOnlyEvents: Int
    public var dateOnlyFraction: Double
    public var mix: OffenceMix
    public var notes: [String]

    /// The ETAS truth for shootings.
    public struct ShootingProcessTruth: Codable, Hashable, Sendable {
        public var branchingRatio: Double
        public var omegaPerDay: Double
        public var meanDelayDays: Double
        public var sigmaMeters: Double
        public var backgroundCount: Int
        public var offspringCount: Int
        public var offspringDroppedBeyondWindow: Int
        /// offspring / (background + offspring): the realised counterpart of `branchingRatio`.
        public var observedOffspringFraction: Double
        public var fatalShootingFraction: Double
        public var driveByFraction: Double
    }

    public struct DirtyRowCounts: Codable, Hashable, Sendable {
        /// Rows that repeat the previous row verbatim.
        public var duplicateRows: Int
        public var blankCoordinateRows: Int
        /// Rows whose date column is "not a date".
        public var unparseableDateRows: Int

        public var totalRows: Int { duplicateRows + blankCoordinateRows + unparseableDateRows }
    }

    static let standardNotes = [
        "Synthetic City is fictional: it is placed in open country in central Kansas where no city exists.",
        "Shootings (HOMICIDE, SHOOTING - NON FATAL, DRIVE-BY SHOOTING) follow a self-exciting ETAS process with the parameters in shootingProcess; "
            + "offspring past the window end are dropped and offspring delays are thinned by the violence hour-of-day profile.",
        "DRUG POSSESSION and DUI are police-initiated: they are drawn where patrols concentrate, which deliberately differs from where violence is.",
        "Times are local America/Chicago wall-clock readings; nonexistent spring-forward hours are never generated.",
        "Exactly duplicateRows rows repeat the previous row verbatim; blankCoordinateRows rows have blank latitude/longitude; "
            + "unparseableDateRows rows have the date \"not a date\".",
    ]

    /// Pretty, key-sorted JSON (stable across runs, so metadata files can be diffed).
    public func prettyJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return data
    }
}
