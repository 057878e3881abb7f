import ZoneCastCore

/// Where an incident of some kind can be, as a mixture the sampler draws from.
enum LocationModel: Sendable {
    /// A Gaussian mixture over `areas`, each sigma scaled by `sigmaScale`, plus `uniformFraction` spread evenly
    /// over the city (incidents happen everywhere, just not equally).
    case hotAreas([HotArea], sigmaScale: Double, uniformFraction: Double)
    /// A point on a corridor (segments chosen in proportion to length) with isotropic Gaussian jitter.
    case corridors(CorridorNetwork, jitterMeters: Double)
    /// Two models mixed: `first` with probability `firstFraction`.
    indirect case mixture(LocationModel, LocationModel, firstFraction: Double)
}

/// Draws incident locations inside the city by rejection: propose from the model, round to the 6 decimals the
/// CSV carries, and keep the point only if the rounded point is inside the boundary and clear of every default
/// location (headquarters). Testing the rounded point guarantees the written file satisfies both rules.
struct LocationSampler: Sendable {
    let jurisdiction: Jurisdiction
    let projection: TransverseMercator.Prepared
    /// Points closer than this to a default location are redrawn. A little above the 25 m quarantine radius so
    /// no synthetic incident is ever mistaken for a "location unknown" record.
    let defaultLocationClearanceMeters: Double
    private let planarBox: PlanarBoundingBox
    private let clearance: [(center: GeoPoint, radius: Double)]

    init(city: SyntheticCity, clearanceMarginMeters: Double = 5) {
        jurisdiction = city.jurisdiction
        let projection = city.jurisdiction.projection.prepared()
        self.projection = projection
        defaultLocationClearanceMeters = (city.jurisdiction.defaultLocations.map(\.radiusMeters).max() ?? 0) + clearanceMarginMeters
        let corners = city.jurisdiction.boundary.polygons.flatMap(\.outer).map { projection.project($0) }
        planarBox = PlanarBoundingBox(
            minX: corners.map(\.xMeters).min() ?? 0, minY: corners.map(\.yMeters).min() ?? 0,
            maxX: corners.map(\.xMeters).max() ?? 0, maxY: corners.map(\.yMeters).max() ?? 0)
        clearance = city.jurisdiction.defaultLocations.map { ($0.location, $0.radiusMeters + clearanceMarginMeters) }
    }

    /// A point the city would accept, plus its geographic position rounded to 1e-6 degrees; nil otherwise.
    @inline(__always)
    func accept(_ p: PlanarPoint) -> GeoPoint? {
        guard planarBox.contains(p) else { return nil }
        let raw = projection.unproject(p)
        let g = GeoPoint(latitude: (raw.latitude * 1e6).rounded() / 1e6, longitude: (raw.longitude * 1e6).rounded() / 1e6)
        guard jurisdiction.boundary.contains(g) else { return nil }
        for c in clearance where g.distanceMeters(to: c.center) <= c.radius { return nil }
        return g
    }

    func sample(_ model: LocationModel, using rng: inout SeededGenerator) -> (PlanarPoint, GeoPoint) {
        while true {
            let p = propose(model, using: &rng)
            if let g = accept(p) { return (p, g) }
        }
    }

    /// A point displaced from `origin` by an isotropic Gaussian (each axis `sigmaMeters`), redrawn until it is
    /// acceptable: triggered events stay near their parent but inside the city.
    func sampleNear(_ origin: PlanarPoint, sigmaMeters: Double, using rng: inout SeededGenerator) -> (PlanarPoint, GeoPoint) {
        while true {
            let (zx, zy) = rng.standardNormalPair()
            let p = PlanarPoint(xMeters: origin.xMeters + sigmaMeters * zx, yMeters: origin.yMeters + sigmaMeters * zy)
            if let g = accept(p) { return (p, g) }
        }
    }

    private func propose(_ model: LocationModel, using rng: inout SeededGenerator) -> PlanarPoint {
        switch model {
        case .hotAreas(let areas, let sigmaScale, let uniformFraction):
            if areas.isEmpty || rng.uniform() < uniformFraction { return uniformPoint(using: &rng) }
            let area = pick(areas, using: &rng)
            let (zx, zy) = rng.standardNormalPair()
            let s = area.sigmaMeters * sigmaScale
            return PlanarPoint(xMeters: area.center.xMeters + s * zx, yMeters: area.center.yMeters + s * zy)
        case .corridors(let network, let jitterMeters):
            guard let (a, b) = network.segment(at: rng.uniform()) else { return uniformPoint(using: &rng) }
            let f = rng.uniform()
            let (zx, zy) = rng.standardNormalPair()
            return PlanarPoint(
                xMeters: a.xMeters + f * (b.xMeters - a.xMeters) + jitterMeters * zx,
                yMeters: a.yMeters + f * (b.yMeters - a.yMeters) + jitterMeters * zy)
        case .mixture(let first, let second, let firstFraction):
            return rng.uniform() < firstFraction ? propose(first, using: &rng) : propose(second, using: &rng)
        }
    }

    private func uniformPoint(using rng: inout SeededGenerator) -> PlanarPoint {
        PlanarPoint(xMeters: rng.uniform(planarBox.minX, planarBox.maxX), yMeters: rng.uniform(planarBox.minY, planarBox.maxY))
    }

    private func pick(_ areas: [HotArea], using rng: inout SeededGenerator) -> HotArea {
        var r = rng.uniform() * areas.reduce(0) { $0 + $1.weight }
        for a in areas {
            if r < a.weight { return a }
            r -= a.weight
        }
        return areas[areas.count - 1]
    }
}

/// Corridor segments with cumulative lengths, so a uniform point along the whole network is one binary search.
struct CorridorNetwork: Sendable {
    private let segments: [(PlanarPoint, PlanarPoint)]
    private let cumulativeMeters: [Double]

    init(_ corridors: [Corridor]) {
        segments = corridors.flatMap { c in zip(c.vertices, c.vertices.dropFirst()).map { ($0, $1) } }
        var total = 0.0
        cumulativeMeters = segments.map { total += $0.0.distanceMeters(to: $0.1); return total }
    }

    /// The segment holding the point at fraction `u` in [0, 1) of the network's total length.
    func segment(at u: Double) -> (PlanarPoint, PlanarPoint)? {
        guard let total = cumulativeMeters.last, total > 0 else { return nil }
        let target = u * total
        var lo = 0, hi = cumulativeMeters.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulativeMeters[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return segments[lo]
    }
}
