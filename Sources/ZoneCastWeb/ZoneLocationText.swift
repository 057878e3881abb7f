import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastPlanning
import ZoneCastServices
import ZoneCastStore
import ZoneCastStreets
import ZoneCastZoning

extension WebEnvironment {
    /// Each zone's place in words (by zone id), from the street layer in force (`streetLayer()`, kept while the
    /// store's layer version stays the same) and the cycle's grid. Without a layer each text says so and gives the
    /// zone's centre.
    func zoneLocations(_ zones: [(id: String, cells: [Int])], grid: Grid, jurisdiction: Jurisdiction) async throws -> [String: ZoneLocation] {
        // Kept per street-layer version and zone set: the API's zone list described every zone on every call. A page
        // request has read the layer already (`StreetLayerMiddleware`); the API reads it here.
        let request = MapRequest.current
        let (layer, version) = request.streetsRead ? (request.streets, request.streetsVersion) : try await streetLayers.versionedLayer(in: store)
        var zoneKey = Hasher()
        for zone in zones {
            zoneKey.combine(zone.id)
            zoneKey.combine(zone.cells)
        }
        let key = "\(version)|\(jurisdiction.name)|\(grid.cellSizeMeters)|\(grid.originX)|\(grid.originY)|\(grid.columns)|\(zoneKey.finalize())"
        return zoneLocationCache.value(for: key) {
            ZoneLocations.standard(for: jurisdiction).locations(of: zones, grid: grid, projection: jurisdiction.projection, layer: layer)
        }
    }

    /// The locations of some of a cycle's zones, on the cycle's grid; empty when no jurisdiction is recorded.
    func zoneLocations(_ view: CycleView, zones: [ZoneCycle.ExplainedZone]) async throws -> [String: ZoneLocation] {
        guard !zones.isEmpty, let jurisdiction = try await store.jurisdiction() else { return [:] }
        let grid = await surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters)
        return try await zoneLocations(zones.map { ($0.id, $0.zone.cells) }, grid: grid, jurisdiction: jurisdiction)
    }
}

/// A zone's location as every page shows it: one paragraph, "Where: E 31st St to E 35th St, between ...".
enum ZoneLocationText {
    /// The paragraph (nil when the page has no location for the zone); `id` is unique on the page.
    static func paragraph(_ location: ZoneLocation?, id: String) -> HTML? {
        location.map { l -> HTML in "<p class=\"zone-location\" id=\"\(id)\"><strong>Where:</strong> \(l.locationDescription)</p>" }
    }

    /// The text the API and exports give (a location is always there once a jurisdiction is recorded).
    static func description(_ location: ZoneLocation?) -> String {
        location?.locationDescription ?? "No jurisdiction is recorded, so the zone's place cannot be described."
    }
}
