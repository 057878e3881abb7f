import Foundation
import Testing
import ZoneCastAccess
import ZoneCastCore
@testable import ZoneCastOperations

@Suite("Patrol dosage and place checks")
struct PatrolDosageTests {
    let start = ISO8601DateFormatter().date(from: "2024-06-01T00:00:00Z")!
    let utc = TimeZone(identifier: "UTC")!

    func visit(_ id: String, from minutes: Double, lasting length: Double, contacts: Int = 0, minor: Int = 0) -> PatrolVisit {
        let s = start.addingTimeInterval(minutes * 60)
        return PatrolVisit(id: id, officer: "o", unit: .traffic, cycleID: "C1", zoneID: "Z1", startedAt: s, endedAt: s.addingTimeInterval(length * 60),
                           activities: PatrolActivities(communityContacts: contacts, minorInfractionCitations: minor), notes: "", loggedAt: s)
    }

    @Test("visits, minutes, the share lasting 10-16 minutes, the longest gap and the hours covered")
    func dosage() async {
        // Given three visits: 12 min at 02:00, 30 min at 05:50 (crossing into 06:00), 15 min at 10:00; now is 20:00
        let visits = [visit("b", from: 350, lasting: 30, contacts: 2), visit("a", from: 120, lasting: 12, contacts: 1), visit("c", from: 600, lasting: 15, minor: 1)]
        let d = PatrolDosage(visits, cycleStart: start, cycleEnd: start.addingTimeInterval(72 * 3_600), now: start.addingTimeInterval(20 * 3_600), timeZone: utc)
        #expect(d.visits == 3 && abs(d.minutes - 57) < 1e-9)
        #expect(d.recommendedVisits == 2 && abs(d.recommendedShare - 2.0 / 3.0) < 1e-9)
        // Gaps: 2 h before the first, 5:50-2:12, 10:00-6:20, and 20:00-10:15 = 9.75 h
        #expect(abs(d.longestGapHours - 9.75) < 1e-9)
        #expect(d.hoursCovered == [2, 5, 6, 10])
        #expect(d.activities.communityContacts == 3 && d.activities.minorInfractionCitations == 1 && d.activities.enforcementActions == 1)
    }

    @Test("no visits: the whole elapsed cycle is one gap, capped at the cycle end")
    func empty() async {
        let d = PatrolDosage([], cycleStart: start, cycleEnd: start.addingTimeInterval(72 * 3_600), now: start.addingTimeInterval(100 * 3_600), timeZone: utc)
        #expect(d.visits == 0 && d.recommendedShare == 0 && d.longestGapHours == 72 && d.hoursCovered.isEmpty)
    }

    @Test("hours covered follow the jurisdiction's time zone")
    func localHours() async {
        let chicago = TimeZone(identifier: "America/Chicago")!  // UTC-5 in June
        let d = PatrolDosage([visit("a", from: 120, lasting: 12)], cycleStart: start, cycleEnd: start.addingTimeInterval(72 * 3_600), now: start.addingTimeInterval(3_600 * 5), timeZone: chicago)
        #expect(d.hoursCovered == [21])
    }

    @Test("a place is inside the jurisdiction, near it (within 2 km of the boundary) or outside")
    func placeCheck() async {
        // A square of about 11 km around (39.0, -94.5)
        let square = GeoPolygon(outer: [GeoPoint(latitude: 38.95, longitude: -94.56), GeoPoint(latitude: 38.95, longitude: -94.44),
                                        GeoPoint(latitude: 39.05, longitude: -94.44), GeoPoint(latitude: 39.05, longitude: -94.56)])
        let j = Jurisdiction(name: "square", displayName: "Square", timeZoneIdentifier: "America/Chicago", boundary: GeoMultiPolygon([square]))
        #expect(PlaceCheck.of(GeoPoint(latitude: 39.0, longitude: -94.5), in: j) == .inside)
        // 0.01° of latitude north of the top edge is about 1.1 km
        guard case .near(let m) = PlaceCheck.of(GeoPoint(latitude: 39.06, longitude: -94.5), in: j) else { Issue.record("not near"); return }
        #expect(abs(m - 1_111) < 15)
        guard case .outside(let far) = PlaceCheck.of(GeoPoint(latitude: 39.2, longitude: -94.5), in: j) else { Issue.record("not outside"); return }
        #expect(far > 16_000 && far < 17_000)
    }

    @Test("restricted items are readable by roles that see every zone and by their author only")
    func visibility() async {
        let now = start
        let item = IntelligenceItem(id: "i", createdAt: now, createdBy: "alice", kind: .dispute, summary: "s", locationText: "p", latitude: nil, longitude: nil,
                                    source: .resident, sensitivity: .restricted, expiresAt: now.addingTimeInterval(86_400), status: .open)
        func account(_ name: String, _ role: Role) -> Account { Account(username: name, displayName: name, role: role, passwordHash: "", mustChangePassword: false, createdAt: now) }
        #expect(item.isVisible(to: account("alice", .officer)))
        #expect(!item.isVisible(to: account("bob", .officer)))
        #expect(item.isVisible(to: account("carol", .analyst)) && item.isVisible(to: account("dan", .commander)))
        var normal = item
        normal.sensitivity = .normal
        #expect(normal.isVisible(to: account("bob", .officer)))
        #expect(item.isCurrent(at: now) && !item.isCurrent(at: now.addingTimeInterval(86_400)) && item.isExpired(at: now.addingTimeInterval(86_400)))
    }
}
