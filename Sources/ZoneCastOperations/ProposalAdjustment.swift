public import Foundation

/// An analyst's change to the optimiser's proposal, recorded beside it (the proposal itself is never edited, so
/// `propose --replay` still reproduces what the optimiser said). A reason is mandatory.
public struct ProposalAdjustment: StoredDocument, Hashable {
    public static let kind = "proposal-adjustment"

    public enum Action: String, Codable, Sendable, CaseIterable {
        /// Add cells to an existing zone.
        case addCells = "add-cells"
        /// Remove cells from a zone (e.g. a school or a hospital the zone should not cover).
        case suppressCells = "suppress-cells"
        /// A new zone drawn by the analyst, from the given cells.
        case drawZone = "draw-zone"
        /// Take a proposed zone out of the proposal.
        case dropZone = "drop-zone"
    }

    public var id: String
    public var cycleID: String
    public var zoneID: String
    public var action: Action
    public var cells: [Int]
    public var reason: String
    public var adjustedBy: String
    public var adjustedAt: Date
    /// Order within the cycle (1, 2, ...): adjustments apply in this order, even when recorded in the same second.
    /// Absent in records written before it existed (they order by time).
    public var sequence: Int?

    public init(id: String, cycleID: String, zoneID: String, action: Action, cells: [Int], reason: String, adjustedBy: String, adjustedAt: Date) {
        self.id = id
        self.cycleID = cycleID
        self.zoneID = zoneID
        self.action = action
        self.cells = cells
        self.reason = reason
        self.adjustedBy = adjustedBy
        self.adjustedAt = adjustedAt
        self.sequence = nil
    }

    public var group: String { cycleID }
    public var recordedAt: Date { adjustedAt }
}

extension Array where Element == ProposalAdjustment {
    /// The order adjustments apply in: by sequence, then time, then id.
    public var inOrder: [ProposalAdjustment] {
        sorted { ($0.sequence ?? 0, $0.adjustedAt, $0.id) < ($1.sequence ?? 0, $1.adjustedAt, $1.id) }
    }
}
