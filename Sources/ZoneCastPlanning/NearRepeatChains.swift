public import Foundation
public import ZoneCastCore

/// Near-repeat chains for the IRIS agenda: violent incidents linked when one follows another within a distance
/// and a number of days (shootings answered by shootings nearby). Links are transitive, so a chain is a connected
/// group of incidents; only groups of two or more are chains.
public struct NearRepeatChain: Hashable, Sendable {
    /// The chain's incidents, oldest first.
    public var incidents: [Incident]
    public var first: Date { incidents.first!.occurredAt }
    public var last: Date { incidents.last!.occurredAt }
    public var size: Int { incidents.count }
    /// Mean position of the incidents.
    public var centre: PlanarPoint {
        PlanarPoint(xMeters: incidents.reduce(0) { $0 + $1.position.xMeters } / Double(size),
                    yMeters: incidents.reduce(0) { $0 + $1.position.yMeters } / Double(size))
    }
    /// The address recorded most often in the chain (ties: alphabetical), if any.
    public var place: String? {
        var counts: [String: Int] = [:]
        for i in incidents { if let a = i.address?.trimmingCharacters(in: .whitespaces), !a.isEmpty { counts[a, default: 0] += 1 } }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }
    public var categories: [HarmCategory: Int] {
        var out: [HarmCategory: Int] = [:]
        for i in incidents { out[i.category, default: 0] += 1 }
        return out
    }
}

public enum NearRepeat {
    /// Chains among `incidents` of the given categories (default: violent ones), linking pairs within
    /// `distanceMeters` and `days` of each other. Largest chains first, then the most recent.
    public static func chains(_ incidents: [Incident], distanceMeters: Double = 400, days: Double = 7,
                              categories: Set<HarmCategory> = HarmCategory.violent) -> [NearRepeatChain] {
        let events = incidents.filter { categories.contains($0.category) }.sorted { ($0.occurredAt, $0.id.description) < ($1.occurredAt, $1.id.description) }
        var parent = Array(events.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        let window = days * 86_400
        for i in events.indices {
            var j = i + 1
            while j < events.count && events[j].occurredAt.timeIntervalSince(events[i].occurredAt) <= window {
                if events[i].position.distanceMeters(to: events[j].position) <= distanceMeters {
                    let a = root(i), b = root(j)
                    if a != b { parent[max(a, b)] = min(a, b) }
                }
                j += 1
            }
        }
        var groups: [Int: [Incident]] = [:]
        for i in events.indices { groups[root(i), default: []].append(events[i]) }
        return groups.values.filter { $0.count >= 2 }.map { NearRepeatChain(incidents: $0) }
            .sorted { ($0.size, $0.last) > ($1.size, $1.last) }
    }
}
