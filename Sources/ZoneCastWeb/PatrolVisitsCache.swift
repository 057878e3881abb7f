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
}

extension WebEnvironment {
    /// Every patrol visit logged in a cycle, oldest first.
    func patrolVisits(cycleID: String) throws -> [PatrolVisit] {
        try patrolVisitsCache.visits(cycleID: cycleID, store: store)
    }
}
