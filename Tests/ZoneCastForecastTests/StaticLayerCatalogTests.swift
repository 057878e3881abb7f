import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastForecast

/// Static layers through the model catalog (issue #16): they reach the boosted model (alone or among auto's
/// thorough candidates), a model that would ignore them refuses them, and bad GeoJSON names the feature and value.
@Suite("Static layers in the model catalog")
struct StaticLayerCatalogTests {
    static let shops = BoostedTreesModel.StaticLayer(name: "shops", points: [PlanarPoint(xMeters: 10, yMeters: 20)])

    @Test("given a static layer, when building boosted, a list with boosted, or thorough auto, then the boosted models hold it and the others are built without")
    func layersReachBoosted() throws {
        let boosted = try #require(try ModelCatalog.make("boosted", staticLayers: [Self.shops]) as? BoostedTreesModel)
        #expect(boosted.staticLayers == [Self.shops])
        let list = try ModelCatalog.parse("naive,boosted", staticLayers: [Self.shops])
        #expect(list.map(\.name) == ["naive", "boosted"])
        #expect((list[1] as? BoostedTreesModel)?.staticLayers == [Self.shops])
        let auto = try #require(try ModelCatalog.parse("auto", settings: ["auto.candidates=thorough"], staticLayers: [Self.shops]).first as? AutoModel)
        let candidate = try #require(auto.options.first { $0.label == "boosted" }?.model as? BoostedTreesModel)
        #expect(candidate.staticLayers == [Self.shops])
        #expect(try ModelCatalog.parse("all", staticLayers: [Self.shops]).count == ModelCatalog.names.count)
    }

    @Test("given a static layer, when building a model that does not read it (kde, default auto), then the error names the layer and the model")
    func layersRefusedElsewhere() {
        for (list, settings) in [("kde", [String]()), ("naive,sepp", []), ("auto", []), ("auto", ["auto.candidates=default"])] {
            #expect {
                _ = try ModelCatalog.parse(list, settings: settings, staticLayers: [Self.shops])
            } throws: { error in
                guard case ForecastError.invalidSetting(let message) = error else { return false }
                return message.contains("shops") && message.contains(list.split(separator: ",")[0]) && message.contains("boosted")
            }
        }
        // Without layers nothing changes.
        #expect((try? ModelCatalog.make("kde")) != nil)
    }

    @Test("given GeoJSON with a bad position in its third feature, when read as a static layer, then the error names the feature's path and the value")
    func badPositionNamesFeatureAndValue() {
        let tm = TransverseMercator.local(centeredOn: GeoPoint(latitude: 39.1, longitude: -94.58))
        func message(_ text: String) -> String? {
            do { _ = try BoostedTreesModel.StaticLayer.geoJSON(Data(text.utf8), name: "liquor", projection: tm); return nil } catch { return "\(error)" }
        }
        let point = #"{"type": "Feature", "geometry": {"type": "Point", "coordinates": [-94.58, 39.1]}}"#
        let outOfRange = message(#"{"type": "FeatureCollection", "features": [\#(point), \#(point), "#
                                 + #"{"type": "Feature", "geometry": {"type": "Point", "coordinates": [200, 39.1]}}]}"#)
        #expect(outOfRange?.contains("liquor") == true && outOfRange?.contains("$.features[2].geometry.coordinates") == true
                && outOfRange?.contains("200") == true, "\(outOfRange ?? "accepted")")
        let text = message(#"{"type": "FeatureCollection", "features": [\#(point), "#
                           + #"{"type": "Feature", "geometry": {"type": "Point", "coordinates": ["-94.5", 39.1]}}]}"#)
        #expect(text?.contains("$.features[1].geometry.coordinates") == true && text?.contains("\"-94.5\"") == true, "\(text ?? "accepted")")
        let notJSON = message("{\"type\": ")
        #expect(notJSON?.contains("not valid JSON") == true)
    }
}
