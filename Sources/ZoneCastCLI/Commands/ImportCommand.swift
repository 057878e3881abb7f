import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastIngest
import ZoneCastSQLite
import ZoneCastStore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV export (plain, .gz or .bz2) through a preset or a mapping file, in one transaction.",
        discussion: """
            Every row ends up imported, merged into an incident, recognised as already imported, or quarantined with a \
            reason (see `zonecast quarantine list`). Importing the same file again changes nothing.
            Example: zonecast import --preset kcpd-2017-victims ../shared/data/kc_kcpd_2017_victims_subset/kcpd_2017_victims_geocoded.csv --json
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "A shipped preset (see `zonecast presets`).") var preset: String?
    @Option(help: "A mapping JSON file (see docs/MAPPING.md).") var mapping: String?
    @Option(help: "Jurisdiction name or JSON file, for a new database (default: the preset's).") var jurisdiction: String?
    @Option(help: "Boundary GeoJSON replacing the jurisdiction's shipped boundary, for a new database.") var boundary: String?
    @Option(help: "Reject rows dated after this instant (ISO 8601; default: now).") var now: String?
    @Option(help: "Quarantine rows with a field longer than this many bytes (oversized_field).") var maxFieldBytes = CSVLimits.defaultMaxFieldBytes
    @Option(help: "Quarantine rows longer than this many bytes (oversized_field).") var maxRecordBytes = CSVLimits.defaultMaxRecordBytes
    @Flag(help: "Print the summary as JSON.") var json = false
    @Flag(help: """
        Import the file even if this source imported it before, as a new batch: after correcting the mapping, rows quarantined the \
        first time get another try (rows already held stay as they are).
        """) var again = false
    @Argument(help: "The CSV file.") var file: String

    func validate() throws {
        guard (preset == nil) != (mapping == nil) else { throw ValidationError("give exactly one of --preset NAME or --mapping FILE") }
        if let now, ISO8601DateFormatter().date(from: now) == nil {
            throw ValidationError("--now \"\(now)\" is not an ISO 8601 instant such as 2018-01-01T00:00:00Z")
        }
        guard (1...(1 << 30)).contains(maxFieldBytes) else { throw ValidationError("--max-field-bytes \(maxFieldBytes) must be between 1 and \(1 << 30)") }
        guard (1...(1 << 30)).contains(maxRecordBytes) else { throw ValidationError("--max-record-bytes \(maxRecordBytes) must be between 1 and \(1 << 30)") }
    }

    func run() async throws { try await CLIFailure.run(perform) }

    func perform() async throws {
        let mapping: Mapping
        if let preset { mapping = try Presets.mapping(named: preset) } else { mapping = try Presets.mapping(file: self.mapping!) }
        let input = try InputFile(path: file)
        let store = try await database.openStore()
        let jurisdiction: Jurisdiction
        do {
            jurisdiction = try await resolveJurisdiction(store: store, requested: self.jurisdiction ?? mapping.jurisdiction, boundary: boundary)
        } catch StoreError.jurisdictionMismatch(let stored, let requested) where self.jurisdiction == nil {
            // The city came from the preset, not from the user: a multi-city file (CODE) read into another city's database.
            throw CLIDataError(description: "this database holds jurisdiction \"\(stored)\", and the mapping \(mapping.name) names \"\(requested)\". "
                               + "To import the file's rows for \(stored), add --jurisdiction \(stored) (rows outside it are quarantined); "
                               + "for \(requested), use another --db")
        }
        let edge = database.edge
        let instant = now.flatMap { ISO8601DateFormatter().date(from: $0) } ?? EdgeConfiguration.wallClock()
        let importer = Importer(mapping: mapping, jurisdiction: jurisdiction, weights: try await store.harmWeights(), now: instant,
                                limits: CSVLimits(maxFieldBytes: maxFieldBytes, maxRecordBytes: maxRecordBytes), auditActor: importActor(command: "import"),
                                clock: EdgeConfiguration.wallClock, logger: edge.logger("zonecast.import"))
        let showProgress = isatty(STDERR_FILENO) == 1
        let progress: ((ImportProgress) -> Void)? = showProgress ? { (p: ImportProgress) in
            let pct = p.totalBytes > 0 ? String(format: " %3.0f%%", 100 * Double(p.bytesRead) / Double(p.totalBytes)) : ""
            let rate = p.elapsedSeconds > 0 ? Double(p.rowsRead) / p.elapsedSeconds : 0
            FileHandle.standardError.write(Data("\r  importing: \(FixedText.grouped(p.rowsRead)) rows\(pct)  \(FixedText.grouped(Int(rate))) rows/s   ".utf8))
        } : nil
        let report = try await importer.importFile(input, into: store, progress: progress, again: again)
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if json {
            try printJSON(ImportJSON(report: report, peakMemoryMiB: peakMemoryMiB()))
        } else {
            printReport(report)
        }
        if let warning = Self.nothingImported(report) ?? Self.mostlyQuarantined(report) { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
    }

    func printReport(_ r: ImportReport) {
        if r.synthetic { print("SYNTHETIC DATA: fictional incidents from ZoneCast's generator.") }
        if r.alreadyImported {
            print("\(r.file): already imported as batch \(r.batchID ?? 0); nothing changed. "
                  + "(After correcting the mapping, --again imports it once more.)")
            return
        }
        print("Imported \(r.file) with \(r.mapping) into \(r.jurisdiction) (batch \(r.batchID ?? 0)):")
        print("  rows read           \(FixedText.grouped(r.rowsRead))")
        print("  incidents imported  \(FixedText.grouped(r.incidentsImported))")
        print("  rows merged         \(FixedText.grouped(r.rowsMerged))   (further victims/persons of an incident)")
        print("  rows already held   \(FixedText.grouped(r.rowsUnchanged))")
        if r.rowsStillQuarantined > 0 {
            print("  rows still quarantined \(FixedText.grouped(r.rowsStillQuarantined))   (as an earlier batch quarantined them; quarantine list shows why)")
        }
        print("  rows quarantined    \(FixedText.grouped(r.rowsRejected))")
        for (reason, n) in r.rejectedByReason.sorted(by: { $0.key < $1.key }) {
            print("    \(reason.padding(toLength: 24, withPad: " ", startingAt: 0)) \(FixedText.grouped(n))")
        }
        for (w, n) in r.warnings.sorted(by: { $0.key < $1.key }) { print("  warning \(w): \(FixedText.grouped(n)) rows") }
        print(String(format: "  %.2f s, %@ rows/s", r.seconds, FixedText.grouped(Int(r.rowsPerSecond))))
    }

    /// Said when a file's rows were all quarantined: almost always a mapping that does not fit the file (a date
    /// format, a column name), which the counts alone leave the newcomer to work out.
    static func nothingImported(_ r: ImportReport) -> String? {
        guard r.rowsRead > 0, r.rowsRejected + r.rowsStillQuarantined == r.rowsRead else { return nil }
        let why: String
        if let top = r.rejectedByReason.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
            why = "\(FixedText.grouped(top.value)) as \(top.key)"
        } else {
            why = "as an earlier import of the same rows quarantined them"
        }
        return "zonecast: warning: no row was imported: all \(FixedText.grouped(r.rowsRead)) were quarantined, \(why). "
            + "The mapping probably does not fit the file; `zonecast quarantine list` shows each row with the field and value at "
            + "fault. After correcting the mapping, import the file again with --again."
    }
}

extension ImportCommand {
    /// Said when a quarter or more of the rows were quarantined for one reason a mapping decides (dates, positions):
    /// a mapping that fits only some rows (day and month swapped fits days up to 12) imports the rest wrongly, so
    /// the rows that were imported are suspect too.
    static func mostlyQuarantined(_ r: ImportReport) -> String? {
        let mappingReasons: [QuarantineReason: String] = [
            .unparseableDate: "A date format that fits only some rows imports the others wrongly (day and month swapped fit days up to 12)",
            .futureDate: "Dates read in the wrong order or time zone can land in the future, and the rows imported then hold wrong dates too",
            .missingDate: "A date column the mapping names wrongly",
            .outOfJurisdiction: "Latitude and longitude swapped, a wrong coordinate system or a wrong boundary",
            .impossibleCoordinates: "Latitude and longitude swapped or a wrong coordinate system",
            .missingCoordinates: "A coordinate column the mapping names wrongly",
        ]
        guard r.rowsRead >= 20, r.incidentsImported + r.rowsMerged > 0,
              let (reason, n) = r.rejectedByReason.filter({ QuarantineReason(rawValue: $0.key).map { mappingReasons[$0] != nil } ?? false })
                  .max(by: { ($0.value, $1.key) < ($1.value, $0.key) }),
              4 * n >= r.rowsRead, let why = QuarantineReason(rawValue: reason).flatMap({ mappingReasons[$0] }) else { return nil }
        let share = Int((100 * Double(n) / Double(r.rowsRead)).rounded())
        return "zonecast: warning: \(FixedText.grouped(n)) of \(FixedText.grouped(r.rowsRead)) rows (\(share) %) were quarantined as \(reason). "
            + "\(why): check the imported rows (`zonecast summary`) as well as the quarantined ones (`zonecast quarantine list --reason \(reason)`). "
            + "Imported rows stay in the database; to start again with a corrected mapping, import into a new database (--db)."
    }
}

struct ImportJSON: Encodable {
    var report: ImportReport
    var peakMemoryMiB: Double

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(peakMemoryMiB, forKey: .peakMemoryMiB)
    }

    enum Key: String, CodingKey { case peakMemoryMiB }
}

/// Who ran an import from the command line, for its audit entry: the operating-system account.
func importActor(command: String) -> String {
    let user = EdgeConfiguration.process.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? NSUserName()
    return "cli:\(ImportText.visible(user)) (zonecast \(command))"
}

/// The database's jurisdiction, or the one `requested` (with an optional boundary) for a new database. It is not
/// stored here: the import binds it in its own transaction, so a first import that fails leaves the database
/// unbound (it used to stay bound to whatever that failed import named).
func resolveJurisdiction(store: any IncidentStore, requested: String?, boundary: String?) async throws -> Jurisdiction {
    func read(_ path: String) throws -> GeoMultiPolygon {
        guard let data = FileManager.default.contents(atPath: path) else { throw IngestError.fileNotFound(path) }
        return try GeoJSON.multiPolygon(from: data)
    }
    if let existing = try await store.jurisdiction() {
        if let requested, let wanted = try? Presets.jurisdiction(requested), wanted.name != existing.name {
            throw StoreError.jurisdictionMismatch(stored: existing.name, requested: wanted.name)
        }
        // A boundary for a database already bound to another one was ignored without a word.
        if let boundary, try read(boundary) != existing.boundary {
            throw ValidationError("--boundary \(boundary): the database is already bound to \(existing.name) with another boundary, and a "
                                  + "database never changes its jurisdiction; import into a new database (--db) to use this boundary")
        }
        return existing
    }
    guard let requested else { throw StoreError.noJurisdiction }
    var j = try Presets.jurisdiction(requested)
    if let boundary {
        j.boundary = try read(boundary)
        j = try j.validated()
    }
    return j
}
