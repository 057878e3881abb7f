import Foundation
import Testing
import ZoneCastTestSupport
import ZoneCastCore
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastIngest
import ZoneCastOperations

/// Issue #12, item 12 (importer limits) and item 2's CSV part (control characters in text stored verbatim).
@Suite("Importer limits")
struct ImportLimitsTests {
    static let header = "id,date,time,offence,x,y,address"
    static let mappingJSON = """
    {
      "name": "tiny-address", "source": "tiny",
      "recordID": {"columns": ["id"]},
      "occurred": {"date": {"column": "date", "formats": ["yyyy-MM-dd"]}, "time": {"column": "time", "formats": ["HH:mm"]}},
      "offence": "offence",
      "address": "address",
      "categories": [{"when": {"offence": ["shooting"]}, "category": "non_fatal_shooting"}],
      "location": [{"x": "x", "y": "y", "crs": "EPSG:32615"}]
    }
    """
    var mapping: Mapping { get throws { try Mapping.decode(Data(Self.mappingJSON.utf8), file: "tiny-address.json") } }
    var kc: Jurisdiction { get throws { try Presets.jurisdiction("kansas-city") } }

    /// A path in a new temporary directory where no database exists yet.
    static func newDatabasePath() throws -> String {
        let dir = try TestDirectory.make("zonecast-limits")
        return dir.appendingPathComponent("test.sqlite").path
    }

    static func good(_ k: Int) -> String { "\(k),2017-05-\(String(format: "%02d", 1 + k % 28)),12:00,shooting,\(364_600 + 10 * k),4329158,\(k) MAIN ST" }

    /// Header, one row with an enormous address (generated chunk by chunk, never held whole), then a good row.
    struct HugeFieldSource: ByteChunkSource {
        let fieldBytes: Int
        var served = 0
        var stage = 0
        static let filler = [UInt8](repeating: UInt8(ascii: "A"), count: 1 << 20)

        mutating func nextChunk() throws -> [UInt8] {
            switch stage {
            case 0:
                stage = 1
                return Array("\(ImportLimitsTests.header)\n1,2017-05-01,12:00,shooting,364600,4329158,\"".utf8)
            case 1:
                let n = min(Self.filler.count, fieldBytes - served)
                served += n
                if served >= fieldBytes { stage = 2 }
                return n == Self.filler.count ? Self.filler : Array(Self.filler[0..<n])
            case 2:
                stage = 3
                return Array("\"\n\(ImportLimitsTests.good(2))\n".utf8)
            default:
                return []
            }
        }
    }

    @Test("given a 200 MB address, when read, then the row is fieldTooLong naming its field, the next row reads normally, and the reader holds at most the limit plus two chunks")
    func hugeFieldIsSkippedWithBoundedMemory() async throws {
        var reader = CSVReader(source: HugeFieldSource(fieldBytes: 200 << 20))
        let header = try #require(try reader.next())
        #expect(header.fields.count == 7)
        let huge = try #require(try reader.next())
        guard case .fieldTooLong(let field, let limit, let bytes)? = huge.problem else {
            Issue.record("expected fieldTooLong, got \(String(describing: huge.problem))")
            return
        }
        #expect(field == 6 && limit == 64 << 10 && bytes > 200 << 20)
        #expect(huge.lineNumber == 2 && huge.raw.utf8.count < CSVLimits.keptPrefixBytes + 64)
        let next = try #require(try reader.next())
        #expect(next.fields.first == "2" && next.lineNumber == 3 && next.problem == nil)
        #expect(try reader.next() == nil)
        #expect(reader.peakBufferedBytes <= (64 << 10) + 2 * (1 << 20), "the reader buffered \(reader.peakBufferedBytes) bytes")
    }

    @Test("given a 200 MB address, when imported into SQLite, then that row is quarantined as oversized_field naming line and field, and the next row is imported")
    func hugeFieldIsQuarantined() async throws {
        let store = try SQLiteIncidentStore()
        let info = ImportBatchInfo(source: "tiny", mappingName: "tiny-address", fileName: "huge.csv", fileSHA256: "huge", startedAt: testNow)
        let batch = try await Importer(mapping: try mapping, jurisdiction: try kc, now: testNow)
            .importRecords(CSVReader(source: HugeFieldSource(fieldBytes: 200 << 20)), info: info, into: store)
        #expect(batch.counts.rowsRead == 2 && batch.counts.incidentsImported == 1 && batch.counts.rejectedByReason == [.oversizedField: 1])
        let q = try await #require(try store.quarantinedRows(batchID: batch.id, reason: .oversizedField, limit: 5, offset: 0).first)
        #expect(q.lineNumber == 2 && q.field == "address")
        #expect(q.message.contains("line 2") && q.message.contains("address") && q.message.contains("65536-byte limit"), "\(q.message)")
        #expect(q.rawRow.utf8.count < CSVLimits.keptPrefixBytes + 64)
        #expect(try await store.incident(IncidentID(source: "tiny", recordID: "2")) != nil)
    }

    @Test("given a configured field limit, when a row's field is longer, then only that row is quarantined", arguments: [1, 7, 97, 1 << 20])
    func configuredLimit(chunkSize: Int) async throws {
        let csv = Self.header + "\n" + Self.good(1) + "\n2,2017-05-02,12:00,shooting,364610,4329158," + String(repeating: "x", count: 300) + "\n" + Self.good(3) + "\n"
        let store = InMemoryIncidentStore()
        let info = ImportBatchInfo(source: "tiny", mappingName: "tiny-address", fileName: "f.csv", fileSHA256: "limit-\(chunkSize)", startedAt: testNow)
        let reader = CSVReader(source: MemoryChunkSource(csv, chunkSize: chunkSize), limits: CSVLimits(maxFieldBytes: 200))
        let batch = try await Importer(mapping: try mapping, jurisdiction: try kc, now: testNow).importRecords(reader, info: info, into: store)
        #expect(batch.counts.rowsRead == 3 && batch.counts.incidentsImported == 2 && batch.counts.rejectedByReason == [.oversizedField: 1])
        let q = try await #require(try store.quarantinedRows(batchID: nil, reason: nil, limit: 5, offset: 0).first)
        #expect(q.lineNumber == 3 && q.field == "address")
    }

    @Test("given one row with an unbalanced quote followed by 50 good rows, when imported, then 51 rows are read: 50 imported and 1 quarantined as unbalanced_quote naming the line and field", arguments: [3, 97, 1 << 20])
    func unbalancedQuoteBeforeGoodRows(chunkSize: Int) async throws {
        let broken = "1,2017-05-01,12:00,\"shooting,364600,4329158,1 MAIN ST"
        let csv = ([Self.header, broken] + (2...51).map(Self.good)).joined(separator: "\n") + "\n"
        let store = InMemoryIncidentStore()
        let info = ImportBatchInfo(source: "tiny", mappingName: "tiny-address", fileName: "q.csv", fileSHA256: "q-\(chunkSize)", startedAt: testNow)
        let batch = try await Importer(mapping: try mapping, jurisdiction: try kc, now: testNow)
            .importRecords(CSVReader(source: MemoryChunkSource(csv, chunkSize: chunkSize)), info: info, into: store)
        #expect(batch.counts.rowsRead == 51)
        #expect(batch.counts.incidentsImported == 50)
        #expect(batch.counts.rejectedByReason == [.unbalancedQuote: 1])
        let q = try await #require(try store.quarantinedRows(batchID: nil, reason: .unbalancedQuote, limit: 5, offset: 0).first)
        #expect(q.lineNumber == 2 && q.field == "offence" && q.rawRow == broken)
        #expect(q.message.contains("line 2") && q.message.contains("line 3 reads as a record of its own"), "\(q.message)")
    }

    @Test("given an unbalanced quote followed by free-text lines past the field limit, then the record is cut at its first line end and every later line is read as a row")
    func unbalancedQuotePastTheLimit() async throws {
        let broken = "1,2017-05-01,12:00,shooting,364600,4329158,\"1 MAIN ST"
        let notes = (0..<30).map { "free text line \($0) without the header's commas" }
        let csv = ([Self.header, broken] + notes + (2...51).map(Self.good)).joined(separator: "\n") + "\n"
        let store = InMemoryIncidentStore()
        let info = ImportBatchInfo(source: "tiny", mappingName: "tiny-address", fileName: "q.csv", fileSHA256: "q-limit", startedAt: testNow)
        let reader = CSVReader(source: MemoryChunkSource(csv, chunkSize: 64), limits: CSVLimits(maxFieldBytes: 256))
        let batch = try await Importer(mapping: try mapping, jurisdiction: try kc, now: testNow).importRecords(reader, info: info, into: store)
        #expect(batch.counts.rowsRead == 1 + 30 + 50)
        #expect(batch.counts.incidentsImported == 50)
        #expect(batch.counts.rejectedByReason == [.unbalancedQuote: 1, .malformedRow: 30])
        let q = try await #require(try store.quarantinedRows(batchID: nil, reason: .unbalancedQuote, limit: 5, offset: 0).first)
        #expect(q.rawRow == broken && q.field == "address" && q.message.contains("past the 256-byte field limit"), "\(q.message)")
    }

    @Test("given a legitimate quoted field over three lines, then it is still one record")
    func multiLineFieldsStayWhole() async throws {
        let csv = Self.header + "\n1,2017-05-01,12:00,shooting,364600,4329158,\"1 MAIN ST\nKANSAS CITY, MO\nUSA\"\n" + Self.good(2) + "\n"
        var reader = CSVReader(source: MemoryChunkSource(csv, chunkSize: 5))
        var records: [CSVRecord] = []
        while let r = try reader.next() { records.append(r) }
        #expect(records.count == 3 && records.allSatisfy { $0.problem == nil })
        #expect(records[1].fields[6] == "1 MAIN ST\nKANSAS CITY, MO\nUSA" && records[2].lineNumber == 5)
    }

    @Test("given a header that names a column the mapping reads twice, then the import is refused naming the column and its positions")
    func duplicatedHeaderIsAnError() async throws {
        let csv = "id,date,time,offence,x,y,address,offence\n" + Self.good(1) + ",shooting\n"
        let store = InMemoryIncidentStore()
        await #expect(throws: IngestError.duplicateColumn(mapping: "tiny-address", field: "offence", name: "offence", columns: [4, 8])) {
            try await importText(csv, mapping: try await mapping, jurisdiction: try await kc, into: store)
        }
        #expect(IngestError.duplicateColumn(mapping: "tiny-address", field: "offence", name: "offence", columns: [4, 8]).description.contains("columns 4, 8"))
        #expect(try await store.batches().isEmpty)
        #expect(try await store.jurisdiction() == nil)
        // A duplicated column the mapping does not read is harmless.
        let unused = try await importText(Self.header + ",notes,notes\n" + Self.good(1) + ",a,b\n", mapping: try mapping, jurisdiction: try kc, into: store)
        #expect(unused.counts.incidentsImported == 1)
    }

    @Test("given rows holding NUL, ESC and DEL, when imported into each store, then they are quarantined as control_character naming line, field and character, and every row's text reads back byte for byte")
    func controlCharactersAreQuarantinedExactly() async throws {
        let nul = "2,2017-05-02,12:00,shooting,364610,4329158,1 MAIN\u{0}ST"
        let esc = "3,2017-05-03,12:00,shoot\u{1B}[2Jing,364620,4329158,2 MAIN ST"
        let del = "4,2017-05-04,12:00,shooting,364630,4329158,3 MAIN\u{7F}"
        let tab = "5,2017-05-05,12:00,shooting,364640,4329158,\"4\tMAIN\r\nST \u{85}\""
        let csv = [Self.header, Self.good(1), nul, esc, del, tab].joined(separator: "\n") + "\n"
        for store in [InMemoryIncidentStore() as any IncidentStore, try SQLiteIncidentStore(), try SQLiteIncidentStore(path: try Self.newDatabasePath())] {
            let batch = try await importText(csv, mapping: try mapping, jurisdiction: try kc, into: store)
            #expect(batch.counts.incidentsImported == 2 && batch.counts.rejectedByReason == [.controlCharacter: 3], "\(type(of: store))")
            let q = try await store.quarantinedRows(batchID: batch.id, reason: .controlCharacter, limit: 10, offset: 0)
            #expect(q.map(\.rawRow) == [nul, esc, del])
            #expect(q.map { Array($0.rawRow.utf8) } == [nul, esc, del].map { Array($0.utf8) })
            #expect(q.map(\.field) == ["address", "offence", "address"])
            #expect(q[0].message.contains("line 3") && q[0].message.contains("NUL (U+0000)"), "\(q[0].message)")
            #expect(q[1].message.contains("line 4") && q[1].message.contains("ESC (U+001B)"))
            #expect(q[2].message.contains("DEL (U+007F)"))
            #expect(q[1].value == "shoot\u{1B}[2Jing" && q[2].value == "3 MAIN\u{7F}")
            let kept = try await #require(try store.incident(IncidentID(source: "tiny", recordID: "5")))
            #expect(kept.address.map { Array($0.utf8) } == Array("4\tMAIN\r\nST \u{85}".utf8))
            #expect(Array(kept.rawRow.utf8) == Array(tab.utf8))
        }
    }

    @Test("given a header holding a control character, then the import is refused naming the column and character")
    func controlCharacterInHeader() async throws {
        let csv = "id,date,time,offence,x,y,addr\u{1B}]0;pwned\u{7}ess\n" + Self.good(1) + "\n"
        await #expect {
            try await importText(csv, mapping: try mapping, jurisdiction: try kc, into: InMemoryIncidentStore())
        } throws: { error in
            guard case IngestError.invalidHeader(_, let reason) = error else { return false }
            return reason.contains("column 7") && reason.contains("ESC (U+001B)") && !reason.contains("\u{1B}")
        }
    }

    @Test("given a new SQLite database, when the first import fails half-way, then no jurisdiction is bound; when an import succeeds, it binds the importer's; an import for another is refused and audited imports log who ran them")
    func jurisdictionBindsWithTheImport() async throws {
        struct Failing: ByteChunkSource {
            var served = 0
            mutating func nextChunk() throws -> [UInt8] {
                defer { served += 1 }
                if served == 0 { return Array((ImportLimitsTests.header + "\n" + ImportLimitsTests.good(1) + "\n").utf8) }
                throw IngestError.unreadableFile(path: "failing", reason: "disk went away")
            }
        }
        let path = try Self.newDatabasePath()
        let store = try SQLiteIncidentStore(path: path)
        let chicago = try Presets.jurisdiction("chicago")
        let info = ImportBatchInfo(source: "tiny", mappingName: "tiny-address", fileName: "f.csv", fileSHA256: "bind", startedAt: testNow)
        await #expect(throws: IngestError.self) {
            try await Importer(mapping: try await mapping, jurisdiction: chicago, now: testNow).importRecords(CSVReader(source: Failing()), info: info, into: store)
        }
        #expect(try await SQLiteIncidentStore(path: path).jurisdiction() == nil)
        let importer = Importer(mapping: try mapping, jurisdiction: try kc, now: testNow, auditActor: "cli:tester (zonecast import)")
        let batch = try await importer.importRecords(CSVReader(source: MemoryChunkSource(Self.header + "\n" + Self.good(1) + "\n")), info: info, into: store)
        await #expect(try SQLiteIncidentStore(path: path).jurisdiction()?.name == "kansas-city")
        let audit = try await store.latestAuditEntries(limit: 5)
        #expect(audit.count == 1 && audit[0].subject == "import batch \(batch.id)" && audit[0].actor == "cli:tester (zonecast import)")
        var other = info
        other.fileSHA256 = "other"
        await #expect(throws: StoreError.jurisdictionMismatch(stored: "kansas-city", requested: "chicago")) {
            try await Importer(mapping: try await mapping, jurisdiction: chicago, now: testNow)
                .importRecords(CSVReader(source: MemoryChunkSource(Self.header + "\n" + Self.good(1) + "\n")), info: other, into: store)
        }
    }

    @Test("given text with terminal escapes, bidi overrides and backslashes, then the visible form shows each as an escape and holds no control character")
    func visibleText() async {
        #expect(ImportText.visible("a\u{1B}[31mb") == "a\\u{1B}[31mb")
        #expect(ImportText.visible("x\u{0}y\u{9B}z\u{202E}") == "x\\u{0}y\\u{9B}z\\u{202E}")
        #expect(ImportText.visible("back\\slash") == "back\\\\slash")
        #expect(ImportText.visible("plain caf\u{E9}") == "plain caf\u{E9}")
        #expect(!ImportText.visible("\u{7}\u{8}\u{7F}\u{85}\n\t").unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }
}
