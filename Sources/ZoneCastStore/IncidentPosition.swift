public import Foundation
public import ZoneCastCore

/// A place in the order every store reads incidents in: by time, then source, then record id. Paging by the last
/// position read (keyset paging) neither repeats nor skips an incident when many share one time, as paging by a
/// time alone did.
public struct IncidentPosition: Hashable, Sendable {
    public var occurredAt: Date
    public var id: IncidentID

    public init(occurredAt: Date, id: IncidentID) {
        self.occurredAt = occurredAt
        self.id = id
    }

    public init(of incident: Incident) { self.init(occurredAt: incident.occurredAt, id: incident.id) }

    /// Whether an incident comes after this position in the stores' order.
    public func precedes(_ incident: Incident) -> Bool {
        if incident.occurredAt != occurredAt { return incident.occurredAt > occurredAt }
        return (incident.id.source, incident.id.recordID) > (id.source, id.recordID)
    }
}
