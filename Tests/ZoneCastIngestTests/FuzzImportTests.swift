import Foundation
import Testing
import ZoneCastTestSupport
import ZoneCastCore
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastIngest

/// Seeded fuzzing of the CSV reader, the importer and mapping files. Fixed seeds and budgets: every run tries the same
/// inputs, and the counts printed are the same each time.
@Suite("Fuzz: CSV import and mapping files")
struct FuzzImportTests {
    static let kcpdHeader = "Report_No,Reported_Date,Reported_Time,From_Date,From_Time,To_Date,To_Time,Offense,IBRS,Description,Beat,Address,City,Zip Code,Rep_Dist,Area,DVFlag,Invl_No,Involvement,Race,Sex,Age,Firearm Used Flag,Location"

    /// A small KCPD export in the 2015-2018 shape: persons merged by Report_No, a quoted multi-line Location, rows that
    /// are quarantined for each common reason.
    static let kcpdSeed: String = {
        var rows = [kcpdHeader]
        let offences = ["1301,13A,Aggravated Assault", "0901,09A,HOMICIDE/Non Negl", "1200,120,Armed Robbery", "9999,ZZZ,Mystery Offence"]
        for k in 0..<24 {
            let lat = 39.02 + Double(k % 7) * 0.011, lon = -94.60 + Double(k % 5) * 0.013
            let day = 1 + k % 27, hour = k % 24
            let location = k % 3 == 0 ? "\"\(100 + k) MAIN ST\nKANSAS CITY 64105\n(\(lat), \(lon))\"" : "\"(\(lat), \(lon))\""
            rows.append("\(170_000 + k / 2),01/\(String(format: "%02d", day))/2017,\(hour):10,01/\(String(format: "%02d", day))/2017,\(hour):00,,,\(offences[k % offences.count]),1,\(100 + k) MAIN ST,KANSAS CITY,64105,P,C,N,\(1 + k % 2),VIC,B,M,\(20 + k),\(k % 4 == 0 ? "Y" : "N"),\(location)")
        }
        rows.append("170900,01/06/2017,10:00")  // malformed
        rows.append("170901,01/06/2030,10:00,01/06/2030,09:00,,,1301,13A,Aggravated Assault,1,1 A ST,KANSAS CITY,64105,P,C,N,1,VIC,B,M,20,N,\"(39.05, -94.55)\"")
        rows.append("170902,01/06/2017,10:00,01/06/2017,09:00,,,1301,13A,Aggravated Assault,1,1 A ST,KANSAS CITY,64105,P,C,N,1,VIC,B,M,20,N,\"(27.95, -82.45)\"")
        return rows.joined(separator: "\n") + "\n"
    }()

    static let tinySeed = "id,date,time,offence,x,y\n" + (0..<20).map { k in
        "\(k),2017-05-\(String(format: "%02d", 1 + k)),\(k % 3 == 0 ? "99:99" : "1\(k % 10):30"),\(["shooting", "dui", "unknown thing"][k % 3]),\(364_600 + 37 * k).5,\(4_329_158 + 53 * k)"
    }.joined(separator: "\n") + "\n"

    /// Reads a source that fails after `failAfter` chunks, as a disk or pipe would.
    struct FlakySource: ByteChunkSource {
        var inner: MemoryChunkSource
        var failAfter: Int
        var served = 0
        mutating func nextChunk() throws -> [UInt8] {
            if served >= failAfter { throw IngestError.unreadableFile(path: "fuzz.csv", reason: "read failed after \(served) chunks") }
            served += 1
            return try inner.nextChunk()
        }
    }

    /// Non-blank records after the header, read independently of the importer.
    static func dataRecords(_ bytes: [UInt8], limits: CSVLimits = .standard) throws -> Int {
        var reader = CSVReader(source: MemoryChunkSource(bytes: bytes, chunkSize: 4_096), limits: limits)
        var n = 0
        while try reader.next() != nil { n += 1 }
        return max(0, n - 1)
    }

    struct Snapshot: Equatable {
        var incidents: Int, batches: Int, quarantined: Int, version: Int64
        init(_ store: any IncidentStore) async throws {
            incidents = try await store.countIncidents(.all)
            batches = try await store.batches().count
            quarantined = try await store.summary().quarantinedByReason.values.reduce(0, +)
            version = try await store.dataVersion()
        }
    }

    /// How many inputs share a pair of stores before fresh ones are opened.
    static let inputsPerStore = 50

    /// Imports mutated copies of `seed` into both stores and checks the invariants; returns (accepted, rejected with an error).
    func fuzzImport(seed: String, mapping: Mapping, jurisdiction: Jurisdiction, rngSeed: UInt64, inputs: Int, label: String,
                    limits: CSVLimits = .standard, mutate: ((inout FuzzMutator, [UInt8]) -> [UInt8])? = nil) async throws -> (Int, Int) {
        var m = FuzzMutator(seed: rngSeed)
        var memory = InMemoryIncidentStore()
        var sqlite = try SQLiteIncidentStore()
        try await memory.setJurisdiction(jurisdiction)
        try await sqlite.setJurisdiction(jurisdiction)
        let importer = Importer(mapping: mapping, jurisdiction: jurisdiction, now: testNow)
        let base = Array(seed.utf8)
        var accepted = 0, rejected = 0, rows = 0, quarantined = 0
        for n in 0..<inputs {
            // Fresh stores every `inputsPerStore` inputs: later files still meet the records of earlier ones (merges,
            // repeats, unchanged rows), but each check reads a bounded store rather than everything imported so far.
            if n > 0, n % Self.inputsPerStore == 0 {
                memory = InMemoryIncidentStore()
                sqlite = try SQLiteIncidentStore()
                try await memory.setJurisdiction(jurisdiction)
                try await sqlite.setJurisdiction(jurisdiction)
            }
            let bytes = mutate.map { $0(&m, base) } ?? m.mutate(base, rounds: 1 + m.int(6))
            let expected = try Self.dataRecords(bytes, limits: limits)
            var quarantinedText: [[[UInt8]]] = []
            // One input in eight fails half-way through reading, to check the rollback.
            let failAfter = m.chance(12) ? 1 + m.int(max(1, bytes.count / 97)) : Int.max
            let started = Date()
            defer {
                // Not an assertion (timings vary): names an input that took long, so a hang-like slowdown is visible.
                if Date().timeIntervalSince(started) > 2 { print("fuzz \(label) #\(n): \(bytes.count) bytes took \(Date().timeIntervalSince(started)) s") }
            }
            for store in [memory as any IncidentStore, sqlite as any IncidentStore] {
                let before = try await Snapshot(store)
                let info = ImportBatchInfo(source: mapping.source, mappingName: mapping.name, fileName: "fuzz-\(n).csv", fileSHA256: "fuzz-\(rngSeed)-\(n)", startedAt: testNow)
                do {
                    let reader = CSVReader(source: FlakySource(inner: MemoryChunkSource(bytes: bytes, chunkSize: 97), failAfter: failAfter), limits: limits)
                    let batch = try await importer.importRecords(reader, info: info, into: store)
                    let c = batch.counts
                    #expect(c.rowsRead == c.incidentsImported + c.rowsMerged + c.rowsUnchanged + c.rowsStillQuarantined + c.rowsRejected, "\(label) #\(n): rows not counted once: \(c)")
                    #expect(c.rowsRead == expected, "\(label) #\(n): read \(c.rowsRead) rows, the file holds \(expected)")
                    let after = try await Snapshot(store)
                    #expect(after.incidents == before.incidents + c.incidentsImported, "\(label) #\(n): \(c.incidentsImported) imported but the store grew by \(after.incidents - before.incidents)")
                    #expect(after.batches == before.batches + 1)
                    let q = try await store.quarantinedRows(batchID: batch.id, reason: nil, limit: 1_000_000, offset: 0)
                    #expect(q.count == c.rowsRejected, "\(label) #\(n): \(c.rowsRejected) rejected, \(q.count) quarantined")
                    #expect(q.allSatisfy { !$0.message.isEmpty && $0.lineNumber >= 1 }, "\(label) #\(n): a quarantined row without a message or line")
                    quarantinedText.append(q.map { Array($0.rawRow.utf8) })
                    // No incident may hold a control character the stores cannot keep verbatim (ImportText's rule).
                    let held = try await store.incidents(IncidentQuery(includeRawRow: true)).filter { $0.batchID == batch.id }
                    #expect(held.allSatisfy { ImportText.firstForbidden(in: $0.rawRow) == nil && ImportText.firstForbidden(in: $0.address ?? "") == nil },
                            "\(label) #\(n): an incident holds a control character")
                    if store is SQLiteIncidentStore { accepted += 1; rows += c.rowsRead; quarantined += c.rowsRejected }
                } catch let error as IngestError {
                    #expect(!error.description.isEmpty)
                    if case .unreadableFile(let path, _) = error { #expect(path == "fuzz.csv" && failAfter != .max) }
                    if case .missingColumn(_, let field, _, _) = error { #expect(!field.isEmpty && error.description.contains(field)) }
                    if case .invalidMapping(_, let reason) = error { #expect(!reason.isEmpty) }
                    await #expect(try Snapshot(store) == before, "\(label) #\(n): \(error) left part of the batch behind")
                    if store is SQLiteIncidentStore { rejected += 1 }
                } catch let error as StoreError {
                    #expect(!error.description.isEmpty)
                    await #expect(try Snapshot(store) == before, "\(label) #\(n): \(error) left part of the batch behind")
                    if store is SQLiteIncidentStore { rejected += 1 }
                } catch {
                    Issue.record("\(label) #\(n): unexpected error type \(type(of: error)): \(error)")
                }
            }
            // Every store keeps a quarantined row's text exactly, so both hold the same bytes.
            if quarantinedText.count == 2 { #expect(quarantinedText[0] == quarantinedText[1], "\(label) #\(n): quarantined text differs between stores") }
        }
        print("fuzz \(label): \(inputs) inputs (x2 stores), \(accepted) accepted (\(rows) rows read, \(quarantined) quarantined), \(rejected) rejected with errors")
        return (accepted, rejected)
    }

    @Test("given 800 mutated KCPD exports (quotes, commas, newlines, NULs, invalid UTF-8, huge fields, truncation, duplicated lines, failing reads), when imported into memory and SQLite, then nothing crashes, every row is counted once, errors name the field and leave nothing behind")
    func kcpdImports() async throws {
        let (accepted, rejected) = try await fuzzImport(seed: Self.kcpdSeed, mapping: try Presets.mapping(named: "kcpd"), jurisdiction: try Presets.jurisdiction("kansas-city"),
                                                  rngSeed: 0x7A0E_CA57, inputs: 800, label: "csv kcpd")
        #expect(accepted > 300 && rejected > 30, "the mutator should produce both importable and refused files")
    }

    /// One hazard from issue #12 at a random place: a control byte (NUL, ESC, DEL...), invalid UTF-8, a field far over
    /// the limit, or a stray quote.
    static func injectHazard(_ m: inout FuzzMutator, _ input: [UInt8], limit: Int) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + m.int(3)) {
            let at = bytes.isEmpty ? 0 : m.int(bytes.count)
            switch m.int(4) {
            case 0: bytes.insert(m.pick([0x00, 0x01, 0x07, 0x08, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F]), at: at)
            case 1: bytes.insert(contentsOf: m.pick([[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80, 0x80]]), at: at)
            case 2: bytes.insert(contentsOf: [UInt8](repeating: m.pick([UInt8(ascii: "A"), 0x00, UInt8(ascii: "\"")]), count: limit + 1 + m.int(3 * limit)), at: at)
            default: bytes.insert(UInt8(ascii: "\""), at: at)
            }
        }
        return bytes
    }

    @Test("given 400 KCPD exports with injected NUL and control bytes, invalid UTF-8, fields over a 300-byte limit and unbalanced quotes, when imported into memory and SQLite, then nothing traps, every row is counted once, no incident holds a control character, and quarantined rows read back with the same bytes in both stores")
    func hazardImports() async throws {
        let limits = CSVLimits(maxFieldBytes: 300, maxRecordBytes: 2_000)
        let (accepted, _) = try await fuzzImport(seed: Self.kcpdSeed, mapping: try Presets.mapping(named: "kcpd"), jurisdiction: try Presets.jurisdiction("kansas-city"),
                                           rngSeed: 0x12_5EC0, inputs: 400, label: "csv hazards", limits: limits,
                                           mutate: { m, base in Self.injectHazard(&m, base, limit: 300) })
        #expect(accepted > 200, "most hazards land in data rows, which are quarantined rather than refusing the file")
    }

    @Test("given 800 mutated x/y exports in a projected CRS with unknown-time codes, when imported, then the same invariants hold")
    func projectedImports() async throws {
        let mapping = try Mapping.decode(Data(ImporterTests.mappingJSON.utf8), file: "tiny.json")
        let (accepted, _) = try await fuzzImport(seed: Self.tinySeed, mapping: mapping, jurisdiction: try Presets.jurisdiction("kansas-city"),
                                           rngSeed: 0x51DE_0F5E, inputs: 800, label: "csv x/y")
        #expect(accepted > 300)
    }

    @Test("given 3,000 byte-mutated CSV texts read in chunks of 1 to 97 bytes, then the reader returns the same records as reading it whole and never hangs")
    func readerChunking() async throws {
        var m = FuzzMutator(seed: 0xC5F0)
        let base = Array(Self.kcpdSeed.utf8)
        var records = 0
        for n in 0..<3_000 {
            let bytes = m.mutate(base, rounds: 1 + m.int(8))
            var whole = CSVReader(source: MemoryChunkSource(bytes: bytes))
            var small = CSVReader(source: MemoryChunkSource(bytes: bytes, chunkSize: 1 + m.int(97)))
            var count = 0
            while true {
                let a = try whole.next(), b = try small.next()
                #expect(a?.fields == b?.fields && a?.raw == b?.raw && a?.lineNumber == b?.lineNumber, "input #\(n): chunking changed a record")
                guard let a, b != nil else { #expect(a == nil && b == nil); break }
                count += 1
                #expect(count <= bytes.count + 1, "input #\(n): more records than bytes")
                if count > bytes.count + 1 { break }
            }
            records += count
        }
        print("fuzz csv reader: 3000 inputs, \(records) records, all identical across chunk sizes")
        // The same with hazards and small limits: cuts and skips do not depend on where chunks end.
        let limits = CSVLimits(maxFieldBytes: 300, maxRecordBytes: 2_000)
        for n in 0..<1_000 {
            let bytes = Self.injectHazard(&m, base, limit: 300)
            var whole = CSVReader(source: MemoryChunkSource(bytes: bytes, chunkSize: 1 << 20), limits: limits)
            var small = CSVReader(source: MemoryChunkSource(bytes: bytes, chunkSize: 1 + m.int(97)), limits: limits)
            var count = 0
            while true {
                let a = try whole.next(), b = try small.next()
                #expect(a?.raw == b?.raw && a?.lineNumber == b?.lineNumber && a?.problem == b?.problem, "hazard input #\(n): chunking changed a record")
                guard a != nil, b != nil else { #expect(a == nil && b == nil); break }
                count += 1
                if count > bytes.count + 1 { Issue.record("hazard input #\(n): more records than bytes"); break }
            }
        }
    }

    @Test("given 3,000 structurally mutated preset mapping files, when decoded and compiled against the KCPD header, then each compiles or throws an IngestError naming the file and the field")
    func mappingFiles() async throws {
        var m = FuzzMutator(seed: 0x3A99_1261)
        let presets = Presets.names
        let kc = try Presets.jurisdiction("kansas-city")
        let header = Self.kcpdHeader.split(separator: ",").map(String.init)
        var compiled = 0, refused = 0, byBytes = 0
        for n in 0..<3_000 {
            let name = presets[n % presets.count]
            let original = try Presets.mapping(named: name)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys  // the same bytes in every process (dictionary order is seeded per run)
            let json = try encoder.encode(original)
            let text: [UInt8]
            if m.chance(25) {
                byBytes += 1
                text = m.mutate(Array(json), rounds: 1 + m.int(4))
            } else {
                let tree = FuzzMutator.Tree(try JSONDecoder().decode(JSONValue.self, from: json))
                text = Array(m.mutate(tree, rounds: 1 + m.int(4)).text.utf8)
            }
            do {
                let mapping = try Mapping.decode(Data(text), file: "fuzz-\(n).json")
                _ = try CompiledMapping(mapping: mapping, header: header, jurisdiction: kc, now: testNow)
                compiled += 1
            } catch let error as IngestError {
                refused += 1
                switch error {
                case .invalidMapping(let file, let reason):
                    #expect((file == "fuzz-\(n).json" || !file.isEmpty) && !reason.isEmpty, "#\(n): \(error)")
                    if file == "fuzz-\(n).json" {
                        // A decode failure says where: a key path, "top level", or the JSON error.
                        #expect(reason.contains(".") || reason.contains("top level") || reason.contains("[") || reason.contains("JSON") || reason.contains("key"), "#\(n): \(reason)")
                    }
                case .missingColumn(_, let field, _, _): #expect(!field.isEmpty)
                default: Issue.record("#\(n): unexpected \(error)")
                }
            } catch {
                refused += 1
                #expect(!"\(error)".isEmpty, "#\(n)")
                Issue.record("#\(n): not an IngestError: \(type(of: error)) \(error)")
            }
        }
        print("fuzz mapping files: 3000 inputs (\(byBytes) byte-level), \(compiled) accepted, \(refused) rejected with errors")
        #expect(compiled > 0 && refused > 0)
    }
}
