import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastPlanning
import ZoneCastStreets
import ZoneCastZoning

/// Zones as GeoJSON: one feature per zone, a MultiPolygon of its cell squares in WGS84, marked confidential.
/// Written from Codable values (sorted keys, pretty-printed), so the document's shape is fixed by its types.
enum ZoneGeoJSON {
    struct Collection: Encodable {
        var type = "FeatureCollection"
        var properties = ["classification": "CONFIDENTIAL"]
        var features: [Feature]
    }

    struct Feature: Encodable {
        var type = "Feature"
        var properties: Properties
        var geometry: Geometry
    }

    struct Properties: Encodable {
        var id: String
        var cycle: String
        var status: String
        var areaKm2: Double
        var forecastHarm: Double
        var explanation: String
        /// Where the zone is in words, from the street layer (without one: says so and gives the centre).
        var locationDescription: String
        /// Named streets inside the zone, longest stretch first.
        var streets: [String]
        var classification = "CONFIDENTIAL: patrol zone locations, law-enforcement sensitive"
        var synthetic: Bool
    }

    struct Geometry: Encodable {
        var type = "MultiPolygon"
        /// Polygons, each one ring of [longitude, latitude] positions.
        var coordinates: [[[[Double]]]]
    }

    static func featureCollection(_ cycle: ZoneCycle, grid: Grid, jurisdiction: Jurisdiction, locations: [String: ZoneLocation]) throws -> String {
        let projection = jurisdiction.projection.prepared()
        let s = grid.cellSizeMeters
        let features = cycle.zones.map { z in
            let polygons: [[[[Double]]]] = z.zone.cells.map { c in
                let x0 = grid.originX + Double(grid.column(of: c)) * s, y0 = grid.originY + Double(grid.row(of: c)) * s
                let ring = [(x0, y0), (x0 + s, y0), (x0 + s, y0 + s), (x0, y0 + s), (x0, y0)].map { p -> [Double] in
                    let g = projection.unproject(PlanarPoint(xMeters: p.0, yMeters: p.1))
                    return [(g.longitude * 1e7).rounded() / 1e7, (g.latitude * 1e7).rounded() / 1e7]
                }
                return [ring]
            }
            let properties = Properties(id: z.id, cycle: cycle.id, status: z.status.rawValue, areaKm2: z.zone.areaKm2, forecastHarm: z.zone.value,
                                        explanation: z.explanation.text, locationDescription: locations[z.id]?.locationDescription ?? "",
                                        streets: locations[z.id]?.streets ?? [], synthetic: jurisdiction.isSynthetic)
            return Feature(properties: properties, geometry: Geometry(coordinates: polygons))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Collection(features: features)), as: UTF8.self)
    }
}
