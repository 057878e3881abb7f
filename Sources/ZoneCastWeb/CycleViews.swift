import Foundation
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastZoning
import ZoneCastCore

/// A cycle as the pages see it: the recorded cycle with its status now and the unit assignments in force.
struct CycleView: Sendable {
    let record: CycleRecord
    let cycle: ZoneCycle
    let status: CycleStatus
    let deployments: [String: Deployment]

    /// The zones that patrol: what the IRIS meeting approved, or the whole proposal before approval.
    var zones: [ZoneCycle.ExplainedZone] {
        if let explained = cycle.approvedExplainedZones { return explained }
        guard let approved = cycle.approvedZones else { return cycle.zones }
        let cells = Set(approved.map(\.cells))
        return cycle.zones.filter { cells.contains($0.zone.cells) }
    }

    var isApproved: Bool { status == .approved || status == .active || status == .expired }

    /// Zones this account may see: everything for roles that see all zones; for officers, approved zones that a
    /// commander assigned to one of their units. Nothing for roles without zone access.
    func visibleZones(for account: Account) -> [ZoneCycle.ExplainedZone] {
        guard account.role.may(.viewZoneLocations) else { return [] }
        if account.role.may(.viewAllZones) { return zones }
        guard isApproved else { return [] }
        return zones.filter { account.maySeeZone(assignedTo: Set(deployments[$0.id]?.units ?? [])) }
    }

    /// A zone by id: an approved one (which may have been changed or drawn at the meeting) before the proposal's.
    func zone(_ id: String) -> ZoneCycle.ExplainedZone? { zones.first { $0.id == id } ?? cycle.zones.first { $0.id == id } }
}

extension WebEnvironment {
    /// The cycle with its status at the database's time (`dataTime()`): on historical data run as an exercise, the
    /// cycle whose window holds the data's own now is the one in force, not whatever the wall clock would pick.
    func cycleView(_ record: CycleRecord) async throws -> CycleView {
        try await cycleView(record, at: try await dataTime().now)
    }

    /// The cycle with its status at `now`, for callers that worked out the database's time once for many cycles.
    func cycleView(_ record: CycleRecord, at now: Date) async throws -> CycleView {
        let cycle = try decodedCycles.cycle(record)
        let deployments = try await store.documents(Deployment.self, group: record.id).inForce
        return CycleView(record: record, cycle: cycle, status: record.status(at: now), deployments: deployments)
    }

    func cycleView(id: String) async throws -> CycleView {
        guard let record = try await store.cycle(id: id) else { throw WebError(.notFound, "no cycle \(id)") }
        return try await cycleView(record)
    }

    /// The cycle in force at the database's time, if any.
    func activeCycle() async throws -> CycleView? {
        let now = try await dataTime().now
        return try await store.cycleInForce(at: now).asyncMap { try await cycleView($0, at: now) }
    }

    /// The newest proposal not yet decided, if any (what analysts and the next IRIS meeting review).
    func pendingProposal() async throws -> CycleView? {
        try await store.newestCycle(status: .proposed).asyncMap(cycleView)
    }

    /// The zones an account may see at the database's time: the active cycle's, and for roles that see every zone also a pending
    /// proposal's. Officers see only approved zones assigned to their units.
    func currentViews() async throws -> (active: CycleView?, proposed: CycleView?) {
        (try await activeCycle(), try await pendingProposal())
    }

    func timeZone() async throws -> TimeZone {
        let id = try await store.jurisdiction()?.timeZoneIdentifier ?? "UTC"
        return TimeZone(identifier: id) ?? .gmt
    }
}
