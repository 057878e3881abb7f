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

@Suite("Streets from named intersections: zonecast streets import FILE.csv and Chicago's real corners", .serialized)
struct IntersectionStreetsCLITests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let chicagoCSV = repoRoot.appendingPathComponent("../shared/data/chicago_street_intersections/chicago_intersections.csv")
        .standardizedFileURL
    static var chicagoPresent: Bool { FileManager.default.fileExists(atPath: chicagoCSV.path) }

    @Test("given a Chicago database and a .csv of intersections with a bad row, when streets import runs, then the streets are stored and the row is skipped, not fatal")
    func importsCSV() async throws {
        // Given: three corners of the Loop in the file's columns, and one row without a latitude.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("z.sqlite").path, key = dir.appendingPathComponent("audit.key").path
        let store = try SQLiteIncidentStore(path: path, auditKey: AuditKeyFile.load(key, create: true))
        try await store.setJurisdiction(try Presets.jurisdiction("chicago"))
        let csv = dir.appendingPathComponent("loop.csv")
        try """
            intersection,street_1,street_2,zipcode,longitude,latitude
            N STATE ST & W MADISON ST,N STATE ST,W MADISON ST,60602,-87.62781,41.88204
            N DEARBORN ST & W MADISON ST,N DEARBORN ST,W MADISON ST,60602,-87.6294,41.882
            N STATE ST & W WASHINGTON ST,N STATE ST,W WASHINGTON ST,60602,-87.62787,41.88322
            N CLARK ST & W MADISON ST,N CLARK ST,W MADISON ST,60602,-87.63088,
            """.write(to: csv, atomically: true, encoding: .utf8)
        // When
        try await runInProcess(try ZoneCastCommand.parseAsRoot(["streets", "import", csv.path, "--db", path, "--audit-key-file", key]))
        // Then: W Madison St from Dearborn east to State; N State St from Madison north to Washington.
        let layer = try #require(try await store.streetLayer())
        #expect(layer.streets.map(\.name) == ["N State St", "W Madison St"])
        #expect(layer.streets.map(\.points.count) == [2, 2])
        #expect(layer.streets.allSatisfy { $0.streetClass == .other })
        #expect(layer.source == "loop.csv")
        let entry = try #require(try await store.latestAuditEntries(limit: 1).first)
        #expect(entry.detail.contains("2 streets, 0 landmarks from 4 features; 1 skipped; clipped to chicago"), "\(entry.detail)")
    }

    @Test("given Chicago's named intersections imported for Chicago, when a zone covers the block NW of State & Madison, then it names its four streets",
          .enabled(if: IntersectionStreetsCLITests.chicagoPresent,
                   "../shared/data/chicago_street_intersections/chicago_intersections.csv is absent (shared data not mounted); skipping"))
    func chicagoBlock() async throws {
        // Given: the whole file read, clipped to Chicago, stored in memory.
        let data = try Data(contentsOf: Self.chicagoCSV)
        let jurisdiction = try Presets.jurisdiction("chicago")
        let read = try StreetReaders.intersections(data, source: "chicago_intersections.csv")
        let kept = StreetImport.clip(read, to: jurisdiction)
        let store = InMemoryIncidentStore()
        try await store.replaceStreetLayer(StoredStreetLayer(streets: kept.streets, landmarks: kept.landmarks, source: "chicago_intersections.csv",
                                                             importedAt: Date(timeIntervalSince1970: 1_764_000_000)))
        let layer = try #require(try await ZoneLocations.streetLayer(in: store, jurisdiction: jurisdiction))
        print("Chicago intersections: \(read.featureCount) rows, \(read.problems.count) skipped, \(read.streets.count) street pieces, "
              + "\(kept.streets.count) kept inside the jurisdiction, \(Set(kept.streets.map(\.name)).count) names")
        #expect(read.featureCount == 24_048)
        #expect(!layer.isEmpty)
        // The block west of State St and north of Madison St, corners as the file gives them.
        let rows = String(decoding: data, as: UTF8.self).split { $0 == "\n" || $0 == "\r\n" }
        func corner(_ name: String) throws -> GeoPoint {
            let fields = try #require(rows.first { $0.hasPrefix(name + ",") }).split(separator: ",", omittingEmptySubsequences: false)
            return GeoPoint(latitude: try #require(Double(fields[5])), longitude: try #require(Double(fields[4])))
        }
        let p = jurisdiction.projection.prepared()
        let corners = try ["N DEARBORN ST & W MADISON ST", "N DEARBORN ST & W WASHINGTON ST", "N STATE ST & W MADISON ST",
                           "N STATE ST & W WASHINGTON ST"].map { try p.project(corner($0)) }
        let minX = corners.map(\.xMeters).min()!, maxX = corners.map(\.xMeters).max()!
        let minY = corners.map(\.yMeters).min()!, maxY = corners.map(\.yMeters).max()!
        let cellSize = min(maxX - minX, maxY - minY) / 4
        let grid = Grid(originX: minX, originY: minY, cellSizeMeters: cellSize, columns: 4, rows: 4)
        // When
        let location = ZoneLocations.standard(for: jurisdiction).location(ofCells: Array(0..<16), grid: grid, projection: jurisdiction.projection,
                                                                          layer: layer)
        // Then
        print("Chicago block: \(location.locationDescription)")
        #expect(location.usedStreetLayer)
        #expect(location.boundingStreets == BoundingStreets(north: "W Washington St", south: "W Madison St", west: "N Dearborn St", east: "N State St"))
        #expect(location.locationDescription.hasPrefix("W Washington St to W Madison St, between N Dearborn St and N State St."),
                "\(location.locationDescription)")
    }
}
