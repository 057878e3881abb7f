public import Foundation
public import ZoneCastCore
public import ZoneCastForecast
import ZoneCastOperations
public import ZoneCastStore

/// A place whose priority an analyst raised on the strength of intelligence (a dispute about to escalate, a threat
/// of retaliation): when zones are chosen, cells whose centres lie within `radiusMeters` count `factor` times their
/// forecast harm. The boost is recorded in the proposal's provenance, so a replay uses the same boosts even after
/// the item expires, and the zones it touches say so in their explanation.
public struct PriorityBoost: Hashable, Sendable, Codable {
    /// How much a raised place weighs against the forecast: enough to tip a close choice between two places, not
    /// enough to put a zone where the data show no harm (a cell with no forecast harm stays at zero).
    public static let defaultFactor = 1.5

    public var itemID: String
    public var latitude: Double
    public var longitude: Double
    public var radiusMeters: Double
    public var factor: Double

    public init(itemID: String, latitude: Double, longitude: Double, radiusMeters: Double, factor: Double = PriorityBoost.defaultFactor) {
        self.itemID = itemID
        self.latitude = latitude
        self.longitude = longitude
        self.radiusMeters = radiusMeters
        self.factor = factor
    }

    /// The boosts in force at `date`: current intelligence items an analyst let raise priority, with a location.
    public static func current(in store: any OperationsStore, at date: Date) async throws -> [PriorityBoost] {
        try await store.documents(IntelligenceItem.self).filter { $0.raisesPriority && $0.isCurrent(at: date) }
            .compactMap { i in
                guard let lat = i.latitude, let lon = i.longitude else { return nil }
                return PriorityBoost(itemID: i.id, latitude: lat, longitude: lon, radiusMeters: i.priorityRadiusMeters)
            }
            .sorted { $0.itemID < $1.itemID }
    }

    /// The cells this boost covers (centre within the radius).
    public func cells(in grid: Grid, projection: TransverseMercator) -> [Int] {
        let centre = projection.project(GeoPoint(latitude: latitude, longitude: longitude))
        // An item's location and radius come from a form: bounded in Double before any conversion (a point far from
        // the jurisdiction projects to huge or non-finite metres).
        guard radiusMeters.isFinite, radiusMeters > 0, centre.xMeters.isFinite, centre.yMeters.isFinite else { return [] }
        let reach = Int(min((radiusMeters / grid.cellSizeMeters).rounded(.up), Double(max(grid.rows, grid.columns)))) + 1
        guard let home = grid.cell(containing: centre) ?? nearestCell(to: centre, in: grid) else { return [] }
        let c0 = grid.column(of: home), r0 = grid.row(of: home)
        var out: [Int] = []
        for r in max(0, r0 - reach)...min(grid.rows - 1, r0 + reach) {
            for c in max(0, c0 - reach)...min(grid.columns - 1, c0 + reach) {
                let cell = r * grid.columns + c
                if grid.active[cell] && grid.center(of: cell).distanceMeters(to: centre) <= radiusMeters { out.append(cell) }
            }
        }
        return out
    }

    private func nearestCell(to p: PlanarPoint, in grid: Grid) -> Int? {
        let c = ((p.xMeters - grid.originX) / grid.cellSizeMeters).rounded(.down), r = ((p.yMeters - grid.originY) / grid.cellSizeMeters).rounded(.down)
        guard c >= 0, r >= 0, c < Double(grid.columns), r < Double(grid.rows) else { return nil }
        return Int(r) * grid.columns + Int(c)
    }
}

extension RiskSurface {
    /// The surface with each boost's cells multiplied by its factor (overlapping boosts take the largest).
    public func boosted(by boosts: [PriorityBoost], projection: TransverseMercator) -> (surface: RiskSurface, byCell: [Int: String]) {
        guard !boosts.isEmpty else { return (self, [:]) }
        var factor: [Int: (Double, String)] = [:]
        for b in boosts {
            for cell in b.cells(in: grid, projection: projection) where (factor[cell]?.0 ?? 0) < b.factor { factor[cell] = (b.factor, b.itemID) }
        }
        var v = values
        for (cell, f) in factor { v[cell] *= f.0 }
        return (RiskSurface(grid: grid, window: window, values: v), factor.mapValues(\.1))
    }
}
