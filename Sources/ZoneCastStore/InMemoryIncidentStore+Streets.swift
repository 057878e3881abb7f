public import ZoneCastCore
public import ZoneCastStreets

/// The layer and its version counter live outside `State`'s incident data but under the same lock.
final class InMemoryStreetLayerBox: @unchecked Sendable {
    var layer: StoredStreetLayer?
    var version: Int64 = 0
}

extension InMemoryIncidentStore: StreetStore {
    public func replaceStreetLayer(_ layer: StoredStreetLayer) async throws {
        // Checked before anything changes: the old layer stays when one feature is refused, as a rolled-back
        // transaction would leave it.
        for (i, s) in layer.streets.enumerated() { try StreetRecords.validate(s, index: i) }
        for (i, l) in layer.landmarks.enumerated() { try StreetRecords.validate(l, index: i) }
        locked { _ in
            streetBox.layer = layer
            streetBox.version += 1
        }
    }

    public func streetLayer() async throws -> StoredStreetLayer? { locked { _ in streetBox.layer } }

    public func streets(intersecting box: GeoBoundingBox) async throws -> [Street] {
        locked { _ in (streetBox.layer?.streets ?? []).filter { StreetRecords.overlaps(StreetRecords.bounds($0), box) } }
    }

    public func streetLayerVersion() async throws -> String {
        locked { _ in streetBox.version == 0 ? "none" : "v\(streetBox.version)" }
    }
}

extension RecentReadsStore: StreetStore {
    // Street reads are not cached here: the version is one small read and callers cache the built layer by it.
    public func replaceStreetLayer(_ layer: StoredStreetLayer) async throws { try await base.replaceStreetLayer(layer) }
    public func streetLayer() async throws -> StoredStreetLayer? { try await base.streetLayer() }
    public func streets(intersecting box: GeoBoundingBox) async throws -> [Street] { try await base.streets(intersecting: box) }
    public func streetLayerVersion() async throws -> String { try await base.streetLayerVersion() }
}
