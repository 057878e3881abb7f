import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastCore
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

/// C1 approved and in force (31 h in at WebFixture.now), the traffic unit deployed to Z1 and logging two visits
/// there that wrote minor-infraction citations, one visit outside every zone; no visit to the other zones.
enum DosageFixture {
    static func store() async throws -> SQLiteIncidentStore {
        let store = try await FieldFixture.store()
        let start = ISO8601DateFormatter().date(from: "2024-06-01T05:00:00Z")!
        func visit(_ id: String, zone: String, hours: Double, minutes: Double, _ a: PatrolActivities) -> PatrolVisit {
            let s = start.addingTimeInterval(hours * 3_600)
            return PatrolVisit(id: id, officer: "officer", unit: .traffic, cycleID: "C1", zoneID: zone, startedAt: s, endedAt: s.addingTimeInterval(minutes * 60),
                               activities: a, notes: "", loggedAt: s)
        }
        try await store.apply([
            try .save(Deployment(id: "dep-dosage-z1", cycleID: "C1", zoneID: "Z1", units: [.traffic], assignedBy: "commander", assignedAt: start, reason: "")),
            // Z1: 12 + 15 minutes (0.45 h), 2 contacts, 2 minor-infraction citations: 4.4 minor citations per hour, 2 : 2
            try .save(visit("v1", zone: "Z1", hours: 2, minutes: 12, PatrolActivities(communityContacts: 2, minorInfractionCitations: 1))),
            try .save(visit("v2", zone: "Z1", hours: 20, minutes: 15, PatrolActivities(minorInfractionCitations: 1))),
            try .save(visit("v3", zone: "outside", hours: 10, minutes: 60, PatrolActivities(communityContacts: 1))),
        ])
        return store
    }
}

@Suite("Dosage and the non-enforcement monitor on the zone page, the IRIS agenda and the dashboard", .serialized)
struct DosageEnforcementRouteTests {
    static var store: SQLiteIncidentStore { get async { await storeTask.value } }
    private static let storeTask = Task { try! await DosageFixture.store() }

    func otherZones() async throws -> [String] {
        let record = try await #require(try await Self.store.cycle(id: "C1"))
        return try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document).zones.map(\.id).filter { $0 != "Z1" }
    }

    @Test("the commander's zone page shows dosage with the 24-hour chart and flags, and the enforcement alert; commanders are notified once a day")
    func zonePage() async throws {
        let env = await FieldFixture.environment(Self.store)
        let app = Application(router: buildRouter(env))
        try await app.test(.router) { client in
            let commander = try await Browser.signedIn(client, as: "commander")
            let page = try await commander.get(client, "/zones/C1/Z1")
            #expect(page.status == .ok)
            for marker in ["id=\"dosage\"", "id=\"hour-chart\"", "id=\"dosage-flags\"", "id=\"enforcement\"", "id=\"enforcement-rates\"", "id=\"police-initiated\"",
                           "Koper (1995)", "Thresholds:", "class=\"presence\" data-hour=\"", "id=\"hour-chart-note\""] {
                #expect(page.text.contains(marker), "\(marker)")
            }
            // Two visits in 31 hours: 1.5 a day, under 2: flagged. 2 minor citations in 0.45 h: alerted.
            #expect(page.text.contains("data-flag=\"few-visits\""))
            #expect(page.text.contains("Enforcement above threshold") && page.text.contains("4.44 minor-infraction citations per patrol hour"))
            #expect(page.text.contains("Traffic Division outside zones"))
            #expect(page.text.contains("<strong id=\"contacts-ratio\">2 : 2</strong>"))

            let jurisdiction = try await #require(try Self.store.jurisdiction())
            let tz = try #require(TimeZone(identifier: jurisdiction.timeZoneIdentifier))
            let id = "notice-enforcement-C1-Z1-\(Oversight.dayKey(WebFixture.now, timeZone: tz))"
            _ = try await commander.get(client, "/zones/C1/Z1")
            // The page views asked for the evaluation, which runs in the background.
            await env.alertsSettled()
            let notices = try await Self.store.documents(Notice.self, group: Role.commander.rawValue).filter { $0.id.hasPrefix("notice-enforcement-C1-Z1") }
            #expect(notices.map(\.id) == [id])
            #expect(notices.first?.link == "/zones/C1/Z1#enforcement")
            #expect(try await Self.store.latestAuditEntries(limit: 200).filter { $0.subject == id }.count == 1)
            // The notice reaches the commanders' dashboard.
            let dashboard = try await commander.get(client, "/")
            #expect(dashboard.text.contains("Enforcement above threshold in zone Z1"))
        }
    }

    @Test("an officer of the deployed unit sees the dosage of the zone but not the enforcement monitor")
    func officer() async throws {
        let app = await Application(router: buildRouter(FieldFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let officer = try await Browser.signedIn(client, as: "officer")
            let page = try await officer.get(client, "/zones/C1/Z1")
            #expect(page.status == .ok && page.text.contains("id=\"dosage\"") && page.text.contains("id=\"hour-chart\""))
            #expect(!page.text.contains("id=\"enforcement\"") && !page.text.contains("minor-infraction citations per patrol hour"))
            let dashboard = try await officer.get(client, "/")
            #expect(!dashboard.text.contains("id=\"contacts-enforcement\""))
        }
    }

    @Test("the IRIS agenda lists each zone in force with its low-patrol flags and enforcement alerts")
    func agenda() async throws {
        try await Self.store.save(Meeting(id: "M-dosage", title: "IRIS", scheduledAt: WebFixture.now.addingTimeInterval(86_400), cycleID: nil, attendees: [],
                                    createdBy: "commander", createdAt: WebFixture.now), audit: nil)
        let app = await Application(router: buildRouter(FieldFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let commander = try await Browser.signedIn(client, as: "commander")
            for uri in ["/meetings/M-dosage", "/meetings/M-dosage/briefing"] {
                let page = try await commander.get(client, uri)
                #expect(page.status == .ok, "\(uri)")
                #expect(page.text.contains("id=\"patrol-oversight\"") && page.text.contains("id=\"agenda-dosage\""), "\(uri)")
                #expect(page.text.contains("data-zone-row=\"Z1\"") && page.text.contains("class=\"enforcement-alert\""), "\(uri)")
                // Zones with no visit in 31 hours are flagged for little patrol.
                for z in try await otherZones() {
                    let row = page.text.components(separatedBy: "data-zone-row=\"\(z)\"").dropFirst().first?.components(separatedBy: "</tr>").first ?? ""
                    #expect(row.contains("class=\"low-patrol\"") && row.contains("0.0 visits per day"), "\(uri) \(z)")
                }
            }
        }
    }

    @Test("the dashboard states contacts to enforcement for the cycle in force to commanders")
    func dashboard() async throws {
        let app = await Application(router: buildRouter(FieldFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let commander = try await Browser.signedIn(client, as: "commander")
            let page = try await commander.get(client, "/")
            #expect(page.text.contains("id=\"contacts-enforcement\"") && page.text.contains("<div class=\"n\">2 : 2</div>"))
            #expect(page.text.contains("1.0 contacts per enforcement action; 2 visit(s)"))
        }
    }
}
