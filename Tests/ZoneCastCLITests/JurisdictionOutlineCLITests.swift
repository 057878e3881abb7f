import Foundation
import Testing

/// `zonecast jurisdiction outline`: a boundary drawn round a file's points, usable by `jurisdiction create`.
struct JurisdictionOutlineCLITests {
    @Test("""
        given a CSV of 400 points on a 2 km square, one far-off point and a row without coordinates, when outlined in 500 m cells, then \
        the GeoJSON is one part of 4 to 6.25 km² (the square in whole cells) holding the 400, the skipped row is named, and jurisdiction create accepts the file; a missing column is named
        """, .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func outlineOfPoints() throws {
        // Given: a 20 x 20 lattice every 100 m from (39.0, -94.5), a point 30 km away and a blank position.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var csv = "id,Latitude,Longitude\n"
        for k in 0..<400 {
            let lat = 39.0 + (Double(k / 20) + 0.5) * 100 / 111_000, lon = -94.5 + (Double(k % 20) + 0.5) * 100 / 86_300
            csv += "\(k),\(lat),\(lon)\n"
        }
        csv += "far,39.3,-94.5\nblank,,\n"
        try csv.write(to: dir.appendingPathComponent("points.csv"), atomically: true, encoding: .utf8)
        // When
        let outline = try runZonecast(["jurisdiction", "outline", "--points", "points.csv", "--latitude-column", "Latitude",
                                       "--longitude-column", "Longitude", "--output", "city.geojson"], in: dir)
        let create = try runZonecast(["jurisdiction", "create", "--db", "c.sqlite", "--name", "lattice", "--boundary", "city.geojson",
                                      "--time-zone", "America/Chicago"], in: dir)
        let missing = try runZonecast(["jurisdiction", "outline", "--points", "points.csv", "--latitude-column", "lat"], in: dir)
        // Then
        #expect(outline.status == 0, "\(outline.err)")
        #expect(outline.err.contains("Outline of 401 points (1 rows skipped) in 500 m cells: 1 part(s)"), "\(outline.err)")
        #expect(outline.err.contains("holding 400 points") && outline.err.contains("line 403"), "\(outline.err)")
        let area = try #require(outline.err.split(separator: ",").first { $0.contains("km²") }.flatMap { Double($0.split(separator: " ")[0]) })
        #expect((3.9...6.3).contains(area), "\(outline.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("city.geojson"))) as? [String: Any])
        #expect(json["type"] as? String == "FeatureCollection")
        #expect(create.status == 0 && create.out.contains("1 polygon(s)"), "\(create.out)\(create.err)")
        #expect(missing.status != 0 && missing.err.contains("[lat]") && missing.err.contains("Latitude"), "\(missing.err)")
    }
}
