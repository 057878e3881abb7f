import Foundation
import Testing

@Suite("zonecast report equity", .serialized)
struct ReportEquityTests {
    @Test("given two approved cycles and areas 'Everywhere' (covering the city) and 'Far away', then Everywhere has all zone cell-days and all harm (ratio exactly 1), Far away none (no ratio, no flag); a broken feature exits 65 naming it; no areas at all is a usage error",
          .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func equity() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func ok(_ args: [String]) throws {
            let r = try runZonecast(args, in: dir)
            #expect(r.status == 0, "\(args): \(r.err)")
        }
        try ok(["generate", "--incidents", "12000", "--seed", "3", "--out", "city.csv"])
        try ok(["import", "--preset", "synthetic", "city.csv", "--db", "c.sqlite"])
        try ok(["propose", "--db", "c.sqlite", "--at", "2024-06-01", "--json"])
        try ok(["cycles", "approve", "C-2024-06-01T050000Z", "--db", "c.sqlite", "--reason", "IRIS"])
        try ok(["propose", "--db", "c.sqlite", "--at", "2024-06-05", "--json"])
        try ok(["cycles", "approve", "C-2024-06-05T050000Z", "--db", "c.sqlite", "--reason", "IRIS"])

        let areas = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Everywhere"},"geometry":{"type":"Polygon","coordinates":[[[-170,-80],[170,-80],[170,80],[-170,80],[-170,-80]]]}},{"type":"Feature","properties":{"name":"Far away"},"geometry":{"type":"Polygon","coordinates":[[[175,-89],[179,-89],[179,-85],[175,-89]]]}}]}"#
        try areas.write(to: dir.appendingPathComponent("areas.geojson"), atomically: true, encoding: .utf8)
        let r = try runZonecast(["report", "equity", "--db", "c.sqlite", "--areas", "areas.geojson", "--now", "2024-06-20T00:00:00Z", "--json"], in: dir)
        #expect(r.status == 0, "\(r.err)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(doc["cycles"] as? Int == 2)
        let audit = try #require(doc["audit"] as? [String: Any])
        let rows = try #require(audit["rows"] as? [[String: Any]])
        #expect(rows.map { $0["area"] as? String } == ["Everywhere", "Far away"])
        let total = try #require(audit["totalZoneCellDays"] as? Double)
        #expect(total > 0)
        #expect(abs((rows[0]["zoneCellDays"] as? Double ?? 0) - total) < 1e-6)
        #expect(abs((rows[0]["ratio"] as? Double ?? 0) - 1) < 1e-9 && rows[0]["flag"] as? String == "none")
        #expect(rows[1]["ratio"] == nil && rows[1]["flag"] as? String == "none" && rows[1]["zoneCellDays"] as? Double == 0)
        // At least one zone in each of the two cycles.
        #expect(audit["zonePeriods"] as? Int ?? 0 >= 2)

        let table = try runZonecast(["report", "equity", "--db", "c.sqlite", "--areas", "areas.geojson", "--now", "2024-06-20T00:00:00Z"], in: dir)
        #expect(table.status == 0 && table.out.contains("Everywhere") && table.out.contains("No area is flagged"))

        let broken = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Polygon","coordinates":[[[-98,38],[-97.9,38],[-97.9,38.1],[-98,38]]]}},{"type":"Feature","properties":{"name":"Beat 7"},"geometry":{"type":"LineString","coordinates":[[-98,38],[-97,38]]}}]}"#
        try broken.write(to: dir.appendingPathComponent("broken.geojson"), atomically: true, encoding: .utf8)
        let bad = try runZonecast(["report", "equity", "--db", "c.sqlite", "--areas", "broken.geojson"], in: dir)
        #expect(bad.status == 65 && bad.err.contains("feature 2 (\"Beat 7\")") && bad.err.contains("LineString"))
        let none = try runZonecast(["report", "equity", "--db", "c.sqlite"], in: dir)
        #expect(none.status == 64 && none.err.contains("--areas"))
    }
}
