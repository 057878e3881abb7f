public import Foundation
import ZoneCastCore
public import ZoneCastForecast
public import ZoneCastOversight
public import ZoneCastPlanning
public import ZoneCastStore
import ZoneCastZoning

/// Reads what the outcomes analysis needs from the store (approved cycles, their forecast surfaces, incidents)
/// and runs it. Shared by the outcomes page and `zonecast report outcomes`, so both show the same figures.
public enum OutcomesData {
    /// Approved cycles that ran or will run (stored status approved, active or superseded, with approved zones),
    /// oldest first, on the newest one's grid; cycles on another grid cell size are listed in `otherGrid`.
    public struct Cycles: Sendable {
        public var cycles: [ZoneCycle]
        public var cellSizeMeters: Double?
        public var otherGrid: [String]
    }

    public static func approvedCycles(store: any AppStore) async throws -> Cycles {
        let decoder = JSONDecoder.zoneCast
        var approved: [ZoneCycle] = []
        for record in try await store.cycles() where [.approved, .active, .superseded].contains(record.status) {
            let cycle = try decoder.decode(ZoneCycle.self, from: record.document)
            guard cycle.approvedZones != nil || cycle.approvedExplainedZones != nil else { continue }
            approved.append(cycle)
        }
        approved.sort { $0.startsAt != $1.startsAt ? $0.startsAt < $1.startsAt : $0.id < $1.id }
        guard let size = approved.last?.provenance.cellSizeMeters else { return Cycles(cycles: [], cellSizeMeters: nil, otherGrid: []) }
        return Cycles(cycles: approved.filter { $0.provenance.cellSizeMeters == size }, cellSizeMeters: size,
                      otherGrid: approved.filter { $0.provenance.cellSizeMeters != size }.map(\.id))
    }

    /// The zones a cycle patrolled: those approved (with the meeting's changes), as `CycleView.zones`.
    public static func approvedZones(of cycle: ZoneCycle) -> [ZoneCycle.ExplainedZone] {
        if let explained = cycle.approvedExplainedZones { return explained }
        guard let approved = cycle.approvedZones else { return [] }
        let cells = Set(approved.map(\.cells))
        return cycle.zones.filter { cells.contains($0.zone.cells) }
    }

    /// The cycles that were in force for some time before `now`: only their forecast surfaces are needed.
    public static func needingSurfaces(_ cycles: [ZoneCycle], now: Date) -> [ZoneCycle] {
        let stubs = cycles.map { OutcomeCycle(id: $0.id, startsAt: $0.startsAt, endsAt: $0.endsAt, zones: [], forecast: []) }
        let ran = Set(Outcomes.activePeriods(stubs, now: now).map(\.cycle.id))
        return cycles.filter { ran.contains($0.id) }
    }

    /// Runs the analysis: `surfaces` holds each cycle's forecast surface by cycle id (on `grid`).
    public static func report(store: any AppStore, cycles: [ZoneCycle], surfaces: [String: RiskSurface], grid: Grid, now: Date,
                              settings: OutcomeSettings) async throws -> OutcomesReport {
        var inputs: [OutcomeCycle] = []
        let ran = Set(needingSurfaces(cycles, now: now).map(\.id))
        let zeros = Array(repeating: 0.0, count: grid.cellCount)
        for c in cycles {
            let values: [Double]
            if let s = surfaces[c.id], s.grid.cellCount == grid.cellCount { values = s.values }
            else if !ran.contains(c.id) { values = zeros } // never in force: its forecast is not read
            else { continue }
            inputs.append(OutcomeCycle(id: c.id, startsAt: c.startsAt, endsAt: c.endsAt,
                                       zones: approvedZones(of: c).map { .init(id: $0.id, cells: $0.zone.cells) }, forecast: values))
        }
        var incidents: [Incident] = []
        if let window = Outcomes.analysisWindow(inputs, now: now) {
            incidents = try await store.incidents(IncidentQuery(occurredFrom: window.from, occurredBefore: window.to, includePoliceInitiated: true,
                                                          includeRawRow: false))
        }
        return try Outcomes.analyse(grid: grid, cycles: inputs, incidents: incidents, now: now, settings: settings)
    }

    /// Everything in one call for callers without a surface cache (the command line).
    public static func report(store: any AppStore, now: Date, bufferMeters: Double) async throws -> (report: OutcomesReport, otherGrid: [String],
        synthetic: Bool) {
        let settings = try await OutcomeSettings(bufferMeters: bufferMeters, weights: try store.harmWeights())
        let found = try await approvedCycles(store: store)
        guard let jurisdiction = try await store.jurisdiction(), let size = found.cellSizeMeters else {
            let empty = try Outcomes.analyse(grid: Grid(originX: 0, originY: 0, cellSizeMeters: 1, columns: 1, rows: 1), cycles: [], incidents: [],
                                             now: now, settings: settings)
            return (empty, found.otherGrid, try await store.jurisdiction()?.isSynthetic ?? false)
        }
        let grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: size)
        var surfaces: [String: RiskSurface] = [:]
        for c in needingSurfaces(found.cycles, now: now) { surfaces[c.id] = try await ProposalService.surface(of: c, store: store) }
        let report = try await report(store: store, cycles: found.cycles, surfaces: surfaces, grid: grid, now: now, settings: settings)
        return (report, found.otherGrid, jurisdiction.isSynthetic)
    }
}
