import Foundation
public import ZoneCastOperations

extension InMemoryIncidentStore: OperationsStore {
    public func apply(_ changes: [StoreChange]) async throws -> [AuditEntry] {
        locked { s in
            // Work on a copy so a failure part-way leaves nothing, as a database transaction would.
            var next = s
            let appended = applying(changes, to: &next)
            s = next
            return appended
        }
    }

    /// Applies changes to a state the caller holds locked (`apply`, and an import's audit entry inside its commit).
    func applying(_ changes: [StoreChange], to next: inout State) -> [AuditEntry] {
        var appended: [AuditEntry] = []
        for change in changes {
            switch change {
            case .saveDocument(let d):
                next.documents[d.kind, default: [:]][d.id] = d
                next.documentVersions[d.kind, default: [:]][d.group, default: 0] += 1
            case .saveCycle(let c): next.cycles[c.id] = c
            case .audit(let draft):
                let e = draft.entry(after: next.audit.last, key: auditKey)
                next.audit.append(e)
                appended.append(e)
            }
        }
        return appended
    }

    /// Like the databases: a counter of writes per kind and group, read in the same critical section as the write.
    public func apply(_ changes: [StoreChange], tracking kind: String, group: String?) async throws -> TrackedWrite {
        locked { s in
            let before = Self.fingerprint(s, kind: kind, group: group)
            var next = s
            _ = applying(changes, to: &next)
            s = next
            return TrackedWrite(before: before, after: Self.fingerprint(s, kind: kind, group: group))
        }
    }

    public func documentsFingerprint(kind: String, group: String?) async throws -> String {
        locked { Self.fingerprint($0, kind: kind, group: group) }
    }

    private static func fingerprint(_ s: State, kind: String, group: String?) -> String {
        let versions = s.documentVersions[kind] ?? [:]
        return "v\(group.map { versions[$0] ?? 0 } ?? versions.values.reduce(0, +))"
    }

    public func auditKeying() async throws -> AuditKeying { AuditKeying(keyedFrom: auditKey == nil ? nil : 1, key: auditKey) }

    public func document(kind: String, id: String) async throws -> DocumentData? { locked { $0.documents[kind]?[id] } }

    public func documents(kind: String, group: String?) async throws -> [DocumentData] {
        locked { s in
            (s.documents[kind]?.values ?? [:].values).filter { group == nil || $0.group == group }
                .sorted { ($0.recordedAt, $0.id) < ($1.recordedAt, $1.id) }
        }
    }

    public func auditEntries(from sequence: Int64, limit: Int) async throws -> [AuditEntry] {
        locked { s in Array(s.audit.lazy.filter { $0.sequence >= sequence }.prefix(limit)) }
    }

    public func latestAuditEntries(limit: Int) async throws -> [AuditEntry] { locked { Array($0.audit.suffix(limit).reversed()) } }
}
