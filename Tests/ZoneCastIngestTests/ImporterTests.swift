import Foundation
import Testing
import ZoneCastCore
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastIngest

@Suite("Importer")
struct ImporterTests {
    static let mappingJSON = """
    {
      "name": "tiny", "source": "tiny",
      "recordID": {"columns": ["id"]},
      "occurred": {"date": {"column": "date", "formats": ["yyyy-MM-dd"]}, "time": {"column": "time", "formats": ["HH:mm"]}, "unknownTimeValues": ["99:99"]},
      "offence": "offence",
      "categories": [
        {"when": {"offence": ["shooting"]}, "category": "non_fatal_shooting"},
        {"when": {"offence": ["dui"]}, "category": "other", "policeInitiated": true}
      ],
      "location": [{"x": "x", "y": "y", "crs": "EPSG:32615"}]
    }
    """

    var mapping: Mapping { get throws { try Mapping.decode(Data(Self.mappingJSON.utf8), file: "tiny.json") } }
    var kc: Jurisdiction { get throws { try Presets.jurisdiction("kansas-city") } }

    @Test("given x/y in a named CRS (UTM 15N), then positions are converted to WGS84 and the local projection")
    func projectedCoordinates() async throws {
        // 363600.8129 E, 4329158.0021 N in UTM 15N is 39.1009 N, 94.5774 W (pyproj 3.7.2) - 1100 Locust, the HQ.
        // Shift 1 km east so it is not the default location.
        let csv = "id,date,time,offence,x,y\n1,2017-05-01,12:00,shooting,364600.8129,4329158.0021\n"
        let store = InMemoryIncidentStore()
        try await importText(csv, mapping: try mapping, jurisdiction: try kc, into: store)
        let i = try await #require(try store.incident(IncidentID(source: "tiny", recordID: "1")))
        #expect(abs(i.location.latitude - 39.1009) < 0.001)
        let local = try kc.projection.project(i.location)
        #expect(abs(i.position.xMeters - local.xMeters) < 1e-6)
    }

    @Test("given an unknown-time code, then the incident keeps its date at day precision with a warning")
    func unknownTime() async throws {
        let csv = "id,date,time,offence,x,y\n1,2017-05-01,99:99,shooting,364600,4329158\n2,2017-05-01,,dui,364700,4329158\n"
        let store = InMemoryIncidentStore()
        let b = try await importText(csv, mapping: try mapping, jurisdiction: try kc, into: store)
        #expect(b.counts.warnings == ["time_unknown_day_precision": 1, "time_missing_day_precision": 1])
        #expect(try await store.incident(IncidentID(source: "tiny", recordID: "1"))?.occurredPrecision == .day)
        #expect(try await store.incident(IncidentID(source: "tiny", recordID: "2"))?.policeInitiated == true)
    }

    @Test("given a mapping whose column is missing from the header, then the error names the field, the candidates and the header")
    func missingColumn() async throws {
        let csv = "ident,date,time,offence,x,y\n1,2017-05-01,12:00,shooting,1,1\n"
        await #expect(throws: IngestError.missingColumn(mapping: "tiny", field: "recordID", candidates: ["id"], header: ["ident", "date", "time", "offence", "x", "y"])) {
            try await importText(csv, mapping: try await mapping, jurisdiction: try await kc, into: InMemoryIncidentStore())
        }
    }

    @Test("given a malformed mapping file, then the error names the missing key")
    func malformedMapping() async {
        #expect {
            try Mapping.decode(Data(#"{"name": "x", "source": "x"}"#.utf8), file: "bad.json")
        } throws: { error in
            "\(error)".contains("bad.json") && "\(error)".contains("recordID")
        }
    }

    @Test("given the injected import time, then rows dated after it are future_date")
    func futureDates() async throws {
        let csv = "id,date,time,offence,x,y\n1,2017-05-01,12:00,shooting,364600,4329158\n"
        let store = InMemoryIncidentStore()
        let b = try await importText(csv, mapping: try mapping, jurisdiction: try kc, into: store, now: Date(timeIntervalSince1970: 1_400_000_000))
        #expect(b.counts.rejectedByReason == [.futureDate: 1])
    }

    @Test("given a file on disk imported into SQLite, when imported again, then the second run reports already imported and adds nothing")
    func idempotentFile() async throws {
        let path = try writeTemp("id,date,time,offence,x,y\n1,2017-05-01,12:00,shooting,364600,4329158\n2,2017-05-02,13:00,unknown thing,364600,4329158\n")
        let dbPath = (path as NSString).deletingLastPathComponent + "/z.sqlite"
        let importer = Importer(mapping: try mapping, jurisdiction: try kc, now: testNow)
        let first = try await importer.importFile(try InputFile(path: path), into: try SQLiteIncidentStore(path: dbPath))
        #expect(first.incidentsImported == 1 && first.rejectedByReason == ["unmapped_offence": 1])
        let reopened = try SQLiteIncidentStore(path: dbPath)
        let second = try await importer.importFile(try InputFile(path: path), into: reopened)
        #expect(second.alreadyImported && second.batchID == first.batchID)
        await #expect(try reopened.batches().count == 1)
        await #expect(try reopened.quarantinedRows(batchID: nil, reason: nil, limit: 10, offset: 0).count == 1)
        // An overlapping, longer export: old rows are recognised (the held one as held, the quarantined one as still
        // quarantined), only the new one lands.
        let longer = try writeTemp("id,date,time,offence,x,y\n1,2017-05-01,12:00,shooting,364600,4329158\n2,2017-05-02,13:00,unknown thing,364600,4329158\n3,2017-05-03,13:00,shooting,364700,4329158\n")
        let third = try await importer.importFile(try InputFile(path: longer), into: reopened)
        #expect(third.rowsUnchanged == 1 && third.rowsStillQuarantined == 1 && third.incidentsImported == 1 && third.rowsRejected == 0)
    }

    @Test("given an injected clock, then the batch's start and finish and the report's seconds come from it; without one, the batch is stamped with the import's now")
    func clockStampsTheBatch() async throws {
        let path = try writeTemp("id,date,time,offence,x,y\n1,2017-05-01,12:00,shooting,364600,4329158\n")
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        for store in [InMemoryIncidentStore() as any IncidentStore, try SQLiteIncidentStore()] {
            let ticks = TickingClock(start: start)
            let importer = Importer(mapping: try mapping, jurisdiction: try kc, now: testNow, clock: ticks.read)
            let report = try await importer.importFile(try InputFile(path: path), into: store)
            let batch = try await #require(try store.batches().last)
            #expect(batch.info.startedAt == start, "\(type(of: store))")
            // The store reads the importer's clock once the rows are written; the report's last reading comes after.
            #expect(batch.finishedAt > start && batch.finishedAt < ticks.latest, "\(type(of: store))")
            #expect(report.seconds == ticks.latest.timeIntervalSince(start), "\(type(of: store))")
        }
        let store = InMemoryIncidentStore()
        let report = try await Importer(mapping: try mapping, jurisdiction: try kc, now: testNow).importFile(try InputFile(path: path), into: store)
        let batch = try await #require(try store.batches().first)
        #expect(batch.info.startedAt == testNow && batch.finishedAt == testNow && report.seconds == 0)
    }

    @Test("given a source that fails after thousands of rows, then the SQLite store holds nothing of that import")
    func readFailureRollsBack() async throws {
        struct Failing: ByteChunkSource {
            var served = 0
            mutating func nextChunk() throws -> [UInt8] {
                defer { served += 1 }
                if served == 0 { return Array("id,date,time,offence,x,y\n".utf8) }
                if served > 50 { throw IngestError.unreadableFile(path: "failing", reason: "disk went away") }
                return Array((0..<100).map { "\(served * 1000 + $0),2017-05-01,12:00,shooting,\(364000 + $0),4329158\n" }.joined().utf8)
            }
        }
        let store = try SQLiteIncidentStore()
        let importer = Importer(mapping: try mapping, jurisdiction: try kc, now: testNow)
        let info = ImportBatchInfo(source: "tiny", mappingName: "tiny", fileName: "f", fileSHA256: "s", startedAt: testNow)
        await #expect(throws: IngestError.unreadableFile(path: "failing", reason: "disk went away")) {
            try await importer.importRecords(CSVReader(source: Failing()), info: info, into: store)
        }
        #expect(try await store.countIncidents(.all) == 0)
        #expect(try await store.batches().isEmpty)
    }

    @Test("every shipped preset decodes and names a shipped jurisdiction")
    func presetsDecode() async throws {
        #expect(Set(Presets.names).isSuperset(of: ["kcpd", "kcpd-2017-victims", "gva", "fars", "code", "chicago", "tempe-ems", "synthetic"]))
        for name in Presets.names {
            let m = try Presets.mapping(named: name)
            #expect(m.name == name)
            let j = try Presets.jurisdiction(try #require(m.jurisdiction))
            #expect(!j.boundary.polygons.isEmpty)
        }
    }

    @Test("given Location text in each KCPD form, then the point parses")
    func pointForms() async {
        #expect(CompiledLocation.parsePoint("1100 LOCUST ST\nKANSAS CITY 64106\n(39.1009, -94.5774)") == GeoPoint(latitude: 39.1009, longitude: -94.5774))
        #expect(CompiledLocation.parsePoint("POINT (-94.5774 39.1009)") == GeoPoint(latitude: 39.1009, longitude: -94.5774))
        #expect(CompiledLocation.parsePoint("(39.1009, -94.5774)") == GeoPoint(latitude: 39.1009, longitude: -94.5774))
        #expect(CompiledLocation.parsePoint("no coordinates here") == nil)
        #expect(CompiledLocation.parsePoint("POINT (abc)") == nil)
    }

    @Test("canonical values fold case and punctuation")
    func canonical() async {
        #expect(canonicalValue("Agg Assault - Drive") == "agg_assault_drive")
        #expect(canonicalValue("  Firearm Used Flag  ") == "firearm_used_flag")
        #expect(canonicalValue("HOMICIDE/Non Negl") == "homicide_non_negl")
    }
}

/// A clock one second later at every reading, for tests of what an import stamps and times.
final class TickingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var last: Date
    private var next: Date

    init(start: Date) {
        last = start
        next = start
    }

    /// The last reading handed out.
    var latest: Date { lock.withLock { last } }

    var read: @Sendable () -> Date {
        { [self] in
            lock.withLock {
                last = next
                next = next.addingTimeInterval(1)
                return last
            }
        }
    }
}
