import Foundation
import ZoneCastOperations
import ZoneCastStore

/// The audit chain's status for the audit page without re-reading the whole chain on every view (tens of thousands
/// of entries, each hashed). The whole chain is verified on the first view, when asked (`?verify=full`), and again
/// once `fullInterval` has passed; between those, a view checks that the last verified entry still carries the hash
/// it had (a rewritten or truncated tail forces a full check) and verifies only the entries appended since.
/// An edit deep inside the already-verified part that leaves the tail alone shows at the next full check
/// (`zonecast audit verify` always reads everything).
final class AuditChainMonitor: @unchecked Sendable {
    struct Status {
        var verification: AuditVerification
        /// When the whole chain was last read and verified.
        var fullCheckAt: Date
    }

    static let fullInterval: TimeInterval = 600
    static let pageSize = 2_000

    private let lock = NSLock()
    private var last: Status?
    /// Work done, for tests: full verifications, and entries read by incremental checks.
    private(set) var fullChecks = 0
    private(set) var entriesReadIncrementally = 0

    func status(of store: any OperationsStore, now: Date, full: Bool = false) throws -> Status {
        lock.lock()
        defer { lock.unlock() }
        if !full, let last, last.verification.isIntact, now.timeIntervalSince(last.fullCheckAt) < Self.fullInterval, now >= last.fullCheckAt,
           let continued = try continued(last.verification, store: store) {
            self.last = Status(verification: continued, fullCheckAt: last.fullCheckAt)
            return self.last!
        }
        fullChecks += 1
        let status = Status(verification: try store.verifyAuditChain(), fullCheckAt: now)
        last = status
        return status
    }

    var counts: (full: Int, incremental: Int) { lock.lock(); defer { lock.unlock() }; return (fullChecks, entriesReadIncrementally) }

    /// The verification extended over the entries appended since `base`, or nil when the verified tail changed.
    private func continued(_ base: AuditVerification, store: any OperationsStore) throws -> AuditVerification? {
        let through = Int64(base.entriesChecked)
        if through > 0 {
            guard let tail = try store.auditEntries(from: through, limit: 1).first, tail.sequence == through, tail.hash == base.headHash else { return nil }
        }
        let keying = try store.auditKeying()
        guard keying.keyedFrom == base.keyedFrom else { return nil }
        var result = base
        var next = through + 1
        while true {
            let page = try store.auditEntries(from: next, limit: Self.pageSize)
            entriesReadIncrementally += page.count
            result = Self.verify(page, after: result, keying: keying)
            guard result.isIntact, page.count == Self.pageSize, let last = page.last else { return result }
            next = last.sequence + 1
        }
    }

    /// `AuditChain.verify`'s checks, continued from an intact verification of the entries before `entries`.
    static func verify(_ entries: [AuditEntry], after base: AuditVerification, keying: AuditKeying) -> AuditVerification {
        var previous = base.headHash, expected = Int64(base.entriesChecked) + 1, count = base.entriesChecked
        func broken(_ sequence: Int64, _ reason: String) -> AuditVerification {
            // A problem is made only by the chain's own verifier: one misnumbered entry gives a broken result to fill in.
            var v = AuditChain.verify([AuditEntry(sequence: 0, atMilliseconds: 0, actor: "", action: "", subject: "", detail: "", previousHash: "", hash: "")])
            v.entriesChecked = count
            v.headHash = previous
            v.problem?.sequence = sequence
            v.problem?.reason = reason
            v.keyedFrom = keying.keyedFrom
            return v
        }
        for e in entries {
            if e.sequence != expected { return broken(e.sequence, "expected entry \(expected) next, found \(e.sequence) (an entry was deleted or inserted)") }
            if e.previousHash != previous { return broken(e.sequence, "its link to entry \(e.sequence - 1) does not match (an earlier entry was changed or removed)") }
            let keyed = keying.isKeyed(e.sequence)
            if keyed && keying.key == nil { return broken(e.sequence, "it is keyed (HMAC-SHA256) and no audit key was given to check it") }
            if AuditChain.hash(of: e, key: keyed ? keying.key : nil) != e.hash {
                return broken(e.sequence, keyed ? "its contents do not match its keyed hash (the entry was edited, or written without this audit key)"
                                                : "its contents do not match its hash (the entry was edited)")
            }
            previous = e.hash
            expected += 1
            count += 1
        }
        return AuditVerification(entriesChecked: count, headHash: previous, problem: nil, keyedFrom: keying.keyedFrom)
    }
}
