import Foundation
import Testing
@testable import ZoneCastCore

private func parse(_ text: String) throws(CoreError) -> GeoMultiPolygon {
    try GeoJSON.multiPolygon(from: Data(text.utf8))
}

/// The message of an `invalidGeoJSON` error thrown by `body`, or nil (with a recorded issue) otherwise.
private func invalidGeoJSONMessage(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    do {
        _ = try parse(text)
        Issue.record("expected CoreError.invalidGeoJSON, parsing succeeded", sourceLocation: sourceLocation)
        return nil
    } catch {
        guard case .invalidGeoJSON(let message) = error else {
            Issue.record("expected CoreError.invalidGeoJSON, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
        return message
    }
}

// Coordinates are compared with a tolerance of 1e-12° (≈ 0.1 µm): Foundation's JSONSerialization on Linux may parse a
// decimal 1 ulp away from Swift's own Double(String) (e.g. "0.30000000000000004" -> 0.3000000000000001).
private let coordinateTolerance = 1e-12

private func close(_ a: GeoPoint?, _ b: GeoPoint?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return abs(a.latitude - b.latitude) <= coordinateTolerance && abs(a.longitude - b.longitude) <= coordinateTolerance
}

private func close(_ a: [GeoPoint], _ b: [GeoPoint]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { close($0, $1) }
}

private func close(_ a: GeoPolygon, _ b: GeoPolygon) -> Bool {
    close(a.outer, b.outer) && a.holes.count == b.holes.count && zip(a.holes, b.holes).allSatisfy { close($0, $1) }
}

private func close(_ a: GeoMultiPolygon, _ b: GeoMultiPolygon) -> Bool {
    a.polygons.count == b.polygons.count && zip(a.polygons, b.polygons).allSatisfy { close($0, $1) }
}

// A square around Kansas City, lon −94.7…−94.5, lat 39.0…39.2, closed, in GeoJSON [lon, lat] order.
private let squareRing = "[[-94.7,39.0],[-94.5,39.0],[-94.5,39.2],[-94.7,39.2],[-94.7,39.0]]"
private let holeRing = "[[-94.65,39.05],[-94.55,39.05],[-94.55,39.15],[-94.65,39.15],[-94.65,39.05]]"
private let northRing = "[[-94.7,39.3],[-94.6,39.3],[-94.6,39.4],[-94.7,39.4],[-94.7,39.3]]"

private let square = GeoPolygon(outer: [
    GeoPoint(latitude: 39.0, longitude: -94.7), GeoPoint(latitude: 39.0, longitude: -94.5), GeoPoint(latitude: 39.2, longitude: -94.5),
    GeoPoint(latitude: 39.2, longitude: -94.7), GeoPoint(latitude: 39.0, longitude: -94.7),
])

@Suite("GeoJSON boundaries")
struct GeoJSONTests {
    // MARK: Accepted inputs

    @Test("given a Polygon when parsed then one polygon is returned with lon/lat swapped into GeoPoints")
    func polygon() async throws {
        let m = try parse(#"{"type":"Polygon","coordinates":[\#(squareRing)]}"#)
        #expect(close(m, GeoMultiPolygon([square])), "\(m)")
        #expect(close(m.polygons[0].outer[1], GeoPoint(latitude: 39.0, longitude: -94.5)))
        #expect(m.contains(GeoPoint(latitude: 39.1, longitude: -94.6)))
        #expect(!m.contains(GeoPoint(latitude: 39.1, longitude: -94.4)))
    }

    @Test("given a Polygon with a hole when parsed then the first ring is outer and the rest are holes")
    func polygonWithHole() async throws {
        let m = try parse(#"{"type":"Polygon","coordinates":[\#(squareRing),\#(holeRing)]}"#)
        #expect(m.polygons.count == 1)
        #expect(close(m.polygons[0].outer, square.outer))
        #expect(m.polygons[0].holes.count == 1)
        #expect(close(m.polygons[0].holes[0].first, GeoPoint(latitude: 39.05, longitude: -94.65)))
        #expect(!m.contains(GeoPoint(latitude: 39.1, longitude: -94.6)))   // in the hole
        #expect(m.contains(GeoPoint(latitude: 39.01, longitude: -94.6)))
    }

    @Test("given a MultiPolygon when parsed then every part is returned in order")
    func multiPolygon() async throws {
        let m = try parse(#"{"type":"MultiPolygon","coordinates":[[\#(squareRing),\#(holeRing)],[\#(northRing)]]}"#)
        #expect(m.polygons.count == 2)
        #expect(m.polygons[0].holes.count == 1)
        #expect(m.polygons[1].holes.isEmpty)
        #expect(m.contains(GeoPoint(latitude: 39.35, longitude: -94.65)))
        #expect(!m.contains(GeoPoint(latitude: 39.25, longitude: -94.65)))
    }

    @Test("given a Feature holding a Polygon when parsed then its geometry is used and properties ignored")
    func feature() async throws {
        let m = try parse(#"{"type":"Feature","properties":{"name":"KC"},"geometry":{"type":"Polygon","coordinates":[\#(squareRing)]}}"#)
        #expect(close(m, GeoMultiPolygon([square])), "\(m)")
    }

    @Test("given a FeatureCollection with polygonal and non-polygonal features when parsed then all polygons are merged, others skipped")
    func featureCollection() async throws {
        let json = """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[\(squareRing)]}},
          {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[-94.6,39.1]}},
          {"type":"Feature","properties":{},"geometry":null},
          {"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[\(northRing)]]}}
        ]}
        """
        let m = try parse(json)
        #expect(m.polygons.count == 2)
        #expect(close(m.polygons[0], square))
        #expect(close(m.polygons[1].outer.first, GeoPoint(latitude: 39.3, longitude: -94.7)))
    }

    @Test("given a GeometryCollection when parsed then its polygonal members are used")
    func geometryCollection() async throws {
        let m = try parse(#"{"type":"GeometryCollection","geometries":[{"type":"LineString","coordinates":[[0,1],[1,1]]},{"type":"Polygon","coordinates":[\#(squareRing)]}]}"#)
        #expect(close(m, GeoMultiPolygon([square])), "\(m)")
    }

    @Test("given positions with an altitude when parsed then the third value is ignored")
    func altitude() async throws {
        let m = try parse(#"{"type":"Polygon","coordinates":[[[-94.7,39.0,250],[-94.5,39.0,251],[-94.5,39.2,252],[-94.7,39.2,253],[-94.7,39.0,250]]]}"#)
        #expect(close(m, GeoMultiPolygon([square])), "\(m)")
    }

    @Test("given integer coordinates and the ±180/±90 limits when parsed then they are accepted")
    func limits() async throws {
        let m = try parse(#"{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]}"#)
        #expect(close(m.polygons[0].outer[2], GeoPoint(latitude: 90, longitude: 180)))
    }

    // MARK: Errors, each naming the JSON path

    @Test("given text that is not JSON when parsed then invalidGeoJSON says so")
    func notJSON() async {
        let message = invalidGeoJSONMessage("this is not json {")
        #expect(message?.hasPrefix("$: not valid JSON") == true, "\(message ?? "")")
        // Empty input too.
        #expect(invalidGeoJSONMessage("") != nil)
    }

    @Test("given JSON with no polygonal geometry when parsed then invalidGeoJSON says none was found",
          arguments: [
              #"{"type":"Point","coordinates":[-94.6,39.1]}"#,
              #"{"type":"FeatureCollection","features":[]}"#,
              #"{"type":"Feature","properties":{},"geometry":null}"#,
              #"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,1],[1,1]]}}]}"#,
          ])
    func noPolygon(_ json: String) async {
        let message = invalidGeoJSONMessage(json)
        #expect(message?.contains("no Polygon or MultiPolygon") == true, "\(message ?? "")")
    }

    @Test("given JSON that is not an object with a type when parsed then the error names the path $")
    func notAnObject() async {
        #expect(invalidGeoJSONMessage(#"[1,2,3]"#)?.hasPrefix("$:") == true)
        #expect(invalidGeoJSONMessage(#"{"coordinates":[]}"#)?.hasPrefix("$:") == true)
    }

    @Test("given a FeatureCollection whose second feature is not an object when parsed then the error names $.features[1]")
    func badFeature() async {
        let message = invalidGeoJSONMessage(#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null}, 42]}"#)
        #expect(message?.hasPrefix("$.features[1]:") == true, "\(message ?? "")")
        #expect(invalidGeoJSONMessage(#"{"type":"FeatureCollection"}"#)?.hasPrefix("$.features:") == true)
    }

    @Test("given a ring with fewer than 4 positions when parsed then the error names the ring's path and the count")
    func shortRing() async {
        let polygon = invalidGeoJSONMessage(#"{"type":"Polygon","coordinates":[[[-94.7,39.0],[-94.5,39.0],[-94.7,39.0]]]}"#)
        #expect(polygon?.hasPrefix("$.coordinates[0]:") == true, "\(polygon ?? "")")
        #expect(polygon?.contains("at least 4 positions, got 3") == true)
        // The hole of the second part of a MultiPolygon inside a Feature inside a FeatureCollection.
        let nested = invalidGeoJSONMessage("""
            {"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPolygon",
             "coordinates":[[\(squareRing)],[\(northRing),[[-94.65,39.35],[-94.64,39.35],[-94.65,39.35]]]]}}]}
            """)
        #expect(nested?.hasPrefix("$.features[0].geometry.coordinates[1][1]:") == true, "\(nested ?? "")")
    }

    @Test("given a position outside WGS84 ranges when parsed then the error names the position's path",
          arguments: [
              (#"{"type":"Polygon","coordinates":[[[-94.7,39.0],[-94.5,91.0],[-94.5,39.2],[-94.7,39.0]]]}"#, "$.coordinates[0][1]:"),
              (#"{"type":"Polygon","coordinates":[[[-94.7,39.0],[-94.5,39.0],[200,39.2],[-94.7,39.0]]]}"#, "$.coordinates[0][2]:"),
              (#"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[\#(squareRing),[[-94.65,39.05],[-94.55,39.05],[-94.55,-90.5],[-94.65,39.05]]]}}"#,
               "$.geometry.coordinates[1][2]:"),
              (#"{"type":"MultiPolygon","coordinates":[[\#(squareRing)],[[[-94.7,39.3],[-94.6,39.3],[-94.6,39.4],[-181,39.3]]]]}"#,
               "$.coordinates[1][0][3]:"),
          ])
    func outOfRange(json: String, path: String) async {
        let message = invalidGeoJSONMessage(json)
        #expect(message?.hasPrefix(path) == true, "\(message ?? "") should start with \(path)")
        #expect(message?.contains("not a WGS84 position") == true)
    }

    @Test("given malformed positions or rings when parsed then the error names the path",
          arguments: [
              (#"{"type":"Polygon","coordinates":[[[-94.7,39.0],[-94.5],[-94.5,39.2],[-94.7,39.0]]]}"#, "$.coordinates[0][1]:"),
              (#"{"type":"Polygon","coordinates":[[[-94.7,39.0],["-94.5","39.0"],[-94.5,39.2],[-94.7,39.0]]]}"#, "$.coordinates[0][1]:"),
              (#"{"type":"Polygon","coordinates":[[[-94.7,39.0],[-94.5,39.0],[-94.5,39.2],[-94.7,39.0]], 7]}"#, "$.coordinates[1]:"),
              (#"{"type":"Polygon","coordinates":[]}"#, "$.coordinates:"),
              (#"{"type":"Polygon"}"#, "$.coordinates:"),
              (#"{"type":"MultiPolygon","coordinates":5}"#, "$.coordinates:"),
              (#"{"type":"MultiPolygon","coordinates":[[\#(squareRing)], []]}"#, "$.coordinates[1]:"),
              (#"{"type":"GeometryCollection","geometries":[{"type":"Polygon","coordinates":[]}]}"#, "$.geometries[0].coordinates:"),
          ])
    func malformed(json: String, path: String) async {
        let message = invalidGeoJSONMessage(json)
        #expect(message?.hasPrefix(path) == true, "\(message ?? "") should start with \(path)")
    }

    @Test("given JSON booleans as a position when parsed then it is rejected as not [longitude, latitude]")
    func booleanPosition() async {
        // RFC 7946 §3.1.1: a position is an array of numbers. Foundation bridges JSON true/false to NSNumber (1/0).
        let json = #"{"type":"Polygon","coordinates":[[[-94.7,39.0],[true,false],[-94.5,39.2],[-94.7,39.0]]]}"#
        let message = invalidGeoJSONMessage(json)
        #expect(message?.hasPrefix("$.coordinates[0][1]:") == true)
    }

    @Test("given an invalid GeoJSON error when described then it is prefixed for the user")
    func description() async {
        #expect(CoreError.invalidGeoJSON("$.coordinates: x").description == "invalid GeoJSON: $.coordinates: x")
    }

    // MARK: Writing

    @Test("given a boundary with holes and several parts when written as a FeatureCollection then it parses back to the same polygons")
    func featureCollectionRoundTrip() async throws {
        let original = try parse(#"{"type":"MultiPolygon","coordinates":[[\#(squareRing),\#(holeRing)],[\#(northRing)]]}"#)
        let text = GeoJSON.featureCollection(original)
        let back = try parse(text)
        #expect(close(back, original), "\(back) vs \(original)")
    }

    @Test("given awkward coordinates when written then every double survives the text round trip (to 1e-12°)")
    func exactDoubles() async throws {
        let outer = [
            GeoPoint(latitude: 39.100_900_000_000_001, longitude: -94.577_4), GeoPoint(latitude: 1e-7, longitude: -94.5),
            GeoPoint(latitude: 0.1 + 0.2, longitude: -(1.0 / 3.0)), GeoPoint(latitude: 39.100_900_000_000_001, longitude: -94.577_4),
        ]
        let original = GeoMultiPolygon([GeoPolygon(outer: outer)])
        let back = try GeoJSON.multiPolygon(from: Data(GeoJSON.featureCollection(original).utf8))
        #expect(close(back, original), "\(back) vs \(original)")
    }

    @Test("given an open ring when written then it is closed in the output, and containment is unchanged")
    func openRingIsClosed() async throws {
        let open = GeoPolygon(outer: Array(square.outer.dropLast()))
        let back = try GeoJSON.multiPolygon(from: Data(GeoJSON.featureCollection(GeoMultiPolygon([open])).utf8))
        #expect(back.polygons[0].outer.count == 5)
        #expect(close(back.polygons[0].outer.first, back.polygons[0].outer.last))
        #expect(close(back.polygons[0], square))
    }

    @Test("given properties with quotes, slashes and non-ASCII when written then the output is valid JSON carrying them verbatim")
    func properties() async throws {
        let props = ["name": "Kansas City, \"MO\"", "source": "https://example.org/a/b", "note": "Zoné\nline2"]
        let text = GeoJSON.featureCollection(GeoMultiPolygon([square]), properties: props)
        #expect(text.contains("https://example.org/a/b")) // slashes not escaped
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "FeatureCollection")
        let features = try #require(object["features"] as? [[String: Any]])
        #expect(features.count == 1)
        let parsedProps = try #require(features[0]["properties"] as? [String: String])
        #expect(parsedProps == props)
        let geometry = try #require(features[0]["geometry"] as? [String: Any])
        #expect(geometry["type"] as? String == "MultiPolygon")
        // Keys are written sorted, so the text is deterministic.
        let note = try #require(text.range(of: "\"note\"")), source = try #require(text.range(of: "\"source\""))
        #expect(note.lowerBound < source.lowerBound)
        #expect(text == GeoJSON.featureCollection(GeoMultiPolygon([square]), properties: props))
    }
}
