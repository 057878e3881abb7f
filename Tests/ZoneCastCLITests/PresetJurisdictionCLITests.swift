import Foundation
import Testing

/// A mapping's jurisdiction is a default. A walk-through imported the CODE file (nine cities, preset bound to Kansas
/// City) into a Los Angeles database and was told "refusing to switch it to kansas-city (use another --db)", though
/// nobody had asked to switch and another database was the wrong advice.
struct PresetJurisdictionCLITests {
    @Test("""
        given a Kansas City database, when a file is imported with a mapping that names Chicago, then it exits 65 saying to add \
        --jurisdiction kansas-city; with it, the file's rows are imported into Kansas City
        """, .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func mappingForAnotherCity() throws {
        // Given
        let dir = try DataTimeCLITests.database(csv: simpleCSV(rows: 50))
        defer { try? FileManager.default.removeItem(at: dir) }
        try simpleMapping.replacingOccurrences(of: "\"kansas-city\"", with: "\"chicago\"").replacingOccurrences(of: "\"simple\"", with: "\"other\"")
            .write(to: dir.appendingPathComponent("chicago.json"), atomically: true, encoding: .utf8)
        try simpleCSV(rows: 40, offset: 50).write(to: dir.appendingPathComponent("b.csv"), atomically: true, encoding: .utf8)
        // When
        let refused = try runZonecast(["import", "--mapping", "chicago.json", "b.csv", "--db", "z.sqlite"], in: dir)
        let told = try runZonecast(["import", "--mapping", "chicago.json", "b.csv", "--db", "z.sqlite", "--jurisdiction", "kansas-city"], in: dir)
        // Then
        #expect(refused.status == 65, "\(refused.status) \(refused.err)")
        #expect(refused.err.contains("this database holds jurisdiction \"kansas-city\", and the mapping other names \"chicago\". To import the file's rows "
                                     + "for kansas-city, add --jurisdiction kansas-city"), "\(refused.err)")
        #expect(told.status == 0, "\(told.err)")
        #expect(told.out.contains("into kansas-city") || told.out.contains("Kansas City"), "\(told.out)")
    }
}
