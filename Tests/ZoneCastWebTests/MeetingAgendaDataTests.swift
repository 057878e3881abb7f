import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastServices
import ZoneCastStore
import ZoneCastZoning
@testable import ZoneCastWeb

@Suite("IRIS agenda figures (ZoneCastServices)")
struct MeetingAgendaDataTests {
    @Test("given cycle C1 in force and a meeting a day in, when the agenda is loaded without the server's caches, then its figures equal the web's and the zone counts equal a count by hand")
    func sameFiguresWithAndWithoutCaches() async throws {
        // Given
        let store = try await FieldFixture.store()
        let meeting = Meeting(id: "m-agenda", title: "IRIS", scheduledAt: WebFixture.now, cycleID: nil, attendees: [], createdBy: "commander",
                              createdAt: WebFixture.now)
        let time = try DataTime(clock: WebFixture.now, newestRecord: WebFixture.now)
        let env = FieldFixture.environment(store)

        // When
        let plain = try await MeetingAgendaData.load(store: store, meeting: meeting, at: time)
        let web = try await env.agenda(for: meeting, at: time)

        // Then
        #expect(plain.activeCycleID == "C1" && web.activeCycleID == "C1")
        #expect(plain.zoneResults == web.zoneResults && plain.incidentCount == web.incidentCount && plain.since == web.since)
        #expect(plain.byCategory.map(\.count) == web.byCategory.map(\.count) && plain.chains.count == web.chains.count)
        let record = try #require(try await store.cycle(id: "C1"))
        let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        let jurisdiction = try #require(try await store.jurisdiction())
        let grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: cycle.provenance.cellSizeMeters)
        let from = record.startsAt, to = min(plain.until, record.endsAt), length = to.timeIntervalSince(from)
        let all = try await store.incidents(IncidentQuery(includePoliceInitiated: false, includeRawRow: false))
        for zone in PatrolOversight.zones(of: cycle) {
            let cells = Set(zone.zone.cells)
            let inZone = all.filter { grid.cell(containing: $0.position).map(cells.contains) ?? false }
            let during = inZone.filter { $0.occurredAt >= from && $0.occurredAt < to }.count
            let before = inZone.filter { $0.occurredAt >= from.addingTimeInterval(-length) && $0.occurredAt < from }.count
            #expect(plain.zoneResults.first { $0.id == zone.id } == MeetingAgendaData.ZoneResult(id: zone.id, during: during, before: before))
        }
    }

    @Test("given historical data read a year later (an exercise, its now at the newest incident), when a later meeting's agenda is loaded, then 'since the last meeting' counts the newest incident too")
    func exerciseCountsTheNewestIncident() async throws {
        // Given
        let store = try await FieldFixture.store()
        let newest = try #require(try await store.summary().lastOccurredAt)
        let time = try DataTime(clock: newest.addingTimeInterval(365 * 86_400), newestRecord: newest)
        #expect(time.isExercise)
        let meeting = Meeting(id: "m-exercise", title: "IRIS", scheduledAt: newest.addingTimeInterval(30 * 86_400), cycleID: nil, attendees: [],
                              createdBy: "commander", createdAt: newest)
        // When
        let agenda = try await MeetingAgendaData.load(store: store, meeting: meeting, at: time)
        // Then
        let all = try await store.incidents(IncidentQuery(includePoliceInitiated: false, includeRawRow: false))
        let byHand = all.filter { $0.occurredAt >= agenda.since && $0.occurredAt <= newest }.count
        #expect(agenda.until == newest)
        #expect(agenda.incidentCount == byHand, "\(agenda.incidentCount) against \(byHand) by hand")
    }
}
