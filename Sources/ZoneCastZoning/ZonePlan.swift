/// The zones chosen for one forecast window, best first, with what they capture of the whole surface.
public struct ZonePlan: Hashable, Sendable, Codable {
    /// Zones by value descending (ties: lowest first cell first).
    public let zones: [Zone]
    /// Sum of the zones' values.
    public let totalValue: Double
    /// Sum of the surface over every cell, the denominator of `capturedShare`.
    public let surfaceTotal: Double

    public init(zones: [Zone], surfaceTotal: Double) {
        self.zones = zones.sorted { a, b in
            a.value != b.value ? a.value > b.value : (a.cells.first ?? 0) < (b.cells.first ?? 0)
        }
        totalValue = self.zones.reduce(0) { $0 + $1.value }
        self.surfaceTotal = surfaceTotal
    }

    /// Share of the forecast harm inside the zones (0 when the surface holds none).
    public var capturedShare: Double { surfaceTotal > 0 ? totalValue / surfaceTotal : 0 }
    /// Total area of the zones.
    public var areaKm2: Double { zones.reduce(0) { $0 + $1.areaKm2 } }
}
