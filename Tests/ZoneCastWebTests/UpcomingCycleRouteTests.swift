import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastCore
import ZoneCastHTML
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

/// Issue #15, the commander after the meeting: the approved next cycle is deployable ahead of time beside the one in
/// force, the dashboard says what needs doing next, and closing a meeting asks for confirmation first.
@Suite("The upcoming cycle: deployments side by side, next steps on the dashboard, confirmed close", .serialized)
struct UpcomingCycleRouteTests {
    /// FieldFixture's store (C1 approved and in force at WebFixture.now) with `C2`, a copy of C1 for the window
    /// right after it, saved with `status` (approved: what a closed meeting leaves; proposed: for a meeting to decide).
    static func store(next status: CycleStatus) async throws -> (SQLiteIncidentStore, ZoneCycle) {
        let store = try await FieldFixture.store()
        let record = try #require(try await store.cycle(id: "C1"))
        var next = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        next.id = "C2"
        next.status = status
        next.startsAt = record.endsAt
        next.endsAt = record.endsAt.addingTimeInterval(record.endsAt.timeIntervalSince(record.startsAt))
        if status == .proposed {
            next.approvedZones = nil
            next.approvedExplainedZones = nil
            next.approvalReason = nil
        }
        try await store.saveCycle(try next.record(createdAt: WebFixture.now))
        return (store, next)
    }

    @Test("given C1 in force and C2 approved to follow it, /deployments shows both side by side, C2 labelled upcoming with its start (never active), and C2's units can be assigned before it starts")
    func deploymentsSideBySide() async throws {
        let (store, next) = try await Self.store(next: .approved)
        let env = FieldFixture.environment(store)
        let tz = try await env.timeZone()
        let starts = "upcoming, starts \(PlainWords.dateTime(next.startsAt, timeZone: tz, now: WebFixture.now))"
        try await Application(router: buildRouter(env)).test(.router) { client in
            let commander = try await Browser.signedIn(client, as: "commander")
            // When the commander opens /deployments
            let index = try await commander.get(client, "/deployments")
            // Then both cycles are there, the one in force first, each with its zones and a way to assign units
            #expect(index.status == .ok)
            let inForce = try #require(index.text.range(of: "id=\"deploy-in-force\" data-cycle=\"C1\""))
            let upcoming = try #require(index.text.range(of: "id=\"deploy-upcoming\" data-cycle=\"C2\""))
            #expect(inForce.lowerBound < upcoming.lowerBound)
            #expect(index.text.contains("href=\"/deployments/C1\"") && index.text.contains("href=\"/deployments/C2\""))
            #expect(index.text.contains("(\(HTML(text: starts).rendered))") && index.text.contains("CONFIDENTIAL"))
            #expect(try await store.latestAuditEntries(limit: 5).contains { $0.action == AuditAction.viewZones.rawValue && $0.subject == "C1,C2" })
            // And C2's own page says when it starts, in the text and the map's tooltips, and never calls its zones active
            let page = try await commander.get(client, "/deployments/C2")
            #expect(page.status == .ok && page.text.contains("Cycle C2 (\(HTML(text: starts).rendered))"))
            #expect(page.text.contains("<title>Z1 (\(HTML(text: starts).rendered))</title>"))
            #expect(!page.text.contains("(active)") && !page.text.contains("(approved)"))
            // When the commander assigns Traffic Division to C2's Z1 ahead of its start
            let saved = try await commander.post(client, "/deployments/C2", [("zone", "Z1"), ("unit", PatrolUnit.traffic.name)])
            #expect(saved.status == .seeOther, "\(saved.text)")
            // Then it is in force for C2, shown on the overview, and the Traffic officer sees C2's Z1 under the next cycle
            #expect(try await store.documents(Deployment.self, group: "C2").inForce["Z1"]?.units == [.traffic])
            let after = try await commander.get(client, "/deployments")
            let c2 = try #require(after.text.components(separatedBy: "id=\"deploy-upcoming\"").last)
            #expect(c2.contains("<tr data-zone=\"Z1\"><td class=\"l\">Z1</td><td class=\"l units\">\(PatrolUnit.traffic.name)</td></tr>"))
            let officer = try await Browser.signedIn(client, as: "officer")
            #expect(try await officer.get(client, "/officer").text.contains("data-upcoming-zone=\"Z1\""))
            // And officers may not open the deployments
            #expect(try await officer.get(client, "/deployments").status == .forbidden)
        }
    }

    @Test("given a meeting that decides C2, closing asks for confirmation first; once closed, the dashboard points to C2 (starts in N h) with deploy units and schedule the next meeting, and keeps the proposal and meeting cards saying there are none")
    func dashboardAfterTheMeeting() async throws {
        let (store, next) = try await Self.store(next: .proposed)
        let env = FieldFixture.environment(store)
        let tz = try await env.timeZone()
        try await Application(router: buildRouter(env)).test(.router) { client in
            let commander = try await Browser.signedIn(client, as: "commander")
            // Given a meeting reviewing C2 with a decision on every zone
            let scheduled = try await commander.post(client, "/meetings", [("title", "IRIS"), ("cycle", "C2"),
                                                                           ("scheduledAt", localInputValue(WebFixture.now.addingTimeInterval(3_600), timeZone: tz))])
            let meeting = try #require(scheduled.headers[.location])
            #expect(scheduled.status == .seeOther)
            for zone in next.zones.map(\.id) {
                #expect(try await commander.post(client, "\(meeting)/decisions", [("zone", zone), ("decision", "approve"), ("reason", "")]).status == .seeOther)
            }
            // When the commander presses close, then a confirmation page comes back and nothing is approved yet
            let asked = try await commander.post(client, "\(meeting)/close", [])
            #expect(asked.status == .ok && asked.text.contains("Yes, close the meeting and approve cycle C2"))
            #expect(try await store.cycle(id: "C2")?.status == .proposed)
            // When they confirm, then C2 is approved and the meeting closed
            #expect(try await commander.post(client, "\(meeting)/close", [("confirm", "yes")]).status == .seeOther)
            #expect(try await store.cycle(id: "C2")?.status == .approved)

            // Then the dashboard says what needs doing next
            let hours = SVGNumber.fixed(next.startsAt.timeIntervalSince(WebFixture.now) / 3_600, decimals: 0)
            let dashboard = try await commander.get(client, "/").text
            let card = try #require(dashboard.components(separatedBy: "id=\"next-steps\"").dropFirst().first?.components(separatedBy: "</ul>").first)
            #expect(card.contains("Cycle C2 approved") && card.contains("starts in \(hours) h"))
            #expect(card.contains("data-step=\"deploy\"><a href=\"/deployments/C2\">deploy units</a>: \(next.zones.count) of \(next.zones.count)"))
            #expect(card.contains("data-step=\"meeting\"><a href=\"/meetings#schedule-form\">schedule the next meeting</a>"))
            // And the proposal and meeting cards stay, saying there are none
            #expect(dashboard.contains("id=\"no-proposal\"") && dashboard.contains("id=\"no-meeting\""))

            // When every zone gets units and the next meeting is scheduled, then those steps are done
            for zone in next.zones.map(\.id) {
                #expect(try await commander.post(client, "/deployments/C2", [("zone", zone), ("unit", PatrolUnit.traffic.name)]).status == .seeOther)
            }
            let again = try await commander.post(client, "/meetings", [("title", "Next IRIS"),
                                                                       ("scheduledAt", localInputValue(next.startsAt.addingTimeInterval(86_400), timeZone: tz))])
            #expect(again.status == .seeOther)
            let done = try await commander.get(client, "/").text
            #expect(done.contains("data-step=\"deployed\"") && !done.contains("data-step=\"deploy\"") && !done.contains("data-step=\"meeting\""))
            #expect(done.contains("Next IRIS") && !done.contains("id=\"no-meeting\""))
            // And an officer's dashboard has no such card
            let officer = try await Browser.signedIn(client, as: "officer")
            #expect(!(try await officer.get(client, "/").text.contains("id=\"next-steps\"")))
        }
    }
}
