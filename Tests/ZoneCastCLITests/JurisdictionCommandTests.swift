import Foundation
import Testing
import ZoneCastCore
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastCLI

/// `zonecast jurisdiction create` from a city-limits file, and `--static-layer` refusals (issue #16).
@Suite("zonecast jurisdiction and static layers", .serialized)
struct JurisdictionCommandTests {
    /// An L-shaped city near Madrid: a 3 x 3 km square without its north-east quarter (a lake, say).
    static let lShape = """
        {"type": "Feature", "properties": {"name": "Villa"}, "geometry": {"type": "Polygon", "coordinates": [[
          [-3.70, 40.40], [-3.6648, 40.40], [-3.6648, 40.4135], [-3.6824, 40.4135], [-3.6824, 40.427], [-3.70, 40.427], [-3.70, 40.40]]]}}
        """

    static func write(_ text: String, _ name: String, in dir: URL) throws {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    @Test("given a mapping naming a city no database or preset knows, when importing into a new database, then it exits 64 and says how to create it",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built"))
    func unknownCitySaysHowToCreateIt() throws {
        // Given
        let dir = try temporaryDirectory()
        try Self.write(simpleMapping.replacingOccurrences(of: "\"kansas-city\"", with: "\"lyon\""), "m.json", in: dir)
        try Self.write(simpleCSV(rows: 5), "a.csv", in: dir)
        // When
        let r = try runZonecast(["import", "--mapping", "m.json", "a.csv", "--db", "n.sqlite"], in: dir)
        // Then
        #expect(r.status == 64, "\(r.status) \(r.err)")
        #expect(r.err.contains("unknown jurisdiction \"lyon\"") && r.err.contains("zonecast jurisdiction create --name lyon --boundary"), "\(r.err)")
    }

    @Test("given a city-limits GeoJSON, when creating the jurisdiction, then the database is bound to it, the grid covers the boundary only, and imports use it",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built"))
    func createsAndImports() async throws {
        let dir = try temporaryDirectory()
        try Self.write(Self.lShape, "limits.geojson", in: dir)
        let r = try runZonecast(["jurisdiction", "create", "--db", "v.sqlite", "--name", "villa", "--display-name", "Villa del Lago",
                                 "--boundary", "limits.geojson", "--time-zone", "Europe/Madrid"], in: dir)
        #expect(r.status == 0, "\(r.err)")
        // Three quarters of the bounding box are inside the L: the grid's share says so (the bounding box would say 100 %).
        let share = try #require(r.out.firstMatch(of: #/bounding box \((\d+) %\)/#)).output.1
        #expect((70...80).contains(Int(share) ?? 0), "\(r.out)")
        let store = try SQLiteIncidentStore(path: dir.appendingPathComponent("v.sqlite").path)
        let j = try #require(try await store.jurisdiction())
        #expect(j.name == "villa" && j.displayName == "Villa del Lago" && j.timeZoneIdentifier == "Europe/Madrid" && !j.isSynthetic)
        #expect(j.contains(GeoPoint(latitude: 40.405, longitude: -3.69)) && !j.contains(GeoPoint(latitude: 40.42, longitude: -3.67)))
        let show = try runZonecast(["jurisdiction", "show", "--db", "v.sqlite"], in: dir)
        #expect(show.status == 0 && show.out.contains("villa") && show.out.contains("Europe/Madrid"), "\(show.out) \(show.err)")
        // A mapping naming no jurisdiction imports into it: the row in the lake is refused, the one in the city lands.
        try Self.write("""
            {"name": "villa", "source": "villa", "recordID": {"columns": ["id"]}, "offence": "offence", "separator": ";",
             "occurred": {"dateTime": {"column": "when", "formats": ["yyyy-MM-ddTHH:mm:ssXXX"]}},
             "categories": [{"when": {"offence": ["Robo"]}, "category": "robbery"}], "location": [{"latitude": "lat", "longitude": "lon"}]}
            """, "m.json", in: dir)
        try Self.write("id;when;offence;lat;lon\n1;2024-03-01T10:00:00+01:00;Robo;40,405;-3,69\n2;2024-03-01T11:00:00Z;Robo;40,42;-3,67\n", "a.csv", in: dir)
        let imported = try runZonecast(["import", "--mapping", "m.json", "a.csv", "--db", "v.sqlite"], in: dir)
        #expect(imported.status == 0, "\(imported.err)")
        let incidents = try await store.incidents(.all)
        #expect(incidents.count == 1 && incidents.first?.occurredAt == ISO8601DateFormatter().date(from: "2024-03-01T09:00:00Z"))
        // A database holds one jurisdiction.
        let again = try runZonecast(["jurisdiction", "create", "--db", "v.sqlite", "--name", "other", "--boundary", "limits.geojson",
                                     "--time-zone", "Europe/Madrid"], in: dir)
        #expect(again.status != 0 && again.err.contains("already bound to jurisdiction villa"), "\(again.err)")
    }

    @Test("given bad input (not JSON, a point, no file, an unknown time zone, a bad name), when creating, then it fails naming the problem and binds nothing",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built"))
    func badInput() async throws {
        let dir = try temporaryDirectory()
        try Self.write("{\"type\": \"Polygon\", \"coordinates\": [[[-3.7, 40.4], ", "broken.geojson", in: dir)
        try Self.write(#"{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [-3.7, 40.4]}}]}"#,
                       "point.geojson", in: dir)
        try Self.write(#"{"type": "Polygon", "coordinates": [[[-3.7, 40.4], [-3.6, 40.4], [-3.6, 95], [-3.7, 40.4]]]}"#, "far.geojson", in: dir)
        try Self.write(Self.lShape, "limits.geojson", in: dir)
        let cases: [(boundary: String, timeZone: String, name: String, expected: [String])] = [
            ("broken.geojson", "Europe/Madrid", "villa", ["broken.geojson", "not valid JSON"]),
            ("point.geojson", "Europe/Madrid", "villa", ["point.geojson", "no Polygon or MultiPolygon"]),
            ("far.geojson", "Europe/Madrid", "villa", ["far.geojson", "$.coordinates[0][2]", "95"]),
            ("missing.geojson", "Europe/Madrid", "villa", ["missing.geojson"]),
            ("limits.geojson", "Europe/Atlantis", "villa", ["Europe/Atlantis"]),
            ("limits.geojson", "Europe/Madrid", "villa del lago", ["villa del lago"]),
        ]
        for c in cases {
            let r = try runZonecast(["jurisdiction", "create", "--db", "bad.sqlite", "--name", c.name, "--boundary", c.boundary,
                                     "--time-zone", c.timeZone], in: dir)
            #expect(r.status != 0, "\(c.boundary) \(c.timeZone) \(c.name) was accepted")
            for e in c.expected { #expect(r.err.contains(e), "\(c.boundary): stderr lacks \(e): \(r.err)") }
        }
        let path = dir.appendingPathComponent("bad.sqlite").path
        if FileManager.default.fileExists(atPath: path) { #expect(try await SQLiteIncidentStore(path: path).jurisdiction() == nil) }
    }

    @Test("given --static-layer, when the model does not read it or the file is bad, then the command fails naming the layer, the model or the feature and value",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built"))
    func staticLayerRefusals() async throws {
        let dir = try temporaryDirectory()
        try Self.write(Self.lShape, "limits.geojson", in: dir)
        #expect(try runZonecast(["jurisdiction", "create", "--db", "v.sqlite", "--name", "villa", "--boundary", "limits.geojson",
                                 "--time-zone", "Europe/Madrid"], in: dir).status == 0)
        try Self.write(#"{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [-3.69, 40.405]}}, "#
                       + #"{"type": "Feature", "geometry": {"type": "Point", "coordinates": [-3.69, 91]}}]}"#, "bars.geojson", in: dir)
        let naive = try runZonecast(["forecast", "--db", "v.sqlite", "--model", "naive", "--at", "2024-06-01", "--static-layer", "bars.geojson"], in: dir)
        #expect(naive.status == 64 && naive.err.contains("bars") && naive.err.contains("naive"), "\(naive.status) \(naive.err)")
        let propose = try runZonecast(["propose", "--db", "v.sqlite", "--at", "2024-06-01", "--static-layer", "bars=bars.geojson"], in: dir)
        #expect(propose.status == 64 && propose.err.contains("bars") && propose.err.contains("auto"), "\(propose.status) \(propose.err)")
        let bad = try runZonecast(["forecast", "--db", "v.sqlite", "--model", "boosted", "--at", "2024-06-01", "--static-layer", "bars.geojson"], in: dir)
        #expect(bad.status != 0 && bad.err.contains("$.features[1].geometry.coordinates") && bad.err.contains("91"), "\(bad.status) \(bad.err)")
    }
}
