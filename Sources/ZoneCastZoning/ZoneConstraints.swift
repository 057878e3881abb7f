public import ZoneCastForecast

/// What a patrol plan must respect. The defaults follow common place-based patrol practice: up to four zones,
/// each small enough for a car or foot team to cover in a shift (0.25 mi² ≈ 0.65 km², at most 1.2 km across) and
/// far enough apart (400 m) that they are distinct deployments rather than one big zone. Geometry (diameter,
/// separation, connectivity) is defined in `ZoneGeometry`.
public struct ZoneConstraints: Hashable, Sendable, Codable {
    /// Most zones in a plan (a plan may hold fewer when the surface has too little harm or room).
    public var maxZones: Int
    /// Largest area of one zone; converted to a cell count as ⌊maxAreaKm2 / cell area⌋.
    public var maxAreaKm2: Double
    /// Largest diameter of one zone (centre-to-centre distance of its farthest cells plus one cell width).
    public var maxDiameterMeters: Double
    /// Smallest edge-to-edge distance between the cell squares of two different zones.
    public var minSeparationMeters: Double
    /// Cells no zone may hold (stadium, airport, water), as grid cell indices.
    public var excluded: Set<Int>

    public init(maxZones: Int = 4, maxAreaKm2: Double = 0.65, maxDiameterMeters: Double = 1_200,
                minSeparationMeters: Double = 400, excluded: Set<Int> = []) {
        self.maxZones = maxZones
        self.maxAreaKm2 = maxAreaKm2
        self.maxDiameterMeters = maxDiameterMeters
        self.minSeparationMeters = minSeparationMeters
        self.excluded = excluded
    }

    /// These constraints with more excluded cells.
    public func excluding<S: Sequence<Int>>(_ cells: S) -> ZoneConstraints {
        var c = self
        c.excluded.formUnion(cells)
        return c
    }

    /// These constraints with every cell flagged `true` in a per-cell mask excluded.
    public func excluding(mask: [Bool], grid: Grid) throws(ZoningError) -> ZoneConstraints {
        guard mask.count == grid.cellCount else { throw .maskSizeMismatch(maskCount: mask.count, cellCount: grid.cellCount) }
        return excluding(mask.indices.lazy.filter { mask[$0] })
    }

    /// The most cells one zone may hold on a grid.
    public func maxCells(on grid: Grid) -> Int { GridRules(constraints: self, grid: grid).maxCells }

    /// Throws when a setting is out of range or cannot admit even a one-cell zone on this grid, or an excluded
    /// cell is off the grid.
    public func check(for grid: Grid) throws(ZoningError) {
        guard maxZones >= 0 else { throw .invalidSetting(name: "maxZones", value: Double(maxZones), reason: "must be >= 0") }
        guard maxAreaKm2.isFinite, maxAreaKm2 >= grid.cellAreaKm2 * (1 - GridRules.slack) else {
            throw .invalidSetting(name: "maxAreaKm2", value: maxAreaKm2, reason: "must be finite and at least one cell (\(grid.cellAreaKm2) km2)")
        }
        guard maxDiameterMeters.isFinite, maxDiameterMeters >= grid.cellSizeMeters * (1 - GridRules.slack) else {
            throw .invalidSetting(name: "maxDiameterMeters", value: maxDiameterMeters,
                                  reason: "must be finite and at least one cell width (\(grid.cellSizeMeters) m)")
        }
        guard minSeparationMeters.isFinite, minSeparationMeters >= 0 else {
            throw .invalidSetting(name: "minSeparationMeters", value: minSeparationMeters, reason: "must be finite and >= 0")
        }
        for c in excluded.sorted() where c < 0 || c >= grid.cellCount {
            throw .cellOutOfRange(cell: c, cellCount: grid.cellCount, context: "excluded")
        }
    }

    /// Every way a cell set fails to be an allowed zone on this grid (empty when it is one): cells off the grid,
    /// duplicated, inactive or excluded; not 4-connected; too many cells; too wide. Analyst edits and stability
    /// rules can check any proposed zone with this.
    public func violations<C: Collection<Int>>(ofCells cells: C, grid: Grid) -> [String] {
        var out: [String] = []
        if cells.isEmpty { return ["a zone needs at least one cell"] }
        let off = cells.filter { $0 < 0 || $0 >= grid.cellCount }
        if !off.isEmpty { return ["cells \(off.sorted()) are outside the grid's \(grid.cellCount) cells"] }
        let set = Set(cells)
        if set.count != cells.count { out.append("\(cells.count - set.count) cells are listed twice") }
        let inactive = set.filter { !grid.active[$0] }.sorted()
        if !inactive.isEmpty { out.append("cells \(inactive) are inactive (outside the jurisdiction)") }
        let barred = set.intersection(excluded).sorted()
        if !barred.isEmpty { out.append("cells \(barred) are excluded") }
        if !ZoneGeometry.isConnected(set, grid: grid) { out.append("cells are not 4-connected") }
        let cap = maxCells(on: grid)
        if set.count > cap {
            out.append("\(set.count) cells (\(Double(set.count) * grid.cellAreaKm2) km2) exceed the \(cap)-cell cap of \(maxAreaKm2) km2")
        }
        let d = ZoneGeometry.diameterMeters(of: set, grid: grid)
        if d > maxDiameterMeters * (1 + GridRules.slack) {
            out.append("diameter \(d) m exceeds \(maxDiameterMeters) m")
        }
        return out
    }

    /// Throws `constraintViolated` unless the cells form an allowed zone.
    public func validate<C: Collection<Int>>(cells: C, grid: Grid, context: String = "zone") throws(ZoningError) {
        let v = violations(ofCells: cells, grid: grid)
        if !v.isEmpty { throw .constraintViolated(context: context, reasons: v) }
    }

    /// Every way a plan breaks the constraints: too many zones, any zone's own violations, zones sharing cells
    /// or closer than `minSeparationMeters`. Empty for a valid plan.
    public func violations(of plan: ZonePlan, grid: Grid) -> [String] {
        var out: [String] = []
        if plan.zones.count > maxZones { out.append("\(plan.zones.count) zones exceed the maximum of \(maxZones)") }
        for (i, z) in plan.zones.enumerated() {
            out += violations(ofCells: z.cells, grid: grid).map { "zone \(i + 1): \($0)" }
        }
        for i in plan.zones.indices {
            for j in plan.zones.indices where j > i {
                let gap = ZoneGeometry.separationMeters(between: plan.zones[i].cells, and: plan.zones[j].cells, grid: grid)
                if !Set(plan.zones[i].cells).isDisjoint(with: plan.zones[j].cells) {
                    out.append("zones \(i + 1) and \(j + 1) share cells")
                } else if gap < minSeparationMeters * (1 - GridRules.slack) {
                    out.append("zones \(i + 1) and \(j + 1) are \(gap) m apart, less than \(minSeparationMeters) m")
                }
            }
        }
        return out
    }
}
