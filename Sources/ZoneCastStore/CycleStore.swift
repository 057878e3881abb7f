public import Foundation

/// The stages of a patrol cycle. Proposed cycles await the IRIS meeting; an approved cycle becomes active when
/// its start arrives and expires at its end; a newer approved cycle supersedes the one it replaces.
public enum CycleStatus: String, CaseIterable, Hashable, Sendable, Codable {
    case proposed, approved, active, expired, superseded
}

/// A stored cycle: the fields queries need, plus the whole cycle (proposal, decisions, explanations,
/// provenance) as a JSON document owned by the zoning layer. The store neither reads nor changes the document.
public struct CycleRecord: Hashable, Sendable, Codable {
    public var id: String
    public var status: CycleStatus
    public var startsAt: Date
    public var endsAt: Date
    public var createdAt: Date
    public var document: Data

    public init(id: String, status: CycleStatus, startsAt: Date, endsAt: Date, createdAt: Date, document: Data) {
        self.id = id
        self.status = status
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdAt = createdAt
        self.document = document
    }
}

extension CycleRecord {
    /// The status as of `now`: an approved cycle is active between its start and end and expired after; stored
    /// statuses only change by decisions (approve, supersede), time does the rest.
    public func status(at now: Date) -> CycleStatus {
        guard status == .approved || status == .active else { return status }
        if now >= endsAt { return .expired }
        if now >= startsAt { return .active }
        return .approved
    }
}

/// Where cycles live; implemented by every store beside incidents.
public protocol CycleStore: Sendable {
    /// Inserts or replaces the cycle with this id.
    func saveCycle(_ record: CycleRecord) async throws
    func cycle(id: String) async throws -> CycleRecord?
    /// All cycles, newest start first.
    func cycles() async throws -> [CycleRecord]
    /// The approved or active cycle in force at an instant, if any (the latest start wins). Pages ask on every
    /// view, so stores answer from an index; the default reads every cycle.
    func cycleInForce(at date: Date) async throws -> CycleRecord?
    /// The newest cycle (by start) with this stored status.
    func newestCycle(status: CycleStatus) async throws -> CycleRecord?
}

extension CycleStore {
    /// The zones a new proposal at `date` follows: the latest approved or active cycle that started by then, even
    /// if it has just ended (the next cycle takes over from it).
    public func latestApprovedCycle(startedBy date: Date) async throws -> CycleRecord? {
        try await cycles().first { ($0.status == .approved || $0.status == .active) && $0.startsAt <= date }
    }

    public func cycleInForce(at date: Date) async throws -> CycleRecord? {
        try await cycles().first { ($0.status == .approved || $0.status == .active) && $0.startsAt <= date && date < $0.endsAt }
    }

    public func newestCycle(status: CycleStatus) async throws -> CycleRecord? {
        try await cycles().first { $0.status == status }
    }
}
