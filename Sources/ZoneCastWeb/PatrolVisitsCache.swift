import Foundation
import ZoneCastOperations
import ZoneCastStore

/// Decoded patrol visits per cycle, kept while the store's fingerprint of them is unchanged. Dashboards, zone and
/// officer pages and every patrol log read all of a cycle's visits (dosage, the monitor, overlap checks); a busy
/// cycle has thousands, and decoding them on every request cost more than the rest of the request.
///
/// Saves and reloads in this process take turns (`writeTurn`), so each save's before/after fingerprints bracket
/// exactly its own write and the cached list follows it; without that, two officers saving at once made both
/// saves drop the entry and the next requests decode the whole cycle again (which `bench load` showed).
final class PatrolVisitsCache: @unchecked Sendable {
    private struct Entry {
        var fingerprint: String
        var visits: [PatrolVisit]
        var ids: Set<String>
        /// The same visits by zone, in the same order, kept current by saves (the zone, officer and dosage figures
        /// each filtered the whole cycle, copying every visit, on every view).
        var byZone: [String: [PatrolVisit]]

        init(fingerprint: String, visits: [PatrolVisit]) {
            self.fingerprint = fingerprint
            self.visits = visits
            ids = Set(visits.map(\.id))
            byZone = Dictionary(grouping: visits, by: \.zoneID)
        }

        /// Adds a visit where the stores' order (`recordedAt`, then id) puts it, in both lists.
        mutating func insert(_ visit: PatrolVisit) {
            Self.insert(visit, into: &visits)
            Self.insert(visit, into: &byZone[visit.zoneID, default: []])
            ids.insert(visit.id)
        }

        /// Visits usually arrive newest last: the position is searched from the end.
        private static func insert(_ visit: PatrolVisit, into list: inout [PatrolVisit]) {
            let key = (visit.recordedAt, visit.id)
            let index = list.lastIndex { ($0.recordedAt, $0.id) < key }.map { $0 + 1 } ?? 0
            list.insert(visit, at: index)
        }
    }

    private var entries: [String: Entry] = [:]
    private let lock = NSLock()
    /// One reload or save at a time (held across store calls, so an `AsyncGate`, not a lock).
    private let writeTurn = AsyncGate()

    private func cached(_ cycleID: String, _ fingerprint: String) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        guard let hit = entries[cycleID], hit.fingerprint == fingerprint else { return nil }
        return hit
    }

    /// The cycle's visits by zone id (the zone "outside" and "" included as logged), each oldest first.
    func visitsByZone(cycleID: String, store: any OperationsStore) async throws -> [String: [PatrolVisit]] {
        try await entry(cycleID: cycleID, store: store).byZone
    }

    func visits(cycleID: String, store: any OperationsStore) async throws -> [PatrolVisit] {
        try await entry(cycleID: cycleID, store: store).visits
    }

    private func entry(cycleID: String, store: any OperationsStore) async throws -> Entry {
        if let hit = cached(cycleID, try await store.documentsFingerprint(kind: PatrolVisit.kind, group: cycleID)) { return hit }
        return try await writeTurn.run { try await reload(cycleID: cycleID, store: store) }
    }

    private func reload(cycleID: String, store: any OperationsStore) async throws -> Entry {
        // Another request may have reloaded it (or saved into it) while this one waited for its turn.
        let fingerprint = try await store.documentsFingerprint(kind: PatrolVisit.kind, group: cycleID)
        if let hit = cached(cycleID, fingerprint) { return hit }
        // A writer in another process between the fingerprint and the read leaves the entry one write behind its
        // fingerprint; the next read then sees a different fingerprint and reloads.
        let entry = Entry(fingerprint: fingerprint, visits: try await store.documents(PatrolVisit.self, group: cycleID))
        lock.withLock {
            if entries.count > 16 { entries.removeAll() }
            entries[cycleID] = entry
        }
        return entry
    }

    /// Saves a visit (with its audit entry) and keeps the cached list current without re-reading the cycle: the
    /// visit is added only when the cache held exactly the state before this write; a writer in another process in
    /// between leaves the fingerprints apart, and the entry is dropped instead.
    func save(_ visit: PatrolVisit, audit: AuditDraft, store: any OperationsStore) async throws {
        try await writeTurn.run { try await saveInTurn(visit, audit: audit, store: store) }
    }

    private func saveInTurn(_ visit: PatrolVisit, audit: AuditDraft, store: any OperationsStore) async throws {
        let write = try await store.apply([.save(visit), .audit(audit)], tracking: PatrolVisit.kind, group: visit.cycleID)
        let (before, after) = (write.before, write.after)
        lock.withLock {
            // Taken out of the dictionary so the insert below does not copy the whole list.
            guard var entry = entries.removeValue(forKey: visit.cycleID), entry.fingerprint == before, !entry.ids.contains(visit.id) else { return }
            entry.insert(visit)
            entry.fingerprint = after
            entries[visit.cycleID] = entry
        }
    }
}

extension WebEnvironment {
    /// Saves a patrol visit with its audit entry in one transaction.
    func savePatrolVisit(_ visit: PatrolVisit, audit: AuditDraft) async throws {
        try await patrolVisitsCache.save(visit, audit: audit, store: store)
        // Every patrol log evaluates the alerts (web form and API alike), so they fire without anyone opening a page.
        await raiseAlertsAfterPatrolLog()
    }

    /// Every patrol visit logged in a cycle, oldest first.
    func patrolVisits(cycleID: String) async throws -> [PatrolVisit] {
        try await patrolVisitsCache.visits(cycleID: cycleID, store: store)
    }

    /// A cycle's patrol visits by zone id, each oldest first.
    func patrolVisitsByZone(cycleID: String) async throws -> [String: [PatrolVisit]] {
        try await patrolVisitsCache.visitsByZone(cycleID: cycleID, store: store)
    }
}
