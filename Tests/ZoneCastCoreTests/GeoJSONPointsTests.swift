import Foundation
import Testing
@testable import ZoneCastCore

/// Point layers for the boosted model's static features (issue #16).
struct GeoJSONPointsTests {
    @Test("given Points, a MultiPoint, a null geometry and a polygon when read then the points come in file order and the rest is skipped")
    func readsPoints() throws {
        let text = #"{"type": "FeatureCollection", "features": ["#
            + #"{"type": "Feature", "properties": {"name": "a"}, "geometry": {"type": "Point", "coordinates": [-94.5, 39.1]}},"#
            + #"{"type": "Feature", "geometry": null},"#
            + #"{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},"#
            + #"{"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": [[-94.6, 39.2, 250], [-94.7, 39.3]]}}]}"#
        let points = try GeoJSON.points(from: Data(text.utf8))
        #expect(points == [GeoPoint(latitude: 39.1, longitude: -94.5), GeoPoint(latitude: 39.2, longitude: -94.6), GeoPoint(latitude: 39.3, longitude: -94.7)])
        #expect(try GeoJSON.points(from: Data(#"{"type": "Point", "coordinates": [2.35, 48.85]}"#.utf8)) == [GeoPoint(latitude: 48.85, longitude: 2.35)])
    }

    @Test("given a position outside WGS84 or not a pair when read then the error names its JSON path and value")
    func namesTheBadPosition() {
        let bad = #"{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}},"#
            + #"{"type": "Feature", "geometry": {"type": "Point", "coordinates": [181, 40]}}]}"#
        #expect(throws: CoreError.invalidGeoJSON("$.features[1].geometry.coordinates: [181.0, 40.0] is not a WGS84 position")) {
            try GeoJSON.points(from: Data(bad.utf8))
        }
        #expect(throws: CoreError.invalidGeoJSON(#"$.coordinates[0]: a position must be [longitude, latitude], got ["x",1]"#)) {
            try GeoJSON.points(from: Data(#"{"type": "MultiPoint", "coordinates": [["x", 1]]}"#.utf8))
        }
        #expect(throws: CoreError.self) { try GeoJSON.points(from: Data("not json".utf8)) }
    }
}
