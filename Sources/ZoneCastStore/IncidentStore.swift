public import Foundation
public import ZoneCastCore

/// One row of an import, after parsing and validation.
public enum ImportRow: Sendable {
    /// `rowKey` tells apart the rows of one record (victims, involved persons) for sources with several rows per
    /// record; nil when a record has one row.
    case incident(Incident, fingerprint: RowFingerprint, rowKey: String?, lineNumber: Int)
    case rejected(QuarantinedRow, fingerprint: RowFingerprint)
}

/// Receives the rows of one import inside the store's transaction and decides each row's fate against what the
/// store already holds, with the same rules in every implementation, as if rows were written one at a time in
/// order:
/// - a row identical (same fingerprint) to one the store holds from an earlier batch, imported or quarantined,
///   is `unchanged`;
/// - a row identical to one earlier in this batch is quarantined as `exact_duplicate`;
/// - a row whose identity (source, record id, row key) is already held with other content is quarantined as
///   `duplicate_record`; with no row key (a source with one row per record), any second row of an incident is;
/// - otherwise the row creates an incident or merges into the one with the same `IncidentID`;
/// - a rejected row is quarantined with its own reason.
///
/// Identical rows always share their identity (ids come from the row's own columns or its hash), so rows are
/// found by identity, which arrives in roughly sequential order, rather than by a content hash, which would
/// cost a random B-tree insert per row.
public protocol ImportWriter: AnyObject {
    var batchID: Int64 { get }
    /// Writes rows in order and returns one disposition per row. Stores may write a chunk at a time.
    func write(_ rows: [ImportRow]) async throws -> [RowDisposition]
}

extension ImportWriter {
    public func accept(_ incident: Incident, fingerprint: RowFingerprint, rowKey: String? = nil, lineNumber: Int) async throws -> RowDisposition {
        try await write([.incident(incident, fingerprint: fingerprint, rowKey: rowKey, lineNumber: lineNumber)])[0]
    }

    public func quarantine(_ row: QuarantinedRow, fingerprint: RowFingerprint) async throws -> RowDisposition {
        try await write([.rejected(row, fingerprint: fingerprint)])[0]
    }
}

/// Which incidents to read. All filters are optional; ranges are half-open [from, before).
public struct IncidentQuery: Hashable, Sendable {
    public var occurredFrom: Date?
    public var occurredBefore: Date?
    public var categories: Set<HarmCategory>?
    public var bounds: PlanarBoundingBox?
    public var includePoliceInitiated: Bool
    public var limit: Int?
    /// Whether to return each incident's raw source row; models and proposals do not need it, and it is most
    /// of an incident's bytes.
    public var includeRawRow: Bool
    /// Only incidents after this position in the stores' order (the next page of a paged read).
    public var after: IncidentPosition?

    public init(
        occurredFrom: Date? = nil, occurredBefore: Date? = nil, categories: Set<HarmCategory>? = nil,
        bounds: PlanarBoundingBox? = nil, includePoliceInitiated: Bool = true, limit: Int? = nil, includeRawRow: Bool = true,
        after: IncidentPosition? = nil
    ) {
        self.includeRawRow = includeRawRow
        self.after = after
        self.occurredFrom = occurredFrom
        self.occurredBefore = occurredBefore
        self.categories = categories
        self.bounds = bounds
        self.includePoliceInitiated = includePoliceInitiated
        self.limit = limit
    }

    public static let all = IncidentQuery()

    public func matches(_ i: Incident) -> Bool {
        if let f = occurredFrom, i.occurredAt < f { return false }
        if let b = occurredBefore, i.occurredAt >= b { return false }
        if let c = categories, !c.contains(i.category) { return false }
        if let box = bounds, !box.contains(i.position) { return false }
        if !includePoliceInitiated, i.policeInitiated { return false }
        if let after, !after.precedes(i) { return false }
        return true
    }
}

public struct CategoryMonthCount: Hashable, Sendable, Codable {
    public var category: HarmCategory
    public var month: YearMonth
    public var incidents: Int

    public init(category: HarmCategory, month: YearMonth, incidents: Int) {
        self.category = category
        self.month = month
        self.incidents = incidents
    }
}

public struct StoreSummary: Hashable, Sendable, Codable {
    public var jurisdictionName: String?
    public var incidents: Int
    public var firstOccurredAt: Date?
    public var lastOccurredAt: Date?
    public var incidentsByCategory: [HarmCategory: Int]
    public var policeInitiatedIncidents: Int
    public var quarantinedByReason: [QuarantineReason: Int]
    public var batches: Int

    public init(jurisdictionName: String?, incidents: Int, firstOccurredAt: Date?, lastOccurredAt: Date?, incidentsByCategory: [HarmCategory: Int],
                policeInitiatedIncidents: Int, quarantinedByReason: [QuarantineReason: Int], batches: Int) {
        self.jurisdictionName = jurisdictionName
        self.incidents = incidents
        self.firstOccurredAt = firstOccurredAt
        self.lastOccurredAt = lastOccurredAt
        self.incidentsByCategory = incidentsByCategory
        self.policeInitiatedIncidents = policeInitiatedIncidents
        self.quarantinedByReason = quarantinedByReason
        self.batches = batches
    }
}

/// The incident store: the one I/O boundary for incidents, batches and quarantine. Implemented in memory
/// (tests, scratch work) and on SQLite (the embedded default); one test suite runs against both.
public protocol IncidentStore: Sendable {
    func jurisdiction() async throws -> Jurisdiction?
    /// Sets the jurisdiction once; a store never silently changes jurisdiction under its incidents.
    func setJurisdiction(_ jurisdiction: Jurisdiction) async throws
    /// The department's harm weights (the Cambridge-based defaults until changed).
    func harmWeights() async throws -> HarmWeights
    func setHarmWeights(_ weights: HarmWeights) async throws

    /// Runs `body` inside one transaction: either every row of the batch lands (with the batch record) or none.
    /// `body` returns the counts that are stored with the batch. `clock` is the caller's (the importer's, a test's
    /// fixed one): read once the rows are written, it gives the batch's `finishedAt`; a store reads no clock itself.
    func importBatch(_ info: ImportBatchInfo, weights: HarmWeights, clock: @Sendable () -> Date,
                     _ body: (any ImportWriter) async throws -> ImportCounts) async throws -> ImportBatch

    /// A completed batch that read exactly this file for this source, if any.
    func completedBatch(source: String, fileSHA256: String) async throws -> ImportBatch?
    func batches() async throws -> [ImportBatch]
    /// Changes whenever incidents may have changed (a new batch): caches of derived views key on it.
    func dataVersion() async throws -> Int64

    func incident(_ id: IncidentID) async throws -> Incident?
    /// Incidents matching the query, ordered by occurrence time then id.
    func incidents(_ query: IncidentQuery) async throws -> [Incident]
    func countIncidents(_ query: IncidentQuery) async throws -> Int
    func countsByCategoryAndMonth(_ query: IncidentQuery) async throws -> [CategoryMonthCount]
    func quarantinedRows(batchID: Int64?, reason: QuarantineReason?, limit: Int, offset: Int) async throws -> [QuarantinedRow]
    func summary() async throws -> StoreSummary
}

extension IncidentStore {
    public func dataVersion() async throws -> Int64 { try await batches().map(\.id).max() ?? 0 }
}

/// Errors every store implementation reports in the same words.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case jurisdictionMismatch(stored: String, requested: String)
    case noJurisdiction
    case database(String)
    case corrupt(String)
    /// A street layer's feature the store refuses (`StreetStore.replaceStreetLayer`): its index, field and value.
    case invalidStreet(index: Int, field: String, value: String)

    public var description: String {
        switch self {
        case .jurisdictionMismatch(let s, let r): "this database holds jurisdiction \"\(s)\"; refusing to switch it to \"\(r)\" (use another --db)"
        case .noJurisdiction: "this database has no jurisdiction yet: import with a preset that names one, or pass --jurisdiction"
        case .database(let m): "database error: \(m)"
        case .corrupt(let m): "database content is not what ZoneCast wrote: \(m)"
        case .invalidStreet(let i, let f, let v): "street layer feature \(i), \(f): \(v)"
        }
    }
}

extension Array where Element == CategoryMonthCount {
    /// Counts grouped in Swift, for stores that hold incidents in memory.
    public static func tally<S: Sequence>(_ incidents: S) -> [CategoryMonthCount] where S.Element == Incident {
        var counts: [HarmCategory: [YearMonth: Int]] = [:]
        for i in incidents { counts[i.category, default: [:]][i.localDate.yearMonth, default: 0] += 1 }
        return counts.flatMap { c, months in months.map { CategoryMonthCount(category: c, month: $0.key, incidents: $0.value) } }
            .sorted { ($0.category, $0.month) < ($1.category, $1.month) }
    }
}
