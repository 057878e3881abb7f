import Foundation
import ZoneCastCore
import ZoneCastHTML
import ZoneCastStore

/// What every dashboard view would otherwise recompute from the whole incident table: the store summary and the
/// last four weeks of incidents with their map layers. Keyed by the store's data version (a new import batch
/// changes it), so a view after an import is never stale; between imports a view costs a lookup.
public actor DashboardCache {
    private var summary: (version: Int64, value: StoreSummary)?
    private var recent: (key: String, value: RecentIncidents)?
    private var surfaceLayers: [String: HTML] = [:]

    public init() {}

    struct RecentIncidents: Sendable {
        var reference: Date
        var total: Int
        var byCategory: [HarmCategory: Int]
        /// Rendered `<g>` layers of the newest points, one per category.
        var layers: [HTML]
    }

    func summary(version: Int64, compute: () async throws -> StoreSummary) async rethrows -> StoreSummary {
        if let summary, summary.version == version { return summary.value }
        let value = try await compute()
        summary = (version, value)
        return value
    }

    /// The rendered risk-surface layer of a cycle (its surface never changes).
    func surfaceLayer(cycleID: String, compute: () async -> HTML?) async -> HTML? {
        if let s = surfaceLayers[cycleID] { return s }
        guard let s = await compute() else { return nil }
        if surfaceLayers.count > 8 { surfaceLayers.removeAll() }
        surfaceLayers[cycleID] = s
        return s
    }

    func recent(key: String, compute: () async throws -> RecentIncidents) async rethrows -> RecentIncidents {
        if let recent, recent.key == key { return recent.value }
        let value = try await compute()
        recent = (key, value)
        return value
    }
}
