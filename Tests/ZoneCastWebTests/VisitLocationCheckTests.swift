import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastZoning
@testable import ZoneCastWeb

/// Issue #15, the officer's optional in-zone check: the server answers inside/outside from the zone's cells, a visit
/// keeps only the in/out flag, and the coordinates only when an admin enabled it (audited).
@Suite("In-zone check on the visit timer", .serialized)
struct VisitLocationCheckTests {
    /// Points (latitude, longitude) at the centre of a cell of C1's Z1 and of a cell outside every zone of C1.
    static func points(_ store: SQLiteIncidentStore) async throws -> (inside: GeoPoint, outside: GeoPoint) {
        let record = try #require(try await store.cycle(id: "C1"))
        let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        let jurisdiction = try #require(try await store.jurisdiction())
        let grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: cycle.provenance.cellSizeMeters)
        let z1 = try #require(cycle.zones.first { $0.id == "Z1" }).zone.cells
        let zoned = Set(cycle.zones.flatMap(\.zone.cells))
        let away = try #require(grid.activeCells.first { !zoned.contains($0) })
        return (jurisdiction.projection.unproject(grid.center(of: z1[z1.count / 2])), jurisdiction.projection.unproject(grid.center(of: away)))
    }

    static func fields(_ p: GeoPoint) -> [(String, String)] { [("latitude", String(p.latitude)), ("longitude", String(p.longitude))] }

    @Test("given Z1 deployed to the officer's unit, when the phone's position is checked, then the server answers inside or outside and stores nothing; bad positions are 400s naming the field, zones not patrolled 404")
    func check() async throws {
        let store = try await FieldFixture.store()
        let (inside, outside) = try await Self.points(store)
        try await Application(router: buildRouter(FieldFixture.environment(store))).test(.router) { client in
            let commander = try await Browser.signedIn(client, as: "commander")
            #expect(try await commander.post(client, "/deployments/C1", [("zone", "Z1"), ("unit", PatrolUnit.traffic.name)]).status == .seeOther)
            let officer = try await Browser.signedIn(client, as: "officer")
            let before = try await store.latestAuditEntries(limit: 1).first?.sequence ?? 0
            // When the position is inside Z1, then "yes"; when it is elsewhere, then "no"
            let yes = try await officer.post(client, "/patrols/check-location", [("zone", "C1/Z1")] + Self.fields(inside))
            #expect(yes.status == .ok && yes.text.contains("\"inZone\":\"yes\"") && yes.text.contains("You are inside zone Z1."))
            let no = try await officer.post(client, "/patrols/check-location", [("zone", "C1/Z1")] + Self.fields(outside))
            #expect(no.status == .ok && no.text.contains("\"inZone\":\"no\""))
            // And nothing was stored or logged
            #expect(try await store.latestAuditEntries(limit: 1).first?.sequence ?? 0 == before)
            #expect(try await store.documents(PatrolVisit.self, group: "C1").isEmpty)
            // Bad input: one coordinate alone, out of range, not a number; a zone the officer does not patrol
            let lone = try await officer.post(client, "/patrols/check-location", [("zone", "C1/Z1"), ("latitude", String(inside.latitude))])
            #expect(lone.status == .badRequest && lone.text.contains("longitude"))
            let far = try await officer.post(client, "/patrols/check-location", [("zone", "C1/Z1"), ("latitude", "95"), ("longitude", "0")])
            #expect(far.status == .badRequest && far.text.contains("latitude &quot;95&quot;"))
            let word = try await officer.post(client, "/patrols/check-location", [("zone", "C1/Z1"), ("latitude", "north"), ("longitude", "0")])
            #expect(word.status == .badRequest && word.text.contains("not a number"))
            let other = try await Browser.signedIn(client, as: "officer2")
            #expect(try await other.post(client, "/patrols/check-location", [("zone", "C1/Z1")] + Self.fields(inside)).status == .notFound)
            // Without the CSRF token it is refused
            #expect(try await officer.post(client, "/patrols/check-location", [("zone", "C1/Z1")] + Self.fields(inside), csrf: false).status == .forbidden)
        }
    }

    @Test("a visit sent with a position keeps only the in/out flag (audited without coordinates); after an admin enables keeping them (audited), the coordinates are kept; a correction without a position keeps the flag")
    func visitFlag() async throws {
        let store = try await FieldFixture.store()
        let (inside, outside) = try await Self.points(store)
        let env = FieldFixture.environment(store)
        let tz = try await env.timeZone()
        @Sendable func local(_ minutesBeforeNow: Double) -> String { localInputValue(WebFixture.now.addingTimeInterval(-minutesBeforeNow * 60), timeZone: tz) }
        try await Application(router: buildRouter(env)).test(.router) { client in
            let commander = try await Browser.signedIn(client, as: "commander")
            #expect(try await commander.post(client, "/deployments/C1", [("zone", "Z1"), ("unit", PatrolUnit.traffic.name)]).status == .seeOther)
            let officer = try await Browser.signedIn(client, as: "officer")
            // Given the default settings, when the timer sends a visit with a position inside Z1
            let first = try await officer.post(client, "/patrols", [("zone", "C1/Z1"), ("start", local(300)), ("end", local(286))] + Self.fields(inside))
            let firstID = try #require(visitID(fromLocation: first.headers[.location] ?? ""), "\(first.status): \(first.text.prefix(300))")
            // Then the visit is in the zone, no coordinates are kept, and the audit entry says so without them
            let stored = try #require(try await store.document(PatrolVisit.self, id: firstID))
            #expect(stored.inZone == true && stored.checkedPosition == nil)
            let entry = try #require(try await store.latestAuditEntries(limit: 20).first { $0.action == AuditAction.logPatrol.rawValue })
            #expect(entry.detail.hasSuffix("min; contacts 0, business checks 0, field interviews 0, minor citations 0, other citations 0, arrests 0; in-zone check: inside"))
            // And a visit without a position has no flag
            let plain = try await officer.post(client, "/patrols", [("zone", "C1/Z1"), ("start", local(280)), ("end", local(270))])
            let plainID = try #require(visitID(fromLocation: plain.headers[.location] ?? ""))
            #expect(try await store.document(PatrolVisit.self, id: plainID)?.inZone == nil)

            // When an admin opens the field settings, then the default (discard) is chosen
            let admin = try await Browser.signedIn(client, as: "admin")
            let settings = try await admin.get(client, "/settings/field")
            #expect(settings.status == .ok && settings.text.contains("value=\"discard\" checked") && settings.text.contains("Never changed"))
            // When they enable keeping coordinates, then it is saved and audited
            #expect(try await admin.post(client, "/settings/field", [("keepVisitCoordinates", "keep")]).status == .seeOther)
            let change = try #require(try await store.latestAuditEntries(limit: 5).first { $0.action == AuditAction.fieldSettings.rawValue })
            #expect(change.actor == "admin" && change.detail.contains("discard coordinates → keep coordinates"))
            #expect(try await admin.get(client, "/settings/field").text.contains("value=\"keep\" checked"))
            #expect(try await admin.post(client, "/settings/field", [("keepVisitCoordinates", "sometimes")]).status == .badRequest)
            // Then a visit sent from outside the zone is flagged outside and keeps its coordinates
            let third = try await officer.post(client, "/patrols", [("zone", "C1/Z1"), ("start", local(260)), ("end", local(250))] + Self.fields(outside))
            let thirdID = try #require(visitID(fromLocation: third.headers[.location] ?? ""))
            let kept = try #require(try await store.document(PatrolVisit.self, id: thirdID))
            #expect(kept.inZone == false && kept.checkedPosition == VisitPosition(latitude: outside.latitude, longitude: outside.longitude))

            // When the first visit is corrected through the form (which sends no position), then its flag stays
            let fixed = try await officer.post(client, "/patrols/\(firstID)", [("zone", "C1/Z1"), ("start", local(300)), ("end", local(284))])
            #expect(fixed.status == .seeOther)
            #expect(try await store.document(PatrolVisit.self, id: firstID)?.inZone == true)
            // And other roles may not change the settings
            #expect(try await officer.post(client, "/settings/field", [("keepVisitCoordinates", "discard")]).status == .forbidden)
        }
    }
}

/// The visit id in a "/officer?logged=ID" redirect.
private func visitID(fromLocation location: String) -> String? {
    let prefix = "/officer?logged="
    return location.hasPrefix(prefix) ? String(location.dropFirst(prefix.count)) : nil
}
