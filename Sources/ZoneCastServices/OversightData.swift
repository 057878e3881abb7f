public import Foundation
import ZoneCastCore
import ZoneCastForecast
public import ZoneCastOversight
public import ZoneCastPlanning
public import ZoneCastStore
import ZoneCastZoning

/// Reads the store for the oversight reports (the feedback-loop guard, the equity audit, the randomised evaluation)
/// and hands values to the pure calculations in ZoneCastOversight. Shared by the oversight page and
/// `zonecast report equity`.
public enum OversightData {
    /// A cycle's time in force: from its start until its end, the start of the next approved cycle, or now.
    public struct InForcePeriod: Sendable {
        public var record: CycleRecord
        public var cycle: ZoneCycle
        public var from: Date
        public var to: Date
        /// The zones that patrolled: as approved (changed or drawn at the meeting), else the proposal's.
        public var zones: [(id: String, cells: [Int])]
        public var days: Double { to.timeIntervalSince(from) / 86_400 }
    }

    /// Approved cycles (approved, active, expired or superseded) that started by `now`, each cut at the next one's start.
    public static func inForcePeriods(store: any CycleStore, now: Date) async throws -> [InForcePeriod] {
        let records = try await store.cycles().filter { [.approved, .active, .expired, .superseded].contains($0.status) && $0.startsAt < now }
            .sorted { $0.startsAt != $1.startsAt ? $0.startsAt < $1.startsAt : $0.id < $1.id }
        var out: [InForcePeriod] = []
        for (k, r) in records.enumerated() {
            let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: r.document)
            var end = min(r.endsAt, now)
            if k + 1 < records.count { end = min(end, records[k + 1].startsAt) }
            guard end > r.startsAt else { continue }
            out.append(InForcePeriod(record: r, cycle: cycle, from: r.startsAt, to: end, zones: approvedZones(cycle)))
        }
        return out
    }

    /// The zones that patrol in a cycle (the same rule as the pages' `CycleView.zones`).
    public static func approvedZones(_ cycle: ZoneCycle) -> [(id: String, cells: [Int])] {
        if let explained = cycle.approvedExplainedZones { return explained.map { ($0.id, $0.zone.cells) } }
        guard let approved = cycle.approvedZones else { return cycle.zones.filter { $0.status != .retired }.map { ($0.id, $0.zone.cells) } }
        let cells = Set(approved.map(\.cells))
        let named = cycle.zones.filter { cells.contains($0.zone.cells) }
        return named.isEmpty ? approved.enumerated().map { ("Z\($0.offset + 1)", $0.element.cells) } : named.map { ($0.id, $0.zone.cells) }
    }

    public struct EquityReport: Sendable, Encodable {
        public var areaSet: String
        public var from: Date?
        public var to: Date?
        public var cycles: Int
        public var categories: [String]
        public var audit: EquityAudit
    }

    /// The equity audit over every approved cycle up to `now`: zone cell-days by area against the harm of the
    /// targeted categories (police-initiated records left out) in the same span, with the store's harm weights.
    public static func equity(store: any IncidentStore & CycleStore, areas: [EquityArea], areaSetLabel: String, now: Date,
                              settings: EquityAudit.Settings = EquityAudit.Settings()) async throws -> EquityReport {
        guard let jurisdiction = try await store.jurisdiction() else { throw ProposalService.ProposalError.noJurisdiction }
        let periods = try await inForcePeriods(store: store, now: now)
        let cellSize = periods.first?.cycle.provenance.cellSizeMeters ?? 150
        let grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: cellSize)
        var zones: [EquityAudit.ZonePeriod] = []
        for p in periods {
            let own = p.cycle.provenance.cellSizeMeters == cellSize ? grid
                : Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: p.cycle.provenance.cellSizeMeters)
            for z in p.zones {
                // Cycles on another cell size are mapped to this grid by their cells' centres.
                let cells = own == grid ? z.cells : Array(Set(z.cells.compactMap { grid.cell(containing: own.center(of: $0)) })).sorted()
                zones.append(EquityAudit.ZonePeriod(cycleID: p.record.id, zoneID: z.id, cells: cells, days: p.days))
            }
        }
        let targets = periods.isEmpty ? HarmCategory.violent : Set(periods.flatMap(\.cycle.provenance.targets))
        let weights = try await store.harmWeights()
        var harm: [EquityAudit.HarmPoint] = []
        if let from = periods.map(\.from).min(), let to = periods.map(\.to).max() {
            harm = try await store.incidents(IncidentQuery(occurredFrom: from, occurredBefore: to, categories: targets, includePoliceInitiated: false,
                                                     includeRawRow: false))
                .map { EquityAudit.HarmPoint(location: $0.location, harm: weights[$0.category]) }
        }
        let audit = EquityAudit.compute(areas: areas, grid: grid, projection: jurisdiction.projection, zones: zones, harm: harm, settings: settings)
        return EquityReport(areaSet: areaSetLabel, from: periods.map(\.from).min(), to: periods.map(\.to).max(), cycles: periods.count,
                            categories: targets.map(\.rawValue).sorted(), audit: audit)
    }

    /// The proposal's zones scored on its forecast without and with police-initiated records (two forecasts and an
    /// optimiser run: a second or two on a city grid; the page caches the result per cycle).
    public static func sensitivity(of cycle: ZoneCycle, store: any IncidentStore) async throws -> PoliceInitiatedSensitivity {
        let surfaces = try await ProposalService.policeInitiatedSurfaces(of: cycle, store: store)
        let zones = cycle.zones.filter { $0.status != .retired }.map { ($0.id, $0.zone.cells) }
        return PoliceInitiatedSensitivity.compare(cycleID: cycle.id, zones: zones, without: surfaces.without, with: surfaces.with,
                                                  policeInitiatedRecords: surfaces.policeInitiatedRecords,
                                                  policeInitiatedByCategory: Dictionary(
                                                      uniqueKeysWithValues: surfaces.policeInitiatedByCategory.map { ($0.key.rawValue, $0.value) }),
                                                  reoptimised: surfaces.reoptimised)
    }

    /// Treated and untreated candidates of every recorded random assignment whose cycle has started: violent
    /// incidents in each candidate's cells in the 28 days before the cycle and while it was in force.
    public static func randomisedComparison(store: any IncidentStore & CycleStore & OperationsStore, now: Date,
                                            beforeDays: Double = 28) async throws -> RandomisedComparison {
        guard let jurisdiction = try await store.jurisdiction() else { return RandomisedComparison.compare([]) }
        var units: [RandomisedComparison.Unit] = []
        for record in try await store.documents(RandomisedAssignmentRecord.self).sorted(by: { $0.id < $1.id }) {
            guard let cycleRecord = try await store.cycle(id: record.assignment.cycleID), cycleRecord.startsAt < now else { continue }
            let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: cycleRecord.document)
            let grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: cycle.provenance.cellSizeMeters)
            let start = cycleRecord.startsAt, end = min(cycleRecord.endsAt, now)
            let beforeStart = start.addingTimeInterval(-beforeDays * 86_400)
            let incidents = try await store.incidents(IncidentQuery(occurredFrom: beforeStart, occurredBefore: end, categories: Set(cycle.provenance.targets),
                                                              includePoliceInitiated: false, includeRawRow: false))
            var before: [Int: Int] = [:], during: [Int: Int] = [:]
            for i in incidents {
                guard let c = grid.cell(containing: i.position) else { continue }
                if i.occurredAt < start { before[c, default: 0] += 1 } else { during[c, default: 0] += 1 }
            }
            let treated = Set(record.assignment.treated)
            for id in record.assignment.candidates {
                let cells = record.cells[id] ?? []
                units.append(RandomisedComparison.Unit(cycleID: cycleRecord.id, zoneID: id, treated: treated.contains(id),
                                                       before: cells.reduce(0) { $0 + (before[$1] ?? 0) }, during: cells.reduce(0) { $0 + (during[$1] ?? 0) },
                                                       beforeDays: beforeDays, duringDays: max(0, end.timeIntervalSince(start) / 86_400)))
            }
        }
        return RandomisedComparison.compare(units)
    }
}

/// Sensitivity results by cycle (they cost two forecasts and an optimiser run), keyed by the store, the cycle and
/// its recorded document, so a changed cycle or another database never reuses a stale result.
public actor SensitivityCache {
    public static let shared = SensitivityCache()
    private var entries: [String: PoliceInitiatedSensitivity] = [:]

    public func value(_ key: String, compute: @Sendable () async throws -> PoliceInitiatedSensitivity) async rethrows -> PoliceInitiatedSensitivity {
        if let v = entries[key] { return v }
        let v = try await compute()
        if entries.count > 64 { entries.removeAll() }
        entries[key] = v
        return v
    }
}
