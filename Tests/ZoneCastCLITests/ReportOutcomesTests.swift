import Foundation
import Testing

@Suite("zonecast report outcomes", .serialized)
struct ReportOutcomesTests {
    @Test("JSON: two approved cycles keeping the same zones make continuous places; a bad buffer is a usage error",
          .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func json() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Given a synthetic city, cycles proposed at 2024-06-01 and 2024-06-05 (96 h each) and both approved
        func ok(_ args: [String]) throws {
            let r = try runZonecast(args, in: dir)
            #expect(r.status == 0, "\(args): \(r.err)")
        }
        try ok(["generate", "--incidents", "20000", "--seed", "7", "--out", "city.csv"])
        try ok(["import", "--preset", "synthetic", "city.csv", "--db", "c.sqlite"])
        try ok(["propose", "--db", "c.sqlite", "--at", "2024-06-01", "--json"])
        try ok(["cycles", "approve", "C-2024-06-01T050000Z", "--db", "c.sqlite", "--reason", "IRIS"])
        try ok(["propose", "--db", "c.sqlite", "--at", "2024-06-05", "--json"])
        try ok(["cycles", "approve", "C-2024-06-05T050000Z", "--db", "c.sqlite", "--reason", "IRIS"])

        // When measured on 2024-06-20 with the default 400 m buffer
        let r = try runZonecast(["report", "outcomes", "--db", "c.sqlite", "--now", "2024-06-20T00:00:00Z", "--json"], in: dir)
        #expect(r.status == 0, "\(r.err)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(doc["synthetic"] as? Bool == true)
        let report = try #require(doc["report"] as? [String: Any])
        #expect((report["settings"] as? [String: Any])?["bufferMeters"] as? Double == 400)
        let places = try #require(report["places"] as? [[String: Any]])
        #expect(!places.isEmpty)
        // Then every place began in a cycle, zones kept into the second cycle run on (8 days), others 4
        var sums = (before: 0, during: 0)
        for p in places {
            let zones = try #require(p["cycleZones"] as? [String])
            let start = try #require((p["start"] as? String).flatMap(ISO8601DateFormatter().date(from:)))
            let end = try #require((p["end"] as? String).flatMap(ISO8601DateFormatter().date(from:)))
            let beforeStart = try #require((p["beforeStart"] as? String).flatMap(ISO8601DateFormatter().date(from:)))
            #expect(abs(end.timeIntervalSince(start) - Double(zones.count) * 4 * 86_400) < 1)
            #expect(abs(start.timeIntervalSince(beforeStart) - end.timeIntervalSince(start)) < 1)
            #expect((p["comparisonPlaces"] as? [Any])?.count == 3)
            let zone = try #require((p["estimates"] as? [String: Any])?["zone"] as? [String: Any])
            sums.before += try #require(zone["violentBefore"] as? Int)
            sums.during += try #require(zone["violentDuring"] as? Int)
        }
        // And the cumulative counts are the places' sums
        let cumulativeZone = try #require((report["cumulative"] as? [String: Any])?["zone"] as? [String: Any])
        #expect(cumulativeZone["violentBefore"] as? Int == sums.before && cumulativeZone["violentDuring"] as? Int == sums.during)
        let estimate = try #require((report["cumulative"] as? [String: Any])?["violentVersusComparison"] as? [String: Any])
        #expect(["estimated", "too_few"].contains(estimate["status"] as? String))

        // The table says the same in words; a buffer outside 100-2000 m is a usage error (64)
        let table = try runZonecast(["report", "outcomes", "--db", "c.sqlite", "--now", "2024-06-20T00:00:00Z", "--buffer", "600"], in: dir)
        #expect(table.status == 0 && table.out.contains("buffer 600 m") && table.out.contains("Weighted Displacement Quotient"))
        let bad = try runZonecast(["report", "outcomes", "--db", "c.sqlite", "--buffer", "50"], in: dir)
        #expect(bad.status == 64 && bad.err.contains("between 100 and 2000"))
    }
}
