public import ZoneCastCore

/// One output row of the synthetic city's records system, plus ground truth the CSV does not carry.
public struct SyntheticRow: Hashable, Sendable {
    /// 1-based position in time order; the `SYN-` incident id is built from it.
    public var sequenceNumber: Int
    public var incidentID: String
    public var offence: SyntheticOffence
    /// The true local wall-clock time (America/Chicago), to the minute. For date-only rows the CSV writes only
    /// the date; the time here is the truth the importer cannot see.
    public var occurred: LocalDateTime
    /// `.exact` (written to the minute) or `.day` (time column blank).
    public var timePrecision: TimePrecision
    /// Rounded to 6 decimals, as written.
    public var location: GeoPoint
    /// The generator's point in the city's local projection (before rounding the degrees).
    public var position: PlanarPoint
    public var address: String
    public var firearm: Bool
    /// A deliberate defect, for exercising the importer's quarantine; `.none` for clean rows.
    public var defect: SyntheticDefect
    /// Ground truth of the self-exciting shooting process: the sequence number of the shooting that triggered
    /// this one, or nil for background (spontaneous) shootings and for every other offence. Never written to
    /// the CSV: an analyst sees only the events, as with real data.
    public var triggeredBySequenceNumber: Int?

    public var category: HarmCategory { offence.category }
    public var isPoliceInitiated: Bool { offence.isPoliceInitiated }
    public var isTriggered: Bool { triggeredBySequenceNumber != nil }
}

/// The deliberate faults the generator plants, each a kind real extracts contain.
public enum SyntheticDefect: String, Hashable, Sendable, Codable, CaseIterable {
    case none
    /// This row repeats the previous row verbatim (an extract that emitted a record twice).
    case duplicate
    /// Latitude and longitude are blank (never geocoded).
    case blankCoordinates = "blank_coordinates"
    /// The date column holds "not a date" (a free-text field typed into a date column).
    case unparseableDate = "unparseable_date"
}
