public import Foundation
public import ZoneCastStore

/// Whether the records thin out just before a forecast origin. On historical data the origin follows the newest
/// record of any source, so when the main source stopped months before a smaller one (Kansas City's police
/// records end in December 2017, the shootings archive in March 2018), a forecast "now" stands on a few weeks of
/// almost nothing, and its zones come from the little that is there. Said, not refused: a quiet month can be real.
public enum RecordCoverage {
    public struct ThinEnd: Hashable, Sendable {
        /// Incidents in the 28 days before the origin.
        public var recent: Int
        /// The median count of the twelve 28-day spans before those.
        public var typical: Double
    }

    /// A thin end when the last 28 days hold under a quarter of the typical span and a typical span holds 20 or more.
    public static func thinEnd(recent: Int, earlier: [Int]) -> ThinEnd? {
        guard !earlier.isEmpty else { return nil }
        let sorted = earlier.sorted(), mid = sorted.count / 2
        let typical = sorted.count % 2 == 1 ? Double(sorted[mid]) : Double(sorted[mid - 1] + sorted[mid]) / 2
        guard typical >= 20, Double(recent) * 4 < typical else { return nil }
        return ThinEnd(recent: recent, typical: typical)
    }

    public static func thinEnd(in store: any IncidentStore, before origin: Date) async throws -> ThinEnd? {
        let span = 28 * 86_400.0
        func count(_ k: Int) async throws -> Int {
            try await store.countIncidents(IncidentQuery(occurredFrom: origin.addingTimeInterval(-Double(k + 1) * span),
                                                         occurredBefore: origin.addingTimeInterval(-Double(k) * span)))
        }
        let recent = try await count(0)
        var earlier: [Int] = []
        for k in 1...12 { earlier.append(try await count(k)) }
        return thinEnd(recent: recent, earlier: earlier)
    }
}
