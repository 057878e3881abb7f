import Foundation
import Testing

/// `zonecast propose` and `zonecast forecast` without `--at` start at the database's time, as the reports and the
/// scheduler do.
struct ProposeStartCLITests {
    @Test("""
        given Kansas City incidents of 2017 only (the newest 20 Nov 2017, 21:59 CST), when propose runs without --at, then it proposes \
        the cycle starting at the start of that hour, 21:00 CST (so it holds the exercise's now and comes into force once approved), \
        and says on standard error that this is an exercise; with --at it starts where it is told
        """, .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func startsAtTheDatabasesTime() throws {
        // Given
        let dir = try DataTimeCLITests.database(csv: simpleCSV(rows: 300))
        defer { try? FileManager.default.removeItem(at: dir) }
        // When
        let byData = try runZonecast(["propose", "--db", "z.sqlite", "--model", "harm", "--dry-run"], in: dir)
        let told = try runZonecast(["propose", "--db", "z.sqlite", "--model", "harm", "--dry-run", "--at", "2017-11-01"], in: dir)
        // Then
        #expect(byData.status == 0, "\(byData.err)")
        #expect(byData.out.contains("Proposal C-2017-11-21T030000Z for 2017-11-20 21:00 CST to 2017-11-24 21:00 CST"), "\(byData.out.prefix(400))")
        #expect(byData.err.contains("EXERCISE on historical data") && byData.err.contains("Proposing the cycle starting Mon 20 Nov 2017, 21:00 CST"),
                "\(byData.err)")
        #expect(told.status == 0, "\(told.err)")
        #expect(told.out.contains("Proposal C-2017-11-01T050000Z for 2017-11-01 00:00 CDT"), "\(told.out.prefix(400))")
        #expect(!told.err.contains("EXERCISE"), "\(told.err)")
    }

    @Test("""
        given Kansas City incidents of 2017 only, when propose runs without --at and the cycle is approved, then cycles list reads it at the \
        database's time: active (the exercise's now is inside it), not expired as the wall clock would have it
        """, .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func approvedExerciseCycleIsInForce() throws {
        // Given
        let dir = try DataTimeCLITests.database(csv: simpleCSV(rows: 300))
        defer { try? FileManager.default.removeItem(at: dir) }
        let proposed = try runZonecast(["propose", "--db", "z.sqlite", "--model", "harm"], in: dir)
        #expect(proposed.status == 0, "\(proposed.err)")
        // When
        let approved = try runZonecast(["cycles", "approve", "C-2017-11-21T030000Z", "--db", "z.sqlite", "--reason", "exercise"], in: dir)
        let listed = try runZonecast(["cycles", "list", "--db", "z.sqlite"], in: dir)
        // Then
        #expect(approved.status == 0, "\(approved.err)")
        #expect(listed.out.contains("C-2017-11-21T030000Z  active"), "\(listed.out)")
    }

    @Test("""
        given Kansas City incidents of 2017 only, when forecast runs without --at, then it forecasts the window from 21:00 CST on \
        20 Nov 2017 and says so on standard error
        """, .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func forecastStartsAtTheDatabasesTime() throws {
        // Given
        let dir = try DataTimeCLITests.database(csv: simpleCSV(rows: 300))
        defer { try? FileManager.default.removeItem(at: dir) }
        // When
        let byData = try runZonecast(["forecast", "--db", "z.sqlite", "--model", "harm", "--json"], in: dir)
        // Then
        #expect(byData.status == 0, "\(byData.err)")
        #expect(byData.out.contains("\"2017-11-21T03:00:00Z\""), "\(byData.out.prefix(400))")
        #expect(byData.err.contains("EXERCISE on historical data") && byData.err.contains("Forecasting the window starting Mon 20 Nov 2017, 21:00 CST"),
                "\(byData.err)")
    }
}
