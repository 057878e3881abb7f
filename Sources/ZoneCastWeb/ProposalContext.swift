import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastStreets
import ZoneCastZoning

/// A proposal with everything its review needs: the recorded cycle, its grid and surface, the analysts'
/// adjustments and the proposal as adjusted, and the zones in force it was proposed against.
struct ProposalContext: Sendable {
    let view: CycleView
    let jurisdiction: Jurisdiction
    let timeZone: TimeZone
    let grid: Grid
    let surface: RiskSurface
    let adjustments: [ProposalAdjustment]
    let adjusted: AdjustedProposal
    /// The zones in force when the proposal was made (ids from that cycle when found), with their cells.
    let activeCycleID: String?
    let activeZones: [(id: String, cells: [Int])]
    /// Where each zone of the proposal as adjusted is, in words from the street layer (by zone id).
    var locations: [String: ZoneLocation] = [:]
    /// How the proposal's model did at its zones' area over the windows before the cycle (`RecentRecordCache`);
    /// set by the proposal page's routes only, so the meeting pages do not fit models for it.
    var recentRecord: HTML? = nil

    var cycle: ZoneCycle { view.cycle }
    var cycleID: String { view.cycle.id }
    /// Adjustments and decisions are open while the stored cycle is a proposal.
    var isOpen: Bool { view.record.status == .proposed }
    var comparison: [ZoneComparison] { ZoneComparison.compare(proposed: adjusted.zones, active: activeZones, surface: surface) }
}

extension PlanningInputError {
    var web: WebError { WebError.invalid(field, value, reason) }
}

extension WebEnvironment {
    func proposalContext(_ cycleID: String) async throws -> ProposalContext {
        let view = try await cycleView(id: cycleID)
        guard let jurisdiction = try await store.jurisdiction() else { throw WebError(.notFound, "no jurisdiction: import incidents first") }
        let grid = await surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters)
        let surface = try await surfaces.surface(of: view.cycle, store: store)
        let adjustments = try await store.documents(ProposalAdjustment.self, group: cycleID).inOrder
        let adjusted: AdjustedProposal
        do { adjusted = try ProposalAdjustments.apply(adjustments, to: view.cycle.zones, surface: surface) } catch {
            throw WebError(.conflict, "the recorded adjustments of cycle \(cycleID) no longer apply: \(error)")
        }
        // Name the zones in force after the cycle they came from, matched by their cells.
        let p = view.cycle.provenance
        var named: [(id: String, cells: [Int])] = []
        let activeView = try await p.activeCycleID.asyncFlatMap { try await store.cycle(id: $0) }.asyncMap(cycleView)
        for (k, cells) in p.activeZones.enumerated() {
            let id = activeView?.cycle.zones.first { $0.zone.cells == cells }?.id ?? "A\(k + 1)"
            named.append((named.contains { $0.id == id } ? "A\(k + 1)" : id, cells))
        }
        var context = ProposalContext(view: view, jurisdiction: jurisdiction, timeZone: TimeZone(identifier: jurisdiction.timeZoneIdentifier) ?? .gmt,
                                      grid: grid, surface: surface, adjustments: adjustments, adjusted: adjusted, activeCycleID: p.activeCycleID,
                                      activeZones: named)
        context.locations = try await zoneLocations(adjusted.zones.map { ($0.id, $0.zone.cells) }, grid: grid, jurisdiction: jurisdiction)
        return context
    }
}
