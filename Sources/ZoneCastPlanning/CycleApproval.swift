public import Foundation
public import ZoneCastCore
public import ZoneCastForecast
public import ZoneCastOperations
public import ZoneCastStore
import ZoneCastZoning

/// What a meeting (or the command line) decided about one zone of the proposal as adjusted.
public struct ZoneVerdict: Hashable, Sendable {
    public var zoneID: String
    public var decision: ZoneDecisionRecord.Decision
    public var reason: String

    public init(zoneID: String, decision: ZoneDecisionRecord.Decision, reason: String) {
        self.zoneID = zoneID
        self.decision = decision
        self.reason = reason
    }

    public init(_ record: ZoneDecisionRecord) {
        self.init(zoneID: record.zoneID, decision: record.decision, reason: record.reason)
    }
}

/// The evidence for explaining zones the optimiser did not draw exactly: the cycle's grid, the city's total
/// forecast harm and the incidents of the year before the cycle.
public struct ExplanationEvidence: Sendable {
    public var grid: Grid
    public var surfaceTotal: Double
    public var incidents: [Incident]

    public init(grid: Grid, surfaceTotal: Double, incidents: [Incident]) {
        self.grid = grid
        self.surfaceTotal = surfaceTotal
        self.incidents = incidents
    }
}

/// Approving a proposal: one set of rules for the IRIS meeting and `zonecast cycles approve`.
///
/// Every zone of the proposal as adjusted needs a verdict; `modify` and `reject` need a reason. The approved
/// zones are those approved or modified, with the analysts' adjustments; rejected zones and zones the analysts
/// dropped are left out. A cycle is approved once: only a `proposed` cycle can be. A cycle whose window has already
/// ended at the database's time is refused on live data (approving it would send patrols to the past) and allowed in
/// an exercise on historical data, the approval saying so (`DataTime.approval`).
public enum CycleApproval {
    public struct Outcome: Sendable {
        /// The cycle with status approved, its approved zones and the reason.
        public var cycle: ZoneCycle
        /// The approved zones with ids and explanations (adjusted and drawn zones explained afresh).
        public var explainedZones: [ZoneCycle.ExplainedZone]
        /// One line per decision, for the audit log and the approval reason.
        public var summary: String
    }

    /// `time` is the database's time (live: the clock; an exercise: the newest incident's time), `timeZone` the
    /// jurisdiction's, for the words of a refusal.
    public static func approve(_ cycle: ZoneCycle, adjusted: AdjustedProposal, verdicts: [ZoneVerdict], at time: DataTime, timeZone: TimeZone,
                               context: String? = nil, evidence: ExplanationEvidence? = nil,
                               drawnBy: [String: String] = [:]) throws(PlanningInputError) -> Outcome {
        guard cycle.status == .proposed else {
            throw PlanningInputError(field: "cycle", value: cycle.id, reason: "is \(cycle.status.rawValue), not proposed: a cycle is approved only once")
        }
        let timing = time.approval(windowStart: cycle.startsAt, windowEnd: cycle.endsAt, timeZone: timeZone)
        if case .refused(let reason) = timing {
            let window = PlainWords.dateTime(cycle.startsAt, timeZone: timeZone, zone: true) + " to "
                + PlainWords.dateTime(cycle.endsAt, timeZone: timeZone, zone: true)
            throw PlanningInputError(field: "window", value: window, reason: "cycle \(cycle.id) cannot be approved: \(reason)")
        }
        let ids = Set(adjusted.zones.map(\.id))
        var latest: [String: ZoneVerdict] = [:]
        for v in verdicts {
            guard ids.contains(v.zoneID) else {
                throw PlanningInputError(field: "zone", value: v.zoneID,
                                         reason: "no such zone in the proposal as adjusted (zones: \(adjusted.zones.map(\.id).joined(separator: ", ")))")
            }
            if v.decision != .approve && v.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw PlanningInputError(field: "reason", value: v.reason, reason: "a reason is required to \(v.decision.rawValue) zone \(v.zoneID)")
            }
            latest[v.zoneID] = v
        }
        let missing = adjusted.zones.map(\.id).filter { latest[$0] == nil }
        if !missing.isEmpty {
            throw PlanningInputError(field: "decision", value: missing.joined(separator: ", "),
                                     reason: "every zone needs a decision before the cycle can be approved")
        }

        var explained: [ZoneCycle.ExplainedZone] = []
        var parts: [String] = []
        for z in adjusted.zones {
            let v = latest[z.id]!
            let verb = switch v.decision { case .approve: "approved"; case .modify: "modified"; case .reject: "rejected" }
            var part = "\(z.id) \(verb)"
            if z.isAdjusted { part += " (\(changeText(z)))" }
            if !v.reason.trimmingCharacters(in: .whitespaces).isEmpty { part += ": \(v.reason)" }
            parts.append(part)
            if v.decision != .reject { explained.append(explain(z, cycle: cycle, evidence: evidence, drawnBy: drawnBy[z.id])) }
        }
        for d in adjusted.dropped { parts.append("\(d.zone.id) dropped by the analysts: \(d.adjustment.reason)") }

        let plain = adjusted.zones.allSatisfy { !$0.isAdjusted && latest[$0.id]!.decision == .approve && latest[$0.id]!.reason.isEmpty }
            && adjusted.dropped.isEmpty
        var summary = plain ? "approved as proposed" : parts.joined(separator: "; ")
        if let context, !context.isEmpty { summary = "\(context): \(summary)" }
        if time.isExercise, case .allowed(let note?) = timing { summary += " (\(note))" }

        var approved = cycle
        approved.status = .approved
        approved.approvedZones = explained.map(\.zone)
        approved.approvedExplainedZones = explained
        approved.approvalReason = summary
        return Outcome(cycle: approved, explainedZones: explained, summary: summary)
    }

    /// The store changes that approve: the approved cycle, the cycle in force at its start (another one) ended
    /// there, and the audit entry, for one `store.apply` transaction.
    ///
    /// The cycle in force stays in force until its successor starts: zones are re-evaluated every 72 to 96 hours and
    /// the next cycle is approved before it starts, so marking the current one superseded at approval would leave
    /// officers with no zone until then. Its end moves to the successor's start (it expires then); only a cycle
    /// that would not have started before its successor is superseded outright.
    public static func changes(_ outcome: Outcome, createdAt: Date, store: any CycleStore, audit: AuditDraft) async throws -> [StoreChange] {
        var changes: [StoreChange] = [], audit = audit
        let takeover = outcome.cycle.startsAt
        if let current = try await store.cycleInForce(at: takeover), current.id != outcome.cycle.id {
            if current.startsAt < takeover {
                var cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: current.document)
                cycle.endsAt = takeover
                changes.append(.saveCycle(try cycle.record(createdAt: current.createdAt)))
                audit.detail += "; \(current.id) stays in force until \(outcome.cycle.id) starts"
            } else {
                var old = current
                old.status = .superseded
                changes.append(.saveCycle(old))
                audit.detail += "; \(current.id) superseded"
            }
        }
        changes.append(.saveCycle(try outcome.cycle.record(createdAt: createdAt)))
        changes.append(.audit(audit))
        return changes
    }

    /// "+2 cells, -1 cell" for an adjusted zone; "drawn by an analyst" for a drawn one.
    public static func changeText(_ z: AdjustedZone) -> String {
        if z.origin == .drawn { return "drawn by an analyst, \(z.zone.cells.count) cell\(z.zone.cells.count == 1 ? "" : "s")" }
        var bits: [String] = []
        if !z.addedCells.isEmpty { bits.append("+\(z.addedCells.count) cell\(z.addedCells.count == 1 ? "" : "s")") }
        if !z.removedCells.isEmpty { bits.append("-\(z.removedCells.count) cell\(z.removedCells.count == 1 ? "" : "s")") }
        return bits.isEmpty ? "adjusted" : "adjusted: " + bits.joined(separator: ", ")
    }

    /// The optimiser's explanation for an unchanged zone; for an adjusted or drawn zone, a fresh explanation of its
    /// cells (when evidence is given) led by what the analysts did and why.
    static func explain(_ z: AdjustedZone, cycle: ZoneCycle, evidence: ExplanationEvidence?, drawnBy: String?) -> ZoneCycle.ExplainedZone {
        if let p = z.proposed, !z.isAdjusted { return p }
        let reasons = z.adjustments.map(\.reason).joined(separator: "; ")
        let lead: String
        if z.origin == .drawn {
            lead = "Drawn by \(drawnBy.map { "analyst \($0)" } ?? "an analyst"): \(reasons)."
        } else {
            lead = "The optimiser's zone, \(changeText(z)) by the analysts: \(reasons)."
        }
        var explanation: ZoneExplanation
        if let evidence {
            explanation = ZoneExplanation.explain(zone: z.zone, grid: evidence.grid, surfaceTotal: evidence.surfaceTotal, incidents: evidence.incidents,
                                                  origin: cycle.provenance.origin, triggeredShare: nil, label: "Zone \(z.id)")
        } else if let p = z.proposed {
            explanation = p.explanation
            explanation.forecastHarm = z.zone.value
        } else {
            let total = cycle.proposal.surfaceTotal
            explanation = ZoneExplanation.explain(zone: z.zone, grid: Grid(originX: 0, originY: 0, cellSizeMeters: 1, columns: 1, rows: 1), surfaceTotal: total,
                                                  incidents: [], origin: cycle.provenance.origin, triggeredShare: nil, label: "Zone \(z.id)")
        }
        explanation.text = lead + " " + explanation.text
        return ZoneCycle.ExplainedZone(id: z.id, status: z.proposed?.status ?? .new, reason: z.proposed?.reason ?? "drawn at review", zone: z.zone,
                                       explanation: explanation)
    }
}
