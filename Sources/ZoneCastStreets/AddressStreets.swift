import Foundation
public import ZoneCastCore

/// One geocoded record: its address text as the source wrote it, where it was geocoded, and the class the source
/// gives the road (a crash file's function class), if any.
public struct StreetObservation: Hashable, Sendable {
    /// "9331 Hillcrest Rd", "E 35th St and Prospect Ave", "US-24 INDEPENDENCE AVE" (see `AddressStreetNames`).
    public var address: String
    public var point: GeoPoint
    /// The class of the first street the address names (the trafficway a crash file codes); nil when not given.
    public var streetClass: StreetClass?

    public init(address: String, point: GeoPoint, streetClass: StreetClass? = nil) {
        self.address = address
        self.point = point
        self.streetClass = streetClass
    }
}

/// How `StreetReaders.streets(fromAddresses:)` turns geocoded addresses into approximate centrelines.
public struct AddressStreetOptions: Hashable, Sendable {
    /// Consecutive positions of one street farther apart than this are not joined (a name reused across the city,
    /// or a street seen only at its two ends).
    public var maxGapMeters: Double
    /// Positions of one street closer than this are one place (the same block geocoded twice).
    public var mergeMeters: Double
    /// Douglas-Peucker tolerance: a kept position deviates more than this from the line through its neighbours
    /// (addresses are geocoded to house fronts and block middles on either side, not to the centreline).
    public var simplifyMeters: Double
    /// An inner position farther than this from the segment joining its neighbours is a geocoding error, dropped.
    public var spikeMeters: Double
    /// A position given to this many different streets or more is a geocoder's fallback (a city or ZIP centre), dropped.
    public var sharedPositionStreets: Int
    /// The class of a street neither a code nor its name classes.
    public var defaultClass: StreetClass

    public init(maxGapMeters: Double = 1_500, mergeMeters: Double = 15, simplifyMeters: Double = 25, spikeMeters: Double = 200,
                sharedPositionStreets: Int = 3, defaultClass: StreetClass = .other) {
        self.maxGapMeters = maxGapMeters
        self.mergeMeters = mergeMeters
        self.simplifyMeters = simplifyMeters
        self.spikeMeters = spikeMeters
        self.sharedPositionStreets = sharedPositionStreets
        self.defaultClass = defaultClass
    }
}

extension StreetReaders {
    /// Approximate street centrelines from geocoded incident addresses, for a city without a street file: its real
    /// street names on maps and in zone descriptions, from records it already has (Kansas City's Gun Violence
    /// Archive shootings and FARS fatal crashes).
    ///
    /// **Names.** Each address gives one or two streets (`AddressStreetNames`: house and block numbers dropped, an
    /// intersection "A and B" gives both, directions and types abbreviated). Spellings group by the name without
    /// direction and type ("E 35th St", "East 35th Street", "35th St" and "W 35th St" are one street, split again by
    /// distance below); a name written without a type joins the type most often written with it ("Troost" joins
    /// "Troost Ave"); a bare "Hwy 71" joins "US 71", else "SR 71", when that route is seen. Each piece is named by the
    /// direction most often written with its positions (none when fewer than a third gave one) and the group's type.
    ///
    /// **Positions.** A position given to `sharedPositionStreets` or more different streets is a geocoder's fallback
    /// and dropped. Each street's positions are ordered along the principal axis of their spread, merged within
    /// `mergeMeters`, and split where consecutive ones are more than `maxGapMeters` apart (as
    /// `StreetReaders.intersections` does); a run of fewer than two distinct positions draws nothing. Inner positions
    /// more than `spikeMeters` off the line through their neighbours are dropped, then the line is simplified
    /// (Douglas-Peucker, `simplifyMeters`).
    ///
    /// **Class.** The most common class the source codes for the street (ties to the larger); without one, what the
    /// name says (interstates and expressways motorway, US and state routes primary); else `defaultClass`.
    ///
    /// **Limits.** Only streets with recorded incidents appear, and only between the first and last incident on
    /// them: a quiet street is missing and a street with incidents far apart is drawn in pieces. Lines are straight
    /// between geocoded positions (block-level, off the centreline by tens of metres), so curves are cut and a
    /// street that bends (an L, a loop such as a beltway) comes out in pieces or zigzags. Names are only as good as
    /// the free-text addresses. These centrelines name a zone's sides and main streets; they are not a map of record.
    public static func streets(fromAddresses observations: [StreetObservation],
                               options: AddressStreetOptions = AddressStreetOptions()) -> [Street] {
        struct Entry { var name: AddressStreetName; var point: GeoPoint; var streetClass: StreetClass? }
        var entries = [Entry]()
        for o in observations where o.point.isPossible {
            for (k, name) in AddressStreetNames.streets(in: o.address).enumerated() {
                entries.append(Entry(name: name, point: o.point, streetClass: k == 0 ? o.streetClass : nil))
            }
        }
        // A geocoder's fallback: one position for many different streets.
        var basesAt = [GeoPoint: Set<String>]()
        for e in entries { basesAt[e.point, default: []].insert(e.name.base) }
        entries.removeAll { basesAt[$0.point]!.count >= options.sharedPositionStreets }
        let keys = groupKeys(entries.map(\.name))
        var groups = [GroupKey: [Int]]()
        for k in entries.indices { groups[keys[k], default: []].append(k) }
        var result = [Street]()
        for key in groups.keys.sorted() {
            let members = groups[key]!.map { entries[$0] }
            let coded = Dictionary(grouping: members.compactMap(\.streetClass), by: { $0 }).mapValues(\.count)
            let evident = AddressStreetName(base: key.base, suffix: key.suffix, isRoute: key.isRoute).evidentClass
            let streetClass = coded.max { ($0.value, $1.key.rank) < ($1.value, $0.key.rank) }?.key ?? evident ?? options.defaultClass
            let line = IntersectionStreetOptions(maxGapMeters: options.maxGapMeters, mergeMeters: options.mergeMeters)
            for piece in IntersectionCSV.pieces(members.map(\.point), options: line) {
                let inPiece = Set(piece)
                let written = members.filter { inPiece.contains($0.point) }.map(\.name.direction)
                let given = Dictionary(grouping: written.compactMap { $0 }, by: { $0 }).mapValues(\.count)
                let direction = 3 * given.values.reduce(0, +) >= written.count ? given.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key : nil
                let name = AddressStreetName(base: key.base, suffix: key.suffix, direction: direction, isRoute: key.isRoute)
                let points = AddressLines.simplified(AddressLines.withoutSpikes(piece, meters: options.spikeMeters), meters: options.simplifyMeters)
                result.append(Street(name: name.displayName, streetClass: streetClass, points: points))
            }
        }
        return result
    }

    /// A street's identity after grouping: base, resolved type, route or not. Sorted by base, then type.
    struct GroupKey: Hashable, Comparable {
        var base: String
        var suffix: String?
        var isRoute: Bool

        static func < (a: GroupKey, b: GroupKey) -> Bool { (a.base, a.suffix ?? "", a.isRoute ? 1 : 0) < (b.base, b.suffix ?? "", b.isRoute ? 1 : 0) }
    }

    /// Each name's group: a missing type takes the base's most written type (ties alphabetical), "HWY n" a seen route n.
    static func groupKeys(_ names: [AddressStreetName]) -> [GroupKey] {
        var typeCounts = [String: [String: Int]]()
        var routes = Set<String>()
        for n in names {
            if n.isRoute { routes.insert(n.base) } else if let s = n.suffix { typeCounts[n.base, default: [:]][s, default: 0] += 1 }
        }
        return names.map { n in
            if n.isRoute {
                guard n.base.hasPrefix("HWY ") else { return GroupKey(base: n.base, suffix: nil, isRoute: true) }
                let number = n.base.dropFirst(4)
                let seen = ["US \(number)", "SR \(number)"].first(where: routes.contains)
                return GroupKey(base: seen ?? n.base, suffix: nil, isRoute: true)
            }
            let suffix = n.suffix ?? typeCounts[n.base]?.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
            return GroupKey(base: n.base, suffix: suffix, isRoute: false)
        }
    }
}

/// Cleaning an ordered run of positions into a line: spikes out, then Douglas-Peucker, in a local metric frame.
enum AddressLines {
    /// Metres east and north of the first point (equirectangular: ample over a street's length).
    static func local(_ points: [GeoPoint]) -> [PlanarPoint] {
        guard let origin = points.first else { return [] }
        let cosLat = cos(origin.latitude * .pi / 180)
        return points.map {
            PlanarPoint(xMeters: ($0.longitude - origin.longitude) * cosLat * IntersectionCSV.metersPerDegree,
                        yMeters: ($0.latitude - origin.latitude) * IntersectionCSV.metersPerDegree)
        }
    }

    /// Drops, one at a time (the worst first), inner points farther than `meters` from the segment joining their neighbours.
    static func withoutSpikes(_ points: [GeoPoint], meters: Double) -> [GeoPoint] {
        var kept = points
        while kept.count > 2 {
            let xy = local(kept)
            var worst: (index: Int, distance: Double)?
            for i in 1..<(kept.count - 1) {
                let d = PlanarGeometry.distance(from: xy[i], toSegment: xy[i - 1], xy[i + 1])
                if d > meters, d > (worst?.distance ?? 0) { worst = (i, d) }
            }
            guard let w = worst else { break }
            kept.remove(at: w.index)
        }
        return kept
    }

    /// Douglas-Peucker: the ends kept, and every point that deviates more than `meters` from the simplified line.
    static func simplified(_ points: [GeoPoint], meters: Double) -> [GeoPoint] {
        guard points.count > 2 else { return points }
        let xy = local(points)
        var keep = [Bool](repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        var stack = [(0, points.count - 1)]
        while let range = stack.popLast() {
            let (a, b) = range
            guard b - a > 1 else { continue }
            var best = (index: a, distance: -1.0)
            for i in (a + 1)..<b {
                let d = PlanarGeometry.distance(from: xy[i], toSegment: xy[a], xy[b])
                if d > best.distance { best = (i, d) }
            }
            if best.distance > meters {
                keep[best.index] = true
                stack.append((a, best.index))
                stack.append((best.index, b))
            }
        }
        return points.indices.filter { keep[$0] }.map { points[$0] }
    }
}
