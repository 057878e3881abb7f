public import Foundation
public import ZoneCastCore
public import ZoneCastStore

/// The verdict on one row.
public enum RowResult: Sendable {
    /// `rowKey` tells this row apart from other rows of its record; nil when the mapping has no row key.
    case incident(Incident, rowKey: String?, warnings: [String])
    case rejected(reason: QuarantineReason, field: String?, value: String?, message: String)
}

/// A mapping resolved against one file's header: column names become indices, patterns are compiled, rules are
/// canonicalised, so each row costs only lookups and comparisons.
public struct CompiledMapping: Sendable {
    public let mapping: Mapping
    public let header: [String]
    let jurisdiction: Jurisdiction
    let projection: TransverseMercator.Prepared
    let defaultLocations: DefaultLocationMatcher
    let now: Date
    var clock: LocalTimeConverter
    let missing: Set<String>

    let recordIDColumns: [(name: String, index: Int)]
    let rowKeyColumns: [Int]
    let occurred: CompiledTime
    let occurredFallback: CompiledTime?
    let reported: CompiledTime?
    let offenceColumns: [Int]
    let rules: [CompiledRule]
    let firearm: CompiledFlag?
    let fatal: CompiledFlag?
    let locations: [CompiledLocation]
    let addressColumns: [Int]

    public init(mapping: Mapping, header: [String], jurisdiction: Jurisdiction, now: Date) throws {
        self.mapping = mapping
        self.header = header
        self.jurisdiction = jurisdiction
        self.projection = jurisdiction.projection.prepared()
        self.defaultLocations = DefaultLocationMatcher(jurisdiction, projection: projection)
        self.now = now
        self.clock = try LocalTimeConverter(timeZoneIdentifier: jurisdiction.timeZoneIdentifier)
        self.missing = Set((mapping.missingValues ?? ["", "NA", "NULL", "N/A", "nan"]).map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        self.longestMissingValue = missing.map(\.utf8.count).max() ?? 0
        self.missingTokens = missing.filter { !$0.isEmpty }.map { Array($0.utf8) }
        for (i, name) in header.enumerated() {
            if let (c, offset) = ImportText.firstForbidden(in: name) {
                throw IngestError.invalidHeader(file: mapping.name, reason: "column \(i + 1) (\"\(ImportText.visible(name))\") "
                                                    + "holds the control character \(ImportText.name(of: c)) at byte \(offset)")
            }
        }
        // Every position of each column name: a name the mapping reads must appear once (never first-wins).
        let index = Dictionary(grouping: header.indices, by: { canonicalHeader(header[$0]) })
        let m = mapping
        func lookup(_ name: String, _ field: String) throws -> Int? {
            guard let positions = index[canonicalHeader(name)] else { return nil }
            if positions.count > 1 { throw IngestError.duplicateColumn(mapping: m.name, field: field, name: name, columns: positions.map { $0 + 1 }) }
            return positions[0]
        }
        func find(_ list: ColumnList?, _ field: String, required: Bool) throws -> Int? {
            guard let list else { return nil }
            for name in list.names { if let i = try lookup(name, field) { return i } }
            if required { throw IngestError.missingColumn(mapping: m.name, field: field, candidates: list.names, header: header) }
            return nil
        }
        func findAll(_ list: ColumnList?, _ field: String) throws -> [Int] {
            guard let list else { return [] }
            return try list.names.compactMap { try lookup($0, field) }
        }

        if m.recordID.rowHash == true {
            recordIDColumns = []
        } else if let cols = m.recordID.columns, !cols.isEmpty {
            recordIDColumns = try cols.map { ($0.names[0], try find($0, "recordID", required: true)!) }
        } else {
            throw IngestError.invalidMapping(file: m.name, reason: "recordID needs \"columns\" or \"rowHash\": true")
        }
        rowKeyColumns = try (m.rowKey?.columns ?? []).map { try find($0, "rowKey", required: true)! }
        occurred = try CompiledTime(m.occurred, field: "occurred", find: find)
        // Optional: skipped when their columns are not in this file (a header without Reported_Date must not crash).
        occurredFallback = try CompiledTime.optional(m.occurredFallback, field: "occurredFallback", find: { l, f, _ in try find(l, f, required: false) })
        reported = try CompiledTime.optional(m.reported, field: "reported", find: { l, f, _ in try find(l, f, required: false) })
        offenceColumns = try findAll(m.offence, "offence")
        let rules = try m.categories.enumerated().map { i, rule in
            let category: HarmCategory
            do { category = try HarmCategory.parse(rule.category) } catch {
                throw IngestError.invalidMapping(file: m.name, reason: "categories[\(i)]: \(error)")
            }
            let conditions = try (rule.when ?? [:]).sorted { $0.key < $1.key }.map { column, values in
                CompiledCondition(column: column, index: try find(ColumnList([column]), "categories[\(i)].when", required: true)!, values: values)
            }
            return CompiledRule(conditions: conditions, category: category, policeInitiated: rule.policeInitiated ?? false, fatal: rule.fatal,
                                firearm: rule.firearm)
        }
        // A rule without conditions (`"when": {}` or no `when`) matches every row: the catch-all, last by nature.
        if let i = rules.firstIndex(where: { $0.conditions.isEmpty }), i < rules.count - 1 {
            throw IngestError.invalidMapping(file: m.name, reason: "categories[\(i)] has no conditions, so it matches every row and the "
                                                 + "\(rules.count - 1 - i) rule(s) after it never apply; put the catch-all last")
        }
        _ = try m.declaredSeparator()
        var columns: [Int] = []
        for r in rules { for c in r.conditions where !columns.contains(c.index) { columns.append(c.index) } }
        ruleColumns = columns
        self.rules = rules.map { r in
            CompiledRule(conditions: r.conditions.map { var c = $0; c.slot = columns.firstIndex(of: c.index)!; return c },
                         category: r.category, policeInitiated: r.policeInitiated, fatal: r.fatal, firearm: r.firearm)
        }
        firearm = try m.firearm.map { CompiledFlag(index: try find($0.column, "firearm", required: true)!, trueValues: $0.trueValues) }
        fatal = try m.fatal.map { CompiledFlag(index: try find($0.column, "fatal", required: true)!, trueValues: $0.trueValues) }
        locations = try m.location.enumerated().compactMap { i, spec in
            try CompiledLocation(spec, field: "location[\(i)]", mapping: m.name, find: { l, f in try find(l, f, required: false) })
        }
        if locations.isEmpty {
            throw IngestError.invalidMapping(file: m.name,
                                             reason: "no location alternative has its columns in this file's header [\(header.joined(separator: ", "))]")
        }
        addressColumns = try findAll(m.address, "address")
    }

    let longestMissingValue: Int
    let missingTokens: [[UInt8]]
    /// Columns any category rule looks at; each row canonicalises them once.
    let ruleColumns: [Int]

    /// Turns one record into an incident or a rejection. Checks run in a fixed order so each row gets the most
    /// basic reason that applies: shape, id, date, category, coordinates, jurisdiction, default location.
    public mutating func interpret(_ record: CSVRecord, source: String) -> RowResult {
        let f = record.fields
        if let problem = record.problem { return rejection(problem, line: record.lineNumber) }
        if let rejected = controlCharacterRejection(record) { return rejected }
        let cells = Cells(fields: f, missingTokens: missingTokens, longestMissingValue: longestMissingValue)
        if f.count != header.count {
            return .rejected(reason: .malformedRow, field: nil, value: "\(f.count) fields",
                             message: "row has \(f.count) fields, header has \(header.count)")
        }
        var warnings: [String] = []

        // Identity.
        let recordID: String
        if recordIDColumns.isEmpty {
            recordID = "row-" + Fingerprints.hex(Fingerprints.of(source: source, row: record.raw))
        } else {
            var parts: [String] = []
            for (name, i) in recordIDColumns {
                guard let v = cells.value(i) else {
                    return .rejected(reason: .missingID, field: name, value: f[i], message: "record id column \(header[i]) is empty")
                }
                parts.append(v)
            }
            recordID = parts.joined(separator: "|")
        }
        let rowKey: String? = rowKeyColumns.isEmpty ? nil : rowKeyColumns.map { cells.value($0) ?? "" }.joined(separator: "|")

        // Time.
        var time = occurred.read(cells, header: header)
        if case .missing = time, let fb = occurredFallback {
            time = fb.read(cells, header: header)
            if case .ok = time { warnings.append("occurred_from_fallback") }
        }
        var local: LocalDateTime, precision: TimePrecision, offset: Int?
        switch time {
        case .missing(let field):
            return .rejected(reason: .missingDate, field: field, value: nil, message: "no date in \(field)")
        case .unparseable(let field, let v):
            return .rejected(reason: .unparseableDate, field: field, value: v,
                             message: "\(field) value \"\(v)\" fits none of the formats \(occurred.formatsDescription)")
        case .unknownTime(let field, let v):
            return .rejected(reason: .unknownTime, field: field, value: v,
                             message: "\(field) value \"\(v)\" is an unknown-time code and the mapping rejects those")
        case .ok(let l, let p, let warning, let o):
            local = l
            precision = p
            offset = o
            if let warning { warnings.append(warning) }
        }
        guard local.date.year >= 1900 else {
            return .rejected(reason: .unparseableDate, field: occurred.fieldName, value: local.date.description,
                             message: "year \(local.date.year) is before 1900")
        }
        let occurredAt: Date
        (occurredAt, local) = clock.resolve(local, offsetSeconds: offset)
        if occurredAt > now {
            return .rejected(reason: .futureDate, field: occurred.fieldName, value: "\(local.date) \(local.hour):\(local.minute)",
                             message: "occurred \(local.date) is after the import time")
        }
        var reportedAt: Date?
        if let reported {
            if case .ok(let l, _, _, let o) = reported.read(cells, header: header) { reportedAt = clock.resolve(l, offsetSeconds: o).instant }
        }

        // Category.
        var offence = ""
        for i in offenceColumns { if let v = cells.value(i) { offence = v; break } }
        let canonical = ruleColumns.map { canonicalValue(f[$0]) }
        guard let rule = rules.first(where: { $0.matches(canonical) }) else {
            let shown = offenceColumns.isEmpty ? rules.first?.conditions.first.map { f[$0.index] } ?? "" : offence
            return .rejected(reason: .unmappedOffence, field: offenceColumns.first.map { header[$0] } ?? rules.first?.conditions.first?.column,
                             value: shown, message: "offence \"\(shown)\" matches no category rule in mapping \(mapping.name)")
        }

        // Location.
        var geo: GeoPoint?
        var sawMissingSentinel = false
        for loc in locations {
            switch loc.read(cells) {
            case .absent: continue
            case .sentinel: sawMissingSentinel = true; continue
            case .invalid(let field, let v):
                return .rejected(reason: .impossibleCoordinates, field: field, value: v, message: "cannot read coordinates from \(field) value \"\(v)\"")
            case .point(let p):
                geo = p
            }
            if geo != nil { break }
        }
        guard let point = geo else {
            let cols = locations.map(\.description).joined(separator: " or ")
            return .rejected(reason: .missingCoordinates, field: cols, value: nil,
                             message: sawMissingSentinel ? "coordinates hold an unknown-location code" : "no coordinates in \(cols)")
        }
        guard point.isPossible else {
            return .rejected(reason: .impossibleCoordinates, field: locations.first?.description, value: "\(point.latitude), \(point.longitude)",
                             message: "latitude \(point.latitude), longitude \(point.longitude) is not a place on Earth (or is 0,0)")
        }
        guard jurisdiction.contains(point) else {
            return .rejected(reason: .outOfJurisdiction, field: locations.first?.description, value: "\(point.latitude), \(point.longitude)",
                             message: "\(point.latitude), \(point.longitude) is outside \(jurisdiction.displayName)")
        }
        let address = addressColumns.isEmpty ? nil : addressColumns.compactMap { cells.value($0) }.joined(separator: " ").nilIfEmpty
        let position = projection.project(point)
        if let d = defaultLocations.match(position: position, address: address) {
            return .rejected(reason: .defaultLocation, field: locations.first?.description, value: "\(point.latitude), \(point.longitude)",
                             message: "at \(d.name), a default location records systems use when the real one is unknown")
        }

        let firearmFlag = rule.firearm ?? firearm.map { $0.isTrue(cells.value($0.index)) } ?? false
        let fatalFlag = rule.fatal ?? fatal.map { $0.isTrue(cells.value($0.index)) } ?? (rule.category == .homicide || rule.category == .fatalTrafficCrash)
        let incident = Incident(
            id: IncidentID(source: source, recordID: recordID), category: rule.category, offence: offence,
            occurredAt: occurredAt, occurredPrecision: precision, timeZoneIdentifier: jurisdiction.timeZoneIdentifier,
            localDate: local.date, reportedAt: reportedAt, location: point, position: position, address: address,
            firearm: firearmFlag || rule.category == .nonFatalShooting || rule.category == .driveByShooting || rule.category == .shotsFired,
            fatal: fatalFlag, policeInitiated: rule.policeInitiated, rowCount: 1, batchID: nil, rawRow: record.raw)
        return .incident(incident, rowKey: rowKey, warnings: warnings)
    }
}

extension CompiledMapping {
    func columnName(_ i: Int) -> String { i < header.count ? header[i] : "column \(i + 1)" }

    /// A record the reader could not hand over whole (see `CSVReader`).
    func rejection(_ problem: CSVProblem, line: Int) -> RowResult {
        switch problem {
        case .fieldTooLong(let field, let limit, let bytes):
            return .rejected(reason: .oversizedField, field: columnName(field), value: "\(bytes) bytes",
                             message: "line \(line): field \(columnName(field)) is longer than the \(limit)-byte limit; the row (\(bytes) bytes) "
                                 + "was skipped to its line end and only its first \(CSVLimits.keptPrefixBytes) bytes are kept")
        case .recordTooLong(let limit, let bytes):
            return .rejected(reason: .oversizedField, field: nil, value: "\(bytes) bytes",
                             message: "line \(line): the row is longer than the \(limit)-byte limit; it (\(bytes) bytes) was skipped to its line end "
                                 + "and only its first \(CSVLimits.keptPrefixBytes) bytes are kept")
        case .unbalancedQuote(let field, let lineInRecord, let why):
            return .rejected(reason: .unbalancedQuote, field: columnName(field), value: nil,
                             message: "line \(line): the quote opened in field \(columnName(field)) is never closed; the row was cut at the end of line "
                                 + "\(line + lineInRecord - 1) because \(why), and the lines after it were read as rows")
        }
    }

    /// The `ImportText` rule: a row holding a forbidden control character is quarantined, naming the field and
    /// the character, and is never stored as an incident.
    func controlCharacterRejection(_ record: CSVRecord) -> RowResult? {
        guard ImportText.firstForbidden(in: record.raw) != nil else { return nil }
        for (i, value) in record.fields.enumerated() {
            guard let (c, offset) = ImportText.firstForbidden(in: value) else { continue }
            // The value as it is (listings show it escaped); long ones shortened.
            let shown = String(value.prefix(200)) + (value.count > 200 ? "\u{2026}" : "")
            return .rejected(reason: .controlCharacter, field: columnName(i), value: shown,
                             message: "line \(record.lineNumber): field \(columnName(i)) holds the control character \(ImportText.name(of: c)) "
                                 + "at byte \(offset); rows may hold no control characters but tab and line breaks")
        }
        // Between fields (e.g. after a closing quote the parser dropped): name the row only.
        let (c, offset) = ImportText.firstForbidden(in: record.raw)!
        return .rejected(reason: .controlCharacter, field: nil, value: nil,
                         message: "line \(record.lineNumber): the row holds the control character \(ImportText.name(of: c)) at byte \(offset); "
                             + "rows may hold no control characters but tab and line breaks")
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

struct CompiledCondition: Sendable {
    let column: String
    let index: Int
    /// Position of this column's canonical value in the row's `ruleColumns` values.
    var slot = 0
    let exact: Set<String>
    let prefixes: [String]
    let negated: Set<String>

    init(column: String, index: Int, values: [String]) {
        self.column = column
        self.index = index
        var exact = Set<String>(), prefixes: [String] = [], negated = Set<String>()
        for v in values {
            if v.hasPrefix("!") { negated.insert(canonicalValue(String(v.dropFirst()))) }
            else if v.hasSuffix("*") { prefixes.append(canonicalValue(String(v.dropLast()))) }
            else { exact.insert(canonicalValue(v)) }
        }
        self.exact = exact
        self.prefixes = prefixes
        self.negated = negated
    }

    func matches(_ canonical: [String]) -> Bool {
        let v = canonical[slot]
        if negated.contains(v) { return false }
        if exact.isEmpty && prefixes.isEmpty { return !negated.isEmpty }
        return exact.contains(v) || prefixes.contains { v.hasPrefix($0) }
    }
}

struct CompiledRule: Sendable {
    let conditions: [CompiledCondition]
    let category: HarmCategory
    let policeInitiated: Bool
    let fatal: Bool?
    let firearm: Bool?

    func matches(_ canonical: [String]) -> Bool { conditions.allSatisfy { $0.matches(canonical) } }
}

struct CompiledFlag: Sendable {
    let index: Int
    let trueValues: Set<String>

    init(index: Int, trueValues: [String]?) {
        self.index = index
        self.trueValues = Set((trueValues ?? ["y", "yes", "true", "t", "1"]).map(canonicalValue))
    }

    func isTrue(_ v: String?) -> Bool { v.map { trueValues.contains(canonicalValue($0)) } ?? false }
}

/// One row's cells with the mapping's notion of "no value": trimmed, and blank or a missing-value token is nil.
struct Cells {
    let fields: [String]
    /// Lower-case missing-value tokens, compared ignoring ASCII case (no hashing or allocation per cell).
    let missingTokens: [[UInt8]]
    let longestMissingValue: Int

    func value(_ i: Int) -> String? {
        guard i < fields.count else { return nil }
        let v = trimmedASCII(fields[i])
        if v.isEmpty { return nil }
        if v.utf8.count <= longestMissingValue, isMissing(v) { return nil }
        return v
    }

    private func isMissing(_ v: String) -> Bool {
        let u = v.utf8
        return missingTokens.contains { token in
            token.count == u.count && zip(token, u).allSatisfy { t, b in t == ((b >= 65 && b <= 90) ? b | 0x20 : b) }
        }
    }
}

/// Trims ASCII spaces, tabs and line breaks; returns the string itself (no copy) when there is nothing to trim.
func trimmedASCII(_ s: String) -> String {
    let u = s.utf8
    guard let first = u.first, let last = u.last else { return s }
    func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }
    if !isSpace(first) && !isSpace(last) { return s }
    var start = u.startIndex, end = u.endIndex
    while start < end, isSpace(u[start]) { start = u.index(after: start) }
    while end > start, isSpace(u[u.index(before: end)]) { end = u.index(before: end) }
    return String(s[start..<end])
}
