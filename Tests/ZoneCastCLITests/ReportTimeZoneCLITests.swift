import Foundation
import Testing

/// Issue #15, words and numbers: `report dosage`, `report enforcement` and `audit list` write times with the
/// abbreviation people in the jurisdiction write ("CST", "CDT"), as `summary` does, never Foundation's "GMT-6".
@Suite("zonecast reports write the jurisdiction's zone abbreviation", .serialized)
struct ReportTimeZoneCLITests {
    @Test("""
        given Kansas City incidents of 2017 and a cycle approved for 20-24 Nov 2017, when report dosage and report enforcement print as of \
        22 Nov and audit list prints its entries, then every time carries CST and none GMT; without a cycle in force in January, \
        the refusal names the instant in CST too; without --at both reports run as of the database's time (the newest incident's, \
        an exercise) and say so on standard error
        """, .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func abbreviations() throws {
        // Given
        let dir = try DataTimeCLITests.database(csv: simpleCSV(rows: 300))
        defer { try? FileManager.default.removeItem(at: dir) }
        let none = try runZonecast(["report", "dosage", "--db", "z.sqlite", "--at", "2017-01-05T12:00:00Z"], in: dir)
        #expect(none.status != 0)
        #expect(none.err.contains("no cycle in force or approved as of 2017-01-05 06:00 CST"), "\(none.err)")
        let proposed = try runZonecast(["propose", "--db", "z.sqlite", "--model", "harm", "--at", "2017-11-20T06:00:00Z"], in: dir)
        #expect(proposed.status == 0, "\(proposed.err)")
        let approved = try runZonecast(["cycles", "approve", "C-2017-11-20T060000Z", "--db", "z.sqlite", "--reason", "IRIS test"], in: dir)
        #expect(approved.status == 0, "\(approved.err)")

        // When
        let at = ["--db", "z.sqlite", "--cycle", "C-2017-11-20T060000Z", "--at", "2017-11-22T06:00:00Z"]
        let dosage = try runZonecast(["report", "dosage"] + at, in: dir)
        let enforcement = try runZonecast(["report", "enforcement"] + at, in: dir)
        let audit = try runZonecast(["audit", "list", "--db", "z.sqlite"], in: dir)

        // Then
        #expect(dosage.status == 0 && enforcement.status == 0 && audit.status == 0, "\(dosage.err) \(enforcement.err) \(audit.err)")
        #expect(dosage.out.contains("2017-11-20 00:00 CST to 2017-11-24 00:00 CST, as of 2017-11-22 00:00 CST"), "\(dosage.out.prefix(300))")
        #expect(enforcement.out.contains("as of 2017-11-22 00:00 CST"), "\(enforcement.out.prefix(300))")
        // Audit entries are stamped by the wall clock: CST or CDT depending on the season the test runs in.
        let entries = audit.out.split(separator: "\n").filter { $0.first?.isNumber == true }
        #expect(entries.count >= 3, "\(audit.out)")
        #expect(entries.allSatisfy { $0.contains(" CST  ") || $0.contains(" CDT  ") }, "\(entries)")
        for text in [dosage.out, enforcement.out, audit.out, none.err] { #expect(!text.contains("GMT"), "\(text.prefix(300))") }

        // When the reports run without --at, then they are as of the newest incident (20 Nov 2017, 21:59), not today
        for report in ["dosage", "enforcement"] {
            let byData = try runZonecast(["report", report, "--db", "z.sqlite", "--cycle", "C-2017-11-20T060000Z"], in: dir)
            #expect(byData.status == 0, "\(byData.err)")
            #expect(byData.out.contains("as of 2017-11-20 21:59 CST"), "\(report): \(byData.out.prefix(300))")
            #expect(byData.err.contains("EXERCISE on historical data") && byData.err.contains("Reporting as of then"), "\(byData.err)")
        }
    }
}
