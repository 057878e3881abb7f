import Foundation
public import ZoneCastCore
public import ZoneCastForecast
public import ZoneCastPlanning
public import ZoneCastStore

/// Risk surfaces of recorded proposals, recomputed once per cycle and kept (a cycle's surface never changes:
/// its provenance pins the data). Maps show the highest cells; a few cycles' worth is a few megabytes.
public actor SurfaceCache {
    private var surfaces: [String: RiskSurface] = [:]
    private var order: [String] = []
    private let capacity = 8

    private var grids: [String: Grid] = [:]

    public init() {}

    /// The jurisdiction's grid at a cell size (marking active cells costs a point-in-polygon test per cell, so it is
    /// done once, not per page view).
    public func grid(for jurisdiction: Jurisdiction, cellSizeMeters: Double) -> Grid {
        let key = "\(jurisdiction.name)|\(cellSizeMeters)"
        if let g = grids[key] { return g }
        let g = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: cellSizeMeters)
        grids[key] = g
        return g
    }

    public func surface(of cycle: ZoneCycle, store: any IncidentStore) async throws -> RiskSurface {
        if let s = surfaces[cycle.id] { return s }
        let s = try await ProposalService.surface(of: cycle, store: store)
        surfaces[cycle.id] = s
        order.append(cycle.id)
        if order.count > capacity { surfaces[order.removeFirst()] = nil }
        return s
    }
}
