import Foundation
import ZoneCastOperations
import ZoneCastStore

/// Decoded patrol visits per cycle, kept while the store's fingerprint of them is unchanged. Dashboards, zone and
/// officer pages and every patrol log read all of a cycle's visits (dosage, the monitor, overlap checks); a busy
/// cycle has thousands, and decoding them on every request cost more than the rest of the request.
final class PatrolVisitsCache: @unchecked Sendable {
    private var entries: [String: (fingerprint: String, visits: [PatrolVisit])] = [:]
    private let lock = NSLock()

    func visits(cycleID: String, store: any OperationsStore) throws -> [PatrolVisit] {
        let fingerprint = try store.documentsFingerprint(kind: PatrolVisit.kind, group: cycleID)
        lock.lock()
        if let hit = entries[cycleID], hit.fingerprint == fingerprint { lock.unlock(); return hit.visits }
        lock.unlock()
        let visits = try store.documents(PatrolVisit.self, group: cycleID)
        lock.lock()
        if entries.count > 16 { entries.removeAll() }
        entries[cycleID] = (fingerprint, visits)
        lock.unlock()
        return visits
    }

    /// Saves a visit (with its audit entry) and keeps the cached list current without re-reading the cycle: the
    /// visit is added only when the cache held exactly the state before this write; any other writer in between
    /// (another request, another process) leaves the fingerprints apart, and the entry is dropped instead.
    func save(_ visit: PatrolVisit, audit: AuditDraft, store: any OperationsStore) throws {
        let before = try store.documentsFingerprint(kind: PatrolVisit.kind, group: visit.cycleID)
        try store.apply([.save(visit), .audit(audit)])
        let after = try store.documentsFingerprint(kind: PatrolVisit.kind, group: visit.cycleID)
        lock.lock()
        defer { lock.unlock() }
        guard var entry = entries[visit.cycleID] else { return }
        guard entry.fingerprint == before, !entry.visits.contains(where: { $0.id == visit.id }) else {
            entries[visit.cycleID] = nil
            return
        }
        entry.visits.append(visit)
        entry.visits.sort { ($0.recordedAt, $0.id) < ($1.recordedAt, $1.id) }
        entry.fingerprint = after
        entries[visit.cycleID] = entry
    }
}

extension WebEnvironment {
    /// Saves a patrol visit with its audit entry in one transaction.
    func savePatrolVisit(_ visit: PatrolVisit, audit: AuditDraft) throws {
        try patrolVisitsCache.save(visit, audit: audit, store: store)
    }

    /// Every patrol visit logged in a cycle, oldest first.
    func patrolVisits(cycleID: String) throws -> [PatrolVisit] {
        try patrolVisitsCache.visits(cycleID: cycleID, store: store)
    }
}
