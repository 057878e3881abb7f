public import Foundation
import ZoneCastCore

/// How a source's CSV columns become incidents. Shipped presets are files of this shape (Presets/*.json), and
/// an analyst can write one for any records system without touching code. See docs/MAPPING.md.
public struct Mapping: Codable, Sendable, Equatable {
    /// Preset or mapping name, shown in batch records.
    public var name: String
    public var description: String?
    /// Source name: the first half of every incident id from this mapping.
    public var source: String
    /// Jurisdiction used when the database has none yet (a shipped name or a JSON file path).
    public var jurisdiction: String?
    /// Whether rows are fictional (the synthetic generator's output).
    public var synthetic: Bool?
    public var recordID: RecordIDSpec
    /// Columns that tell rows of one record apart (involvement number, victim id). Without it, a second row with
    /// the same record id and different content is a `duplicate_record`.
    public var rowKey: ColumnSet?
    public var occurred: TimeSpec
    /// Used when `occurred` is blank (KCPD's From_Date is sometimes empty; the report date stands in).
    public var occurredFallback: TimeSpec?
    public var reported: TimeSpec?
    /// Columns whose values are kept as the incident's offence text (first non-empty).
    public var offence: ColumnList?
    /// Ordered rules: the first whose conditions all hold gives the category.
    public var categories: [CategoryRule]
    public var firearm: FlagSpec?
    public var fatal: FlagSpec?
    /// Location alternatives, tried in order; the first with values present is used.
    public var location: [LocationSpec]
    public var address: ColumnList?
    /// Cell values that mean "no value" (compared after trimming, case-insensitively). Default: "", NA, NULL, N/A.
    public var missingValues: [String]?
    /// The field separator: "," or ";" (also "comma", "semicolon"); absent: detected from the header line.
    public var separator: String?
}

extension Mapping {
    /// The declared separator's byte, nil when the file's own header is to decide.
    public func declaredSeparator() throws(IngestError) -> UInt8? {
        guard let text = separator else { return nil }
        guard let byte = CSVReader<MemoryChunkSource>.separator(named: text) else {
            throw .invalidMapping(file: name, reason: "separator: \"\(text)\" is not one of \",\", \";\", \"comma\", \"semicolon\"")
        }
        return byte
    }
}

/// A column reference with alternative spellings: `"Reported_Time"` or `["Reported_Time", "Reported Time"]`.
/// Header names match after trimming, lower-casing and treating runs of spaces/underscores as one.
public struct ColumnList: Codable, Sendable, Equatable {
    public var names: [String]

    public init(_ names: [String]) { self.names = names }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let one = try? c.decode(String.self) { names = [one] } else { names = try c.decode([String].self) }
        if names.isEmpty { throw DecodingError.dataCorruptedError(in: c, debugDescription: "a column list needs at least one name") }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if names.count == 1 { try c.encode(names[0]) } else { try c.encode(names) }
    }
}

/// Several columns, each with alternative spellings: `"uid"`, `["Invl_No", "Involvement"]` (two columns) or
/// `[["Invl_No", "Invl No"], "Involvement"]` (alternatives for the first).
public struct ColumnSet: Codable, Sendable, Equatable {
    public var columns: [ColumnList]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let one = try? c.decode(String.self) { columns = [ColumnList([one])] } else { columns = try c.decode([ColumnList].self) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(columns)
    }
}

public struct RecordIDSpec: Codable, Sendable, Equatable {
    /// Columns joined with "|" to form the record id.
    public var columns: [ColumnList]?
    /// No id column: the id is a hash of the row's text (identical rows are then exact duplicates).
    public var rowHash: Bool?
}

public struct TimeSpec: Codable, Sendable, Equatable {
    /// One column holding date and time.
    public var dateTime: FormattedColumn?
    /// A date column, optionally with a separate time column.
    public var date: FormattedColumn?
    public var time: FormattedColumn?
    /// Separate numeric columns (FARS: YEAR, MONTH, DAY, HOUR, MINUTE).
    public var components: ComponentColumns?
    /// Time values meaning "unknown" (e.g. FARS hour 99); the date is kept at day precision unless
    /// `unknownTime` is "reject".
    public var unknownTimeValues: [String]?
    public var unknownMinuteValues: [String]?
    public var unknownTime: UnknownTimePolicy?
}

public enum UnknownTimePolicy: String, Codable, Sendable {
    case dayPrecision = "day-precision"
    case reject
}

public struct FormattedColumn: Codable, Sendable, Equatable {
    public var column: ColumnList
    /// Patterns tried in order: yyyy yy MM M dd d HH H hh h mm m ss s SSS a, other characters literal.
    public var formats: [String]
}

public struct ComponentColumns: Codable, Sendable, Equatable {
    public var year: ColumnList
    public var month: ColumnList
    public var day: ColumnList
    public var hour: ColumnList?
    public var minute: ColumnList?
}

/// A category rule: every condition must hold (column value among the listed ones; a value ending in "*" matches
/// as a prefix; "!" before a value negates it). Values compare case-insensitively with punctuation runs folded to
/// "_", so "Agg Assault - Drive" matches "Agg_Assault_Drive".
public struct CategoryRule: Codable, Sendable, Equatable {
    public var when: [String: [String]]?
    public var category: String
    public var policeInitiated: Bool?
    public var fatal: Bool?
    public var firearm: Bool?
}

public struct FlagSpec: Codable, Sendable, Equatable {
    public var column: ColumnList
    /// Values that mean true (default: y, yes, true, t, 1).
    public var trueValues: [String]?
}

public struct LocationSpec: Codable, Sendable, Equatable {
    public var latitude: ColumnList?
    public var longitude: ColumnList?
    /// One text column with "(lat, lon)" (possibly after address lines) or "POINT (lon lat)".
    public var point: ColumnList?
    public var x: ColumnList?
    public var y: ColumnList?
    /// For x/y: an EPSG name ("EPSG:3435") or an inline transverse Mercator below.
    public var crs: String?
    public var transverseMercator: InlineTransverseMercator?
    /// Coordinate values meaning "unknown" (FARS: 77.7777, 88.8888, 99.9999, 777.7777, ...).
    public var missingValues: [Double]?
    /// x/y written with a decimal comma ("1165432,5"). Latitudes and longitudes accept one without it ("41,8781":
    /// they never carry thousands separators); projected coordinates may ("1,165,432"), so they need it declared.
    public var decimalComma: Bool?
}

public struct InlineTransverseMercator: Codable, Sendable, Equatable {
    public var latitudeOfOrigin: Double
    public var centralMeridian: Double
    public var scaleFactor: Double
    public var falseEasting: Double
    public var falseNorthing: Double
    /// "m", "ftUS" or "ft".
    public var unit: String
}

extension Mapping {
    public static func decode(_ data: Data, file: String) throws(IngestError) -> Mapping {
        do {
            return try JSONDecoder().decode(Mapping.self, from: data)
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw .invalidMapping(file: file, reason: "missing key \"\(key.stringValue)\" at \(Self.path(ctx.codingPath))")
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw .invalidMapping(file: file, reason: "wrong type at \(Self.path(ctx.codingPath)): \(ctx.debugDescription)")
        } catch let DecodingError.dataCorrupted(ctx) {
            throw .invalidMapping(file: file, reason: "\(Self.path(ctx.codingPath)): \(ctx.debugDescription) \(ctx.underlyingError.map { "\($0)" } ?? "")")
        } catch {
            throw .invalidMapping(file: file, reason: "\(error)")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}
