import Foundation
public import ZoneCastOperations

/// One change in a store transaction. The web layer writes a decision, the cycle it approves and the audit entry
/// that records it as one list: all of it lands or none of it does.
public enum StoreChange: Sendable {
    case saveDocument(DocumentData)
    case saveCycle(CycleRecord)
    case audit(AuditDraft)

    public static func save<D: StoredDocument>(_ document: D) throws -> StoreChange { .saveDocument(try DocumentData(document)) }
}

/// Where the operational records live (meetings, intelligence, deployments, patrol visits, adjustments, notices,
/// tokens) and the append-only, hash-chained audit log. Implemented by every store beside incidents.
public protocol OperationsStore: Sendable {
    /// Applies every change in one transaction and returns the audit entries it appended, in order.
    @discardableResult func apply(_ changes: [StoreChange]) async throws -> [AuditEntry]
    func document(kind: String, id: String) async throws -> DocumentData?
    /// Documents of a kind (optionally one group), oldest `recordedAt` first.
    func documents(kind: String, group: String?) async throws -> [DocumentData]
    /// Changes whenever documents of this kind and group are added or changed (their count, newest time and total
    /// size), so readers can keep decoded copies without reading every document again.
    func documentsFingerprint(kind: String, group: String?) async throws -> String
    /// Applies the changes like `apply` and reports the fingerprint of one kind and group just before and just
    /// after them, read in the same transaction where the backend has one: a cache holding the `before` state
    /// can then follow the write without reading the documents again, in one round trip instead of three.
    func apply(_ changes: [StoreChange], tracking kind: String, group: String?) async throws -> TrackedWrite
    /// Audit entries from `sequence` on, in order, at most `limit`.
    func auditEntries(from sequence: Int64, limit: Int) async throws -> [AuditEntry]
    /// The newest `limit` audit entries, newest first (what the audit page shows).
    func latestAuditEntries(limit: Int) async throws -> [AuditEntry]
    /// How the chain is keyed: the first keyed entry recorded in the database and the key this store was opened
    /// with (what `verifyAuditChain` checks against).
    func auditKeying() async throws -> AuditKeying
}

/// The fingerprints of one kind and group around a write (`OperationsStore.apply(_:tracking:group:)`).
public struct TrackedWrite: Sendable, Equatable {
    public var before: String
    public var after: String

    public init(before: String, after: String) {
        self.before = before
        self.after = after
    }
}

extension OperationsStore {
    /// Three calls, for stores without a transaction to share (in memory: one process, one lock per call).
    public func apply(_ changes: [StoreChange], tracking kind: String, group: String?) async throws -> TrackedWrite {
        let before = try await documentsFingerprint(kind: kind, group: group)
        try await apply(changes)
        return TrackedWrite(before: before, after: try await documentsFingerprint(kind: kind, group: group))
    }

    public func documentsFingerprint(kind: String, group: String?) async throws -> String {
        let all = try await documents(kind: kind, group: group)
        return "\(all.count)|\(all.map(\.recordedAt.timeIntervalSince1970).max() ?? 0)|\(all.reduce(0) { $0 + $1.json.count })"
    }

    @discardableResult public func audit(_ draft: AuditDraft) async throws -> AuditEntry {
        try await apply([.audit(draft)])[0]
    }

    /// Saves a document and its audit entry together.
    public func save<D: StoredDocument>(_ document: D, audit draft: AuditDraft?) async throws {
        try await apply([.save(document)] + (draft.map { [.audit($0)] } ?? []))
    }

    public func document<D: StoredDocument>(_ type: D.Type, id: String) async throws -> D? {
        try await document(kind: D.kind, id: id).map { try $0.decode(D.self) }
    }

    public func documents<D: StoredDocument>(_ type: D.Type, group: String? = nil) async throws -> [D] {
        try await documents(kind: D.kind, group: group).map { try $0.decode(D.self) }
    }

    /// Reads the whole chain in pages and checks it.
    public func verifyAuditChain(pageSize: Int = 10_000) async throws -> AuditVerification {
        var all: [AuditEntry] = []
        var next: Int64 = 1
        while true {
            let page = try await auditEntries(from: next, limit: pageSize)
            all += page
            guard page.count == pageSize, let last = page.last else { break }
            next = last.sequence + 1
        }
        return await AuditChain.verify(all, keying: try auditKeying())
    }

    /// A store that never keys its chain (stores built without an audit key, test doubles).
    public func auditKeying() async throws -> AuditKeying { .unkeyed }
}

/// Everything the application keeps: what the web layer and the scheduler work against, whichever backend. Every
/// backend also keeps the street layer, so maps and zone descriptions reach it without a cast.
public typealias AppStore = IncidentStore & CycleStore & AccountStore & OperationsStore & StreetStore
