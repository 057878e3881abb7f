/// How long a field and a record may be. Real exports have addresses of tens of bytes and notes of a few KiB;
/// anything far beyond is corruption or an attack, and without a limit a single field (a 200 MB "address") is
/// held in memory whole, several times over. A record over a limit is skipped to its line end and quarantined
/// (`oversized_field`), so the reader's memory stays bounded by the record limit plus one read chunk.
public struct CSVLimits: Sendable, Hashable {
    /// The longest field, in bytes (default 64 KiB).
    public var maxFieldBytes: Int
    /// The longest record, in bytes (default 1 MiB).
    public var maxRecordBytes: Int

    public static let defaultMaxFieldBytes = 64 << 10
    public static let defaultMaxRecordBytes = 1 << 20
    /// How much of an oversized record is kept as its quarantined raw row.
    public static let keptPrefixBytes = 4_096

    public init(maxFieldBytes: Int = CSVLimits.defaultMaxFieldBytes, maxRecordBytes: Int = CSVLimits.defaultMaxRecordBytes) {
        self.maxFieldBytes = max(1, maxFieldBytes)
        self.maxRecordBytes = max(1, maxRecordBytes)
    }

    public static let standard = CSVLimits()
}

/// Why the reader could not hand over a record as the file wrote it. The importer quarantines such records.
public enum CSVProblem: Sendable, Hashable {
    /// Field `field` (0-based) is longer than `limit` bytes; the record was skipped to the end of its line
    /// (`bytes` in all) and only its first bytes are kept.
    case fieldTooLong(field: Int, limit: Int, bytes: Int64)
    /// The record is longer than `limit` bytes; skipped to the end of its line like an oversized field.
    case recordTooLong(limit: Int, bytes: Int64)
    /// A quote opened in field `field` (0-based) was never closed. The record was cut at the end of its line
    /// `lineInRecord` (1-based) so the rows after it are read as rows; `why` says what gave the cut away.
    case unbalancedQuote(field: Int, lineInRecord: Int, why: String)
}
