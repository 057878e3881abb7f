import Foundation
import Testing
import ZoneCastCore
import ZoneCastIngest
import ZoneCastOperations
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastStreets
@testable import ZoneCastCLI
import ArgumentParser

@Suite("zonecast streets", .serialized)
struct StreetsCommandTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let helsinki = repoRoot.appendingPathComponent(".build/fixtures/Helsinki.osm.pbf")
    static var helsinkiMissing: String? {
        if !FileManager.default.fileExists(atPath: helsinki.path) { return "\(helsinki.path) is absent: run scripts/fetch-osm-fixture" }
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/osmium") { return "osmium is not installed (apt-get install osmium-tool)" }
        return nil
    }

    /// A SQLite database in `dir` bound to `jurisdiction`, and the arguments that reach it with a private audit key.
    func database(in dir: URL, jurisdiction: Jurisdiction?) async throws -> (path: String, args: [String]) {
        let path = dir.appendingPathComponent("z.sqlite").path
        let key = dir.appendingPathComponent("audit.key").path
        let store = try SQLiteIncidentStore(path: path, auditKey: AuditKeyFile.load(key, create: true))
        if let jurisdiction { try await store.setJurisdiction(jurisdiction) }
        return (path, ["--db", path, "--audit-key-file", key])
    }

    func store(_ path: String, dir: URL) throws -> SQLiteIncidentStore {
        try SQLiteIncidentStore(path: path, auditKey: AuditKeyFile.load(dir.appendingPathComponent("audit.key").path, create: false))
    }

    func feature(_ tags: String, _ geometry: String) -> String { #"{"type":"Feature","properties":{\#(tags)},"geometry":\#(geometry)}"# }

    /// Kansas City streets: Main St inside the city, one far outside (in Helsinki), a highway line of one point
    /// (a bad feature) and a footway (not a street), and a school inside the city.
    var kansasCityGeoJSON: String {
        let features = [
            feature(#""highway":"primary","name":"Main St""#, #"{"type":"LineString","coordinates":[[-94.585,39.09],[-94.585,39.10]]}"#),
            feature(#""highway":"residential","name":"Far Away Rd""#, #"{"type":"LineString","coordinates":[[24.94,60.17],[24.95,60.17]]}"#),
            feature(#""highway":"secondary","name":"Broken Ave""#, #"{"type":"LineString","coordinates":[[-94.58,39.1]]}"#),
            feature(#""highway":"footway","name":"Path""#, #"{"type":"LineString","coordinates":[[-94.58,39.09],[-94.58,39.10]]}"#),
            feature(#""amenity":"school","name":"Central High School""#, #"{"type":"Point","coordinates":[-94.57,39.08]}"#),
        ]
        return #"{"type":"FeatureCollection","features":[\#(features.joined(separator: ","))]}"#
    }

    @Test("given a Kansas City database and an OSM GeoJSON file, when imported, then streets inside the city are kept, the bad feature is skipped, and it is audited")
    func importClipsAndAudits() async throws {
        let dir = try temporaryDirectory()
        let (path, args) = try await database(in: dir, jurisdiction: try Presets.jurisdiction("kansas-city"))
        let file = dir.appendingPathComponent("kc.geojson")
        try kansasCityGeoJSON.write(to: file, atomically: true, encoding: .utf8)
        try await runInProcess(try ZoneCastCommand.parseAsRoot(["streets", "import", file.path] + args))
        let s = try store(path, dir: dir)
        let layer = try #require(try await s.streetLayer())
        #expect(layer.streets.map(\.name) == ["Main St"])
        #expect(layer.landmarks.map(\.name) == ["Central High School"])
        #expect(layer.source == "kc.geojson")
        let entry = try #require(try await s.latestAuditEntries(limit: 1).first)
        #expect(entry.action == AuditAction.importData.rawValue && entry.subject == "streets:kc.geojson")
        #expect(entry.detail.contains("1 streets, 1 landmarks from 5 features; 1 skipped; clipped to kansas-city"))
        #expect(try await s.verifyAuditChain().isIntact)
    }

    @Test("given a stored layer, when another file is imported, then it replaces the layer; when a file cannot be read, the old layer stays")
    func reimportReplaces() async throws {
        let dir = try temporaryDirectory()
        let (path, args) = try await database(in: dir, jurisdiction: try Presets.jurisdiction("kansas-city"))
        let first = dir.appendingPathComponent("a.geojson"), second = dir.appendingPathComponent("b.geojson")
        try kansasCityGeoJSON.write(to: first, atomically: true, encoding: .utf8)
        let other = feature(#""highway":"tertiary","name":"Oak St""#, #"{"type":"LineString","coordinates":[[-94.57,39.09],[-94.57,39.10]]}"#)
        try #"{"type":"FeatureCollection","features":[\#(other)]}"#.write(to: second, atomically: true, encoding: .utf8)
        try await runInProcess(try ZoneCastCommand.parseAsRoot(["streets", "import", first.path] + args))
        try await runInProcess(try ZoneCastCommand.parseAsRoot(["streets", "import", second.path] + args))
        await #expect(try store(path, dir: dir).streetLayer()?.streets.map(\.name) == ["Oak St"])
        let broken = dir.appendingPathComponent("broken.geojson")
        try #"{"type":"Topology"}"#.write(to: broken, atomically: true, encoding: .utf8)
        await #expect(throws: (any Error).self) { try await runInProcess(try ZoneCastCommand.parseAsRoot(["streets", "import", broken.path] + args)) }
        let kept = try await store(path, dir: dir).streetLayer()
        #expect(kept?.source == "b.geojson" && kept?.streets.map(\.name) == ["Oak St"])
    }

    @Test("given a database without a jurisdiction, then import refuses unless --no-clip is given")
    func needsJurisdictionOrNoClip() async throws {
        let dir = try temporaryDirectory()
        let (path, args) = try await database(in: dir, jurisdiction: nil)
        let file = dir.appendingPathComponent("kc.geojson")
        try kansasCityGeoJSON.write(to: file, atomically: true, encoding: .utf8)
        await #expect(throws: (any Error).self) { try await runInProcess(try ZoneCastCommand.parseAsRoot(["streets", "import", file.path] + args)) }
        try await runInProcess(try ZoneCastCommand.parseAsRoot(["streets", "import", file.path, "--no-clip"] + args))
        await #expect(try store(path, dir: dir).streetLayer()?.streets.map(\.name) == ["Main St", "Far Away Rd"])
    }

    @Test("given the Helsinki extract, when imported unclipped and clipped to a jurisdiction around its centre, then Mannerheimintie is primary and only pieces inside stay",
          .enabled(if: helsinkiMissing == nil, "\(helsinkiMissing ?? "")"))
    func helsinki() async throws {
        let dir = try temporaryDirectory()
        let (path, args) = try await database(in: dir, jurisdiction: nil)
        try await runInProcess(try ZoneCastCommand.parseAsRoot(["streets", "import", Self.helsinki.path, "--no-clip"] + args))
        let whole = try #require(try await store(path, dir: dir).streetLayer())
        #expect(whole.streets.contains { $0.name == "Mannerheimintie" && $0.streetClass == .primary })

        let box = GeoBoundingBox(minLatitude: 60.165, minLongitude: 24.93, maxLatitude: 60.175, maxLongitude: 24.95)
        let ring = [GeoPoint(latitude: box.minLatitude, longitude: box.minLongitude), GeoPoint(latitude: box.minLatitude, longitude: box.maxLongitude),
                    GeoPoint(latitude: box.maxLatitude, longitude: box.maxLongitude), GeoPoint(latitude: box.maxLatitude, longitude: box.minLongitude),
                    GeoPoint(latitude: box.minLatitude, longitude: box.minLongitude)]
        let centre = Jurisdiction(name: "helsinki-centre", displayName: "Helsinki centre (test)", timeZoneIdentifier: "Europe/Helsinki",
                                  boundary: GeoMultiPolygon([GeoPolygon(outer: ring)]))
        let dir2 = try temporaryDirectory()
        let (path2, args2) = try await database(in: dir2, jurisdiction: centre)
        try await runInProcess(try ZoneCastCommand.parseAsRoot(["streets", "import", Self.helsinki.path] + args2))
        let clipped = try #require(try await store(path2, dir: dir2).streetLayer())
        #expect(!clipped.streets.isEmpty && clipped.streets.count < whole.streets.count)
        let tolerance = 1e-6
        #expect(clipped.streets.allSatisfy { $0.points.allSatisfy { p in
            p.latitude >= box.minLatitude - tolerance && p.latitude <= box.maxLatitude + tolerance
                && p.longitude >= box.minLongitude - tolerance && p.longitude <= box.maxLongitude + tolerance } })
        #expect(clipped.landmarks.allSatisfy { box.contains($0.location) })
    }

    @Test("given a stored layer, then show's text names the source and counts by class")
    func showRenders() {
        let layer = StoredStreetLayer(streets: [Street(name: "Main St", streetClass: .primary, points: [GeoPoint(latitude: 0, longitude: 0), GeoPoint(latitude: 0, longitude: 1)]),
                                                Street(name: "", streetClass: .service, points: [GeoPoint(latitude: 0, longitude: 0), GeoPoint(latitude: 1, longitude: 0)])],
                                      source: "kc.geojson", importedAt: Date(timeIntervalSince1970: 0))
        let text = StreetsShowCommand.render(layer)
        #expect(text.contains("Source: kc.geojson") && text.contains("Imported: 1970-01-01T00:00:00Z"))
        #expect(text.contains("Streets: 2 (1 names)") && text.contains("  primary: 1") && text.contains("  service: 1"))
    }
}
