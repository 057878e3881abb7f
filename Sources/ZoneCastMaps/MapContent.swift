public import ZoneCastCore
public import ZoneCastStreets

/// Whether a zone is in force or only proposed. Drawn apart in colour and, for greyscale print, in line: active
/// zones solid and heavier, proposed zones dashed and lighter.
public enum MapZoneStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case active, proposed
}

/// One zone to draw: its cells on the lattice, a short label ("Z1"), its status and an optional link.
public struct MapZone: Hashable, Sendable {
    public var id: String
    public var label: String
    public var cells: [Int]
    public var status: MapZoneStatus
    public var link: String?
    /// What the zone's tooltip says after its label instead of the status ("upcoming, starts Thu 3 Dec, 05:00" for
    /// an approved cycle not yet in force, which is drawn like an active one but is not active).
    public var note: String?

    public init(id: String, label: String, cells: [Int], status: MapZoneStatus, link: String? = nil, note: String? = nil) {
        self.id = id
        self.label = label
        self.cells = cells
        self.status = status
        self.link = link
        self.note = note
    }
}

/// One incident to draw: where and what (the category picks the marker's shape and colour).
public struct MapIncident: Hashable, Sendable {
    public var position: PlanarPoint
    public var category: HarmCategory

    public init(position: PlanarPoint, category: HarmCategory) {
        self.position = position
        self.category = category
    }
}

/// Everything a map may draw; every part is optional and the legend lists exactly the parts drawn.
public struct MapContent: Sendable {
    /// The grid the surface, the zones and the clickable cells are on.
    public var lattice: CellLattice?
    /// Risk per cell (index = cell), drawn as a muted background; needs `lattice`.
    public var surface: [Double]?
    public var boundary: GeoMultiPolygon?
    public var streets: StreetLayer?
    public var zones: [MapZone]
    public var incidents: [MapIncident]
    /// A slippy-map tile URL ("https://tiles.example/{z}/{x}/{y}.png") drawn under everything.
    public var tileURLTemplate: String?
    /// Cells drawn as separate elements carrying `data-cell`, for click-to-adjust (pages add the no-JS fallback).
    public var clickableCells: [Int]?
    /// Shaded cell areas (buffer rings, comparison places); needs `lattice`.
    public var areas: [MapArea] = []
    /// Marked places with tooltips (intelligence items).
    public var markers: [MapMarker] = []

    public init(lattice: CellLattice? = nil, surface: [Double]? = nil, boundary: GeoMultiPolygon? = nil, streets: StreetLayer? = nil,
                zones: [MapZone] = [], incidents: [MapIncident] = [], tileURLTemplate: String? = nil, clickableCells: [Int]? = nil) {
        self.lattice = lattice
        self.surface = surface
        self.boundary = boundary
        self.streets = streets
        self.zones = zones
        self.incidents = incidents
        self.tileURLTemplate = tileURLTemplate
        self.clickableCells = clickableCells
    }
}
