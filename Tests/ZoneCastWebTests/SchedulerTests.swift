import Foundation
import Testing
import ZoneCastTestSupport
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastServices
import ZoneCastStore
@testable import ZoneCastWeb

@Suite("Scheduler", .serialized)
struct SchedulerTests {
    /// The fixture's C1 (96 h from 2024-06-01T05:00Z, so it ends 2024-06-05T05:00Z), approved.
    static func storeWithApprovedC1() async throws -> (SQLiteIncidentStore, CycleRecord) {
        let store = try await WebFixture.store()
        let record = try await #require(try await store.cycle(id: "C1"))
        var cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        cycle.status = .approved
        cycle.approvedZones = cycle.zones.map(\.zone)
        let approved = try cycle.record(createdAt: WebFixture.now)
        try await store.saveCycle(approved)
        return (store, approved)
    }

    @Test("given an approved cycle ending in 10 h, a tick proposes the next cycle from its end, audited as the scheduler, and posts a notice for analysts; a second tick does nothing")
    func proposesNextCycle() async throws {
        let (store, c1) = try await Self.storeWithApprovedC1()
        let now = c1.endsAt.addingTimeInterval(-10 * 3_600)
        let scheduler = ProposalScheduler(store: store)

        let action = try await #require(try scheduler.tick(now: now))

        #expect(action.kind == .nextCycle && action.startsAt == c1.endsAt)
        #expect(action.cycleID == "C-2024-06-05T050000Z")
        let next = try await #require(try store.cycle(id: action.cycleID))
        #expect(next.status == .proposed && next.startsAt == c1.endsAt && next.endsAt == c1.endsAt.addingTimeInterval(96 * 3_600) && next.createdAt == now)
        let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: next.document)
        #expect(!cycle.zones.isEmpty && cycle.provenance.activeCycleID == "C1")
        let notices = try await store.documents(Notice.self, group: Role.analyst.rawValue)
        #expect(notices.count == 1)
        let notice = try #require(notices.first)
        #expect(notice.audience == .analyst && notice.link == "/proposals/\(action.cycleID)" && notice.text.hasPrefix("The proposal for the cycle from ") && notice.text.contains("ready for review"))
        let audit = try await #require(try store.latestAuditEntries(limit: 1).first)
        #expect(audit.actor == "scheduler" && audit.action == "propose" && audit.subject == action.cycleID && audit.at == now)
        #expect(try await store.verifyAuditChain().isIntact)

        await #expect(try scheduler.tick(now: now.addingTimeInterval(600)) == nil)
        #expect(try await store.cycles().count == 2)
        #expect(try await store.documents(Notice.self).count == 1)
    }

    @Test("given an approved cycle ending in 3 days, or a proposal for the next cycle made by hand, a tick does nothing")
    func nothingToDo() async throws {
        let (store, c1) = try await Self.storeWithApprovedC1()
        let scheduler = ProposalScheduler(store: store)
        await #expect(try scheduler.tick(now: c1.endsAt.addingTimeInterval(-3 * 86_400)) == nil)
        #expect(try await store.cycles().map(\.id) == ["C1"])
        #expect(try await store.documents(Notice.self).isEmpty)
        #expect(try await !store.latestAuditEntries(limit: 100).contains { $0.actor == "scheduler" })

        // An analyst already proposed the next cycle (any id): the scheduler leaves it alone even inside the lead time.
        let manual = try await ProposalService().propose(store: store, at: c1.endsAt, id: "C-manual")
        try await store.saveCycle(try manual.record(createdAt: WebFixture.now))
        await #expect(try scheduler.tick(now: c1.endsAt.addingTimeInterval(-3_600)) == nil)
        #expect(try await store.cycles().count == 2)
    }

    @Test("with no cycle in force: a pending proposal is left for the IRIS meeting; once it is stale, the scheduler proposes from the next full hour")
    func restartsWithoutCycleInForce() async throws {
        let store = try await WebFixture.store()  // C1 is only proposed
        let scheduler = ProposalScheduler(store: store)
        await #expect(try scheduler.tick(now: WebFixture.now) == nil)

        let later = ISO8601DateFormatter().date(from: "2024-06-10T10:17:30Z")!  // C1 ended unapproved on 5 June
        let action = try await #require(try scheduler.tick(now: later))
        #expect(action.kind == .restart)
        #expect(action.startsAt == ISO8601DateFormatter().date(from: "2024-06-10T11:00:00Z")!)
        #expect(action.cycleID == "C-2024-06-10T110000Z")
        #expect(try await store.cycle(id: action.cycleID)?.status == .proposed)
        #expect(try await store.documents(Notice.self, group: "analyst").count == 1)
        await #expect(try scheduler.tick(now: later.addingTimeInterval(600)) == nil)
    }

    @Test("an empty store (no jurisdiction, no incidents) gives nothing to propose")
    func emptyStore() async throws {
        let dir = try TestDirectory.make("zonecast-sched")
        let store = try SQLiteIncidentStore(path: dir.appendingPathComponent("e.sqlite").path)
        await #expect(try ProposalScheduler(store: store).tick(now: WebFixture.now) == nil)
    }

    @Test("the service runs a tick at once, reports what it did, and stops when its task is cancelled")
    func serviceLoop() async throws {
        let (store, c1) = try await Self.storeWithApprovedC1()
        // The service's log lines arrive on a stream: the test waits for the first one, no polling.
        let (lines, sink) = AsyncStream.makeStream(of: String.self)
        let service = SchedulerService(scheduler: ProposalScheduler(store: store), interval: .seconds(3_600),
                                       clock: { c1.endsAt.addingTimeInterval(-3_600) }, log: { sink.yield($0) })
        let task = Task { try await service.run() }
        var received = lines.makeAsyncIterator()
        let first = await received.next()
        task.cancel()
        _ = await task.result
        sink.finish()
        var rest: [String] = []
        while let line = await received.next() { rest.append(line) }
        #expect(first?.contains("C-2024-06-05T050000Z") == true && rest.isEmpty)
        #expect(try await store.cycle(id: "C-2024-06-05T050000Z") != nil)
    }
}
