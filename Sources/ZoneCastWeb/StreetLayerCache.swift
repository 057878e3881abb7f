import Synchronization
import ZoneCastCore
public import ZoneCastStore
public import ZoneCastStreets

/// The built street layer every map draws and every zone description reads, kept between requests by the store's
/// `streetLayerVersion()`. Building it projects and indexes every segment (a large city's 50,000 take a noticeable
/// fraction of a second), so it is built once per import: a request costs one small version read, and the layer is
/// rebuilt only when the version moves (after `zonecast streets import`, in this process or another).
///
/// The version is read outside the gate, so requests between imports never queue behind each other; when it has
/// moved, one request builds while the others wait at the gate and then find the new layer built.
public final class StreetLayerCache: Sendable {
    private struct Kept {
        var version: String
        var layer: StreetLayer?
    }

    private let kept = Mutex<Kept?>(nil)
    private let turn = AsyncGate()
    private let builds = Mutex(0)

    public init() {}

    /// The layer in the jurisdiction's projection; nil before the first street import or without a jurisdiction.
    public func layer(in store: any AppStore) async throws -> StreetLayer? {
        try await versionedLayer(in: store).layer
    }

    /// The layer with the store's version it was built from (what rendered maps are kept by).
    public func versionedLayer(in store: any AppStore) async throws -> (layer: StreetLayer?, version: String) {
        let version = try await store.streetLayerVersion()
        if let hit = cached(version) { return (hit.layer, hit.version) }
        return try await turn.run {
            let current = try await store.streetLayerVersion()
            if let hit = cached(current) { return (hit.layer, hit.version) }
            let layer = try await build(store, version: current)
            kept.withLock { $0 = Kept(version: current, layer: layer) }
            return (layer, current)
        }
    }

    private func cached(_ version: String) -> Kept? {
        kept.withLock { k in k.flatMap { $0.version == version ? $0 : nil } }
    }

    private func build(_ store: any AppStore, version: String) async throws -> StreetLayer? {
        // "none": nothing imported yet, so there is nothing to read (and no jurisdiction is needed).
        guard version != "none", let stored = try await store.streetLayer(), let jurisdiction = try await store.jurisdiction() else { return nil }
        builds.withLock { $0 += 1 }
        // Imports clip to the jurisdiction already; the layer is only projected and indexed here.
        let layer = StreetLayer(streets: stored.streets, landmarks: stored.landmarks, projection: jurisdiction.projection)
        return layer.isEmpty && layer.landmarks.isEmpty ? nil : layer
    }

    /// Layers built so far (for tests: a request that hits the cache builds nothing).
    public var buildCount: Int { builds.withLock { $0 } }
}

extension WebEnvironment {
    /// The street layer for maps and zone descriptions: built once per street import and shared by all requests
    /// (see `StreetLayerCache`); nil when the store holds none.
    public func streetLayer() async throws -> StreetLayer? {
        try await streetLayers.layer(in: store)
    }
}
