import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

/// Issue #15: the officer's in-zone check (`PatrolVisit.inZone`) reaches the people who oversee patrol, as counts on
/// the dosage page and the zone page, never as a position.
@Suite("The in-zone check on the oversight pages", .serialized)
struct InZoneChecksRouteTests {
    /// A coordinate kept on one visit (the department's choice): no page may show it.
    static let keptLatitude = 39.0987654, keptLongitude = -94.5876543

    /// FieldFixture's store (C1 in force at WebFixture.now) with five visits to Z1 from the cycle's start: two checked
    /// inside the zone (one with its coordinates kept), one checked outside, two not checked; and one visit to Z2
    /// checked inside.
    static func store() async throws -> SQLiteIncidentStore {
        let store = try await FieldFixture.store()
        let record = try #require(try await store.cycle(id: "C1"))
        let checks: [(zone: String, inZone: Bool?)] = [("Z1", true), ("Z1", true), ("Z1", false), ("Z1", nil), ("Z1", nil), ("Z2", true)]
        var changes: [StoreChange] = []
        for (k, check) in checks.enumerated() {
            let start = record.startsAt.addingTimeInterval(Double(k + 1) * 3_600)
            let kept = k == 0 ? VisitPosition(latitude: keptLatitude, longitude: keptLongitude) : nil
            changes.append(try .save(PatrolVisit(id: "v\(k)", officer: "officer", unit: .traffic, cycleID: "C1", zoneID: check.zone, startedAt: start,
                                                 endedAt: start.addingTimeInterval(12 * 60), activities: PatrolActivities(communityContacts: 1),
                                                 notes: "", loggedAt: start, inZone: check.inZone, checkedPosition: kept)))
        }
        try await store.apply(changes)
        #expect(record.startsAt.addingTimeInterval(7 * 3_600) < WebFixture.now)
        return store
    }

    @Test("""
        given five visits to Z1 (2 checked inside, 1 outside, 2 not checked) and one to Z2 (inside), when an auditor opens /oversight/dosage, \
        then the summary has a checked-in-zone column with 2 / 1 / 2 for Z1 and 1 / 0 / 0 for Z2, each zone's section says it in words, \
        and no coordinate shows
        """)
    func dosagePage() async throws {
        // Given
        let store = try await Self.store()
        try await Application(router: buildRouter(FieldFixture.environment(store))).test(.router) { client in
            let auditor = try await Browser.signedIn(client, as: "auditor")
            // When
            let page = try await auditor.get(client, "/oversight/dosage?cycle=C1")
            // Then
            #expect(page.status == .ok)
            let text = page.text
            #expect(text.contains("<th>checked in zone (yes / no / not checked)</th>"))
            #expect(text.contains("<tr><td class=\"l\">Z1</td><td>5</td><td>2 / 1 / 2</td>"))
            #expect(text.contains("<tr><td class=\"l\">Z2</td><td>1</td><td>1 / 0 / 0</td>"))
            let z1 = try #require(text.components(separatedBy: "id=\"in-zone-checks-Z1\"").dropFirst().first?.components(separatedBy: "</p>").first)
            #expect(z1.contains("yes 2, no 1, not checked 2 (of 5 visits)"), "\(z1)")
            #expect(!text.contains(String(Self.keptLatitude)) && !text.contains("39.0987") && !text.contains("94.5876"))
        }
    }

    @Test("""
        given the same visits, when a commander opens Z1's zone page, then the patrol section says yes 2, no 1, not checked 2 of 5 visits with \
        no coordinate; an officer's zone card does not carry it
        """)
    func zonePage() async throws {
        // Given
        let store = try await Self.store()
        try await Application(router: buildRouter(FieldFixture.environment(store))).test(.router) { client in
            let commander = try await Browser.signedIn(client, as: "commander")
            // When
            let page = try await commander.get(client, "/zones/C1/Z1")
            // Then
            #expect(page.status == .ok)
            let checks = try #require(page.text.components(separatedBy: "id=\"in-zone-checks\"").dropFirst().first?.components(separatedBy: "</p>").first)
            #expect(checks.contains("Checked in zone by the officer's phone: yes 2, no 1, not checked 2 (of 5 visits)"), "\(checks)")
            #expect(!page.text.contains("39.0987") && !page.text.contains("94.5876"))
            // And an officer with Z1 assigned sees the card without the oversight counts
            let saved = try await commander.post(client, "/deployments/C1", [("zone", "Z1"), ("unit", PatrolUnit.traffic.name)])
            #expect(saved.status == .seeOther, "\(saved.text)")
            let officer = try await Browser.signedIn(client, as: "officer")
            let card = try await officer.get(client, "/zones/C1/Z1")
            #expect(card.status == .ok && !card.text.contains("in-zone-checks"))
        }
    }
}
