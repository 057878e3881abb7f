public import Foundation

/// A stable identity: the source's name plus the record id in that source. Re-importing a record with the same
/// id merges into the same incident instead of duplicating it.
public struct IncidentID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var source: String
    public var recordID: String

    public init(source: String, recordID: String) {
        self.source = source
        self.recordID = recordID
    }

    public var description: String { "\(source):\(recordID)" }

    /// By source, then record id: the order the stores read incidents of one time in.
    public static func < (a: IncidentID, b: IncidentID) -> Bool { (a.source, a.recordID) < (b.source, b.recordID) }
}

/// One incident: an event at a place and time, possibly assembled from several source rows (one per victim or
/// involved person). Times are absolute instants; `timeZoneIdentifier` and `localDate` keep the local reading.
public struct Incident: Hashable, Sendable, Codable, Identifiable {
    public var id: IncidentID
    public var category: HarmCategory
    /// The source's own offence text or code, verbatim, as mapped.
    public var offence: String
    /// Start of the interval the incident happened in; its length is `occurredPrecision.intervalSeconds`.
    public var occurredAt: Date
    public var occurredPrecision: TimePrecision
    public var timeZoneIdentifier: String
    /// The local calendar date of `occurredAt` in the jurisdiction's zone, for monthly and daily counts.
    public var localDate: LocalDate
    public var reportedAt: Date?
    public var location: GeoPoint
    /// Position in the jurisdiction's local transverse Mercator projection.
    public var position: PlanarPoint
    public var address: String?
    public var firearm: Bool
    public var fatal: Bool
    /// Discovered by police activity (drug possession, DUI, weapons law) rather than reported by victims or
    /// witnesses: such records measure where police looked, so models leave them out by default.
    public var policeInitiated: Bool
    /// Source rows merged into this incident (victims or involved persons).
    public var rowCount: Int
    public var batchID: Int64?
    /// The first source row, verbatim.
    public var rawRow: String

    public init(
        id: IncidentID, category: HarmCategory, offence: String, occurredAt: Date, occurredPrecision: TimePrecision,
        timeZoneIdentifier: String, localDate: LocalDate, reportedAt: Date? = nil, location: GeoPoint, position: PlanarPoint,
        address: String? = nil, firearm: Bool = false, fatal: Bool = false, policeInitiated: Bool = false,
        rowCount: Int = 1, batchID: Int64? = nil, rawRow: String
    ) {
        self.id = id
        self.category = category
        self.offence = offence
        self.occurredAt = occurredAt
        self.occurredPrecision = occurredPrecision
        self.timeZoneIdentifier = timeZoneIdentifier
        self.localDate = localDate
        self.reportedAt = reportedAt
        self.location = location
        self.position = position
        self.address = address
        self.firearm = firearm
        self.fatal = fatal
        self.policeInitiated = policeInitiated
        self.rowCount = rowCount
        self.batchID = batchID
        self.rawRow = rawRow
    }

    /// Folds another row of the same incident into this one: flags are OR-ed, the more harmful category wins (by
    /// the weights given), the coarser time precision is kept, and the row count grows. Location, time and the
    /// raw row stay those of the first row.
    public mutating func merge(_ other: Incident, weights: HarmWeights) {
        if weights[other.category] > weights[category] {
            category = other.category
            offence = other.offence
        }
        firearm = firearm || other.firearm
        fatal = fatal || other.fatal
        policeInitiated = policeInitiated && other.policeInitiated
        occurredPrecision = occurredPrecision.coarsest(other.occurredPrecision)
        rowCount += other.rowCount
        if address == nil { address = other.address }
        if reportedAt == nil { reportedAt = other.reportedAt }
    }
}
