import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastPlanning

/// Zones as GeoJSON: one feature per zone, a MultiPolygon of its cell squares in WGS84, marked confidential.
enum ZoneGeoJSON {
    static func featureCollection(_ cycle: ZoneCycle, grid: Grid, jurisdiction: Jurisdiction) throws -> String {
        let projection = jurisdiction.projection.prepared()
        let s = grid.cellSizeMeters
        var features: [[String: Any]] = []
        for z in cycle.zones {
            let polygons: [[[[Double]]]] = z.zone.cells.map { c in
                let x0 = grid.originX + Double(grid.column(of: c)) * s, y0 = grid.originY + Double(grid.row(of: c)) * s
                let ring = [(x0, y0), (x0 + s, y0), (x0 + s, y0 + s), (x0, y0 + s), (x0, y0)].map { p -> [Double] in
                    let g = projection.unproject(PlanarPoint(xMeters: p.0, yMeters: p.1))
                    return [(g.longitude * 1e7).rounded() / 1e7, (g.latitude * 1e7).rounded() / 1e7]
                }
                return [ring]
            }
            features.append([
                "type": "Feature",
                "properties": ["id": z.id, "cycle": cycle.id, "status": z.status.rawValue, "areaKm2": z.zone.areaKm2, "forecastHarm": z.zone.value,
                               "explanation": z.explanation.text, "classification": "CONFIDENTIAL: patrol zone locations, law-enforcement sensitive",
                               "synthetic": jurisdiction.isSynthetic],
                "geometry": ["type": "MultiPolygon", "coordinates": polygons],
            ])
        }
        let collection: [String: Any] = ["type": "FeatureCollection", "properties": ["classification": "CONFIDENTIAL"], "features": features]
        return String(decoding: try JSONSerialization.data(withJSONObject: collection, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
    }
}
