import Foundation
import Testing

/// A database that holds none of the default (violent) target categories, as the Tempe overdose preset's does: the
/// forecast used to advise another origin, which no origin could mend, and propose recorded a cycle with no zones.
struct TargetCategoriesCLITests {
    @Test("""
        given a database of robberies only, when forecast and propose run with the default violent targets, then both exit 65 naming the \
        categories held and --target; with --target robbery propose proposes zones
        """, .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func targetsTheDatabaseDoesNotHold() throws {
        // Given
        let dir = try DataTimeCLITests.database(csv: simpleCSV(rows: 300).replacingOccurrences(of: ",shooting,", with: ",robbery,"))
        defer { try? FileManager.default.removeItem(at: dir) }
        // When
        let forecast = try runZonecast(["forecast", "--db", "z.sqlite", "--model", "harm", "--at", "2017-12-01"], in: dir)
        let propose = try runZonecast(["propose", "--db", "z.sqlite", "--model", "harm", "--at", "2017-12-01", "--dry-run"], in: dir)
        let chosen = try runZonecast(["propose", "--db", "z.sqlite", "--model", "harm", "--at", "2017-12-01", "--target", "robbery", "--dry-run"], in: dir)
        // Then
        for refused in [forecast, propose] {
            #expect(refused.status == 65, "\(refused.status) \(refused.err)")
            #expect(refused.err.contains("the database holds no incident of the target categories (aggravated_assault, drive_by_shooting, homicide, "
                                         + "non_fatal_shooting); it holds robbery 300. Choose the categories with --target, e.g. --target robbery"),
                    "\(refused.err)")
        }
        #expect(chosen.status == 0, "\(chosen.err)")
        #expect(chosen.out.contains("Z1"), "\(chosen.out.prefix(600))")
    }
}
