import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastStore
@testable import ZoneCastWeb

/// In an exercise the pages run at the data's time, but the confidentiality stamp says when the page was really
/// viewed: a printed dashboard of 2017 data read today must not claim it was seen in 2017.
@Suite("The confidential stamp carries the clock's time in an exercise", .serialized)
struct ExerciseConfidentialRouteTests {
    @Test("""
        given 2017 data read on 2 Dec 2026 with C3 in force at the data's end and Traffic deployed to it, when the commander opens the dashboard, \
        the deployment page, zone C3/Z1 and a meeting's printed briefing, and the officer My zones and the zone card, then every confidential \
        stamp says viewed at the clock's time, and none at the data's
        """)
    func stampsTheClock() async throws {
        // Given
        let (store, _, _, newest, tz) = try await ExerciseCyclesRouteTests.store()
        let env = WebEnvironment(store: store, clock: { ExerciseFixture.exerciseClock })
        let clockText = localText(ExerciseFixture.exerciseClock, timeZone: tz), dataText = localText(newest, timeZone: tz)
        try await Application(router: buildRouter(env)).test(.router) { client in
            let commander = try await BrowserSession.start(client, as: "commander", page: "/deployments")
            let deployed = try await commander.post(client, "/deployments/C3", [("zone", "Z1"), ("unit", PatrolUnit.traffic.name)])
            #expect(deployed.status == .seeOther, "\(deployed.text)")
            let officer = try await BrowserSession.start(client, as: "patrol", page: "/officer")
            // When
            var pages: [(String, String)] = []
            for path in ["/", "/deployments", "/zones/C3/Z1"] { pages.append((path, try await commander.get(client, path).text)) }
            for path in ["/officer", "/zones/C3/Z1"] { pages.append((path, try await officer.get(client, path).text)) }
            // Then
            for (path, text) in pages {
                let stamp = text.components(separatedBy: "CONFIDENTIAL: patrol zone locations. Viewed by ").dropFirst().first?.prefix(160) ?? ""
                #expect(stamp.contains(" at \(clockText)."), "\(path): \(stamp.isEmpty ? text.prefix(300) : stamp)")
                #expect(!stamp.contains(dataText), "\(path): \(stamp)")
            }
            // And the footer the printed briefing repeats on every page (a walk-through's printout said 2015 there)
            let scheduled = try await commander.post(client, "/meetings", [("title", "IRIS exercise"), ("scheduledAt", "2017-12-01T10:00")])
            let meeting = try #require(scheduled.headers[.location], "\(scheduled.status) \(scheduled.text.prefix(300))")
            let briefing = try await commander.get(client, "\(meeting)/briefing").text
            let footer = briefing.components(separatedBy: "class=\"running-confidential\"").dropFirst().first?.prefix(300) ?? ""
            #expect(footer.contains(clockText) && !footer.contains(dataText), "\(footer.isEmpty ? briefing.prefix(300) : footer)")
        }
    }
}
