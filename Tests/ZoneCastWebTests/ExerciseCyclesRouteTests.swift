import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastCore
import ZoneCastHTML
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastStore
@testable import ZoneCastWeb

/// Issue #15: which cycle is in force or upcoming is decided at the database's time, so a database of 2017 run as an
/// exercise in 2026 shows its own cycles in force on every page that asks; an upcoming cycle's zone is never called
/// active on its zone page.
@Suite("Cycles in force and upcoming at the database's time (issue #15)", .serialized)
struct ExerciseCyclesRouteTests {
    /// ExerciseFixture's 2017 store with two approved copies of C1: C3 in force at the data's end (from two days
    /// before the newest incident to two days after) and C4 right after it; and an officer of the Traffic Division.
    static func store() async throws -> (store: InMemoryIncidentStore, inForce: ZoneCycle, upcoming: ZoneCycle, newest: Date, timeZone: TimeZone) {
        let store = try await ExerciseFixture.store()
        let (newest, tz) = try await ExerciseFixture.newest(store)
        let record = try #require(try await store.cycle(id: "C1"))
        var cycles: [ZoneCycle] = []
        for (id, start) in [("C3", newest.addingTimeInterval(-2 * 86_400)), ("C4", newest.addingTimeInterval(2 * 86_400))] {
            var cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
            cycle.id = id
            cycle.startsAt = start
            cycle.endsAt = start.addingTimeInterval(4 * 86_400)
            cycle.status = .approved
            cycle.approvedZones = cycle.zones.map(\.zone)
            cycle.approvalReason = "approved for the exercise tests"
            try await store.saveCycle(try cycle.record(createdAt: ExerciseFixture.liveClock))
            cycles.append(cycle)
        }
        try await store.addAccount(Account(username: "patrol", displayName: "Traffic officer", role: .officer, units: [.traffic],
                                           passwordHash: Passwords.hash(WebFixture.password, cost: 4), mustChangePassword: false,
                                           createdAt: ExerciseFixture.liveClock))
        return (store, cycles[0], cycles[1], newest, tz)
    }

    @Test("""
        given 2017 data read in 2026 with C3 around the data's end and C4 after it, when a commander opens /deployments, deploys both and opens the \
        dashboard, and an officer opens My zones, then C3 is in force and C4 upcoming (at the data's time, not the clock's, by which both ended), \
        the dashboard's next steps point to C4 and the officer sees C3's zone card and C4's zone under the next cycle
        """)
    func exerciseCycles() async throws {
        // Given
        let (store, c3, c4, newest, tz) = try await Self.store()
        let env = WebEnvironment(store: store, clock: { ExerciseFixture.exerciseClock })
        #expect(c3.endsAt < ExerciseFixture.exerciseClock && c4.endsAt < ExerciseFixture.exerciseClock)
        #expect(try await env.activeCycle()?.cycle.id == "C3")
        try await Application(router: buildRouter(env)).test(.router) { client in
            let commander = try await BrowserSession.start(client, as: "commander")
            // When
            let index = try await commander.get(client, "/deployments")
            // Then: C3 in force, C4 upcoming, each labelled at the data's now
            #expect(index.status == .ok)
            #expect(index.text.contains("id=\"deploy-in-force\" data-cycle=\"C3\"") && index.text.contains("id=\"deploy-upcoming\" data-cycle=\"C4\""))
            let ends = HTML(text: "in force, ends \(PlainWords.dateTime(c3.endsAt, timeZone: tz, now: newest))").rendered
            let starts = HTML(text: "upcoming, starts \(PlainWords.dateTime(c4.startsAt, timeZone: tz, now: newest))").rendered
            #expect(index.text.contains("(\(ends))") && index.text.contains("(\(starts))"))
            #expect(!index.text.contains("No cycle is in force now."))

            // When the commander assigns Traffic to Z1 of each (by the clock both are over and could not change)
            for cycle in ["C3", "C4"] {
                let saved = try await commander.post(client, "/deployments/\(cycle)", [("zone", "Z1"), ("unit", PatrolUnit.traffic.name)])
                #expect(saved.status == .seeOther, "\(cycle): \(saved.text)")
            }
            // Then the dashboard's clock has C3 in force and the next steps point to C4, starting 48 h after the data's now
            let dashboard = try await commander.get(client, "/").text
            #expect(dashboard.contains("<div>Cycle C3 (active)</div>"))
            let card = try #require(dashboard.components(separatedBy: "id=\"next-steps\"").dropFirst().first?.components(separatedBy: "</ul>").first)
            let hours = SVGNumber.fixed(c4.startsAt.timeIntervalSince(newest) / 3_600, decimals: 0)
            #expect(card.contains("Cycle C4 approved") && card.contains("starts in \(hours) h"), "\(card)")

            // When the Traffic officer opens My zones, then C3's Z1 is a zone card and C4's Z1 is listed as next
            let officer = try await BrowserSession.start(client, as: "patrol", page: "/officer")
            let home = try await officer.get(client, "/officer").text
            #expect(home.contains("<section class=\"zonecard\" data-zone=\"Z1\">"))
            #expect(home.contains("Cycle C3 ends") && !home.contains("id=\"no-zones\""))
            let next = try #require(home.components(separatedBy: "id=\"upcoming-zones\"").last)
            #expect(next.contains("data-upcoming-zone=\"Z1\"") && next.contains("(cycle C4)"))
        }
    }

    @Test("""
        given C4 approved and starting after the data's end, when an analyst opens its zone page and C3's, then C4's map tooltip says \
        "upcoming, starts …" at the data's time and never "active", and C3's zone (in force) carries no such note
        """)
    func upcomingZoneTooltipInAnExercise() async throws {
        // Given
        let (store, _, c4, newest, tz) = try await Self.store()
        let env = WebEnvironment(store: store, clock: { ExerciseFixture.exerciseClock })
        try await Application(router: buildRouter(env)).test(.router) { client in
            let analyst = try await BrowserSession.start(client, as: "analyst")
            // When
            let upcoming = try await analyst.get(client, "/zones/C4/Z1")
            let inForce = try await analyst.get(client, "/zones/C3/Z1")
            // Then
            #expect(upcoming.status == .ok && inForce.status == .ok)
            let starts = HTML(text: "upcoming, starts \(PlainWords.dateTime(c4.startsAt, timeZone: tz, now: newest))").rendered
            #expect(upcoming.text.contains("<title>Z1 (\(starts))</title>"), "\(upcoming.text.prefix(400))")
            #expect(!upcoming.text.contains("<title>Z1 (active)</title>"))
            #expect(upcoming.text.contains("Cycle C4 (approved)") && inForce.text.contains("Cycle C3 (active)"))
            #expect(!inForce.text.contains("<title>Z1 ("))
        }
    }

    @Test("""
        given live data with C1 in force and C2 approved to follow it, when a commander opens C2's zone page, then its map tooltip says \
        "upcoming, starts …" as /deployments does, not "(active)"
        """)
    func upcomingZoneTooltipLive() async throws {
        // Given
        let (store, next) = try await UpcomingCycleRouteTests.store(next: .approved)
        let env = FieldFixture.environment(store)
        let tz = try await env.timeZone()
        try await Application(router: buildRouter(env)).test(.router) { client in
            let commander = try await Browser.signedIn(client, as: "commander")
            // When
            let page = try await commander.get(client, "/zones/C2/Z1")
            // Then
            #expect(page.status == .ok)
            let starts = HTML(text: "upcoming, starts \(PlainWords.dateTime(next.startsAt, timeZone: tz, now: WebFixture.now))").rendered
            #expect(page.text.contains("<title>Z1 (\(starts))</title>"))
            #expect(!page.text.contains("(active)"))
        }
    }
}
