public import Foundation

/// An Incident Review / Information Sharing (IRIS) meeting: the biweekly meeting where commanders decide the zones
/// an analyst proposed. The meeting reviews one proposal (a cycle) and records a decision per zone with a reason.
public struct Meeting: StoredDocument, Hashable {
    public static let kind = "meeting"
    /// IRIS meetings are biweekly by default.
    public static let defaultInterval: TimeInterval = 14 * 86_400

    public enum Status: String, Codable, Sendable, CaseIterable { case scheduled, closed }

    public var id: String
    public var title: String
    public var scheduledAt: Date
    /// The proposal under review.
    public var cycleID: String?
    public var attendees: [String]
    public var decisions: [ZoneDecisionRecord]
    public var minutes: String
    public var status: Status
    public var createdBy: String
    public var createdAt: Date
    public var closedAt: Date?
    /// Who closed the meeting, and the approval it produced (the cycle's approval reason), once closed.
    public var closedBy: String?
    public var outcome: String?

    public init(id: String, title: String, scheduledAt: Date, cycleID: String?, attendees: [String], createdBy: String, createdAt: Date) {
        self.id = id
        self.title = title
        self.scheduledAt = scheduledAt
        self.cycleID = cycleID
        self.attendees = attendees
        self.decisions = []
        self.minutes = ""
        self.status = .scheduled
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.closedAt = nil
    }

    public var group: String { cycleID ?? "" }
    public var recordedAt: Date { scheduledAt }

    /// The latest decision for each zone (a decision may be revised before the meeting closes).
    public var currentDecisions: [String: ZoneDecisionRecord] {
        var out: [String: ZoneDecisionRecord] = [:]
        for d in decisions { out[d.zoneID] = d }
        return out
    }
}

/// What the meeting decided about one proposed zone.
public struct ZoneDecisionRecord: Hashable, Sendable, Codable {
    public enum Decision: String, Codable, Sendable, CaseIterable { case approve, modify, reject }

    public var zoneID: String
    public var decision: Decision
    public var reason: String
    public var decidedBy: String
    public var decidedAt: Date

    public init(zoneID: String, decision: Decision, reason: String, decidedBy: String, decidedAt: Date) {
        self.zoneID = zoneID
        self.decision = decision
        self.reason = reason
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}
