import Foundation

/// An ellipsoid by semi-major axis (metres) and flattening.
public struct Ellipsoid: Hashable, Sendable, Codable {
    public var semiMajorAxisMeters: Double
    public var flattening: Double

    public init(semiMajorAxisMeters: Double, flattening: Double) {
        self.semiMajorAxisMeters = semiMajorAxisMeters
        self.flattening = flattening
    }

    public static let wgs84 = Ellipsoid(semiMajorAxisMeters: 6_378_137, flattening: 1 / 298.257_223_563)
    /// NAD83 uses GRS80, which differs from WGS84 by 0.1 mm in the semi-minor axis.
    public static let grs80 = Ellipsoid(semiMajorAxisMeters: 6_378_137, flattening: 1 / 298.257_222_101)
}

/// Transverse Mercator by the Krüger n-series to fourth order (Karney 2011, "Transverse Mercator with an accuracy
/// of a few nanometers", J. Geodesy 85:475, eqs. 35-36; the same series as Snyder's USGS PP 1395 §8 cites for
/// UTM). Within 1,000 km of the central meridian the truncation error is below 1 mm.
///
/// Forward, with n = f/(2-f), e = 2√n/(1+n), A = a/(1+n)(1 + n²/4 + n⁴/64):
///   t = sinh(atanh(sin φ) − e·atanh(e·sin φ)),  ξ' = atan(t / cos Δλ),  η' = atanh(sin Δλ / √(1+t²))
///   ξ = ξ' + Σ αⱼ sin(2jξ') cosh(2jη'),  η = η' + Σ αⱼ cos(2jξ') sinh(2jη')
///   E = E₀ + k₀Aη,  N = N₀ + k₀A(ξ − ξ(φ₀))
/// Inverse by the β and δ series of the same paper.
///
/// Scale error: with k₀ = 1 on a meridian through the city centre, the point scale at distance d from it is
/// k ≈ 1 + d²/(2R²): 1.2 × 10⁻⁶ at 10 km, 7.7 × 10⁻⁶ at 25 km (0.2 m accumulated over 25 km), three orders of
/// magnitude below a 150 m grid cell. A UTM zone (k₀ = 0.9996, city up to 3° from the central meridian) distorts
/// by up to 4 × 10⁻⁴ (0.4 m per km), which is why ZoneCast centres its own projection on each jurisdiction.
public struct TransverseMercator: Hashable, Sendable, Codable {
    public var ellipsoid: Ellipsoid
    public var latitudeOfOriginDegrees: Double
    public var centralMeridianDegrees: Double
    public var scaleFactor: Double
    public var falseEastingMeters: Double
    public var falseNorthingMeters: Double

    public init(
        ellipsoid: Ellipsoid = .wgs84, latitudeOfOriginDegrees: Double, centralMeridianDegrees: Double,
        scaleFactor: Double = 1, falseEastingMeters: Double = 0, falseNorthingMeters: Double = 0
    ) {
        self.ellipsoid = ellipsoid
        self.latitudeOfOriginDegrees = latitudeOfOriginDegrees
        self.centralMeridianDegrees = centralMeridianDegrees
        self.scaleFactor = scaleFactor
        self.falseEastingMeters = falseEastingMeters
        self.falseNorthingMeters = falseNorthingMeters
    }

    /// A local projection centred on a place, scale 1 on its meridian, origin (0, 0) at the place itself.
    public static func local(centeredOn center: GeoPoint) -> TransverseMercator {
        TransverseMercator(latitudeOfOriginDegrees: center.latitude, centralMeridianDegrees: center.longitude)
    }

    /// UTM zone 1...60 of WGS84 (north: false northing 0; south: 10,000 km).
    public static func utm(zone: Int, north: Bool, ellipsoid: Ellipsoid = .wgs84) -> TransverseMercator {
        TransverseMercator(
            ellipsoid: ellipsoid, latitudeOfOriginDegrees: 0, centralMeridianDegrees: Double(zone) * 6 - 183,
            scaleFactor: 0.9996, falseEastingMeters: 500_000, falseNorthingMeters: north ? 0 : 10_000_000)
    }

    /// Convenience for one-off conversions; loops should hold a `prepared()` projection.
    public func project(_ p: GeoPoint) -> PlanarPoint { prepared().project(p) }
    public func unproject(_ p: PlanarPoint) -> GeoPoint { prepared().unproject(p) }

    /// The series coefficients depend only on the ellipsoid and origin; precompute them once so projecting a
    /// million rows costs a few trig calls each.
    public func prepared() -> Prepared { Prepared(self) }

    public struct Prepared: Sendable {
        public let tm: TransverseMercator
        let n: Double, e: Double, a: Double
        let alpha: [Double]
        let beta: [Double]
        let delta: [Double]
        let xiOrigin: Double
        let lambda0: Double
        let k0A: Double

        public init(_ tm: TransverseMercator) {
            self.tm = tm
            let f = tm.ellipsoid.flattening
            let n = f / (2 - f)
            let n2 = n * n, n3 = n2 * n, n4 = n3 * n
            self.n = n
            e = 2 * n.squareRoot() / (1 + n)
            a = tm.ellipsoid.semiMajorAxisMeters / (1 + n) * (1 + n2 / 4 + n4 / 64)
            alpha = [n / 2 - 2 * n2 / 3 + 5 * n3 / 16 + 41 * n4 / 180,
                     13 * n2 / 48 - 3 * n3 / 5 + 557 * n4 / 1440,
                     61 * n3 / 240 - 103 * n4 / 140,
                     49561 * n4 / 161280]
            beta = [n / 2 - 2 * n2 / 3 + 37 * n3 / 96 - n4 / 360,
                    n2 / 48 + n3 / 15 - 437 * n4 / 1440,
                    17 * n3 / 480 - 37 * n4 / 840,
                    4397 * n4 / 161280]
            delta = [2 * n - 2 * n2 / 3 - 2 * n3 + 116 * n4 / 45,
                     7 * n2 / 3 - 8 * n3 / 5 - 227 * n4 / 45,
                     56 * n3 / 15 - 136 * n4 / 35,
                     4279 * n4 / 630]
            lambda0 = tm.centralMeridianDegrees * .pi / 180
            k0A = tm.scaleFactor * a
            let phi0 = tm.latitudeOfOriginDegrees * .pi / 180
            let t0 = sinh(atanh(sin(phi0)) - e * atanh(e * sin(phi0)))
            let xi0p = atan(t0)
            xiOrigin = xi0p + alpha[0] * sin(2 * xi0p) + alpha[1] * sin(4 * xi0p) + alpha[2] * sin(6 * xi0p) + alpha[3] * sin(8 * xi0p)
        }

        public func project(_ p: GeoPoint) -> PlanarPoint {
            let phi = p.latitude * .pi / 180
            let dLambda = p.longitude * .pi / 180 - lambda0
            let sinPhi = sin(phi)
            let t = sinh(atanh(sinPhi) - e * atanh(e * sinPhi))
            let xiP = atan2(t, cos(dLambda))
            let etaP = atanh(sin(dLambda) / (1 + t * t).squareRoot())
            var xi = xiP, eta = etaP
            for j in 1...4 {
                let k = 2 * Double(j)
                xi += alpha[j - 1] * sin(k * xiP) * cosh(k * etaP)
                eta += alpha[j - 1] * cos(k * xiP) * sinh(k * etaP)
            }
            return PlanarPoint(xMeters: tm.falseEastingMeters + k0A * eta, yMeters: tm.falseNorthingMeters + k0A * (xi - xiOrigin))
        }

        public func unproject(_ p: PlanarPoint) -> GeoPoint {
            let xi = (p.yMeters - tm.falseNorthingMeters) / k0A + xiOrigin
            let eta = (p.xMeters - tm.falseEastingMeters) / k0A
            var xiP = xi, etaP = eta
            for j in 1...4 {
                let k = 2 * Double(j)
                xiP -= beta[j - 1] * sin(k * xi) * cosh(k * eta)
                etaP -= beta[j - 1] * cos(k * xi) * sinh(k * eta)
            }
            let chi = asin(sin(xiP) / cosh(etaP))
            var phi = chi
            for j in 1...4 { phi += delta[j - 1] * sin(2 * Double(j) * chi) }
            let lambda = lambda0 + atan2(sinh(etaP), cos(xiP))
            return GeoPoint(latitude: phi * 180 / .pi, longitude: lambda * 180 / .pi)
        }
    }
}
