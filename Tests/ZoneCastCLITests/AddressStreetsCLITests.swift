import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastIngest
import ZoneCastOperations
import ZoneCastServices
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastStreets
@testable import ZoneCastCLI
import ArgumentParser

@Suite("Streets derived from addresses: zonecast streets derive and Kansas City's GVA and FARS records", .serialized)
struct AddressStreetsCLITests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared = repoRoot.appendingPathComponent("../shared/data").standardizedFileURL
    static let gva = shared.appendingPathComponent("kc_gva_shootings_2014_2018/gva_kansas_city_mo_2013_2018.csv")
    static let fars = shared.appendingPathComponent("fars_2013_2015/fars_kc_mo_bbox_2013_2015.csv")
    static var kansasCityPresent: Bool { [gva, fars].allSatisfy { FileManager.default.fileExists(atPath: $0.path) } }

    /// The columns of both Kansas City files: GVA's address, FARS's trafficway and cross street, both positions.
    static let kansasCityColumns = AddressStreetColumns(
        address: ["address", "TWAY_ID"], secondName: ["TWAY_ID2"], latitude: ["latitude"], longitude: ["longitude", "LONGITUD"],
        classColumns: [StreetClassColumn(column: "ROAD_FNC", codes: .farsRoadFunction), StreetClassColumn(column: "FUNC_SYS", codes: .functionalSystem)])

    @Test("given a Kansas City database and two CSVs with bad rows, when streets derive runs on both, then streets are stored and the rows reported")
    func derivesFromTwoFiles() async throws {
        // Given: shootings on E 35th St and Prospect Ave (quoted note with a line break), and crashes on Prospect with codes.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("z.sqlite").path, key = dir.appendingPathComponent("audit.key").path
        let store = try SQLiteIncidentStore(path: path, auditKey: AuditKeyFile.load(key, create: true))
        try await store.setJurisdiction(try Presets.jurisdiction("kansas-city"))
        let shootings = dir.appendingPathComponent("shootings.csv"), crashes = dir.appendingPathComponent("crashes.csv")
        try """
            incident_id,address,latitude,notes,longitude
            1,3100 block of E 35th St,39.0600,"two lines
            of notes",-94.5600
            2,E 35th St and Prospect Ave,39.0600,,-94.5550
            3,E. 35TH ST,39.0600,,-94.5500
            4,3300 Prospect Ave,,,-94.5550
            5,,39.0600,,-94.5500
            6,1234,39.0600,,-94.5500
            7,Main St,0,,0
            """.write(to: shootings, atomically: true, encoding: .utf8)
        try """
            ST_CASE,TWAY_ID,TWAY_ID2,ROAD_FNC,FUNC_SYS,LATITUDE,LONGITUD
            1,PROSPECT AVE,E 35TH ST,14.0,,39.0600,-94.5550
            2,PROSPECT AVE,,,4.0,39.0680,-94.5550
            3,PROSPECT AVE,,x,,39.0640,-94.5550
            4,I-70,,11,,39.08,777.7777
            """.write(to: crashes, atomically: true, encoding: .utf8)
        // When
        try await runInProcess(try ZoneCastCommand.parseAsRoot([
            "streets", "derive", shootings.path, crashes.path, "--address-column", "address,TWAY_ID", "--second-name-column", "TWAY_ID2",
            "--longitude-column", "longitude, LONGITUD", "--class-column", "ROAD_FNC=fars-road-fnc", "--class-column", "FUNC_SYS=func-sys",
            "--db", path, "--audit-key-file", key,
        ]))
        // Then: E 35th St from -94.5600 to -94.5500; Prospect Ave from 39.0600 to 39.0680, secondary (minor arterial, twice).
        let layer = try #require(try await store.streetLayer())
        #expect(layer.streets.map(\.name) == ["E 35th St", "Prospect Ave"])
        #expect(layer.streets.map(\.streetClass) == [.other, .secondary])
        // Clipping projects and unprojects, so positions are compared within 1e-7 degrees (about a centimetre).
        let want = [[(39.06, -94.56), (39.06, -94.55)], [(39.06, -94.555), (39.068, -94.555)]]
        #expect(layer.streets.count == want.count && zip(layer.streets, want).allSatisfy { street, line in
            street.points.count == line.count
                && zip(street.points, line).allSatisfy { abs($0.latitude - $1.0) < 1e-7 && abs($0.longitude - $1.1) < 1e-7 }
        }, "\(layer.streets.map(\.points))")
        #expect(layer.source == "streets derived from addresses in shootings.csv, crashes.csv")
        let entry = try #require(try await store.latestAuditEntries(limit: 1).first)
        #expect(entry.detail.contains("2 streets derived from 11 rows; 6 rows skipped or partly used; clipped to kansas-city"), "\(entry.detail)")
    }

    @Test("given address CSV rows with faults when read then each is reported by file line, field and value, and the good rows are kept")
    func badRows() throws {
        // Given
        let text = """
            address,latitude,longitude,ROAD_FNC
            Troost Ave,39.05,-94.57,13
            ,39.05,-94.57,13
            Troost Ave,north,-94.57,13
            1234,39.05,-94.57,13
            Troost Ave,39.06,-94.57,42
            Troost Ave,39.06
            """
        let columns = AddressStreetColumns(classColumns: [StreetClassColumn(column: "ROAD_FNC", codes: .farsRoadFunction)])
        // When
        let read = try AddressStreetCSV.read(text: text, source: "t.csv", columns: columns)
        // Then
        #expect(read.rowCount == 6)
        #expect(read.problems.map(\.featureIndex) == [1, 2, 3, 4, 5])
        #expect(read.problems.map(\.field) == ["address", "latitude", "address", "ROAD_FNC", "row"])
        #expect(read.problems.map(\.value) == ["", "north", "1234", "42", "Troost Ave,39.06"])
        #expect(read.problems.map { $0.reason.prefix(10) } == ["t.csv line", "t.csv line", "t.csv line", "t.csv line", "t.csv line"])
        #expect(read.problems[0].reason.hasPrefix("t.csv line 3: "))
        #expect(read.observations.map(\.streetClass) == [.primary, nil])
        #expect(throws: IngestError.self) {
            try AddressStreetCSV.read(text: "street,lat,lon\nA,1,2\n", source: "x.csv", columns: AddressStreetColumns())
        }
        #expect(throws: IngestError.self) { try StreetClassColumn(parsing: "ROAD_FNC=fars") }
    }

    @Test("given Kansas City's GVA shootings and FARS crashes, when streets are derived, then known streets are there and a zone at Prospect & 35th names them",
          .enabled(if: AddressStreetsCLITests.kansasCityPresent,
                   "../shared/data (kc_gva_shootings_2014_2018, fars_2013_2015) is absent (shared data not mounted); skipping"))
    func kansasCity() async throws {
        // Given: both files derived, clipped to Kansas City, stored in memory.
        let jurisdiction = try Presets.jurisdiction("kansas-city")
        let store = InMemoryIncidentStore()
        let report = try await StreetImport.runDerived([try InputFile(path: Self.gva.path), try InputFile(path: Self.fars.path)],
                                                       columns: Self.kansasCityColumns, jurisdiction: jurisdiction, store: store,
                                                       clock: { Date(timeIntervalSince1970: 1_764_000_000) })
        let names = Set(report.layer.streets.map(\.name))
        print("Kansas City derived streets: \(report.featureCount) rows, \(report.problems.count) problems, \(report.streetsRead) pieces, "
              + "\(report.layer.streets.count) kept in the city under \(names.count) names; by class: "
              + report.layer.streetCountsByClass.map { "\($0.streetClass.rawValue) \($0.count)" }.joined(separator: ", "))
        print("Kansas City derived names: \(names.sorted().joined(separator: "; "))")
        // Then: arterials of the east side and two interstates; numbered streets with or without their "E" (a piece is
        // named with a direction only when a third of its addresses wrote one).
        for name in ["Prospect Ave", "Troost Ave", "I-70", "I-435"] {
            #expect(names.contains(name), "\(name) missing")
        }
        for name in ["35th St", "31st St"] {
            #expect(names.contains(name) || names.contains("E " + name), "\(name) missing")
        }
        let layer = try #require(try await ZoneLocations.streetLayer(in: store, jurisdiction: jurisdiction))
        // A zone of 4 x 4 cells of 100 m whose south-west corner is where GVA geocodes E 35th St and Prospect Ave.
        let corner = try #require(try Self.gvaPosition(of: ["35TH", "PROSPECT"]))
        let p = jurisdiction.projection.prepared().project(corner)
        let grid = Grid(originX: p.xMeters, originY: p.yMeters, cellSizeMeters: 100, columns: 4, rows: 4)
        // When
        let location = ZoneLocations.standard(for: jurisdiction).location(ofCells: Array(0..<16), grid: grid, projection: jurisdiction.projection,
                                                                          layer: layer)
        // Then
        print("Kansas City zone NE of E 35th St & Prospect Ave: \(location.locationDescription)")
        #expect(location.usedStreetLayer)
        #expect(location.boundingStreets.west == "Prospect Ave", "\(location.boundingStreets)")
        #expect(location.boundingStreets.south?.hasSuffix("35th St") == true, "\(location.boundingStreets)")
        #expect(location.locationDescription.contains("Prospect Ave") && location.locationDescription.contains("35th St"))
    }

    /// The mean position of the GVA rows whose address names exactly these two street bases.
    static func gvaPosition(of bases: Set<String>) throws -> GeoPoint? {
        let read = try AddressStreetCSV.read(try InputFile(path: gva.path), columns: kansasCityColumns)
        let hits = read.observations.filter { Set(AddressStreetNames.streets(in: $0.address).map(\.base)) == bases }.map(\.point)
        guard !hits.isEmpty else { return nil }
        return GeoPoint(latitude: hits.map(\.latitude).reduce(0, +) / Double(hits.count),
                        longitude: hits.map(\.longitude).reduce(0, +) / Double(hits.count))
    }
}
