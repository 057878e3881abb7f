import Foundation
import Testing
@testable import ZoneCastCore

// Reference values in this file were computed with pyproj 3.7.2 / PROJ 9.5.1 (Transformer.from_crs(...,
// always_xy=True), Proj.get_factors and Geod(ellps="WGS84").inv), i.e. by an implementation independent of
// ZoneCastCore. Geodesic distances are computed by Vincenty's inverse formula implemented below as the outside
// reference, itself checked against PROJ's geodesic (Karney's algorithm).

// MARK: - Outside references

/// Vincenty's inverse formula (T. Vincenty, "Direct and inverse solutions of geodesics on the ellipsoid with
/// application of nested equations", Survey Review 23(176):88-93, 1975) on WGS84: geodesic distance in metres.
/// Implemented here, independently of ZoneCastCore, as the outside reference for distances.
private func vincentyDistanceMeters(_ p1: GeoPoint, _ p2: GeoPoint) -> Double {
    let a = 6_378_137.0, f = 1 / 298.257_223_563
    let b = a * (1 - f)
    let rad = Double.pi / 180
    let l = (p2.longitude - p1.longitude) * rad
    let u1 = atan((1 - f) * tan(p1.latitude * rad)), u2 = atan((1 - f) * tan(p2.latitude * rad))
    let sinU1 = sin(u1), cosU1 = cos(u1), sinU2 = sin(u2), cosU2 = cos(u2)
    var lambda = l
    var sinSigma = 0.0, cosSigma = 0.0, sigma = 0.0, cos2Alpha = 0.0, cos2SigmaM = 0.0
    for _ in 0..<200 {
        let sinLambda = sin(lambda), cosLambda = cos(lambda)
        let t1 = cosU2 * sinLambda, t2 = cosU1 * sinU2 - sinU1 * cosU2 * cosLambda
        sinSigma = (t1 * t1 + t2 * t2).squareRoot()
        if sinSigma == 0 { return 0 }
        cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda
        sigma = atan2(sinSigma, cosSigma)
        let sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma
        cos2Alpha = 1 - sinAlpha * sinAlpha
        cos2SigmaM = cos2Alpha != 0 ? cosSigma - 2 * sinU1 * sinU2 / cos2Alpha : 0
        let c = f / 16 * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha))
        let previous = lambda
        lambda = l + (1 - c) * f * sinAlpha
            * (sigma + c * sinSigma * (cos2SigmaM + c * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)))
        if abs(lambda - previous) < 1e-14 { break }
    }
    let uSq = cos2Alpha * (a * a - b * b) / (b * b)
    let bigA = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)))
    let bigB = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)))
    let deltaSigma = bigB * sinSigma * (cos2SigmaM + bigB / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
        - bigB / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)))
    return b * bigA * (sigma - deltaSigma)
}

/// A tiny fixed-seed linear congruential generator (Knuth's MMIX constants), so the "random" points are the
/// same on every run and no global randomness is used.
private struct LCG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    /// Uniform in [0, 1), from the top 53 bits.
    mutating func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(UInt64(1) << 53)
    }
}

private let kansasCityOrigin = GeoPoint(latitude: 39.1, longitude: -94.55)

/// One lat/lon -> planar reference pair.
struct ProjectionReference: Sendable, CustomTestStringConvertible {
    var point: GeoPoint
    var x: Double
    var y: Double
    var testDescription: String { "(\(point.latitude), \(point.longitude)) -> (\(x), \(y))" }
}

// pyproj 3.7.2 / PROJ 9.5.1: Transformer.from_crs("EPSG:4326", "EPSG:32615", always_xy=True)
private let utm15References: [ProjectionReference] = [
    ProjectionReference(point: GeoPoint(latitude: 39.1009, longitude: -94.5774), x: 363_600.8129, y: 4_329_158.0021),
    ProjectionReference(point: GeoPoint(latitude: 38.84, longitude: -94.79), x: 344_646.8312, y: 4_300_543.6464),
    ProjectionReference(point: GeoPoint(latitude: 39.31, longitude: -94.39), x: 380_162.0949, y: 4_352_099.5367),
]

// pyproj 3.7.2 / PROJ 9.5.1: "+proj=tmerc +lat_0=39.1 +lon_0=-94.55 +k=1 +x_0=0 +y_0=0 +ellps=WGS84"
private let localReferences: [ProjectionReference] = [
    ProjectionReference(point: GeoPoint(latitude: 39.1009, longitude: -94.5774), x: -2_370.1887, y: 100.2731),
    ProjectionReference(point: GeoPoint(latitude: 38.8, longitude: -94.8), x: -21_717.4515, y: -33_274.6696),
    ProjectionReference(point: GeoPoint(latitude: 39.4, longitude: -94.3), x: 21_534.1494, y: 33_335.8969),
]

@Suite("Transverse Mercator projection")
struct ProjectionTests {
    // The references are given to 0.1 mm, so 1 mm leaves room only for rounding.
    let meterTolerance = 0.001
    let degreeTolerance = 1e-9

    // MARK: UTM

    @Test("given a Kansas City lat/lon when projected to UTM 15N then easting/northing match PROJ within 1 mm",
          arguments: utm15References)
    func utmForward(_ ref: ProjectionReference) async {
        let p = TransverseMercator.utm(zone: 15, north: true).project(ref.point)
        #expect(abs(p.xMeters - ref.x) < meterTolerance, "easting \(p.xMeters) vs PROJ \(ref.x)")
        #expect(abs(p.yMeters - ref.y) < meterTolerance, "northing \(p.yMeters) vs PROJ \(ref.y)")
    }

    @Test("given a PROJ UTM 15N easting/northing when unprojected then the lat/lon is recovered within 1e-9 degrees",
          arguments: utm15References)
    func utmInverse(_ ref: ProjectionReference) async {
        // The easting/northing are rounded to 0.1 mm (≈ 1e-9 degree), so unproject the exact forward value and also
        // check the rounded PROJ value within the rounding-induced error.
        let utm = TransverseMercator.utm(zone: 15, north: true)
        let back = utm.unproject(utm.project(ref.point))
        #expect(abs(back.latitude - ref.point.latitude) < degreeTolerance)
        #expect(abs(back.longitude - ref.point.longitude) < degreeTolerance)
        let fromProj = utm.unproject(PlanarPoint(xMeters: ref.x, yMeters: ref.y))
        // 0.05 mm of rounding is at most ~6e-10 degree of latitude / 8e-10 of longitude at 39°N.
        #expect(abs(fromProj.latitude - ref.point.latitude) < 2e-9)
        #expect(abs(fromProj.longitude - ref.point.longitude) < 2e-9)
    }

    @Test("given UTM zones when built then the central meridian is 6·zone − 183 and the false origin follows the hemisphere")
    func utmDefinition() async {
        let z15 = TransverseMercator.utm(zone: 15, north: true)
        #expect(z15.centralMeridianDegrees == -93)
        #expect(z15.scaleFactor == 0.9996)
        #expect(z15.falseEastingMeters == 500_000)
        #expect(z15.falseNorthingMeters == 0)
        #expect(z15.latitudeOfOriginDegrees == 0)
        #expect(z15.ellipsoid == .wgs84)
        #expect(TransverseMercator.utm(zone: 1, north: true).centralMeridianDegrees == -177)
        #expect(TransverseMercator.utm(zone: 60, north: true).centralMeridianDegrees == 177)
        #expect(TransverseMercator.utm(zone: 56, north: false).falseNorthingMeters == 10_000_000)
        #expect(TransverseMercator.utm(zone: 15, north: true, ellipsoid: .grs80).ellipsoid == .grs80)
    }

    @Test("given Sydney when projected to UTM 56S then easting/northing match PROJ (EPSG:32756) within 1 mm")
    func utmSouth() async {
        // pyproj 3.7.2: EPSG:4326 -> EPSG:32756, (151.2093, -33.8688) -> 334368.6336, 6250948.3454
        let utm = TransverseMercator.utm(zone: 56, north: false)
        let sydney = GeoPoint(latitude: -33.8688, longitude: 151.2093)
        let p = utm.project(sydney)
        #expect(abs(p.xMeters - 334_368.6336) < meterTolerance)
        #expect(abs(p.yMeters - 6_250_948.3454) < meterTolerance)
        let back = utm.unproject(p)
        #expect(abs(back.latitude - sydney.latitude) < degreeTolerance)
        #expect(abs(back.longitude - sydney.longitude) < degreeTolerance)
    }

    @Test("given a point on the UTM 15N central meridian when at the equator then it maps to (500000, 0)")
    func utmEquatorOnCentralMeridian() async {
        let p = TransverseMercator.utm(zone: 15, north: true).project(GeoPoint(latitude: 0, longitude: -93))
        #expect(abs(p.xMeters - 500_000) < 1e-9)
        #expect(abs(p.yMeters) < 1e-9)
    }

    // MARK: Local projection

    @Test("given a Kansas City lat/lon when projected with the local TM centred on (39.1, −94.55) then x/y match PROJ within 1 mm",
          arguments: localReferences)
    func localForward(_ ref: ProjectionReference) async {
        let p = TransverseMercator.local(centeredOn: kansasCityOrigin).project(ref.point)
        #expect(abs(p.xMeters - ref.x) < meterTolerance, "x \(p.xMeters) vs PROJ \(ref.x)")
        #expect(abs(p.yMeters - ref.y) < meterTolerance, "y \(p.yMeters) vs PROJ \(ref.y)")
    }

    @Test("given a PROJ local x/y when unprojected then the lat/lon is recovered", arguments: localReferences)
    func localInverse(_ ref: ProjectionReference) async {
        let tm = TransverseMercator.local(centeredOn: kansasCityOrigin)
        let back = tm.unproject(tm.project(ref.point))
        #expect(abs(back.latitude - ref.point.latitude) < degreeTolerance)
        #expect(abs(back.longitude - ref.point.longitude) < degreeTolerance)
        let fromProj = tm.unproject(PlanarPoint(xMeters: ref.x, yMeters: ref.y))
        #expect(abs(fromProj.latitude - ref.point.latitude) < 2e-9)
        #expect(abs(fromProj.longitude - ref.point.longitude) < 2e-9)
    }

    @Test("given a local projection when the centre itself is projected then it lands on (0, 0) and the definition has k = 1, no false origin")
    func localOrigin() async {
        let tm = TransverseMercator.local(centeredOn: kansasCityOrigin)
        let p = tm.project(kansasCityOrigin)
        #expect(abs(p.xMeters) < 1e-9)
        #expect(abs(p.yMeters) < 1e-9)
        #expect(tm.scaleFactor == 1)
        #expect(tm.falseEastingMeters == 0 && tm.falseNorthingMeters == 0)
        #expect(tm.latitudeOfOriginDegrees == 39.1 && tm.centralMeridianDegrees == -94.55)
        #expect(tm.ellipsoid == .wgs84)
        let back = tm.unproject(PlanarPoint(xMeters: 0, yMeters: 0))
        // The inverse's δ series stops at n⁴; the first omitted term, δ₅ = 4174/315·n⁵ ≈ 1.8e-13 rad (≈ 1e-11°, ≈ 1 µm),
        // bounds how exactly the centre comes back.
        #expect(abs(back.latitude - 39.1) < 1e-10)
        #expect(abs(back.longitude - -94.55) < 1e-12)
    }

    @Test("given the prepared projection when used instead of the one-off helpers then the results are identical")
    func preparedMatchesConvenience() async {
        let tm = TransverseMercator.local(centeredOn: kansasCityOrigin)
        let prepared = tm.prepared()
        #expect(prepared.tm == tm)
        for ref in localReferences {
            #expect(prepared.project(ref.point) == tm.project(ref.point))
            let planar = PlanarPoint(xMeters: ref.x, yMeters: ref.y)
            #expect(prepared.unproject(planar) == tm.unproject(planar))
        }
    }

    @Test("given points north/east of the centre when projected then y/x grow northward/eastward")
    func axisOrientation() async {
        let tm = TransverseMercator.local(centeredOn: kansasCityOrigin)
        let north = tm.project(GeoPoint(latitude: 39.2, longitude: -94.55))
        let east = tm.project(GeoPoint(latitude: 39.1, longitude: -94.45))
        #expect(north.yMeters > 11_000 && north.yMeters < 11_200) // 0.1° of latitude ≈ 11.1 km
        #expect(abs(north.xMeters) < 1e-6)                         // on the central meridian
        #expect(east.xMeters > 8_600 && east.xMeters < 8_700)     // 0.1° of longitude at 39.1° ≈ 8.65 km
    }

    // MARK: Round trips

    @Test("given many seeded random points within 30 km of a jurisdiction centre when projected and unprojected then they return within 1e-9 degrees",
          arguments: [
              GeoPoint(latitude: 39.1, longitude: -94.55),     // Kansas City
              GeoPoint(latitude: 41.84, longitude: -87.68),    // Chicago
              GeoPoint(latitude: 33.39, longitude: -111.93),   // Tempe
              GeoPoint(latitude: -33.87, longitude: 151.21),   // southern hemisphere
              GeoPoint(latitude: 64.84, longitude: -147.72),   // high latitude (Fairbanks)
              GeoPoint(latitude: 0.5, longitude: 179.9),       // near the equator and the antimeridian
          ])
    func randomRoundTrip(origin: GeoPoint) async {
        let tm = TransverseMercator.local(centeredOn: origin).prepared()
        var rng = LCG(seed: 0x5A0C_A57)
        var worstDegrees = 0.0, worstMeters = 0.0
        let metersPerDegreeLatitude = 111_000.0
        let metersPerDegreeLongitude = 111_000.0 * cos(origin.latitude * .pi / 180)
        for _ in 0..<2_000 {
            // Uniform in a 30 km disc (sqrt for uniform area).
            let r = 30_000 * rng.next().squareRoot(), theta = 2 * Double.pi * rng.next()
            let p = GeoPoint(latitude: origin.latitude + r * sin(theta) / metersPerDegreeLatitude,
                             longitude: origin.longitude + r * cos(theta) / metersPerDegreeLongitude)
            let planar = tm.project(p)
            #expect(planar.distanceMeters(to: PlanarPoint(xMeters: 0, yMeters: 0)) < 30_500)
            let back = tm.unproject(planar)
            worstDegrees = max(worstDegrees, abs(back.latitude - p.latitude), abs(back.longitude - p.longitude))
            // And the other way round: planar -> geographic -> planar, in metres.
            let again = tm.project(back)
            worstMeters = max(worstMeters, again.distanceMeters(to: planar))
        }
        #expect(worstDegrees < 1e-9, "worst lat/lon round-trip error \(worstDegrees)°")
        // Forward (α) and inverse (β, δ) series are both truncated at n⁴, so they are inverse only to the first omitted
        // term: δ₅ ≈ 13.25·n⁵ ≈ 1.8e-13 rad ≈ 1 µm. Observed ≈ 2.6 µm; the doc comment promises < 1 mm.
        #expect(worstMeters < 1e-5, "worst planar round-trip error \(worstMeters) m")
    }

    // MARK: Scale error (the doc comment's city-scale claims)

    @Test("given the Vincenty reference when checked against PROJ's geodesic then it agrees to 0.1 mm")
    func vincentyReferenceIsSound() async {
        // pyproj 3.7.2 Geod(ellps="WGS84").inv(...) (Karney's algorithm):
        //   (39.1, -94.6656) -> (39.1, -94.4344): 19999.796925105922 m
        //   (39.0, -94.55) -> (40.0, -94.55): 111025.04554650886 m
        //   (39.1009, -94.5774) -> (39.31, -94.39): 28300.292901117922 m
        let cases: [(GeoPoint, GeoPoint, Double)] = [
            (GeoPoint(latitude: 39.1, longitude: -94.6656), GeoPoint(latitude: 39.1, longitude: -94.4344), 19_999.796925105922),
            (GeoPoint(latitude: 39.0, longitude: -94.55), GeoPoint(latitude: 40.0, longitude: -94.55), 111_025.04554650886),
            (GeoPoint(latitude: 39.1009, longitude: -94.5774), GeoPoint(latitude: 39.31, longitude: -94.39), 28_300.292901117922),
        ]
        for (a, b, expected) in cases {
            #expect(abs(vincentyDistanceMeters(a, b) - expected) < 1e-4)
        }
    }

    @Test("given two points 20 km apart east–west at the origin's latitude when measured in the local plane then the distance is within 1e-5 of the geodesic")
    func cityScaleDistanceError() async {
        // Documents TransverseMercator's claim that k = 1 through the centre keeps city-scale distortion ~1e-6.
        // 0.1156° of longitude at 39.1°N is ≈ 10 km, so the points are ≈ 20 km apart, straddling the central meridian.
        let tm = TransverseMercator.local(centeredOn: kansasCityOrigin)
        let west = GeoPoint(latitude: 39.1, longitude: -94.55 - 0.1156)
        let east = GeoPoint(latitude: 39.1, longitude: -94.55 + 0.1156)
        let planar = tm.project(west).distanceMeters(to: tm.project(east))
        let geodesic = vincentyDistanceMeters(west, east)
        #expect(abs(geodesic - 20_000) < 5)
        let relative = abs(planar - geodesic) / geodesic
        #expect(relative < 1e-5, "relative planar vs geodesic difference \(relative)")
        // The mean of k ≈ 1 + x²/(2R²) over |x| ≤ 10 km is 1 + (10 km)²/(6R²) ≈ 4e-7; allow a factor of 3.
        #expect(relative < 1.2e-6)

        // From the centre to 20 km east: mean of 1 + x²/(2R²) over 0..20 km is 1 + (20 km)²/(6R²) ≈ 1.6e-6.
        let far = GeoPoint(latitude: 39.1, longitude: -94.55 + 0.2312)
        let planar2 = tm.project(kansasCityOrigin).distanceMeters(to: tm.project(far))
        let geodesic2 = vincentyDistanceMeters(kansasCityOrigin, far)
        #expect(abs(planar2 - geodesic2) / geodesic2 < 1e-5)
    }

    @Test("given a 1 km segment 25 km east of the centre when measured in the local plane then the scale error is ≈ 7.7e-6 as documented")
    func pointScaleAt25Kilometres() async {
        // pyproj 3.7.2 Proj(local).get_factors at the point unprojected from (25000, 0): meridional_scale − 1 =
        // 7.692449781160349e-06, matching the doc comment's "7.7 × 10⁻⁶ at 25 km".
        let tm = TransverseMercator.local(centeredOn: kansasCityOrigin)
        let a = tm.unproject(PlanarPoint(xMeters: 24_500, yMeters: 0))
        let b = tm.unproject(PlanarPoint(xMeters: 25_500, yMeters: 0))
        let scaleMinusOne = 1_000 / vincentyDistanceMeters(a, b) - 1
        #expect(abs(scaleMinusOne - 7.6924e-6) < 5e-8, "scale − 1 = \(scaleMinusOne)")
    }

    @Test("given UTM 15N when measuring on its central meridian and at Kansas City then the scale is 0.9996 and ≈ 1 − 1.7e-4")
    func utmScale() async {
        // Why ZoneCast does not use UTM for distances: k0 = 0.9996 on the central meridian (−93°).
        let utm = TransverseMercator.utm(zone: 15, north: true)
        let a = GeoPoint(latitude: 39.0, longitude: -93), b = GeoPoint(latitude: 39.01, longitude: -93)
        // pyproj Geod: 1110.155765035163 m; our Vincenty must agree.
        let geodesic = vincentyDistanceMeters(a, b)
        #expect(abs(geodesic - 1_110.155765035163) < 1e-6)
        let k = utm.project(a).distanceMeters(to: utm.project(b)) / geodesic
        #expect(abs(k - 0.9996) < 1e-7, "k = \(k)")

        // pyproj 3.7.2 Proj("EPSG:32615").get_factors(-94.5774, 39.1009).meridional_scale − 1 = −1.709150351054678e-04
        let c = GeoPoint(latitude: 39.1009, longitude: -94.5774)
        let pc = utm.project(c)
        let d = utm.unproject(PlanarPoint(xMeters: pc.xMeters, yMeters: pc.yMeters + 100))
        let kKC = 100 / vincentyDistanceMeters(c, d)
        #expect(abs((kKC - 1) - -1.709150351054678e-4) < 1e-7, "k − 1 = \(kKC - 1)")
    }
}
