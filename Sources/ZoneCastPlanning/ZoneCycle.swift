public import Foundation
public import ZoneCastCore
public import ZoneCastForecast
public import ZoneCastStore
public import ZoneCastZoning

/// A patrol cycle as the department records it: the proposal with its decisions and explanations, the zones
/// finally approved (which may differ, with the reason), and the provenance that reproduces the proposal.
public struct ZoneCycle: Hashable, Sendable, Codable {
    public struct ExplainedZone: Hashable, Sendable, Codable {
        /// Stable within the cycle: "Z1".."Z4" by forecast harm.
        public var id: String
        public var status: ZoneStatus
        public var reason: String
        public var zone: Zone
        public var explanation: ZoneExplanation
    }

    public var id: String
    public var status: CycleStatus
    public var startsAt: Date
    public var endsAt: Date
    public var proposal: ZonePlan
    /// The proposal's zones (and those it retires) with their status and explanation.
    public var zones: [ExplainedZone]
    public var retired: [ZoneDecision]
    public var approvedZones: [Zone]?
    /// The approved zones with their explanations, when the meeting approved zones the analysts changed or drew
    /// (which are not among the optimiser's `zones`). Nil for cycles approved as proposed or before this existed.
    public var approvedExplainedZones: [ExplainedZone]?
    public var approvalReason: String?
    public var forecastParameters: [String: Double]
    public var provenance: ProposalProvenance
}

/// Everything needed to recompute a proposal exactly: which incidents (by import batch and time, verified by a
/// digest), which model and settings, which grid, constraints and stability rules, and which zones were in force.
public struct ProposalProvenance: Hashable, Sendable, Codable {
    public var origin: Date
    public var windowHours: Double
    public var model: String
    public var cellSizeMeters: Double
    public var trainingDays: Double
    public var includePoliceInitiated: Bool
    public var targets: [HarmCategory]
    public var weights: HarmWeights
    public var constraints: ZoneConstraints
    public var stability: ZoneStabilityPolicy
    /// Incidents used: imported by batch `latestBatchID` or earlier, occurring in [origin - trainingDays, origin).
    public var latestBatchID: Int64
    public var incidentCount: Int
    /// SHA-256 over the sorted incidents' ids, times, categories and positions.
    public var incidentDigest: String
    public var activeCycleID: String?
    public var activeZones: [[Int]]
    public var activeSince: Date?
    public var softwareVersion: String
    /// Places whose priority analysts raised from intelligence, as they stood when the proposal was made.
    public var priorityBoosts: [PriorityBoost]?
    /// For `model` auto: the option it chose for this cycle's window (absent for other models and older cycles).
    public var selectedModel: String?
    /// Analyst-supplied point layers the boosted model read (absent when none).
    public var staticLayers: [BoostedTreesModel.StaticLayer]? = nil
}

extension ProposalProvenance {
    /// The model as pages and reports name it: "auto (selected kde(200m,365d))" when auto chose, else the model.
    public var modelShown: String { selectedModel.map { "\(model) (selected \($0))" } ?? model }
}
