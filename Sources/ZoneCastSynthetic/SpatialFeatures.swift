public import ZoneCastCore

/// A place where incidents concentrate, modelled as an isotropic Gaussian in the city's planar projection.
/// Gaussian blobs are the usual stand-in for the "hot spots" of the place-based policing literature: a few
/// street segments to a few blocks across, with most of the mass within two sigmas of the centre.
public struct HotArea: Hashable, Sendable, Codable {
    public var name: String
    public var center: PlanarPoint
    public var sigmaMeters: Double
    /// Relative share of the mixture's events (weights need not sum to 1; they are normalised when sampled).
    public var weight: Double

    public init(name: String, center: PlanarPoint, sigmaMeters: Double, weight: Double) {
        self.name = name
        self.center = center
        self.sigmaMeters = sigmaMeters
        self.weight = weight
    }
}

/// A traffic corridor (highway or arterial) as a polyline in planar metres. Fatal crashes and DUI stops are
/// drawn along it, because that is where traffic volume, and so exposure, is.
public struct Corridor: Hashable, Sendable, Codable {
    public var name: String
    public var vertices: [PlanarPoint]

    public init(name: String, vertices: [PlanarPoint]) {
        self.name = name
        self.vertices = vertices
    }

    public var lengthMeters: Double {
        zip(vertices, vertices.dropFirst()).reduce(0) { $0 + $1.0.distanceMeters(to: $1.1) }
    }
}
