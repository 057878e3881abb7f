import Foundation
import ZoneCastCore
import ZoneCastMaps
import ZoneCastStore

/// What every dashboard view would otherwise recompute from the whole incident table: the store summary and the
/// last four weeks of incidents with the points the map draws. Keyed by the store's data version (a new import batch
/// changes it), so a view after an import is never stale; between imports a view costs a lookup.
public actor DashboardCache {
    private var summary: (version: Int64, value: StoreSummary)?
    private var recent: (key: String, value: RecentIncidents)?

    public init() {}

    struct RecentIncidents: Sendable {
        var reference: Date
        var total: Int
        var byCategory: [HarmCategory: Int]
        /// The newest points (at most `DashboardView.maxPoints`), drawn by the map.
        var incidents: [MapIncident]
        /// The key they were computed for (data version and reference hour): it stands for `incidents` in the map's
        /// cache key, so a dashboard view does not hash 3,000 points to find its map.
        var key = ""
    }

    func summary(version: Int64, compute: () async throws -> StoreSummary) async rethrows -> StoreSummary {
        if let summary, summary.version == version { return summary.value }
        let value = try await compute()
        summary = (version, value)
        return value
    }

    func recent(key: String, compute: () async throws -> RecentIncidents) async rethrows -> RecentIncidents {
        if let recent, recent.key == key { return recent.value }
        var value = try await compute()
        value.key = key
        recent = (key, value)
        return value
    }
}
