import Foundation
import ZoneCastCore

extension ZoneDescriber {
    /// One street's stretches along one side: merged u-intervals and the length-weighted offset from the side.
    private struct SideCandidate {
        var intervals: [(Double, Double)] = []
        var offsetSum = 0.0, weight = 0.0
        var streetClass = StreetClass.other
    }

    /// See the type's documentation: per side, the named street running along it closest to it.
    static func boundingStreets(_ footprint: ZoneFootprint, near: [StreetSegmentReference], layer: StreetLayer, theta: Double,
                                tolerance: Double) -> BoundingStreets {
        let cosT = cos(theta), sinT = sin(theta)
        func u(_ p: PlanarPoint) -> Double { p.xMeters * cosT + p.yMeters * sinT }
        func v(_ p: PlanarPoint) -> Double { -p.xMeters * sinT + p.yMeters * cosT }
        let us = footprint.vertices.map(u), vs = footprint.vertices.map(v)
        let minU = us.min()!, maxU = us.max()!, minV = vs.min()!, maxV = vs.max()!
        // Along the north and south sides streets run in u; along west and east, in v (the frame with u and v swapped).
        let north = side(near, layer, along: u, across: v, span: (minU, maxU), edge: maxV, inward: -1, tolerance: min(tolerance, (maxV - minV) / 2))
        let south = side(near, layer, along: u, across: v, span: (minU, maxU), edge: minV, inward: 1, tolerance: min(tolerance, (maxV - minV) / 2))
        let east = side(near, layer, along: v, across: u, span: (minV, maxV), edge: maxU, inward: -1, tolerance: min(tolerance, (maxU - minU) / 2))
        let west = side(near, layer, along: v, across: u, span: (minV, maxV), edge: minU, inward: 1, tolerance: min(tolerance, (maxU - minU) / 2))
        let (n, s) = distinct(north, south)
        let (w, e) = distinct(west, east)
        return BoundingStreets(north: n, south: s, west: w, east: e)
    }

    /// Ranked candidates for one side: (name, |offset|, class), best first.
    private static func side(_ near: [StreetSegmentReference], _ layer: StreetLayer, along: (PlanarPoint) -> Double,
                             across: (PlanarPoint) -> Double, span: (Double, Double), edge: Double, inward: Double,
                             tolerance: Double) -> [(name: String, offset: Double, streetClass: StreetClass)] {
        let spanLength = span.1 - span.0
        guard spanLength > 0 else { return [] }
        var candidates = [String: SideCandidate]()
        for ref in near {
            let (a, b) = layer.endpoints(of: ref)
            let ua = along(a), ub = along(b), va = across(a), vb = across(b)
            let du = ub - ua, dv = vb - va
            // Within 25° of the side's direction.
            guard abs(du) > 0, abs(dv) <= abs(du) * tan(25 * .pi / 180) else { continue }
            let lo = max(min(ua, ub), span.0), hi = min(max(ua, ub), span.1)
            guard hi > lo else { continue }
            let vMid = va + dv * (((lo + hi) / 2 - ua) / du)
            let offset = (vMid - edge) * -inward // > 0 outside the zone, < 0 inside
            guard offset >= -tolerance, offset <= tolerance else { continue }
            let street = layer.streets[ref.street].street
            var c = candidates[street.name] ?? SideCandidate(streetClass: street.streetClass)
            c.intervals.append((lo, hi))
            c.offsetSum += abs(offset) * (hi - lo)
            c.weight += hi - lo
            c.streetClass = min(c.streetClass, street.streetClass)
            candidates[street.name] = c
        }
        return candidates.compactMap { name, c -> (name: String, offset: Double, streetClass: StreetClass)? in
            guard covered(c.intervals) >= 0.4 * spanLength else { return nil }
            return (name, c.offsetSum / c.weight, c.streetClass)
        }.sorted { ($0.offset, $0.streetClass.rank, $0.name) < ($1.offset, $1.streetClass.rank, $1.name) }
    }

    /// Length of the union of intervals.
    private static func covered(_ intervals: [(Double, Double)]) -> Double {
        var total = 0.0, end = -Double.infinity
        for (lo, hi) in intervals.sorted(by: { $0.0 < $1.0 }) {
            let start = max(lo, end)
            if hi > start { total += hi - start }
            end = max(end, hi)
        }
        return total
    }

    /// The best street for each of two opposite sides, never the same one for both (the closer one keeps it).
    private static func distinct(_ a: [(name: String, offset: Double, streetClass: StreetClass)],
                                 _ b: [(name: String, offset: Double, streetClass: StreetClass)]) -> (String?, String?) {
        guard let a0 = a.first, let b0 = b.first else { return (a.first?.name, b.first?.name) }
        if a0.name != b0.name { return (a0.name, b0.name) }
        if a0.offset <= b0.offset { return (a0.name, b.dropFirst().first { $0.name != a0.name }?.name) }
        return (a.dropFirst().first { $0.name != b0.name }?.name, b0.name)
    }

    /// "N to S, between W and E" and its partial forms; nil without a complete pair.
    static func sidesText(_ s: BoundingStreets) -> String? {
        switch (s.north, s.south, s.west, s.east) {
        case let (n?, so?, w?, e?): return "\(n) to \(so), between \(w) and \(e)"
        case let (n?, so?, w?, nil): return "\(n) to \(so), east of \(w)"
        case let (n?, so?, nil, e?): return "\(n) to \(so), west of \(e)"
        case let (n?, so?, nil, nil): return "\(n) to \(so)"
        case let (n?, nil, w?, e?): return "Between \(w) and \(e), south of \(n)"
        case let (nil, so?, w?, e?): return "Between \(w) and \(e), north of \(so)"
        case let (nil, nil, w?, e?): return "Between \(w) and \(e)"
        default: return nil
        }
    }

    /// Crossings of differently named streets near the zone, nearest to `point` first, as "A & B" (names sorted).
    static func nearestIntersections(_ near: [StreetSegmentReference], layer: StreetLayer, to point: PlanarPoint, count: Int) -> [String] {
        var best = [String: Double]()
        for i in near.indices {
            let (a, b) = layer.endpoints(of: near[i])
            let nameA = layer.streets[near[i].street].street.name
            for j in near.index(after: i)..<near.endIndex {
                let nameB = layer.streets[near[j].street].street.name
                guard nameA != nameB else { continue }
                let (c, d) = layer.endpoints(of: near[j])
                guard let t = PlanarGeometry.crossing(a, b, c, d) else { continue }
                let key = [nameA, nameB].sorted().joined(separator: " & ")
                let distance = PlanarGeometry.lerp(a, b, t).distanceMeters(to: point)
                if distance < best[key] ?? .infinity { best[key] = distance }
            }
        }
        return best.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(count).map(\.key)
    }

    static func landmarkText(_ l: LandmarkReference) -> String {
        if l.inside { return "Includes \(l.name)" }
        let metres = l.distanceMeters < 1_000 ? "\(Int((l.distanceMeters / 10).rounded()) * 10) m"
            : String(format: "%.1f km", l.distanceMeters / 1_000)
        let words = ["", "one block", "two blocks", "three blocks", "four blocks", "five blocks", "six blocks", "seven blocks",
                     "eight blocks", "nine blocks", "ten blocks"]
        if l.blocks >= 1, l.blocks < words.count { return "About \(words[l.blocks]) (\(metres)) \(l.direction) of \(l.name)" }
        return "About \(metres) \(l.direction) of \(l.name)"
    }
}
