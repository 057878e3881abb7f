import Foundation
import Testing

/// A newcomer's first mapping often does not fit the file. Every row is then quarantined; the import says so, and
/// the same file can be read again through the corrected mapping.
struct ImportAgainCLITests {
    @Test("""
        given a mapping whose date format does not fit the file, when importing, then every row is quarantined and standard error says \
        so with the reason and what to do; --again through the same mapping counts them still quarantined, not held; importing the \
        same file through the corrected mapping changes nothing without --again and imports every row with it; a further --again \
        holds them all
        """, .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func correctedMappingImportsAgain() throws {
        // Given
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try simpleMapping.replacingOccurrences(of: "\"yyyy-MM-dd\"", with: "\"dd/MM/yyyy\"")
            .write(to: dir.appendingPathComponent("wrong.json"), atomically: true, encoding: .utf8)
        try simpleMapping.write(to: dir.appendingPathComponent("right.json"), atomically: true, encoding: .utf8)
        try simpleCSV(rows: 40).write(to: dir.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        // When
        let wrong = try runZonecast(["import", "--mapping", "wrong.json", "a.csv", "--db", "z.sqlite"], in: dir)
        let wrongAgain = try runZonecast(["import", "--mapping", "wrong.json", "a.csv", "--db", "z.sqlite", "--again", "--json"], in: dir)
        let plain = try runZonecast(["import", "--mapping", "right.json", "a.csv", "--db", "z.sqlite"], in: dir)
        let again = try runZonecast(["import", "--mapping", "right.json", "a.csv", "--db", "z.sqlite", "--again", "--json"], in: dir)
        let twice = try runZonecast(["import", "--mapping", "right.json", "a.csv", "--db", "z.sqlite", "--again", "--json"], in: dir)
        // Then
        #expect(wrong.status == 0, "\(wrong.err)")
        #expect(wrong.out.contains("rows quarantined    40") && wrong.out.contains("unparseable_date         40"), "\(wrong.out)")
        #expect(wrong.err.contains("warning: no row was imported: all 40 were quarantined, 40 as unparseable_date")
                && wrong.err.contains("import the file again with --again"), "\(wrong.err)")
        let still = try #require(try JSONSerialization.jsonObject(with: Data(wrongAgain.out.utf8)) as? [String: Any], "\(wrongAgain.err)")
        #expect(still["rowsStillQuarantined"] as? Int == 40 && still["rowsUnchanged"] as? Int == 0 && still["rowsRejected"] as? Int == 0, "\(still)")
        #expect(wrongAgain.err.contains("no row was imported: all 40 were quarantined, as an earlier import"), "\(wrongAgain.err)")
        #expect(plain.status == 0 && plain.out.contains("already imported as batch 1; nothing changed") && plain.out.contains("--again"), "\(plain.out)")
        #expect(again.status == 0, "\(again.err)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(again.out.utf8)) as? [String: Any])
        #expect(report["incidentsImported"] as? Int == 40 && report["batchID"] as? Int == 3 && report["alreadyImported"] as? Bool == false, "\(report)")
        #expect(!again.err.contains("warning"), "\(again.err)")
        let held = try #require(try JSONSerialization.jsonObject(with: Data(twice.out.utf8)) as? [String: Any])
        #expect(held["incidentsImported"] as? Int == 0 && held["rowsUnchanged"] as? Int == 40, "\(held)")
        // The first batch's quarantined rows are still there, with their reason.
        let quarantine = try runZonecast(["quarantine", "list", "--db", "z.sqlite"], in: dir)
        #expect(quarantine.out.components(separatedBy: "unparseable_date").count - 1 == 40, "\(quarantine.out.prefix(500))")
    }

    @Test("""
        given a date format with day and month swapped, which fits only days up to 12, when importing, then the import warns that \
        more than half the rows were quarantined as unparseable_date and that the rows imported are suspect too
        """, .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func partlyFittingMappingWarns() throws {
        // Given: 56 rows, days 1 to 28 of January and February
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try simpleMapping.replacingOccurrences(of: "\"yyyy-MM-dd\"", with: "\"yyyy-dd-MM\"")
            .write(to: dir.appendingPathComponent("swapped.json"), atomically: true, encoding: .utf8)
        try simpleCSV(rows: 56).write(to: dir.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        // When
        let run = try runZonecast(["import", "--mapping", "swapped.json", "a.csv", "--db", "z.sqlite"], in: dir)
        // Then: days 13 to 28 (32 rows) cannot be months; days 1 to 12 were imported with day and month swapped
        #expect(run.status == 0 && run.out.contains("incidents imported  24"), "\(run.out)")
        #expect(run.err.contains("warning: 32 of 56 rows (57 %) were quarantined as unparseable_date") && run.err.contains("day and month swapped")
                && run.err.contains("zonecast summary"), "\(run.err)")
    }
}
