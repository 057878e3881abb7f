import Foundation
import Testing
import ZoneCastAccess
import ZoneCastOperations
@testable import ZoneCastOversight

@Suite struct PatrolAlertsTests {
    static let chicago = TimeZone(identifier: "America/Chicago")!
    static let start = ISO8601DateFormatter().date(from: "2026-12-01T06:00:00Z")!
    static let end = start.addingTimeInterval(96 * 3_600)

    static func visit(_ zone: String, hoursIn: Double, minutes: Double, _ a: PatrolActivities) -> PatrolVisit {
        let s = start.addingTimeInterval(hoursIn * 3_600)
        return PatrolVisit(id: "\(zone)-\(hoursIn)", officer: "o1", unit: PatrolUnit("Unit A"), cycleID: "c1", zoneID: zone, startedAt: s,
                           endedAt: s.addingTimeInterval(minutes * 60), activities: a, notes: "", loggedAt: s)
    }

    /// Z1: one hour-long visit with a minor citation and no contact; Z2: a 12-minute visit with two contacts every 6 h.
    static func zones() -> [Oversight.ZonePatrolData] {
        let z1 = [visit("Z1", hoursIn: 2, minutes: 60, PatrolActivities(minorInfractionCitations: 1))]
        let z2 = stride(from: 1.0, through: 25, by: 6).map { visit("Z2", hoursIn: $0, minutes: 12, PatrolActivities(communityContacts: 2)) }
        return [Oversight.ZonePatrolData(zoneID: "Z2", visits: z2, harmByHour: Array(repeating: 0, count: 24)),
                Oversight.ZonePatrolData(zoneID: "Z1", visits: z1, harmByHour: Array(repeating: 0, count: 24))]
    }

    @Test func enforcementAndLowPatrolAlertsWithStableIdentity() {
        // Given a cycle 30 h in (Wed 2 Dec, 06:00 CST) / When the alerts are evaluated
        let now = Self.start.addingTimeInterval(30 * 3_600)
        let alerts = Oversight.evaluateAlerts(cycleID: "c1", cycleStart: Self.start, cycleEnd: Self.end, zones: Self.zones(), outsideVisits: [],
                                              now: now, timeZone: Self.chicago)
        // Then Z1 raises both kinds (1 minor citation per patrol hour; 0.8 visits a day), Z2 nothing, ids naming kind, cycle, zone and day
        #expect(alerts.map(\.id) == ["notice-enforcement-c1-Z1-2026-12-02", "notice-low-patrol-c1-Z1-2026-12-02"])
        #expect(alerts[1].reasons == ["0.8 visits per day, fewer than 2", "a gap of 27.0 h without a visit, longer than 24 h"])
        #expect(alerts[1].notice.audience == .commander && alerts[1].notice.link == "/zones/c1/Z1#dosage")
        // And the enforcement alert is the monitor's own notice, so notices raised before keep their identity
        #expect(alerts[0].text.hasPrefix("Enforcement above threshold in zone Z1 (cycle c1): "))
        // When evaluated again later the same local day / Then the same ids; the next day new ones
        let later = Oversight.evaluateAlerts(cycleID: "c1", cycleStart: Self.start, cycleEnd: Self.end, zones: Self.zones(), outsideVisits: [],
                                             now: now.addingTimeInterval(10 * 3_600), timeZone: Self.chicago)
        #expect(later.map(\.id) == alerts.map(\.id))
        // (by then Z2's last visit, at 25 h, is more than 24 h ago, so Z2 is flagged too)
        let nextDay = Oversight.evaluateAlerts(cycleID: "c1", cycleStart: Self.start, cycleEnd: Self.end, zones: Self.zones(), outsideVisits: [],
                                               now: now.addingTimeInterval(20 * 3_600), timeZone: Self.chicago)
        #expect(nextDay.map(\.id) == ["notice-enforcement-c1-Z1-2026-12-03", "notice-low-patrol-c1-Z1-2026-12-03", "notice-low-patrol-c1-Z2-2026-12-03"])
        #expect(nextDay[2].reasons == ["a gap of 24.8 h without a visit, longer than 24 h"])
    }

    @Test func nothingOutsideTheCycleOrBeforeTheFirstHours() {
        // Given the same data before the cycle, 6 h in (under the 12 h before low-patrol flags) and after its end
        func ids(at now: Date) -> [String] {
            Oversight.evaluateAlerts(cycleID: "c1", cycleStart: Self.start, cycleEnd: Self.end, zones: Self.zones(), outsideVisits: [], now: now,
                                     timeZone: Self.chicago).map(\.id)
        }
        #expect(ids(at: Self.start.addingTimeInterval(-3_600)).isEmpty)
        #expect(ids(at: Self.end).isEmpty)
        // Then 6 h in only the enforcement alert (the citation is already there), no low-patrol flag yet
        #expect(ids(at: Self.start.addingTimeInterval(6 * 3_600)) == ["notice-enforcement-c1-Z1-2026-12-01"])
    }

    @Test func changedThresholdsChangeTheAlerts() throws {
        // Given an admin who allows 1 visit a day and 30 h gaps and 2 minor citations an hour, 4 enforcement actions per contact
        let t = try AlertThresholds.from(form: ["dosage_min_visits_per_day": "0.5", "dosage_max_gap_hours": "30",
                                                "enforcement_minor_per_hour": "2", "enforcement_ratio": "4"])
        let alerts = Oversight.evaluateAlerts(cycleID: "c1", cycleStart: Self.start, cycleEnd: Self.end, zones: Self.zones(), outsideVisits: [],
                                              now: Self.start.addingTimeInterval(30 * 3_600), timeZone: Self.chicago, thresholds: t)
        // Then only the enforcement alert for enforcement with no contact at all remains
        #expect(alerts.map(\.kind) == [.enforcement])
        #expect(alerts[0].reasons == ["Z1: 1 enforcement action and no community contact or business check"])
        #expect(alerts[0].mailBody(baseURL: "https://zc.pd.example").contains("\nOpen: https://zc.pd.example/zones/c1/Z1#enforcement\n"))
    }
}

@Suite struct AlertThresholdsTests {
    @Test func formChangesOnlyWhatItNamesAndSaysWhatChanged() throws {
        let t = try AlertThresholds.from(form: ["dosage_max_gap_hours": " 36 "])
        #expect(t.dosage.maxGapHours == 36 && t.enforcement == .standard && t.dosage.minVisitsPerDay == 2)
        #expect(t.changes(from: .standard) == "dosage_max_gap_hours 24 → 36")
        #expect(AlertThresholds.standard.changes(from: .standard).isEmpty)
    }

    @Test(arguments: [
        ("dosage_min_harm_coverage", "1.5", "expected a number from 0 to 1 share of the zone's harm (0 to 1)"),
        ("dosage_max_gap_hours", "0.5", "expected a number from 1 to 168 hours"),
        ("enforcement_ratio", "-0.1", "expected a number from 0 to 10 enforcement actions per community contact or business check"),
        ("enforcement_minor_per_hour", "lots", "expected a number from 0 to 10 minor-infraction citations per patrol hour"),
        ("dosage_min_visits_per_day", "nan", "expected a number from 0 to 48 visits per day"),
    ])
    func outOfRangeValuesAreNamed(field: String, value: String, reason: String) {
        #expect(throws: OversightInputError(field: field, value: value, reason: reason)) { try AlertThresholds.from(form: [field: value]) }
    }

    @Test func unknownFieldIsRefused() {
        let e = #expect(throws: OversightInputError.self) { try AlertThresholds.from(form: ["dosage_gap": "30"]) }
        #expect(e?.field == "dosage_gap" && e?.reason.hasPrefix("unknown setting (known: enforcement_minor_per_hour, ") == true)
    }

    @Test func validatedRefusesAValueSetDirectly() {
        var t = AlertThresholds.standard
        t.dosage.minHarmHourCoverage = 2
        #expect(throws: OversightInputError(field: "dosage_min_harm_coverage", value: "2.0",
                                            reason: "expected a number from 0 to 1 share of the zone's harm (0 to 1)")) { try t.validated() }
    }
}
