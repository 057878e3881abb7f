import Foundation
import Testing
import ZoneCastOperations
import ZoneCastStore
@testable import ZoneCastWeb

@Suite("Patrol visits cache")
struct PatrolVisitsCacheTests {
    func visit(_ id: String, minutesAfter m: Double) -> PatrolVisit {
        let t = Date(timeIntervalSince1970: 1_700_000_000 + m * 60)
        return PatrolVisit(id: id, officer: "o", unit: nil, cycleID: "C1", zoneID: "Z1", startedAt: t, endedAt: t + 600,
                           activities: PatrolActivities(communityContacts: 1), notes: "", loggedAt: t)
    }

    func draft(_ id: String) -> AuditDraft { AuditDraft(at: Date(timeIntervalSince1970: 1_700_000_000), actor: "o", action: .logPatrol, subject: id) }

    @Test("given cached visits, when this process saves one, then the cache has it without a re-read; when another writer saves one, then the next read sees it too")
    func writeThroughAndOutsideWriters() async throws {
        let store = InMemoryIncidentStore()
        let cache = PatrolVisitsCache()
        try await store.save(visit("a", minutesAfter: 0), audit: nil)
        await #expect(try cache.visits(cycleID: "C1", store: store).map(\.id) == ["a"])
        try await cache.save(visit("b", minutesAfter: 30), audit: draft("b"), store: store)
        await #expect(try cache.visits(cycleID: "C1", store: store).map(\.id) == ["a", "b"])
        #expect(try await store.latestAuditEntries(limit: 1).first?.subject == "b")
        // Another process (or a path that bypasses the cache) writes: the fingerprint differs and the cache reloads.
        try await store.save(visit("c", minutesAfter: 60), audit: nil)
        await #expect(try cache.visits(cycleID: "C1", store: store).map(\.id) == ["a", "b", "c"])
        // A rewrite of an existing visit with other content is seen as well.
        var changed = visit("a", minutesAfter: 0)
        changed.notes = "amended by the sergeant"
        try await store.save(changed, audit: nil)
        await #expect(try cache.visits(cycleID: "C1", store: store).first?.notes == "amended by the sergeant")
    }

    @Test("given visits grouped by zone, when this process saves visits in and out of order, then the groups follow and match a regrouping of the cycle")
    func groupsFollowSaves() async throws {
        let store = InMemoryIncidentStore()
        let cache = PatrolVisitsCache()
        func visit(_ id: String, zone: String, minutesAfter m: Double) -> PatrolVisit {
            var v = self.visit(id, minutesAfter: m)
            v.zoneID = zone
            return v
        }
        try await store.save(visit("a", zone: "Z1", minutesAfter: 0), audit: nil)
        try await store.save(visit("b", zone: "Z2", minutesAfter: 10), audit: nil)
        await #expect(try cache.visitsByZone(cycleID: "C1", store: store).mapValues { $0.map(\.id) } == ["Z1": ["a"], "Z2": ["b"]])
        try await cache.save(visit("c", zone: "Z1", minutesAfter: 30), audit: draft("c"), store: store)
        try await cache.save(visit("d", zone: "Z1", minutesAfter: 5), audit: draft("d"), store: store)
        try await cache.save(visit("e", zone: "outside", minutesAfter: 40), audit: draft("e"), store: store)
        let grouped = try await cache.visitsByZone(cycleID: "C1", store: store)
        #expect(grouped.mapValues { $0.map(\.id) } == ["Z1": ["a", "d", "c"], "Z2": ["b"], "outside": ["e"]])
        #expect(grouped.mapValues { $0.map(\.id) } == Dictionary(grouping: try await store.documents(PatrolVisit.self, group: "C1"), by: \.zoneID).mapValues { $0.map(\.id) })
    }
}
