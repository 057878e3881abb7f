import Foundation
import Testing
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastStore

@Suite("zonecast report dosage and enforcement")
struct ReportDosageEnforcementTests {
    @Test("the binary: dosage and the monitor as JSON for the demo's cycle in force, with hand-computed figures; --threshold clears the alert; --notify posts once",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built"))
    func json() async throws {
        let dir = try temporaryDirectory()
        let demo = try runZonecast(["demo", "--no-serve", "--incidents", "5000", "--db", "z.sqlite"], in: dir)
        #expect(demo.status == 0, "demo: \(demo.err)")
        let store = try SQLiteIncidentStore(path: dir.appendingPathComponent("z.sqlite").path)
        let record = try await #require(try store.cycleInForce(at: Date()))
        let cycle = try JSONDecoder.zoneCast.decode(ZoneCycleIDs.self, from: record.document)
        let zone = try #require(cycle.zones.first?.id)
        // Given two visits in the first zone: 12 min an hour in (2 contacts, 1 minor-infraction citation) and 15 min
        // three hours in; and the report taken 30 hours into the cycle
        let start = record.startsAt
        func visit(_ id: String, hours: Double, minutes: Double, _ a: PatrolActivities) throws -> StoreChange {
            let s = start.addingTimeInterval(hours * 3_600)
            return try .save(PatrolVisit(id: id, officer: "officer", unit: .violentCrimesEnforcement, cycleID: record.id, zoneID: zone, startedAt: s,
                                         endedAt: s.addingTimeInterval(minutes * 60), activities: a, notes: "", loggedAt: s))
        }
        try await store.apply([try visit("v1", hours: 1, minutes: 12, PatrolActivities(communityContacts: 2, minorInfractionCitations: 1)),
                         try visit("v2", hours: 3, minutes: 15, PatrolActivities())])
        let at = ISO8601DateFormatter().string(from: start.addingTimeInterval(30 * 3_600))

        let dosage = try runZonecast(["report", "dosage", "--db", "z.sqlite", "--cycle", record.id, "--at", at, "--json"], in: dir)
        #expect(dosage.status == 0, "\(dosage.err)")
        let d = try #require(try zoneObject(dosage.out, zone: zone)?["dosage"] as? [String: Any])
        // Then: 2 visits, 27 minutes, both 10-16 minutes; 1.6 visits a day (2 in 30 h); gaps 1, 1.8 and 26.75 h
        #expect(d["visits"] as? Int == 2 && (d["minutes"] as? Double).map { abs($0 - 27) < 1e-9 } == true && d["recommendedVisits"] as? Int == 2)
        #expect((d["visitsPerDay"] as? Double).map { abs($0 - 1.6) < 1e-9 } == true)
        #expect((d["gapsHours"] as? [Double]).map { zip($0, [1, 1.8, 26.75]).allSatisfy { abs($0 - $1) < 1e-9 } && $0.count == 3 } == true)
        #expect((d["hoursCovered"] as? [Int])?.count == 2 && (d["harmByHour"] as? [Double])?.count == 24)
        let flags = (d["flags"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
        #expect(flags.contains("few-visits") && flags.contains("long-gap"))

        // Laxer thresholds on the command line clear the visit and gap flags (1.6 >= 1 a day, 26.75 h <= 30 h)
        let lax = try runZonecast(["report", "dosage", "--db", "z.sqlite", "--cycle", record.id, "--at", at, "--min-visits-per-day", "1", "--max-gap-hours", "30", "--json"], in: dir)
        let laxFlags = ((try zoneObject(lax.out, zone: zone)?["dosage"] as? [String: Any])?["flags"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }
        #expect(laxFlags.map { !$0.contains("few-visits") && !$0.contains("long-gap") } == true, "\(lax.err)")
        // The monitor: 1 minor-infraction citation in 0.45 h = 2.22 per hour; 1 enforcement action to 2 contacts
        let enforcement = try runZonecast(["report", "enforcement", "--db", "z.sqlite", "--cycle", record.id, "--at", at, "--json"], in: dir)
        #expect(enforcement.status == 0, "\(enforcement.err)")
        let e = try #require(try zoneObject(enforcement.out, zone: zone))
        let overall = try #require(e["overall"] as? [String: Any])
        #expect((overall["minorCitationsPerHour"] as? Double).map { abs($0 - 1 / 0.45) < 1e-9 } == true)
        #expect((overall["enforcementPerContact"] as? Double).map { abs($0 - 0.5) < 1e-9 } == true)
        #expect((e["alerts"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } == ["minor-citations", "enforcement-ratio"])
        let lenient = try runZonecast(["report", "enforcement", "--db", "z.sqlite", "--cycle", record.id, "--at", at, "--threshold", "3", "--ratio", "1", "--json"], in: dir)
        #expect((try zoneObject(lenient.out, zone: zone)?["alerts"] as? [Any])?.isEmpty == true)
        let bad = try runZonecast(["report", "enforcement", "--db", "z.sqlite", "--threshold", "often"], in: dir)
        #expect(bad.status == 64 && bad.err.contains("--threshold") && bad.err.contains("often"))

        // --notify posts the commanders' notice once for the zone and day
        let first = try runZonecast(["report", "enforcement", "--db", "z.sqlite", "--cycle", record.id, "--at", at, "--notify"], in: dir)
        #expect(first.status == 0 && first.out.contains("Posted 1 notice(s) to commanders"), "\(first.out) \(first.err)")
        let second = try runZonecast(["report", "enforcement", "--db", "z.sqlite", "--cycle", record.id, "--at", at, "--notify"], in: dir)
        #expect(second.out.contains("No new notice posted."))
        #expect(try await store.documents(Notice.self, group: Role.commander.rawValue).filter { $0.id.hasPrefix("notice-enforcement-\(record.id)-\(zone)-") }.count == 1)

        // Plain text names the flags and alerts
        let text = try runZonecast(["report", "dosage", "--db", "z.sqlite", "--cycle", record.id, "--at", at], in: dir)
        #expect(text.status == 0 && text.out.contains("Flagged for little patrol") && text.out.contains(zone))
    }

    func zoneObject(_ json: String, zone: String) throws -> [String: Any]? {
        let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return (root?["zones"] as? [[String: Any]])?.first { $0["zoneID"] as? String == zone }
    }
}

/// Just the zone ids of a stored cycle document.
private struct ZoneCycleIDs: Decodable {
    struct Z: Decodable { var id: String }
    var zones: [Z]
}
