public import ZoneCastCore
public import ZoneCastForecast
public import ZoneCastStore
public import ZoneCastStreets

/// Where each zone is, in words a patrol can use: the one place the pages, the API and the command line get a
/// zone's `ZoneLocation` (its bounding streets, the streets inside it by length, the nearest landmark; see
/// `ZoneDescriber`). Zones are cells on the cycle's grid. Without a street layer every zone still gets a location:
/// its text says no street layer is loaded and gives the zone's centre, as the pages did before streets existed.
///
/// Computed when shown, never stored with the cycle: a street layer imported (or replaced) after a proposal then
/// names that proposal's zones too, and a cycle document stays what the optimiser and the meeting made it.
public struct ZoneLocations: Sendable {
    public var describer: ZoneDescriber

    public init(describer: ZoneDescriber = ZoneDescriber()) {
        self.describer = describer
    }

    /// The synthetic city's blocks are 400 m (`SyntheticStreetNetwork.blockMeters`); elsewhere a US block, 100 m,
    /// so "two blocks east of" means what an officer would walk.
    public static func standard(for jurisdiction: Jurisdiction) -> ZoneLocations {
        ZoneLocations(describer: ZoneDescriber(blockLengthMeters: jurisdiction.isSynthetic ? 400 : 100))
    }

    /// The grid's cells as the street target numbers them (the same numbering: column `i % columns`, row `i / columns`).
    public static func lattice(_ grid: Grid) -> CellLattice {
        CellLattice(originX: grid.originX, originY: grid.originY, cellSizeMeters: grid.cellSizeMeters, columns: grid.columns, rows: grid.rows)
    }

    /// One zone's location. `projection` is the grid's (the jurisdiction's); the layer must be projected with it.
    /// Cells off the grid are left out; a zone with none on it (which the zoning never makes) gets a location saying so.
    public func location(ofCells cells: [Int], grid: Grid, projection: TransverseMercator, layer: StreetLayer?) -> ZoneLocation {
        do {
            let footprint = try ZoneFootprint(cells: cells, lattice: Self.lattice(grid))
            return describer.describe(footprint, layer: layer, projection: projection)
        } catch {
            let centre = projection.prepared().unproject(PlanarPoint(xMeters: grid.originX, yMeters: grid.originY))
            return ZoneLocation(locationDescription: "The zone has no cell on the grid, so its place cannot be described (\(error)).",
                                centre: centre, usedStreetLayer: false)
        }
    }

    /// Every zone's location, by zone id (the first of a repeated id wins).
    public func locations(of zones: [(id: String, cells: [Int])], grid: Grid, projection: TransverseMercator,
                          layer: StreetLayer?) -> [String: ZoneLocation] {
        var result = [String: ZoneLocation]()
        for zone in zones where result[zone.id] == nil {
            result[zone.id] = location(ofCells: zone.cells, grid: grid, projection: projection, layer: layer)
        }
        return result
    }

    /// The store's street layer projected for `jurisdiction` (imports clip it to the boundary already); nil before the
    /// first import. Projects every street: callers that serve many requests keep the result while the store's
    /// `streetLayerVersion()` stays the same (the web's `StreetLayerCache`); the command line reads it once.
    public static func streetLayer(in store: any StreetStore, jurisdiction: Jurisdiction) async throws -> StreetLayer? {
        guard let stored = try await store.streetLayer() else { return nil }
        return StreetLayer(streets: stored.streets, landmarks: stored.landmarks, projection: jurisdiction.projection)
    }
}
