import Foundation
public import ZoneCastCore
public import ZoneCastForecast
public import ZoneCastOperations
public import ZoneCastZoning

/// An adjustment, a cell selection or an approval refused: the field at fault, the value given and why, so a form
/// can say exactly what to change.
public struct PlanningInputError: Error, Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var value: String
    public var reason: String

    public init(field: String, value: String, reason: String) {
        self.field = field
        self.value = value
        self.reason = reason
    }

    public var description: String { "\(field) \"\(value.prefix(80))\": \(reason)" }
}

/// One zone of a proposal as the analysts adjusted it: the optimiser's zone with cells added or suppressed, or a
/// zone an analyst drew. Its forecast harm is recomputed on the cycle's surface.
public struct AdjustedZone: Hashable, Sendable {
    public enum Origin: String, Hashable, Sendable { case optimiser, drawn }

    public var id: String
    public var origin: Origin
    public var zone: Zone
    /// The optimiser's zone this came from (nil for a drawn zone).
    public var proposed: ZoneCycle.ExplainedZone?
    /// The adjustments that shaped this zone, in order (for a drawn zone, the first one drew it).
    public var adjustments: [ProposalAdjustment]

    public init(id: String, origin: Origin, zone: Zone, proposed: ZoneCycle.ExplainedZone?, adjustments: [ProposalAdjustment]) {
        self.id = id
        self.origin = origin
        self.zone = zone
        self.proposed = proposed
        self.adjustments = adjustments
    }

    /// Cells the analysts added to the optimiser's zone (every cell of a drawn zone).
    public var addedCells: [Int] { Set(zone.cells).subtracting(proposed?.zone.cells ?? []).sorted() }
    /// Cells of the optimiser's zone the analysts suppressed.
    public var removedCells: [Int] { Set(proposed?.zone.cells ?? []).subtracting(zone.cells).sorted() }
    public var isAdjusted: Bool { !adjustments.isEmpty }
    /// Change in forecast harm against the optimiser's zone (the whole value for a drawn zone).
    public var harmChange: Double { zone.value - (proposed?.zone.value ?? 0) }
}

/// A zone the analysts took out of the proposal, with the adjustment that did it.
public struct DroppedZone: Hashable, Sendable {
    public var zone: ZoneCycle.ExplainedZone
    public var adjustment: ProposalAdjustment
}

/// The proposal as adjusted: the optimiser's zones in their order (less those dropped), then the drawn zones in the
/// order they were drawn.
public struct AdjustedProposal: Hashable, Sendable {
    public var zones: [AdjustedZone]
    public var dropped: [DroppedZone]

    public init(zones: [AdjustedZone], dropped: [DroppedZone]) {
        self.zones = zones
        self.dropped = dropped
    }

    /// The optimiser's proposal with no adjustment, as recorded.
    public init(unadjusted zones: [ZoneCycle.ExplainedZone]) {
        self.init(zones: zones.map { AdjustedZone(id: $0.id, origin: .optimiser, zone: $0.zone, proposed: $0, adjustments: []) }, dropped: [])
    }

    public func zone(_ id: String) -> AdjustedZone? { zones.first { $0.id == id } }
    public var totalHarm: Double { zones.reduce(0) { $0 + $1.zone.value } }
    public var areaKm2: Double { zones.reduce(0) { $0 + $1.zone.areaKm2 } }
}

/// Applying analysts' adjustments to the optimiser's proposal. The proposal itself is never edited (so
/// `propose --replay` still reproduces the optimiser); adjustments are stored beside it and applied in order.
public enum ProposalAdjustments {
    /// The proposal's zones (no adjustment applied), measured on `surface`.
    public static func unadjusted(_ zones: [ZoneCycle.ExplainedZone], surface: RiskSurface) -> AdjustedProposal {
        AdjustedProposal(zones: zones.map {
                             AdjustedZone(id: $0.id, origin: .optimiser, zone: Zone(cells: $0.zone.cells, surface: surface), proposed: $0, adjustments: [])
                         },
                         dropped: [])
    }

    /// Applies `adjustments` in order (oldest first) to the proposal's zones. Each must fit the state the ones
    /// before it left (stored adjustments were checked with `validate` when recorded).
    public static func apply(_ adjustments: [ProposalAdjustment], to zones: [ZoneCycle.ExplainedZone],
                             surface: RiskSurface) throws(PlanningInputError) -> AdjustedProposal {
        var state = unadjusted(zones, surface: surface)
        for a in adjustments { state = try step(a, state, surface: surface) }
        return state
    }

    /// One adjustment applied to a state: the structural rules only (zone exists, cells on the grid, a zone keeps
    /// at least one cell). `validate` adds the zoning constraints.
    public static func step(_ a: ProposalAdjustment, _ state: AdjustedProposal, surface: RiskSurface) throws(PlanningInputError) -> AdjustedProposal {
        var state = state
        let grid = surface.grid
        if let off = a.cells.first(where: { $0 < 0 || $0 >= grid.cellCount }) {
            throw PlanningInputError(field: "cells", value: String(off), reason: "no such cell: the grid has cells 0 to \(grid.cellCount - 1)")
        }
        let index = state.zones.firstIndex { $0.id == a.zoneID }
        switch a.action {
        case .addCells, .suppressCells:
            guard let k = index else { throw unknownZone(a.zoneID, state) }
            guard !a.cells.isEmpty else { throw PlanningInputError(field: "cells", value: "", reason: "give at least one cell") }
            var cells = Set(state.zones[k].zone.cells)
            if a.action == .addCells { cells.formUnion(a.cells) } else { cells.subtract(a.cells) }
            guard !cells.isEmpty else {
                throw PlanningInputError(field: "cells", value: cellList(a.cells),
                                         reason: "suppressing these would leave \(a.zoneID) without cells: drop the zone instead")
            }
            state.zones[k].zone = Zone(cells: cells, surface: surface)
            state.zones[k].adjustments.append(a)
        case .drawZone:
            guard index == nil, !state.dropped.contains(where: { $0.zone.id == a.zoneID }) else {
                throw PlanningInputError(field: "zone", value: a.zoneID, reason: "a zone with this id already exists in the proposal")
            }
            guard !a.cells.isEmpty else { throw PlanningInputError(field: "cells", value: "", reason: "a drawn zone needs at least one cell") }
            state.zones.append(AdjustedZone(id: a.zoneID, origin: .drawn, zone: Zone(cells: a.cells, surface: surface), proposed: nil, adjustments: [a]))
        case .dropZone:
            guard let k = index else { throw unknownZone(a.zoneID, state) }
            let removed = state.zones.remove(at: k)
            if let proposed = removed.proposed { state.dropped.append(DroppedZone(zone: proposed, adjustment: a)) }
        }
        return state
    }

    /// Checks a new adjustment against the proposal as adjusted so far and returns the state after it. Refuses a
    /// missing reason, unknown zones, cells off the grid, inactive or excluded; added cells that do not join the
    /// zone edge to edge; suppressions that split a zone; zones over the area or diameter caps, overlapping or too
    /// close to another zone; more zones than the constraints allow.
    public static func validate(_ a: ProposalAdjustment, on state: AdjustedProposal, constraints: ZoneConstraints,
                                surface: RiskSurface) throws(PlanningInputError) -> AdjustedProposal {
        let grid = surface.grid
        if a.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw PlanningInputError(field: "reason", value: a.reason, reason: "a reason is required for every adjustment")
        }
        let cellText = cellList(a.cells)
        if a.action != .dropZone {
            if let off = a.cells.first(where: { $0 < 0 || $0 >= grid.cellCount }) {
                throw PlanningInputError(field: "cells", value: String(off), reason: "no such cell: the grid has cells 0 to \(grid.cellCount - 1)")
            }
            let inactive = a.cells.filter { !grid.active[$0] }
            if !inactive.isEmpty { throw PlanningInputError(field: "cells", value: cellList(inactive), reason: "outside the jurisdiction (inactive cells)") }
            let barred = a.cells.filter { constraints.excluded.contains($0) }
            if !barred.isEmpty {
                throw PlanningInputError(field: "cells", value: cellList(barred), reason: "excluded from every zone by the proposal's constraints")
            }
        }
        let current = state.zone(a.zoneID)
        switch a.action {
        case .addCells:
            guard let z = current else { throw unknownZone(a.zoneID, state) }
            let already = a.cells.filter { z.zone.cells.contains($0) }
            if !already.isEmpty { throw PlanningInputError(field: "cells", value: cellList(already), reason: "already in \(a.zoneID)") }
            if !ZoneGeometry.isConnected(Set(z.zone.cells).union(a.cells), grid: grid) {
                throw PlanningInputError(field: "cells", value: cellText,
                                         reason: "these cells do not touch \(a.zoneID): added cells must join the zone edge to edge")
            }
        case .suppressCells:
            guard let z = current else { throw unknownZone(a.zoneID, state) }
            let absent = a.cells.filter { !z.zone.cells.contains($0) }
            if !absent.isEmpty { throw PlanningInputError(field: "cells", value: cellList(absent), reason: "not in \(a.zoneID)") }
            let rest = Set(z.zone.cells).subtracting(a.cells)
            if !rest.isEmpty && !ZoneGeometry.isConnected(rest, grid: grid) {
                throw PlanningInputError(field: "cells", value: cellText, reason: "suppressing these would split \(a.zoneID) into separate pieces")
            }
        case .drawZone:
            if state.zones.count + 1 > constraints.maxZones {
                throw PlanningInputError(field: "zone", value: a.zoneID,
                                         reason: "the proposal already has \(state.zones.count) zones, the most allowed is \(constraints.maxZones): "
                                             + "drop one first")
            }
            if !a.cells.isEmpty && !ZoneGeometry.isConnected(a.cells, grid: grid) {
                throw PlanningInputError(field: "cells", value: cellText, reason: "a drawn zone must be one piece (cells joined edge to edge)")
            }
        case .dropZone:
            guard current != nil else { throw unknownZone(a.zoneID, state) }
        }
        let after = try step(a, state, surface: surface)
        guard a.action != .dropZone, let changed = after.zone(a.zoneID) else { return after }
        let problems = constraints.violations(ofCells: changed.zone.cells, grid: grid).filter { !$0.contains("4-connected") }
        if !problems.isEmpty {
            throw PlanningInputError(field: "cells", value: cellText, reason: "\(a.zoneID) would break the zone limits: \(problems.joined(separator: "; "))")
        }
        for other in after.zones where other.id != a.zoneID {
            if !Set(other.zone.cells).isDisjoint(with: changed.zone.cells) {
                throw PlanningInputError(field: "cells", value: cellList(Set(other.zone.cells).intersection(changed.zone.cells).sorted()),
                                         reason: "already in zone \(other.id)")
            }
            let gap = ZoneGeometry.separationMeters(between: changed.zone.cells, and: other.zone.cells, grid: grid)
            if gap < constraints.minSeparationMeters * (1 - 1e-9) {
                throw PlanningInputError(field: "cells", value: cellText,
                                         reason: String(format: "%@ would be %.0f m from zone %@; zones must be at least %.0f m apart",
                                                        a.zoneID, gap, other.id, constraints.minSeparationMeters))
            }
        }
        return after
    }

    /// The id for the next drawn zone: "D1", "D2", ... not yet used in the proposal.
    public static func nextDrawnID(_ state: AdjustedProposal) -> String {
        let used = Set(state.zones.map(\.id) + state.dropped.map(\.zone.id))
        var n = 1
        while used.contains("D\(n)") { n += 1 }
        return "D\(n)"
    }

    static func unknownZone(_ id: String, _ state: AdjustedProposal) -> PlanningInputError {
        PlanningInputError(field: "zone", value: id,
                           reason: "no such zone in the proposal as adjusted (zones: \(state.zones.map(\.id).joined(separator: ", ")))")
    }

    static func cellList<C: Collection<Int>>(_ cells: C) -> String { cells.map(String.init).joined(separator: ",") }
}

/// How the proposal (as adjusted) differs from the zones in force: which zones are new, kept (same cells),
/// changed (overlapping, with cells added and removed) or retired, with the forecast harm each captures on the
/// proposal's surface.
public struct ZoneComparison: Hashable, Sendable {
    public enum Change: String, Hashable, Sendable { case new, kept, changed, retired }

    public var proposedID: String?
    public var activeID: String?
    public var change: Change
    public var cellsAdded: [Int]
    public var cellsRemoved: [Int]
    /// Forecast harm on the proposal's surface of the proposed zone and of the active zone it replaces.
    public var proposedHarm: Double?
    public var activeHarm: Double?

    /// Each proposed zone is matched with the active zone it overlaps most; active zones left unmatched retire.
    public static func compare(proposed: [AdjustedZone], active: [(id: String, cells: [Int])], surface: RiskSurface) -> [ZoneComparison] {
        var out: [ZoneComparison] = []
        var matched: Set<String> = []
        for p in proposed {
            let mine = Set(p.zone.cells)
            let best = active.filter { !matched.contains($0.id) }
                .map { (a: $0, overlap: mine.intersection($0.cells).count) }
                .filter { $0.overlap > 0 }
                .max { ($0.overlap, $1.a.id) < ($1.overlap, $0.a.id) }
            if let a = best?.a {
                matched.insert(a.id)
                let theirs = Set(a.cells)
                out.append(ZoneComparison(proposedID: p.id, activeID: a.id, change: theirs == mine ? .kept : .changed,
                                          cellsAdded: mine.subtracting(theirs).sorted(), cellsRemoved: theirs.subtracting(mine).sorted(),
                                          proposedHarm: p.zone.value, activeHarm: surface.value(of: a.cells)))
            } else {
                out.append(ZoneComparison(proposedID: p.id, activeID: nil, change: .new, cellsAdded: mine.sorted(), cellsRemoved: [],
                                          proposedHarm: p.zone.value, activeHarm: nil))
            }
        }
        for a in active where !matched.contains(a.id) {
            out.append(ZoneComparison(proposedID: nil, activeID: a.id, change: .retired, cellsAdded: [], cellsRemoved: a.cells.sorted(),
                                      proposedHarm: nil, activeHarm: surface.value(of: a.cells)))
        }
        return out
    }
}

/// Turning what an analyst types into grid cells: cell indices, a point with a radius, or an outline of points.
public enum CellSelection {
    /// "12, 13 14" → [12, 13, 14]. Commas, spaces or semicolons separate; anything else is refused by name.
    public static func indices(_ text: String, field: String = "cells") throws(PlanningInputError) -> [Int] {
        var out: [Int] = []
        for token in text.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }) {
            guard let n = Int(token), n >= 0 else {
                throw PlanningInputError(field: field, value: String(token),
                                         reason: "not a cell number (give cell numbers separated by commas, e.g. 1204,1205)")
            }
            out.append(n)
        }
        return out
    }

    /// "39.0997,-94.5786" → a WGS84 point.
    public static func point(_ text: String, field: String) throws(PlanningInputError) -> GeoPoint {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let lat = Double(parts[0]), let lon = Double(parts[1]) else {
            throw PlanningInputError(field: field, value: text, reason: "not a point: give latitude,longitude in decimal degrees, e.g. 39.0997,-94.5786")
        }
        guard (-90...90).contains(lat), (-180...180).contains(lon) else {
            throw PlanningInputError(field: field, value: text, reason: "latitude must be between -90 and 90 and longitude between -180 and 180")
        }
        return GeoPoint(latitude: lat, longitude: lon)
    }

    /// Points separated by ";" or new lines: "39.10,-94.58; 39.11,-94.57".
    public static func points(_ text: String, field: String) throws(PlanningInputError) -> [GeoPoint] {
        var out: [GeoPoint] = []
        for line in text.split(whereSeparator: { $0 == ";" || $0 == "\n" || $0 == "\r" }) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if !t.isEmpty { out.append(try point(t, field: field)) }
        }
        return out
    }

    /// Active cells whose centre lies within `radiusMeters` of `center`; at least the cell holding the centre.
    /// A radius that is not a positive finite number selects nothing (never a trap on a request's number).
    public static func cells(around center: PlanarPoint, radiusMeters: Double, grid: Grid) -> [Int] {
        guard radiusMeters.isFinite, radiusMeters > 0 else { return [] }
        let s = grid.cellSizeMeters
        // Bounded in Double before the conversion: a radius wider than the grid reaches the whole grid.
        let reach = Int(min((radiusMeters / s).rounded(.up), Double(max(grid.rows, grid.columns)))) + 1
        var out: [Int] = []
        if let c0 = grid.cell(containing: center) {
            let col = grid.column(of: c0), row = grid.row(of: c0)
            for r in max(0, row - reach)...min(grid.rows - 1, row + reach) {
                for c in max(0, col - reach)...min(grid.columns - 1, col + reach) {
                    let cell = r * grid.columns + c
                    if grid.active[cell] && grid.center(of: cell).distanceMeters(to: center) <= radiusMeters { out.append(cell) }
                }
            }
            if out.isEmpty && grid.active[c0] { out.append(c0) }
        }
        return out.sorted()
    }

    /// How far outside the grid an outline's corner may lie: an analyst may draw a little past the boundary, but a
    /// point kilometres away is a typing mistake (and a projection far from its centre is not meaningful).
    public static let outlineMarginMeters = 10_000.0

    /// One or two points: the cells holding them. Three or more: an outline; the cells whose centre lies inside
    /// it, and the cells holding its corners. A point that is not finite or lies more than `outlineMarginMeters`
    /// outside the grid is refused by name (`field`, its position in the list).
    public static func cells(outlinedBy points: [PlanarPoint], grid: Grid, field: String = "points") throws(PlanningInputError) -> [Int] {
        let m = outlineMarginMeters
        let width = Double(grid.columns) * grid.cellSizeMeters, height = Double(grid.rows) * grid.cellSizeMeters
        for (i, p) in points.enumerated() {
            let x = p.xMeters - grid.originX, y = p.yMeters - grid.originY
            guard x.isFinite, y.isFinite, x >= -m, y >= -m, x <= width + m, y <= height + m else {
                throw PlanningInputError(field: field, value: "point \(i + 1)",
                                         reason: "lies more than \(Int(m / 1_000)) km outside the jurisdiction's grid: give points in or near the jurisdiction")
            }
        }
        var out = Set(points.compactMap { grid.cell(containing: $0) })
        if points.count >= 3 {
            let minX = points.map(\.xMeters).min() ?? grid.originX, maxX = points.map(\.xMeters).max() ?? grid.originX
            let minY = points.map(\.yMeters).min() ?? grid.originY, maxY = points.map(\.yMeters).max() ?? grid.originY
            // The outline's box clamped to the grid in Double, then converted: every value is within 0...columns/rows.
            func index(_ v: Double, _ origin: Double, _ count: Int) -> Int {
                Int(min(max(((v - origin) / grid.cellSizeMeters).rounded(.down), 0), Double(count - 1)))
            }
            let c0 = index(minX, grid.originX, grid.columns), c1 = index(maxX, grid.originX, grid.columns)
            let r0 = index(minY, grid.originY, grid.rows), r1 = index(maxY, grid.originY, grid.rows)
            if c0 <= c1 && r0 <= r1 {
                for r in r0...r1 {
                    for c in c0...c1 {
                        let cell = r * grid.columns + c
                        if contains(points, grid.center(of: cell)) { out.insert(cell) }
                    }
                }
            }
        }
        return out.sorted()
    }

    /// Even-odd ray casting in the plane.
    static func contains(_ polygon: [PlanarPoint], _ p: PlanarPoint) -> Bool {
        var inside = false
        var j = polygon.count - 1
        for i in polygon.indices {
            let a = polygon[i], b = polygon[j]
            if (a.yMeters > p.yMeters) != (b.yMeters > p.yMeters) {
                let x = (b.xMeters - a.xMeters) * (p.yMeters - a.yMeters) / (b.yMeters - a.yMeters) + a.xMeters
                if p.xMeters < x { inside.toggle() }
            }
            j = i
        }
        return inside
    }
}
