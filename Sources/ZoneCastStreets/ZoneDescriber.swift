import Foundation
public import ZoneCastCore

/// Describes where a zone is in words a patrol can use, from a street layer. Pure and deterministic.
///
/// **Orientation.** Street grids are rarely aligned with north (Helsinki's centre is turned about 30°). The grid's
/// own axes are found from the named street segments near the zone: each segment's direction φ, weighted by its
/// length, is averaged as the angle 4φ on the circle (so directions 90° apart vote together), and θ = mean / 4.
/// The zone is then measured in a frame turned by θ: u along the grid ("east"), v across it ("north").
///
/// **Bounding streets.** For each side (north = the zone's largest v, and so on) the candidates are named segments
/// running within 25° of that side, lying within a tolerance of it, inside or outside (45 % of the zone's span
/// across, clamped to 60...300 m, and never past the zone's middle). Per street name, the stretches along the side
/// are merged; a street must run along at least 40 % of the side. The street closest to the side wins (ties: the
/// larger class, then the name). Opposite sides must be different streets.
///
/// **Text.** With both pairs: "N to S, between W and E" (the north-south pair first, read north to south, then
/// west to east). With one pair, that pair ("N to S" or "between W and E") plus a third side if found ("east of
/// W"). With no complete pair (odd shapes, no grid), the nearest named intersections to the zone's middle
/// ("near A & B and C & D"). Then the main streets: named streets by metres inside the zone. Then the nearest
/// landmark within `landmarkSearchMeters` ("about two blocks (230 m) east of Central High School", or "includes"
/// when it lies inside). Without a street layer the text says so and gives the centre's coordinates.
public struct ZoneDescriber: Sendable {
    /// A city block, for "two blocks east of": 100 m is a US block (1/16 mile); the synthetic city's is 400 m.
    public var blockLengthMeters: Double
    public var landmarkSearchMeters: Double
    /// How many streets the text names as main streets.
    public var mainStreetCount: Int

    public init(blockLengthMeters: Double = 100, landmarkSearchMeters: Double = 1_500, mainStreetCount: Int = 3) {
        self.blockLengthMeters = blockLengthMeters
        self.landmarkSearchMeters = landmarkSearchMeters
        self.mainStreetCount = mainStreetCount
    }

    /// The description of one zone. `projection` is the zoning's (the jurisdiction's); with a layer it must be the
    /// layer's projection too (the footprint and the streets are compared in the same metres).
    public func describe(_ footprint: ZoneFootprint, layer: StreetLayer?, projection: TransverseMercator) -> ZoneLocation {
        let centre = projection.prepared().unproject(footprint.centroid)
        let centreText = "zone centre \(Self.coordinate(centre.latitude)), \(Self.coordinate(centre.longitude))"
        guard let layer, !layer.isEmpty else {
            return ZoneLocation(locationDescription: "No street layer is loaded; \(centreText).", streets: [], boundingStreets: BoundingStreets(),
                                nearestLandmark: nil, intersections: [], centre: centre, usedStreetLayer: false)
        }
        let b = footprint.bounds
        let tolerance = min(max(0.45 * min(b.widthMeters, b.heightMeters), 60), 300)
        let near = layer.segments(intersecting: PlanarGeometry.expanded(b, by: tolerance + 1))
            .filter { !layer.streets[$0.street].street.name.isEmpty }
        let theta = Self.gridAngle(near, layer: layer)
        let sides = Self.boundingStreets(footprint, near: near, layer: layer, theta: theta, tolerance: tolerance)
        let inside = Self.streetsInside(footprint, near: near, layer: layer)
        var intersections = [String]()
        let pairs = (sides.north != nil && sides.south != nil ? 1 : 0) + (sides.west != nil && sides.east != nil ? 1 : 0)
        if pairs == 0 { intersections = Self.nearestIntersections(near, layer: layer, to: footprint.centroid, count: 2) }
        let landmark = layer.nearestLandmark(to: footprint.centroid, within: landmarkSearchMeters).map { l, d in
            LandmarkReference(name: l.landmark.name, kind: l.landmark.kind, distanceMeters: d,
                              direction: Self.compass(from: l.position, to: footprint.centroid), inside: footprint.contains(l.position),
                              blocks: Int((d / max(blockLengthMeters, 1)).rounded()))
        }
        var sentences = [String]()
        if let s = Self.sidesText(sides) { sentences.append(s) }
        if !intersections.isEmpty { sentences.append("Near " + Self.list(intersections)) }
        if sentences.isEmpty { sentences.append("No named street within \(Int(tolerance)) m; \(centreText)") }
        let main = inside.prefix(mainStreetCount).map(\.name)
        if !main.isEmpty { sentences.append((main.count == 1 ? "Main street: " : "Main streets: ") + Self.list(main)) }
        if let l = landmark { sentences.append(Self.landmarkText(l)) }
        return ZoneLocation(locationDescription: sentences.map { $0 + "." }.joined(separator: " "), streets: inside.map(\.name),
                            boundingStreets: sides, nearestLandmark: landmark, intersections: intersections, centre: centre,
                            usedStreetLayer: true)
    }

    static func coordinate(_ v: Double) -> String { String(format: "%.5f", v) }

    /// Length-weighted mean of 4φ over the segments, divided by 4: the grid's turn from east, in (-45°, 45°].
    static func gridAngle(_ refs: [StreetSegmentReference], layer: StreetLayer) -> Double {
        var s = 0.0, c = 0.0
        for ref in refs {
            let (a, b) = layer.endpoints(of: ref)
            let dx = b.xMeters - a.xMeters, dy = b.yMeters - a.yMeters
            let w = (dx * dx + dy * dy).squareRoot(), phi = atan2(dy, dx)
            s += w * sin(4 * phi)
            c += w * cos(4 * phi)
        }
        return s == 0 && c == 0 ? 0 : atan2(s, c) / 4
    }

    /// Named streets with metres inside the footprint, longest first.
    static func streetsInside(_ footprint: ZoneFootprint, near: [StreetSegmentReference], layer: StreetLayer)
        -> [(name: String, meters: Double, streetClass: StreetClass)] {
        var byName = [String: (Double, StreetClass)]()
        for ref in near {
            let (a, b) = layer.endpoints(of: ref)
            let metres = footprint.lengthInside(a, b)
            guard metres > 0 else { continue }
            let street = layer.streets[ref.street].street
            let old = byName[street.name] ?? (0, street.streetClass)
            byName[street.name] = (old.0 + metres, min(old.1, street.streetClass))
        }
        // Whole metres: a street cut by cell edges sums to 1,400.000000001 m as often as to 1,400 m.
        return byName.filter { $0.value.0 >= 1 }.map { (name: $0.key, meters: $0.value.0.rounded(), streetClass: $0.value.1) }
            .sorted { ($1.meters, $0.streetClass.rank, $0.name) < ($0.meters, $1.streetClass.rank, $1.name) }
    }

    /// Eight-point compass direction of `to` seen from `from` (planar y is north in the local projection).
    static func compass(from: PlanarPoint, to: PlanarPoint) -> String {
        let degrees = atan2(to.xMeters - from.xMeters, to.yMeters - from.yMeters) * 180 / .pi
        let names = ["north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west"]
        return names[(Int(((degrees + 360).truncatingRemainder(dividingBy: 360) / 45).rounded()) % 8)]
    }

    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }
}
