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
    /// One check at a time (it spans store calls).
    private let turn = AsyncGate()
    private var last: Status?
    /// Work done, for tests: full verifications, and entries read by incremental checks.
    private(set) var fullChecks = 0
    private(set) var entriesReadIncrementally = 0

    func status(of store: any OperationsStore, now: Date, full: Bool = false) async throws -> Status {
        try await turn.run { try await statusInTurn(of: store, now: now, full: full) }
    }

    private func statusInTurn(of store: any OperationsStore, now: Date, full: Bool) async throws -> Status {
        if !full, let last, last.verification.isIntact, now.timeIntervalSince(last.fullCheckAt) < Self.fullInterval, now >= last.fullCheckAt,
           let continued = try await continued(last.verification, store: store) {
            self.last = Status(verification: continued, fullCheckAt: last.fullCheckAt)
            return self.last!
        }
        fullChecks += 1
        let status = Status(verification: try await store.verifyAuditChain(), fullCheckAt: now)
        last = status
        return status
    }

    var counts: (full: Int, incremental: Int) { lock.lock(); defer { lock.unlock() }; return (fullChecks, entriesReadIncrementally) }

    /// The verification extended over the entries appended since `base`, or nil when the verified tail changed.
    private func continued(_ base: AuditVerification, store: any OperationsStore) async throws -> AuditVerification? {
        let through = Int64(base.entriesChecked)
        if through > 0 {
            guard let tail = try await store.auditEntries(from: through,
                limit: 1).first, tail.sequence == through, tail.hash == base.headHash else { return nil }
        }
        let keying = try await store.auditKeying()
        guard keying.keyedFrom == base.keyedFrom else { return nil }
        var result = base
        var next = through + 1
        while true {
            let page = try await store.auditEntries(from: next, limit: Self.pageSize)
            entriesReadIncrementally += page.count
            result = AuditChain.verify(page, keying: keying, after: result)
            guard result.isIntact, page.count == Self.pageSize, let last = page.last else { return result }
            next = last.sequence + 1
        }
    }
}
