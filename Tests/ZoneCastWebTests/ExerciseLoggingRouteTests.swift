import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastCore
import ZoneCastOperations
import ZoneCastStore
@testable import ZoneCastWeb

/// Issue #15: an exercise on historical data is worked through by every role, officers too. The cycles open for
/// logging, the patrol form's times and the visit timer follow the database's time, as the pages do; only when the
/// visit was logged (`loggedAt`) is the clock's.
@Suite("Officers log visits in an exercise at the database's time (issue #15)", .serialized)
struct ExerciseLoggingRouteTests {
    @Test("""
        given 2017 data read in 2026 with C3 in force at the data's end and Traffic deployed to its Z1, when the officer opens the patrol form \
        and My zones, logs a visit by form and one by the API, then the form offers C3/Z1, the timer is shifted to the data's time, both visits \
        are stored in C3 with the clock's loggedAt, and a visit ending after the data's now is refused as in the future
        """)
    func officerLogsInAnExercise() async throws {
        // Given
        let (store, _, _, newest, tz) = try await ExerciseCyclesRouteTests.store()
        let env = WebEnvironment(store: store, clock: { ExerciseFixture.exerciseClock })
        let token = try await storeToken(store, username: "patrol", id: "ex1", expiresAt: ExerciseFixture.exerciseClock.addingTimeInterval(86_400))
        try await Application(router: buildRouter(env)).test(.router) { client in
            let commander = try await BrowserSession.start(client, as: "commander", page: "/deployments")
            let deployed = try await commander.post(client, "/deployments/C3", [("zone", "Z1"), ("unit", PatrolUnit.traffic.name)])
            #expect(deployed.status == .seeOther, "\(deployed.text)")
            let officer = try await BrowserSession.start(client, as: "patrol", page: "/officer")

            // When the officer opens the form and My zones
            let form = try await officer.get(client, "/patrols/new")
            let home = try await officer.get(client, "/officer")
            // Then C3's zone is offered (by the clock C3 ended years ago) and the timer runs at the data's time
            #expect(form.status == .ok && form.text.contains("value=\"C3/Z1\""), "\(form.text.prefix(600))")
            let shift = Int64((newest.timeIntervalSince(ExerciseFixture.exerciseClock) * 1_000).rounded())
            #expect(shift < 0 && home.text.contains("data-shift-ms=\"\(shift)\""))

            // When a visit of the hour before the data's end is logged by the form
            let start = localInputValue(newest.addingTimeInterval(-7_200), timeZone: tz)
            let end = localInputValue(newest.addingTimeInterval(-3_600), timeZone: tz)
            let logged = try await officer.post(client, "/patrols", [("zone", "C3/Z1"), ("start", start), ("end", end), ("communityContacts", "2")])
            // Then it is stored in C3, logged at the clock's time
            #expect(logged.status == .seeOther, "\(logged.text)")
            let visits = try await store.documents(PatrolVisit.self).filter { $0.cycleID == "C3" }
            #expect(visits.count == 1 && visits.first?.zoneID == "Z1" && visits.first?.activities.communityContacts == 2)
            #expect(visits.first?.loggedAt == ExerciseFixture.exerciseClock)

            // When one ending an hour after the data's now is logged, then it is in the future of the exercise
            let late = try await officer.post(client, "/patrols", [("zone", "C3/Z1"), ("start", localInputValue(newest, timeZone: tz)),
                                                                   ("end", localInputValue(newest.addingTimeInterval(3_600), timeZone: tz))])
            #expect(late.status == .badRequest && late.text.contains("is in the future"), "\(late.text.prefix(400))")

            // When the API logs the half hour before the first visit, then it too lands in C3
            let iso = ISO8601DateFormatter()
            let body = #"{"zone":"Z1","startedAt":"\#(iso.string(from: newest.addingTimeInterval(-9_000)))","#
                + #""endedAt":"\#(iso.string(from: newest.addingTimeInterval(-7_200)))"}"#
            let api = try await postPatrol(client, body, token: token)
            #expect(api.status == .created, "\(api.text)")
            #expect(try jsonObject(api)["cycle"] as? String == "C3")
            #expect(try await store.documents(PatrolVisit.self).filter { $0.cycleID == "C3" }.count == 2)
        }
    }
}
