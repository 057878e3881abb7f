public import Foundation
public import ZoneCastCore

extension BoostedTreesModel.StaticLayer {
    /// A static layer from GeoJSON points (`GeoJSON.points`), projected with the jurisdiction's projection onto the
    /// grid's plane. The name becomes the features' `static.<name>.dist` and `static.<name>.n`, so it must be a short
    /// word: letters, digits, `_` or `-`. Errors name the layer and, for a bad position, its JSON path and value.
    public static func geoJSON(_ data: Data, name: String, projection: TransverseMercator) throws -> BoostedTreesModel.StaticLayer {
        guard !name.isEmpty, name.count <= 40, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
            throw ForecastError.invalidSetting("static layer name \"\(name)\": use 1-40 letters, digits, _ or -")
        }
        let points: [GeoPoint]
        do { points = try GeoJSON.points(from: data) } catch {
            throw ForecastError.invalidSetting("static layer \(name): \(error)")
        }
        guard !points.isEmpty else { throw ForecastError.invalidSetting("static layer \(name): the file holds no Point or MultiPoint geometry") }
        let prepared = projection.prepared()
        return BoostedTreesModel.StaticLayer(name: name, points: points.map { prepared.project($0) })
    }
}
