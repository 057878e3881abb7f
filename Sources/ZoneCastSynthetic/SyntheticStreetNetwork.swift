import Foundation
public import ZoneCastCore

/// The synthetic city's named streets and landmarks (SYNTHETIC, a fictional city), so the demo shows zones on
/// streets without any download.
///
/// The grid is the one `SyntheticAddress` already writes into every incident's address: named avenues run
/// north-south every 400 m from x = −12,000 m ("Alder Ave", "Ash Ave", ...), numbered streets east-west every
/// 400 m from y = −9,000 m ("1st St", "2nd St", ...), so "1200 BLOCK OAK AVE" lies on the street layer's "Oak Ave".
/// Every fourth avenue and street (1.6 km apart, about a mile, as section-line arterials are in Kansas) is a
/// secondary arterial; the rest are residential. The four corridors of `SyntheticCity` are the major roads:
/// Interstate 235 (motorway), US Highway 81 (trunk), Kellogg Parkway and Broadway (primary). Streets are split
/// at every crossing of the grid, one feature per block, as city centreline files are; the lines cover the
/// boundary's bounding box and the import clips them to the boundary.
///
/// The streets do not depend on the seed (the addresses do not either); the landmarks do: schools, parks,
/// transit stops and places of worship are placed at seeded blocks inside the boundary, so equal seeds give
/// equal files byte for byte.
public struct SyntheticStreetNetwork: Sendable {
    /// A street feature in the city's planar projection, tagged as OpenStreetMap tags it.
    public struct Way: Hashable, Sendable {
        public let name: String
        /// OSM `highway=*` value: motorway, trunk, primary, secondary or residential.
        public let highway: String
        public let points: [PlanarPoint]
    }

    /// A landmark: a point, or a block-sized ring for parks and school grounds.
    public struct Place: Hashable, Sendable {
        public let name: String
        /// OSM tags saying what it is (`amenity=school`, `leisure=park`, `highway=bus_stop`, `amenity=place_of_worship`).
        public let tags: [String: String]
        /// One point, or a closed ring (first point repeated last).
        public let points: [PlanarPoint]
    }

    public static let blockMeters = SyntheticAddress.streetSpacingMeters

    public let city: SyntheticCity
    public let ways: [Way]
    public let places: [Place]

    public init(seed: UInt64, city: SyntheticCity = SyntheticCity()) {
        self.city = city
        let projection = city.jurisdiction.projection.prepared()
        let planar = SyntheticCity.boundaryRing.map(projection.project)
        let minX = planar.map(\.xMeters).min()!, maxX = planar.map(\.xMeters).max()!
        let minY = planar.map(\.yMeters).min()!, maxY = planar.map(\.yMeters).max()!
        let s = Self.blockMeters
        let avenues = Array(Int(((minX - SyntheticAddress.westEdgeMeters) / s).rounded(.up))...Int(((maxX - SyntheticAddress.westEdgeMeters) / s)))
            .filter { $0 >= 0 && $0 < SyntheticAddress.avenueNames.count }
        let streets = Array(Int(((minY - SyntheticAddress.southEdgeMeters) / s).rounded(.up))...Int((maxY - SyntheticAddress.southEdgeMeters) / s))
            .filter { $0 >= 0 }
        let xs = avenues.map { SyntheticAddress.westEdgeMeters + Double($0) * s }
        let ys = streets.map { SyntheticAddress.southEdgeMeters + Double($0) * s }
        var ways = [Way]()
        // Avenues, block by block from the bottom street to the top one (and to the box's edges beyond them).
        for (k, i) in avenues.enumerated() {
            let stops = [minY] + ys + [maxY]
            for j in 1..<stops.count {
                ways.append(Way(name: Self.avenueName(i), highway: Self.isArterial(i) ? "secondary" : "residential",
                                points: [PlanarPoint(xMeters: xs[k], yMeters: stops[j - 1]), PlanarPoint(xMeters: xs[k], yMeters: stops[j])]))
            }
        }
        for (k, j) in streets.enumerated() {
            let stops = [minX] + xs + [maxX]
            for i in 1..<stops.count {
                ways.append(Way(name: Self.streetName(j), highway: Self.isArterial(j) ? "secondary" : "residential",
                                points: [PlanarPoint(xMeters: stops[i - 1], yMeters: ys[k]), PlanarPoint(xMeters: stops[i], yMeters: ys[k])]))
            }
        }
        let corridorClass = ["Interstate 235": "motorway", "US Highway 81": "trunk", "Kellogg Parkway": "primary", "Broadway": "primary"]
        for corridor in city.corridors {
            for piece in Self.pieces(of: corridor.vertices, maxMeters: s) {
                ways.append(Way(name: corridor.name, highway: corridorClass[corridor.name] ?? "primary", points: piece))
            }
        }
        self.ways = ways
        var generator = SeededGenerator(seed: seed, stream: "street-landmarks")
        places = Self.landmarks(&generator, avenues: avenues, streets: streets, city: city, projection: projection)
    }

    /// "Oak Ave" for avenue index i (the address's "OAK AVE", in the case street signs use).
    public static func avenueName(_ i: Int) -> String { SyntheticAddress.avenueNames[i].capitalized + " Ave" }

    /// "25th St" for street index j (the address's "25TH ST").
    public static func streetName(_ j: Int) -> String { SyntheticAddress.ordinal(j + 1).lowercased() + " St" }

    /// Planar x of avenue i and y of street j.
    public static func avenueX(_ i: Int) -> Double { SyntheticAddress.westEdgeMeters + Double(i) * blockMeters }
    public static func streetY(_ j: Int) -> Double { SyntheticAddress.southEdgeMeters + Double(j) * blockMeters }

    /// Every fourth avenue or street, the one through index 2 (1.6 km apart).
    public static func isArterial(_ index: Int) -> Bool { index % 4 == 2 }

    /// A polyline cut into pieces of at most `maxMeters` (a corridor as several features, as real files have it).
    static func pieces(of vertices: [PlanarPoint], maxMeters: Double) -> [[PlanarPoint]] {
        var dense = [vertices[0]]
        for k in 1..<vertices.count {
            let a = vertices[k - 1], b = vertices[k]
            let n = max(1, Int((a.distanceMeters(to: b) / maxMeters).rounded(.up)))
            for step in 1...n {
                let t = Double(step) / Double(n)
                dense.append(PlanarPoint(xMeters: a.xMeters + (b.xMeters - a.xMeters) * t, yMeters: a.yMeters + (b.yMeters - a.yMeters) * t))
            }
        }
        return (1..<dense.count).map { [dense[$0 - 1], dense[$0]] }
    }
}
