import Foundation
import Testing

/// Issue #15 at the command line: forecasting with nothing to learn from is an error that says so; the summary
/// writes times as people in the jurisdiction write them and says when the database is history; approving a
/// cycle whose window is over is refused on live data and allowed in an exercise.
@Suite("zonecast and the database's time", .serialized)
struct DataTimeCLITests {
    static func database(csv: String) throws -> URL {
        let dir = try temporaryDirectory()
        try simpleMapping.write(to: dir.appendingPathComponent("m.json"), atomically: true, encoding: .utf8)
        try csv.write(to: dir.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let imported = try runZonecast(["import", "--mapping", "m.json", "a.csv", "--db", "z.sqlite"], in: dir)
        #expect(imported.status == 0, "\(imported.err)")
        return dir
    }

    @Test("""
        given incidents of 2017 only, when forecasting at 2019-06-01 with a year of training, then it exits non-zero saying there is no training data, \
        naming the period and the data's span, and prints no cells; at 2017-12-01 it forecasts
        """, .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func forecastWithoutTrainingData() throws {
        // Given
        let dir = try Self.database(csv: simpleCSV(rows: 600))
        defer { try? FileManager.default.removeItem(at: dir) }
        // When
        let empty = try runZonecast(["forecast", "--db", "z.sqlite", "--model", "harm", "--at", "2019-06-01", "--target", "non_fatal_shooting,robbery"], in: dir)
        // Then
        #expect(empty.status != 0)
        #expect(empty.err.contains("harm: no training data"), "\(empty.err)")
        #expect(empty.err.contains("between Fri 1 Jun 2018 and the forecast origin Sat 1 Jun 2019, 00:00 CDT"), "\(empty.err)")
        #expect(empty.err.contains("the data runs from Sun 1 Jan 2017 to"), "\(empty.err)")
        #expect(!empty.out.contains("Highest-risk cells"))
        // And with data before the origin, the same command forecasts.
        let ok = try runZonecast(["forecast", "--db", "z.sqlite", "--model", "harm", "--at", "2017-12-01", "--target", "non_fatal_shooting,robbery"], in: dir)
        #expect(ok.status == 0, "\(ok.err)")
        #expect(ok.out.contains("Highest-risk cells"))
    }

    @Test("""
        given Kansas City incidents of January 2017, when `summary` prints, then times carry the zone's abbreviation (CST), never GMT-6, \
        and the summary says the database runs as an exercise
        """, .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func summaryTimes() throws {
        // Given: 20 rows, all in January 2017 (winter: CST)
        let dir = try Self.database(csv: simpleCSV(rows: 20))
        defer { try? FileManager.default.removeItem(at: dir) }
        // When
        let summary = try runZonecast(["summary", "--db", "z.sqlite"], in: dir)
        // Then
        #expect(summary.status == 0, "\(summary.err)")
        let line = try #require(summary.out.split(separator: "\n").first { $0.hasPrefix("Incidents:") })
        #expect(line.contains("from 2017-01-01 10:10 CST to 2017-01-20 "), "\(line)")
        #expect(!summary.out.contains("GMT"))
        #expect(summary.out.contains("EXERCISE on historical data: the newest record is from"))
    }

    /// Rows from 300 days ago to yesterday (local dates of Kansas City), for a database that is live today.
    static func recentCSV(rows: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Chicago")!
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = calendar.timeZone
        f.dateFormat = "yyyy-MM-dd"
        let today = calendar.startOfDay(for: Date())
        var s = "id,date,time,offence,lat,lon\n"
        for i in 0..<rows {
            let day = calendar.date(byAdding: .day, value: -1 - (i % 300), to: today)!
            let lat = 39.0 + Double(i % 40) * 0.002, lon = -94.6 + Double((i / 40) % 40) * 0.002
            s += "\(i),\(f.string(from: day)),\(10 + i % 12):\(10 + i % 50),\(i % 3 == 0 ? "robbery" : "shooting"),\(lat),\(lon)\n"
        }
        return s
    }

    @Test("""
        given live data (newest incident yesterday) and a proposal for a window that ended a week ago, when `cycles approve` runs, then it is refused \
        naming the cycle, the window and now; given 2017 data, the same for a 2017 window is approved as an exercise
        """, .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func approvePastWindow() throws {
        // Given: live data and a proposal 14 days ago (96 h: over 10 days ago)
        let live = try Self.database(csv: Self.recentCSV(rows: 1_500))
        defer { try? FileManager.default.removeItem(at: live) }
        let start = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-14 * 86_400)).prefix(10)
        let proposed = try runZonecast(["propose", "--db", "z.sqlite", "--model", "harm", "--at", String(start), "--json"], in: live)
        #expect(proposed.status == 0, "\(proposed.err)")
        let id = try #require((try JSONSerialization.jsonObject(with: Data(proposed.out.utf8)) as? [String: Any])?["cycle"] as? String)
        // When
        let refused = try runZonecast(["cycles", "approve", id, "--db", "z.sqlite"], in: live)
        // Then
        #expect(refused.status != 0)
        #expect(refused.err.contains("cycle \(id) cannot be approved: the window ended"), "\(refused.err)")
        #expect(refused.err.contains("before now ("), "\(refused.err)")
        #expect(try runZonecast(["cycles", "list", "--db", "z.sqlite"], in: live).out.contains("proposed"))

        // Given: 2017 data (an exercise today) and a proposal for 1-5 Dec 2017
        let history = try Self.database(csv: simpleCSV(rows: 3_000))
        defer { try? FileManager.default.removeItem(at: history) }
        let old = try runZonecast(["propose", "--db", "z.sqlite", "--model", "harm", "--at", "2017-12-01", "--json"], in: history)
        #expect(old.status == 0, "\(old.err)")
        let oldID = try #require((try JSONSerialization.jsonObject(with: Data(old.out.utf8)) as? [String: Any])?["cycle"] as? String)
        // When
        let approved = try runZonecast(["cycles", "approve", oldID, "--db", "z.sqlite"], in: history)
        // Then
        #expect(approved.status == 0, "\(approved.err)")
        #expect(approved.out.contains("exercise: this window ended"), "\(approved.out)")
    }
}
