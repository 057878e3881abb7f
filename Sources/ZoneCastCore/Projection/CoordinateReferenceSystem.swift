import Foundation
/// A coordinate reference system a source file may use for its x/y columns.
public enum CoordinateReferenceSystem: Hashable, Sendable {
    /// Longitude/latitude in degrees (EPSG:4326 and NAD83's EPSG:4269, treated as equal: they differ by about 1 m).
    case geographic
    /// A transverse Mercator grid with a linear unit (metres per unit: 1 for metres, 1200/3937 for US survey feet).
    case transverseMercator(TransverseMercator, metersPerUnit: Double)

    public static let usSurveyFootMeters = 1200.0 / 3937.0

    /// Resolves an EPSG code ("EPSG:3435") to a definition. NAD83 grids use GRS80; the NAD83/WGS84 datum shift
    /// (about 1 m in the central US) is ignored, as it is two orders below the grid cell size.
    public static func named(_ name: String) throws(CoreError) -> CoordinateReferenceSystem {
        let code = name.uppercased().replacingOccurrences(of: "EPSG:", with: "")
        guard let n = Int(code) else { throw CoreError.unknownCRS(name) }
        switch n {
        case 4326, 4269: return .geographic
        case 32601...32660: return .transverseMercator(.utm(zone: n - 32600, north: true), metersPerUnit: 1)
        case 32701...32760: return .transverseMercator(.utm(zone: n - 32700, north: false), metersPerUnit: 1)
        case 26901...26923: return .transverseMercator(.utm(zone: n - 26900, north: true, ellipsoid: .grs80), metersPerUnit: 1)
        case 3435: // NAD83 / Illinois East (ftUS)
            return .transverseMercator(
                TransverseMercator(ellipsoid: .grs80, latitudeOfOriginDegrees: 36 + 40.0 / 60, centralMeridianDegrees: -(88 + 20.0 / 60),
                                   scaleFactor: 0.999975, falseEastingMeters: 300_000, falseNorthingMeters: 0),
                metersPerUnit: usSurveyFootMeters)
        case 3436: // NAD83 / Illinois West (ftUS)
            return .transverseMercator(
                TransverseMercator(ellipsoid: .grs80, latitudeOfOriginDegrees: 36 + 40.0 / 60, centralMeridianDegrees: -(90 + 10.0 / 60),
                                   scaleFactor: 0.999941177, falseEastingMeters: 700_000, falseNorthingMeters: 0),
                metersPerUnit: usSurveyFootMeters)
        default: throw CoreError.unknownCRS(name)
        }
    }

    /// A converter to WGS84 with the projection's series precomputed (x = easting or longitude).
    public func converter() -> @Sendable (_ x: Double, _ y: Double) -> GeoPoint {
        switch self {
        case .geographic:
            return { x, y in GeoPoint(latitude: y, longitude: x) }
        case .transverseMercator(let tm, let unit):
            let prepared = tm.prepared()
            return { x, y in prepared.unproject(PlanarPoint(xMeters: x * unit, yMeters: y * unit)) }
        }
    }
}
