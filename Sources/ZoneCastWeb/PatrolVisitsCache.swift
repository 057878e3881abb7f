import Foundation
import ZoneCastOperations
import ZoneCastStore

/// Decoded patrol visits per cycle, kept while the store's fingerprint of them is unchanged. Dashboards, zone and
/// officer pages and every patrol log read all of a cycle's visits (dosage, the monitor, overlap checks); a busy
/// cycle has thousands, and decoding them on every request cost more than the rest of the request.
///
/// Saves go straight to the store (which orders them) and bring the cached list along without a re-read: each
/// save's write reports the fingerprints just before and after it, in its own transaction, and the cache applies
/// the saves as a chain from its own fingerprint, whatever order their replies arrive in. Saves used to take turns
/// in this process so that each reply found the cache exactly at its "before"; under `bench load` that queue of
/// 190 saves a second was the slowest request. A reader keeps the cached list when its fingerprint is older than the
/// list's, or newer by no more versions than this process has saves unanswered (their visits are not promised to
/// anyone yet); anything else (another process's write) reloads the cycle.
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

        /// Adds a visit where the stores' order (`recordedAt`, then id) puts it, in both lists; a visit already
        /// held (a correction, or a reload that read it already) is replaced.
        mutating func upsert(_ visit: PatrolVisit) {
            if ids.contains(visit.id) {
                visits.removeAll { $0.id == visit.id }
                for zone in Array(byZone.keys) { byZone[zone]?.removeAll { $0.id == visit.id } }
                byZone = byZone.filter { !$0.value.isEmpty }
            }
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

    /// A save whose reply came in before the cache reached its "before".
    private struct PendingSave {
        var visit: PatrolVisit
        var after: String
    }

    private struct CycleState {
        var entry: Entry?
        /// Keyed by the fingerprint before the save.
        var pending: [String: PendingSave] = [:]
        /// This process's saves sent and not yet answered.
        var inFlight = 0
    }

    /// More unmatched replies than this (writes from elsewhere broke the chain) are dropped with the entry.
    static let pendingLimit = 256

    private var cycles: [String: CycleState] = [:]
    private let lock = NSLock()
    /// One reload at a time (held across store calls, so an `AsyncGate`, not a lock): concurrent readers of a
    /// stale cycle wait for one decode instead of each decoding it.
    private let reloadTurn = AsyncGate()

    /// The cached entry if it is current for `fingerprint`, ahead of it (the fingerprint was read before saves the
    /// entry already holds), or behind it only by as many versions as this process has saves unanswered.
    private func cached(_ cycleID: String, _ fingerprint: String) -> Entry? {
        lock.withLock {
            guard let state = cycles[cycleID], let hit = state.entry else { return nil }
            if hit.fingerprint == fingerprint { return hit }
            guard let have = Self.version(hit.fingerprint), let want = Self.version(fingerprint) else { return nil }
            // Older than the entry: the fingerprint was read before saves the entry already holds.
            return want < have || want - have <= state.inFlight ? hit : nil
        }
    }

    /// The counter in a store fingerprint ("v123"); nil for any other form, which is then only compared for equality.
    private static func version(_ fingerprint: String) -> Int64? {
        fingerprint.hasPrefix("v") ? Int64(fingerprint.dropFirst()) : nil
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
        return try await reloadTurn.run { try await reload(cycleID: cycleID, store: store) }
    }

    private func reload(cycleID: String, store: any OperationsStore) async throws -> Entry {
        // Another request may have reloaded it (or saves moved it on) while this one waited for its turn.
        let fingerprint = try await store.documentsFingerprint(kind: PatrolVisit.kind, group: cycleID)
        if let hit = cached(cycleID, fingerprint) { return hit }
        // A write between the fingerprint and the read leaves the entry holding a visit its fingerprint does not
        // count yet: this process's saves replace it when their replies are applied; another process's write makes
        // the next read see a different fingerprint and reload.
        let loaded = Entry(fingerprint: fingerprint, visits: try await store.documents(PatrolVisit.self, group: cycleID))
        return lock.withLock {
            if cycles.count > 16 { cycles = cycles.filter { $0.value.inFlight > 0 }.mapValues { CycleState(inFlight: $0.inFlight) } }
            cycles[cycleID, default: CycleState()].entry = loaded
            advance(cycleID)
            return cycles[cycleID]!.entry!
        }
    }

    /// Applies the pending saves that continue the entry's chain. Called with the lock held.
    private func advance(_ cycleID: String) {
        guard var state = cycles[cycleID] else { return }
        cycles[cycleID] = nil  // taken out so the entry's lists are not copied on write
        while var entry = state.entry, let next = state.pending.removeValue(forKey: entry.fingerprint) {
            state.entry = nil
            entry.upsert(next.visit)
            entry.fingerprint = next.after
            state.entry = entry
        }
        if state.pending.count > Self.pendingLimit { state.pending = [:] }
        cycles[cycleID] = state
    }

    /// Saves a visit (with its audit entry) in one transaction and brings the cached list along.
    func save(_ visit: PatrolVisit, audit: AuditDraft, store: any OperationsStore) async throws {
        lock.withLock { cycles[visit.cycleID, default: CycleState()].inFlight += 1 }
        let write: TrackedWrite
        do {
            write = try await store.apply([.save(visit), .audit(audit)], tracking: PatrolVisit.kind, group: visit.cycleID)
        } catch {
            lock.withLock { cycles[visit.cycleID]?.inFlight -= 1 }
            throw error
        }
        lock.withLock {
            cycles[visit.cycleID, default: CycleState()].inFlight -= 1
            cycles[visit.cycleID]!.pending[write.before] = PendingSave(visit: visit, after: write.after)
            advance(visit.cycleID)
        }
    }
}

extension WebEnvironment {
    /// Saves a patrol visit with its audit entry in one transaction.
    func savePatrolVisit(_ visit: PatrolVisit, audit: AuditDraft) async throws {
        try await patrolVisitsCache.save(visit, audit: audit, store: store)
        // Every patrol log asks for the alerts (web form and API alike), so they fire without anyone opening a page.
        await requestAlertEvaluation()
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
