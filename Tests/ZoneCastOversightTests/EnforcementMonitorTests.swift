import Foundation
import Testing
import ZoneCastAccess
import ZoneCastCore
import ZoneCastOperations
@testable import ZoneCastOversight

@Suite("Non-enforcement monitor: rates per patrol hour, outside zones, before and during, alerts and the notice")
struct EnforcementMonitorTests {
    let start = ISO8601DateFormatter().date(from: "2024-06-01T05:00:00Z")!
    let utc = TimeZone(identifier: "UTC")!
    let day = 86_400.0

    func visit(_ id: String, unit: String, zone: String = "Z1", from hours: Double, minutes: Double, _ a: PatrolActivities) -> PatrolVisit {
        let s = start.addingTimeInterval(hours * 3_600)
        return PatrolVisit(id: id, officer: "o", unit: PatrolUnit(unit), cycleID: "C1", zoneID: zone, startedAt: s, endedAt: s.addingTimeInterval(minutes * 60),
                           activities: a, notes: "", loggedAt: s)
    }

    /// Unit A: two 30-minute visits (1 h), 4 contacts, 2 business checks, 1 field interview.
    /// Unit B: two 60-minute visits (2 h), 2 contacts, 1 minor-infraction citation, 1 arrest.
    var zoneVisits: [PatrolVisit] {
        [visit("a1", unit: "A", from: 1, minutes: 30, PatrolActivities(communityContacts: 3, businessChecks: 2, fieldInterviews: 1)),
         visit("a2", unit: "A", from: 5, minutes: 30, PatrolActivities(communityContacts: 1)),
         visit("b1", unit: "B", from: 8, minutes: 60, PatrolActivities(communityContacts: 2, minorInfractionCitations: 1)),
         visit("b2", unit: "B", from: 20, minutes: 60, PatrolActivities(arrests: 1))]
    }

    /// Outside every zone: unit A for an hour (1 contact), unit C (never in the zone) for an hour.
    var outsideVisits: [PatrolVisit] {
        [visit("o1", unit: "A", zone: "", from: 3, minutes: 60, PatrolActivities(communityContacts: 1)),
         visit("o2", unit: "C", zone: "outside", from: 4, minutes: 60, PatrolActivities(minorInfractionCitations: 3))]
    }

    @Test("rates per patrol hour for the zone, each unit, and the same units outside zones; alerts for the zone and unit B")
    func handComputed() async {
        let e = Oversight.enforcement(zoneID: "Z1", visits: zoneVisits, outsideVisits: outsideVisits, policeInitiated: [],
                                      cycleStart: start, cycleEnd: start.addingTimeInterval(14 * day), now: start.addingTimeInterval(4 * day))
        // Zone: 3 patrol hours, 8 relationship actions, 3 enforcement actions, 1 minor citation
        #expect(abs(e.overall.patrolHours - 3) < 1e-9)
        #expect(abs(e.overall.minorCitationsPerHour - 1.0 / 3) < 1e-9 && abs(e.overall.fieldInterviewsPerHour - 1.0 / 3) < 1e-9)
        #expect(abs(e.overall.arrestsPerHour - 1.0 / 3) < 1e-9 && abs(e.overall.enforcementPerHour - 1) < 1e-9)
        #expect(abs((e.overall.enforcementPerContact ?? -1) - 3.0 / 8) < 1e-9 && e.overall.contactsToEnforcement == "8 : 3")
        // Units: A 1 h, 6 relationship actions, 1 enforcement; B 2 h, 0.5 minor citations per hour, 2 : 2
        #expect(e.units.map(\.unit) == ["A", "B"])
        let a = e.units[0], b = e.units[1]
        #expect(abs(a.inZone.patrolHours - 1) < 1e-9 && a.inZone.minorCitationsPerHour == 0 && abs((a.inZone.enforcementPerContact ?? -1) - 1.0 / 6) < 1e-9)
        #expect(abs(b.inZone.minorCitationsPerHour - 0.5) < 1e-9 && abs((b.inZone.enforcementPerContact ?? -1) - 1) < 1e-9)
        // Outside zones: A logged an hour with no enforcement; B logged none; unit C is not one of the zone's units
        #expect(a.outside.map { abs($0.patrolHours - 1) < 1e-9 && $0.enforcementPerHour == 0 } == true)
        #expect(b.outside == nil)
        #expect(e.outside?.visits == 1 && e.outside?.activities.minorInfractionCitations == 0)
        // Alerts: zone 0.33 > 0.1 minor per hour and 0.375 > 0.25; unit B 0.5 and 1.0; unit A none
        #expect(e.alerts.map { "\($0.unit ?? "zone") \($0.kind.rawValue)" } == ["zone minor-citations", "zone enforcement-ratio", "B minor-citations", "B enforcement-ratio"])
        #expect(abs(e.alerts[0].value - 1.0 / 3) < 1e-9 && e.alerts[0].threshold == 0.1)
        #expect(e.alerts[1].text.contains("3 enforcement actions to 8 community contacts"))
    }

    @Test("thresholds from the environment: a higher minor-citation rate and ratio clear the alerts; a bad value names the variable")
    func thresholds() async throws {
        let t = try EnforcementThresholds.from(environment: [EnforcementThresholds.minorPerHourVariable: "0.6", EnforcementThresholds.ratioVariable: " 1.5 "])
        #expect(t.maxMinorCitationsPerHour == 0.6 && t.maxEnforcementPerContact == 1.5)
        let e = Oversight.enforcement(zoneID: "Z1", visits: zoneVisits, outsideVisits: [], policeInitiated: [], cycleStart: start,
                                      cycleEnd: start.addingTimeInterval(14 * day), now: start.addingTimeInterval(4 * day), thresholds: t)
        #expect(e.alerts.isEmpty && e.outside == nil)
        #expect(try EnforcementThresholds.from(environment: [:]) == .standard)
        do {
            _ = try EnforcementThresholds.from(environment: [EnforcementThresholds.ratioVariable: "lots"])
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "ZONECAST_ENFORCEMENT_RATIO" && error.value == "lots")
        }
        #expect(throws: OversightInputError.self) { try EnforcementThresholds.parse("-1", field: "--threshold") }
    }

    @Test("enforcement with no community contact at all alerts; a zone with no patrol does not")
    func noContacts() async {
        let only = [visit("x", unit: "A", from: 1, minutes: 30, PatrolActivities(fieldInterviews: 1))]
        let e = Oversight.enforcement(zoneID: "Z2", visits: only, outsideVisits: [], policeInitiated: [], cycleStart: start,
                                      cycleEnd: start.addingTimeInterval(14 * day), now: start.addingTimeInterval(day))
        #expect(e.overall.enforcementPerContact == nil && e.alerts.map(\.kind) == [.enforcementRatio] && e.alerts[0].value == 1)
        let none = Oversight.enforcement(zoneID: "Z3", visits: [], outsideVisits: [], policeInitiated: [], cycleStart: start,
                                         cycleEnd: start.addingTimeInterval(14 * day), now: start.addingTimeInterval(day))
        #expect(none.alerts.isEmpty && none.overall.patrolHours == 0 && none.overall.minorCitationsPerHour == 0)
    }

    @Test("police-initiated records per day: the cycle so far against the same length just before it")
    func beforeDuring() async throws {
        // Given 4 days elapsed: records 5 and 3 and 1 days before the start, and 1, 2, 3, 3.5 and 5 days after it
        let times = [-5.0, -3, -1, 1, 2, 3, 3.5, 5].map { start.addingTimeInterval($0 * day) }
        let p = try #require(Oversight.policeActivity(times, cycleStart: start, cycleEnd: start.addingTimeInterval(14 * day), now: start.addingTimeInterval(4 * day)))
        // Then before = 2 (the one 5 days before is outside the 4-day window), during = 4 (day 5 is in the future)
        #expect(p.before == 2 && p.during == 4 && abs(p.days - 4) < 1e-9)
        #expect(abs(p.beforePerDay - 0.5) < 1e-9 && abs(p.duringPerDay - 1) < 1e-9 && abs((p.ratio ?? -1) - 2) < 1e-9)
        #expect(p.beforeFrom == start.addingTimeInterval(-4 * day))
        #expect(Oversight.policeActivity(times, cycleStart: start, cycleEnd: start.addingTimeInterval(day), now: start) == nil)
    }

    @Test("the commanders' notice: one id per cycle, zone and local day; none without alerts")
    func notice() async throws {
        let e = Oversight.enforcement(zoneID: "Z1", visits: zoneVisits, outsideVisits: [], policeInitiated: [], cycleStart: start,
                                      cycleEnd: start.addingTimeInterval(14 * day), now: start.addingTimeInterval(4 * day))
        let n1 = try #require(Oversight.enforcementNotice(e, cycleID: "C1", now: start.addingTimeInterval(4 * day), timeZone: utc))
        let n2 = try #require(Oversight.enforcementNotice(e, cycleID: "C1", now: start.addingTimeInterval(4 * day + 3_600), timeZone: utc))
        let n3 = try #require(Oversight.enforcementNotice(e, cycleID: "C1", now: start.addingTimeInterval(5 * day), timeZone: utc))
        #expect(n1.id == "notice-enforcement-C1-Z1-2024-06-05" && n1.id == n2.id && n1.id != n3.id)
        #expect(n1.audience == .commander && n1.link == "/zones/C1/Z1#enforcement" && n1.text.contains("minor-infraction citations per patrol hour"))
        let quiet = Oversight.enforcement(zoneID: "Z1", visits: [], outsideVisits: [], policeInitiated: [], cycleStart: start,
                                          cycleEnd: start.addingTimeInterval(14 * day), now: start.addingTimeInterval(4 * day))
        #expect(Oversight.enforcementNotice(quiet, cycleID: "C1", now: start, timeZone: utc) == nil)
        // Outside-zone convention
        #expect(Oversight.isOutsideZones(outsideVisits[0]) && Oversight.isOutsideZones(outsideVisits[1]) && !Oversight.isOutsideZones(zoneVisits[0]))
    }

    @Test("the outside-zone convention: empty or \"outside\" in any case, spaces and tabs around; nothing else")
    func outsideConvention() async {
        for zone in ["", " ", "outside", "OUTSIDE", " Outside\t", "\u{00A0}outside\u{2003}"] {
            #expect(Oversight.isOutsideZones(visit("o", unit: "u", zone: zone, from: 0, minutes: 10, PatrolActivities())), "\(zone)")
        }
        for zone in ["Z1", "outsider", "out side", "outsidé", "inside", "o"] {
            #expect(!Oversight.isOutsideZones(visit("o", unit: "u", zone: zone, from: 0, minutes: 10, PatrolActivities())), "\(zone)")
        }
    }
}
