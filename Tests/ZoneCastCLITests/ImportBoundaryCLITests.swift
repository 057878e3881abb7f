import Foundation
import Testing

/// `--boundary` on an import, and the summary's month table, as a newcomer meets them.
struct ImportBoundaryCLITests {
    static let box = #"{"type":"Polygon","coordinates":[[[-94.7,38.9],[-94.3,38.9],[-94.3,39.4],[-94.7,39.4],[-94.7,38.9]]]}"#
    static let other = #"{"type":"Polygon","coordinates":[[[-94.8,38.8],[-94.2,38.8],[-94.2,39.5],[-94.8,39.5],[-94.8,38.8]]]}"#

    @Test("""
        given a database bound with one boundary, when a later import gives the same boundary, then it imports; when it gives another, \
        then it is refused naming --boundary (it was ignored without a word); and the summary prints whole category names
        """, .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func boundaryOnABoundDatabase() throws {
        // Given
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try simpleMapping.write(to: dir.appendingPathComponent("m.json"), atomically: true, encoding: .utf8)
        try simpleCSV(rows: 30).write(to: dir.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        try simpleCSV(rows: 30, offset: 30).write(to: dir.appendingPathComponent("b.csv"), atomically: true, encoding: .utf8)
        try Self.box.write(to: dir.appendingPathComponent("box.geojson"), atomically: true, encoding: .utf8)
        try Self.other.write(to: dir.appendingPathComponent("other.geojson"), atomically: true, encoding: .utf8)
        // When
        let first = try runZonecast(["import", "--mapping", "m.json", "a.csv", "--db", "z.sqlite", "--boundary", "box.geojson"], in: dir)
        let same = try runZonecast(["import", "--mapping", "m.json", "b.csv", "--db", "z.sqlite", "--boundary", "box.geojson"], in: dir)
        let other = try runZonecast(["import", "--mapping", "m.json", "b.csv", "--db", "z.sqlite", "--boundary", "other.geojson"], in: dir)
        let summary = try runZonecast(["summary", "--db", "z.sqlite"], in: dir)
        // Then
        #expect(first.status == 0 && same.status == 0, "\(first.err)\(same.err)")
        #expect(other.status != 0 && other.err.contains("--boundary other.geojson: the database is already bound to kansas-city"), "\(other.err)")
        #expect(summary.out.contains("non_fatal_shooting") && summary.out.contains("robbery"), "\(summary.out)")
    }
}
