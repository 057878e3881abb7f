import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastCore
import ZoneCastIngest
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastSynthetic
@testable import ZoneCastWeb

/// An in-memory database of 2017: synthetic incidents over the year, proposal C1 for 20-24 Dec 2017 (reviewed at a
/// meeting in the tests) and proposal C2 for 26-30 Dec 2017 (never approved), one account per role. Read with a
/// clock in 2026 it is history (an exercise); read on 2 Jan 2018 its newest incident is from the day before (live).
enum ExerciseFixture {
    static let exerciseClock = date("2026-12-02T12:00:00Z")
    static let liveClock = date("2018-01-02T12:00:00Z")

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static func store() async throws -> InMemoryIncidentStore {
        let store = InMemoryIncidentStore()
        let generator = SyntheticIncidentGenerator(configuration: .init(rowCount: 4_000, seed: 11, startDate: LocalDate(year: 2017, month: 1, day: 1),
                                                                        durationDays: 365))
        var text = ""
        _ = try SyntheticCSV.write(generator, chunkBytes: 1 << 16) { text += String(decoding: $0, as: UTF8.self) }
        let city = try Presets.jurisdiction("synthetic-city")
        try await store.setJurisdiction(city)
        let info = ImportBatchInfo(source: "synthetic", mappingName: "synthetic", fileName: "s.csv", fileSHA256: "s", startedAt: liveClock)
        _ = try await Importer(mapping: try Presets.mapping(named: "synthetic"), jurisdiction: city, now: liveClock)
            .importRecords(CSVReader(source: MemoryChunkSource(text)), info: info, into: store)
        let service = ProposalService(model: "harm")
        for (id, at) in [("C1", "2017-12-20T06:00:00Z"), ("C2", "2017-12-26T06:00:00Z")] {
            try await store.saveCycle(try await service.propose(store: store, at: date(at), id: id).record(createdAt: liveClock))
        }
        let hash = Passwords.hash(WebFixture.password, cost: 4)
        for role in Role.allCases {
            try await store.addAccount(Account(username: role.rawValue, displayName: "The \(role.rawValue)", role: role, units: [], passwordHash: hash,
                                               mustChangePassword: false, createdAt: liveClock))
        }
        return store
    }

    /// The newest incident's time and the jurisdiction's time zone.
    static func newest(_ store: InMemoryIncidentStore) async throws -> (date: Date, timeZone: TimeZone) {
        let newest = try #require(try await store.summary().lastOccurredAt)
        let tz = TimeZone(identifier: try #require(try await store.jurisdiction()).timeZoneIdentifier)!
        return (newest, tz)
    }

    /// Schedules a meeting reviewing C1 (held "tomorrow" by the clock), approves every zone and asks to close it
    /// (confirmed). Returns the meeting's page path and the close response.
    static func holdMeeting(_ client: some TestClientProtocol, env: WebEnvironment) async throws -> (path: String, close: TestResponse) {
        let commander = try await BrowserSession.start(client, as: "commander", page: "/meetings")
        let scheduled = try await commander.post(client, "/meetings", [("title", "IRIS"), ("scheduledAt", "2026-12-03T10:00"), ("cycle", "C1")])
        #expect(scheduled.status == .seeOther)
        let path = try #require(scheduled.headers[.location])
        for zone in try await env.proposalContext("C1").adjusted.zones.map(\.id) {
            #expect(try await commander.post(client, "\(path)/decisions", [("zone", zone), ("decision", "approve")]).status == .seeOther)
        }
        return (path, try await commander.post(client, "\(path)/close", [("confirm", "yes")]))
    }
}

@Suite("The database's time: live or an exercise on historical data (issue #15)", .serialized)
struct DataTimeRouteTests {
    @Test("""
        given 2017 data read in 2026, when a commander opens pages, holds a meeting on the December proposal and an analyst opens a never-approved zone, \
        then every page shows the exercise banner with the data's end, the agenda counts the incidents of the two weeks before the data's end, \
        the past window is approved as an exercise, the trend chart has bars and the unapproved zone has no low-patrol flag
        """)
    func exercise() async throws {
        // Given
        let store = try await ExerciseFixture.store()
        let (newest, tz) = try await ExerciseFixture.newest(store)
        let env = WebEnvironment(store: store, clock: { ExerciseFixture.exerciseClock })
        let app = Application(router: buildRouter(env))
        try await app.test(.router) { client in
            let analyst = try await BrowserSession.start(client, as: "analyst", page: "/proposals")
            // When: pages are opened. Then: each has the banner naming the data's end.
            let banner = "id=\"exercise-banner\" role=\"note\"><strong>Exercise:</strong> data ends \(PlainWords.dateTime(newest, timeZone: tz, zone: true))"
            for page in ["/", "/proposals", "/meetings", "/proposals/C1"] {
                let response = try await analyst.get(client, page)
                #expect(response.status == .ok, "\(page)")
                #expect(response.text.contains(banner), "\(page)")
            }

            // When: the meeting on C1 is held and closed.
            let (path, close) = try await ExerciseFixture.holdMeeting(client, env: env)
            // Then: the agenda counted the 14 days before the data's end, not before today, the newest incident included.
            let expected = try await store.countIncidents(IncidentQuery(occurredFrom: newest.addingTimeInterval(-Meeting.defaultInterval),
                                                                      occurredBefore: newest.addingTimeInterval(1), includePoliceInitiated: false,
                                                                      includeRawRow: false))
            #expect(expected > 0)
            let agenda = try await analyst.get(client, path).text
            #expect(agenda.contains(" \(expected) incident"), "expected \(expected) incidents since the last meeting")
            // Then: the window ended before the data's now, and the approval is recorded as an exercise.
            #expect(close.status == .seeOther, "\(close.text)")
            let approved = try await env.cycleView(id: "C1")
            #expect(approved.record.status == .approved)
            #expect(approved.cycle.approvalReason?.contains("exercise: this window ended") == true)

            // When: the zone page of C2, a proposal never approved, is opened.
            let zone = try await analyst.get(client, "/zones/C2/Z1")
            #expect(zone.status == .ok)
            // Then: its trend chart ends at the data's end, so it has bars; and no low-patrol flag.
            let trend = try #require(zone.text.range(of: "id=\"trend\""))
            let chart = zone.text[trend.lowerBound...].components(separatedBy: "</svg>")[0]
            #expect(chart.contains("<rect"))
            #expect(zone.text.contains("id=\"not-patrolled\""))
            #expect(!zone.text.contains("Little patrol"))
        }
    }

    @Test("""
        given the same data read the day after its newest incident (live), when a commander closes the meeting on the proposal whose window ended \
        on 24 Dec, then it is refused with 409 naming the window and now, the cycle stays proposed, no page shows the exercise banner, \
        and the never-approved zone has no low-patrol flag
        """)
    func live() async throws {
        // Given
        let store = try await ExerciseFixture.store()
        let (_, tz) = try await ExerciseFixture.newest(store)
        let env = WebEnvironment(store: store, clock: { ExerciseFixture.liveClock })
        let app = Application(router: buildRouter(env))
        try await app.test(.router) { client in
            let analyst = try await BrowserSession.start(client, as: "analyst", page: "/proposals")
            for page in ["/", "/meetings"] {
                #expect(!(try await analyst.get(client, page).text.contains("exercise-banner")), "\(page)")
            }
            // When
            let (_, close) = try await ExerciseFixture.holdMeeting(client, env: env)
            // Then
            let cycle = try await env.cycleView(id: "C1").cycle
            #expect(close.status == .conflict)
            #expect(close.text.contains("cycle C1 cannot be approved"))
            #expect(close.text.contains("the window ended \(PlainWords.dateTime(cycle.endsAt, timeZone: tz, now: ExerciseFixture.liveClock, zone: true))"))
            #expect(close.text.contains("before now (\(PlainWords.dateTime(ExerciseFixture.liveClock, timeZone: tz, zone: true)))"))
            #expect(try await store.cycle(id: "C1")?.status == .proposed)
            // And the zone of C2, never approved, whose window is over: no low-patrol flag.
            let zone = try await analyst.get(client, "/zones/C2/Z1")
            #expect(zone.status == .ok && zone.text.contains("id=\"not-patrolled\"") && !zone.text.contains("Little patrol"))
        }
    }
}
