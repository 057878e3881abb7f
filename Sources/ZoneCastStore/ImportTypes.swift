public import Foundation
public import ZoneCastCore
public import ZoneCastOperations

/// Why a source row was not turned into (or merged into) an incident. Raw values are stable: they appear in
/// JSON summaries, the database and scripts that analysts write.
public enum QuarantineReason: String, CaseIterable, Hashable, Sendable, Codable, Comparable {
    case malformedRow = "malformed_row"
    case missingID = "missing_id"
    case missingDate = "missing_date"
    case unparseableDate = "unparseable_date"
    case futureDate = "future_date"
    case unknownTime = "unknown_time"
    case missingCoordinates = "missing_coordinates"
    case impossibleCoordinates = "impossible_coordinates"
    case outOfJurisdiction = "out_of_jurisdiction"
    case defaultLocation = "default_location"
    case unmappedOffence = "unmapped_offence"
    case exactDuplicate = "exact_duplicate"
    case duplicateRecord = "duplicate_record"
    /// A field (or the whole record) is longer than the reader's limit; the row was skipped to its line end.
    case oversizedField = "oversized_field"
    /// A quoted field never closed: the record was cut at a line end so the rows after it still import.
    case unbalancedQuote = "unbalanced_quote"
    /// The row holds a control character a stored text may not (see `ImportText`).
    case controlCharacter = "control_character"

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A 128-bit fingerprint of a row (its verbatim text, salted with the source name) or of a row identity
/// (source, record id, row key). Truncated SHA-256: collisions are not a practical concern below 10^15 rows.
public struct RowFingerprint: Hashable, Sendable, Codable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) } + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        high = bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        low = bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// A row that could not be imported, kept verbatim with the reason, the field and the offending value.
public struct QuarantinedRow: Hashable, Sendable, Codable {
    public var batchID: Int64
    /// 1-based line number of the row's first physical line in the file (the header is line 1).
    public var lineNumber: Int
    public var source: String
    public var reason: QuarantineReason
    public var field: String?
    public var value: String?
    public var message: String
    public var rawRow: String

    public init(batchID: Int64, lineNumber: Int, source: String, reason: QuarantineReason, field: String?, value: String?, message: String, rawRow: String) {
        self.batchID = batchID
        self.lineNumber = lineNumber
        self.source = source
        self.reason = reason
        self.field = field
        self.value = value
        self.message = message
        self.rawRow = rawRow
    }
}

/// What happened to one row inside an import.
public enum RowDisposition: Hashable, Sendable {
    /// A new incident.
    case inserted
    /// Another row (victim, involved person) of an incident already held.
    case merged
    /// The identical row was imported (or quarantined) by an earlier batch: nothing to do.
    case unchanged
    /// Quarantined (the reason is in the quarantine record, possibly `exact_duplicate`/`duplicate_record`).
    case quarantined(QuarantineReason)
    /// Rejected again, identical to a row an earlier batch quarantined: that batch's record stands (a file read
    /// again must not list its rejects twice), and the row is not held.
    case stillQuarantined
}

/// Description of an import as it starts.
public struct ImportBatchInfo: Hashable, Sendable, Codable {
    public var source: String
    /// Preset name or mapping file the rows were read with.
    public var mappingName: String
    public var fileName: String
    /// SHA-256 of the file's bytes, hex.
    public var fileSHA256: String
    public var startedAt: Date
    /// A rough count of rows to come (from the file size), letting a store choose a bulk-loading strategy.
    public var expectedRows: Int?
    /// The jurisdiction the rows were checked against. A store without a jurisdiction is bound to it inside the
    /// import's transaction (so a failed first import leaves a new database unbound); a store bound to another
    /// refuses the import. Nil: the store's jurisdiction is neither set nor checked.
    public var jurisdiction: Jurisdiction?
    /// Who ran the import. When set, the store appends an `import` audit entry (`ImportBatch.auditDraft`) inside
    /// the import's transaction: the rows and their audit entry land together or not at all.
    public var auditActor: String?

    public init(source: String, mappingName: String, fileName: String, fileSHA256: String, startedAt: Date, expectedRows: Int? = nil,
                jurisdiction: Jurisdiction? = nil, auditActor: String? = nil) {
        self.source = source
        self.mappingName = mappingName
        self.fileName = fileName
        self.fileSHA256 = fileSHA256
        self.startedAt = startedAt
        self.expectedRows = expectedRows
        self.jurisdiction = jurisdiction
        self.auditActor = auditActor
    }
}

/// The tally of an import: every row read is counted exactly once among imported, merged, unchanged, still
/// quarantined and rejected.
public struct ImportCounts: Hashable, Sendable, Codable {
    public var rowsRead = 0
    public var incidentsImported = 0
    public var rowsMerged = 0
    /// Identical to a row held from an earlier batch.
    public var rowsUnchanged = 0
    /// Identical to a row an earlier batch quarantined, and not held now either.
    public var rowsStillQuarantined = 0
    public var rejectedByReason: [QuarantineReason: Int] = [:]
    /// Rows imported with a caveat, e.g. `time_unknown_day_precision` for an "unknown hour" code.
    public var warnings: [String: Int] = [:]

    public init() {}

    public var rowsRejected: Int { rejectedByReason.values.reduce(0, +) }

    public mutating func count(_ d: RowDisposition) {
        switch d {
        case .inserted: incidentsImported += 1
        case .merged: rowsMerged += 1
        case .unchanged: rowsUnchanged += 1
        case .stillQuarantined: rowsStillQuarantined += 1
        case .quarantined(let r): rejectedByReason[r, default: 0] += 1
        }
    }

    enum CodingKeys: String, CodingKey { case rowsRead, incidentsImported, rowsMerged, rowsUnchanged, rowsStillQuarantined, rejectedByReason, warnings }

    /// Batches recorded before `rowsStillQuarantined` existed counted those rows as unchanged; they read as 0.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rowsRead = try c.decode(Int.self, forKey: .rowsRead)
        incidentsImported = try c.decode(Int.self, forKey: .incidentsImported)
        rowsMerged = try c.decode(Int.self, forKey: .rowsMerged)
        rowsUnchanged = try c.decode(Int.self, forKey: .rowsUnchanged)
        rowsStillQuarantined = try c.decodeIfPresent(Int.self, forKey: .rowsStillQuarantined) ?? 0
        rejectedByReason = try c.decode([QuarantineReason: Int].self, forKey: .rejectedByReason)
        warnings = try c.decode([String: Int].self, forKey: .warnings)
    }
}

/// A finished import as the store records it.
public struct ImportBatch: Hashable, Sendable, Codable {
    public var id: Int64
    public var info: ImportBatchInfo
    public var finishedAt: Date
    public var counts: ImportCounts

    public init(id: Int64, info: ImportBatchInfo, finishedAt: Date, counts: ImportCounts) {
        self.id = id
        self.info = info
        self.finishedAt = finishedAt
        self.counts = counts
    }

    /// The audit entry every store appends for a finished import (same words whichever store): who, which file,
    /// which batch, and what became of the rows.
    public func auditDraft(actor: String) -> AuditDraft {
        let c = counts
        return AuditDraft(
            at: finishedAt, actor: actor, action: .importData, subject: "import batch \(id)",
            detail: "file \(ImportText.visible(info.fileName)) (sha256 \(info.fileSHA256)), source \(info.source), mapping \(info.mappingName): "
                + "\(c.rowsRead) rows read, \(c.incidentsImported) incidents imported, \(c.rowsMerged) merged, \(c.rowsUnchanged) already held, "
                + "\(c.rowsStillQuarantined) still quarantined from an earlier batch, \(c.rowsRejected) quarantined")
    }
}

extension Optional where Wrapped == Jurisdiction {
    /// The check every store makes before binding: nil when the import may go on, the mismatch otherwise.
    public func bindingConflict(with requested: Jurisdiction?) -> StoreError? {
        guard let requested, let stored = self, stored.name != requested.name else { return nil }
        return .jurisdictionMismatch(stored: stored.name, requested: requested.name)
    }
}
