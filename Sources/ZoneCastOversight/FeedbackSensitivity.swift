import Foundation
public import ZoneCastForecast

/// How much a proposal depends on where police looked: each zone's forecast score with police-initiated records
/// left out (the default, as the proposal was made) against the same forecast with them included (same incidents'
/// bounds, model, grid, window and weights; only `includePoliceInitiated` differs).
///
/// For a zone with cells `Z` and surfaces `S⁻` (without) and `S⁺` (with):
/// - score `s = Σ_{c∈Z} S(c)` (forecast harm captured), share `s / Σ_c S(c)` (of the whole city's forecast);
/// - change `Δ% = 100 (s⁺ − s⁻) / s⁻` (nil when `s⁻ = 0`), and the change in share in percentage points;
/// - rank of the zone among the cycle's zones by score, without and with;
/// - top-cell share: the fraction of the zone's cells that are among the city's `N` highest cells of a surface,
///   `N` = all the cycle's zone cells together (the area budget). 1 means the zone is all top cells;
/// - still chosen (when the optimiser was re-run on `S⁺`): the zone shares at least half its cells with a zone of
///   the re-optimised plan.
///
/// A proposal whose zones barely move when police-initiated records are added is not being steered by past police
/// activity; large changes are the warning sign of the feedback loop (Ensign et al. 2018; `FeedbackLoopSimulation`).
public struct PoliceInitiatedSensitivity: Hashable, Sendable, Codable {
    public struct ZoneChange: Hashable, Sendable, Codable {
        public var zoneID: String
        public var cellCount: Int
        public var scoreWithout: Double
        public var scoreWith: Double
        public var percentChange: Double?
        public var shareWithout: Double
        public var shareWith: Double
        public var rankWithout: Int
        public var rankWith: Int
        public var topCellShareWithout: Double
        public var topCellShareWith: Double
        /// Whether a plan optimised on the surface with police-initiated records keeps this zone (≥ half its cells);
        /// nil when the optimiser was not re-run.
        public var stillChosen: Bool?
        /// The largest share of this zone's cells in any one re-optimised zone.
        public var overlapWithReoptimised: Double?

        public var shareChangePoints: Double { 100 * (shareWith - shareWithout) }
    }

    public var cycleID: String
    public var totalWithout: Double
    public var totalWith: Double
    /// Police-initiated records in the training data that the "with" forecast added.
    public var policeInitiatedRecords: Int
    /// Those records by category (raw value).
    public var policeInitiatedByCategory: [String: Int]
    public var zones: [ZoneChange]

    /// Compares the two surfaces (same grid) for the cycle's zones `(id, cells)`. `reoptimised` are the cells of the
    /// zones an optimiser chose on `with`, if it was run.
    public static func compare(cycleID: String, zones: [(id: String, cells: [Int])], without: RiskSurface, with: RiskSurface,
                               policeInitiatedRecords: Int, policeInitiatedByCategory: [String: Int] = [:],
                               reoptimised: [[Int]]? = nil) -> PoliceInitiatedSensitivity {
        precondition(without.grid == with.grid, "both surfaces must be on the same grid")
        let totalWithout = without.total, totalWith = with.total
        let budget = Set(zones.flatMap(\.cells)).count
        let topWithout = Set(without.topCells(budget)), topWith = Set(with.topCells(budget))
        func score(_ cells: [Int], _ s: RiskSurface) -> Double { cells.reduce(0) { $0 + s.values[$1] } }
        let sWithout = zones.map { score($0.cells, without) }, sWith = zones.map { score($0.cells, with) }
        func ranks(_ scores: [Double]) -> [Int] {
            let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
            var r = [Int](repeating: 0, count: scores.count)
            for (k, i) in order.enumerated() { r[i] = k + 1 }
            return r
        }
        let rWithout = ranks(sWithout), rWith = ranks(sWith)
        let reopt = reoptimised.map { $0.map(Set.init) }
        var changes: [ZoneChange] = []
        for (k, z) in zones.enumerated() {
            let n = z.cells.count
            let overlap: Double? = reopt.map { plan in
                guard n > 0 else { return 0 }
                return plan.map { p in Double(z.cells.filter(p.contains).count) / Double(n) }.max() ?? 0
            }
            changes.append(ZoneChange(
                zoneID: z.id, cellCount: n, scoreWithout: sWithout[k], scoreWith: sWith[k],
                percentChange: sWithout[k] > 0 ? 100 * (sWith[k] - sWithout[k]) / sWithout[k] : nil,
                shareWithout: totalWithout > 0 ? sWithout[k] / totalWithout : 0, shareWith: totalWith > 0 ? sWith[k] / totalWith : 0,
                rankWithout: rWithout[k], rankWith: rWith[k],
                topCellShareWithout: n > 0 ? Double(z.cells.filter(topWithout.contains).count) / Double(n) : 0,
                topCellShareWith: n > 0 ? Double(z.cells.filter(topWith.contains).count) / Double(n) : 0,
                stillChosen: overlap.map { $0 >= 0.5 }, overlapWithReoptimised: overlap))
        }
        return PoliceInitiatedSensitivity(cycleID: cycleID, totalWithout: totalWithout, totalWith: totalWith,
                                          policeInitiatedRecords: policeInitiatedRecords, policeInitiatedByCategory: policeInitiatedByCategory, zones: changes)
    }

    /// True when including the records changed no cell at all: the model gives their categories no weight, so the
    /// guard holds by construction for this proposal.
    public var unchanged: Bool { totalWith == totalWithout && zones.allSatisfy { $0.scoreWith == $0.scoreWithout } }

    /// The largest absolute percentage change of any zone's score.
    public var largestChange: Double? { zones.compactMap { $0.percentChange.map(abs) }.max() }
}
