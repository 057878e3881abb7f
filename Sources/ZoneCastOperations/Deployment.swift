public import Foundation
public import ZoneCastAccess

/// Which units patrol an approved zone during a cycle. A commander may change it mid-cycle: every assignment is
/// kept, the latest per zone is in force, and officers see the change at once.
public struct Deployment: StoredDocument, Hashable {
    public static let kind = "deployment"

    public var id: String
    public var cycleID: String
    public var zoneID: String
    public var units: [PatrolUnit]
    public var assignedBy: String
    public var assignedAt: Date
    public var reason: String

    public init(id: String, cycleID: String, zoneID: String, units: [PatrolUnit], assignedBy: String, assignedAt: Date, reason: String) {
        self.id = id
        self.cycleID = cycleID
        self.zoneID = zoneID
        self.units = units
        self.assignedBy = assignedBy
        self.assignedAt = assignedAt
        self.reason = reason
    }

    public var group: String { cycleID }
    public var recordedAt: Date { assignedAt }
}

extension Array where Element == Deployment {
    /// The assignment in force for each zone: the latest one.
    public var inForce: [String: Deployment] {
        var out: [String: Deployment] = [:]
        for d in sorted(by: { ($0.assignedAt, $0.id) < ($1.assignedAt, $1.id) }) { out[d.zoneID] = d }
        return out
    }
}
