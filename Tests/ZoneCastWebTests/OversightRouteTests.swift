import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastCore
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastServices
import ZoneCastStore
@testable import ZoneCastWeb
import ZoneCastZoning

@Suite("Oversight page: feedback-loop guard, equity audit, randomised evaluation", .serialized)
struct OversightRouteTests {
    static var store: SQLiteIncidentStore { get async { await storeTask.value } }
    private static let storeTask = Task { try! await WebFixture.store() }

    static func session(_ client: some TestClientProtocol, _ role: Role) async throws -> (token: String, csrf: String) {
        let token = try #require(try await signIn(client, as: role.rawValue).cookieValue("zc_session"))
        let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: "zc_session=\(token)"])
        return (token, try #require(csrfToken(in: home)))
    }

    static func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

    /// Two areas splitting the jurisdiction's bounding box at its middle longitude (names hold markup on purpose).
    static func halves(second: String = "East <b>side</b>", brokenSecond: Bool = false) async throws -> String {
        let box = try await #require(try await store.jurisdiction()?.boundary.boundingBox)
        let midLon = (box.minLongitude + box.maxLongitude) / 2
        func ring(_ lon0: Double, _ lon1: Double) -> String {
            "[[[\(lon0),\(box.minLatitude - 0.01)],[\(lon1),\(box.minLatitude - 0.01)],[\(lon1),\(box.maxLatitude + 0.01)],[\(lon0),\(box.maxLatitude + 0.01)],[\(lon0),\(box.minLatitude - 0.01)]]]"
        }
        let east = brokenSecond ? "[[[\(midLon),\(box.minLatitude)],[\(box.maxLongitude),\(box.minLatitude)]]]" : ring(midLon, box.maxLongitude + 0.01)
        return #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"West"},"geometry":{"type":"Polygon","coordinates":\#(ring(box.minLongitude - 0.01, midLon))}},{"type":"Feature","properties":{"name":"\#(second)"},"geometry":{"type":"Polygon","coordinates":\#(east)}}]}"#
    }

    @Test("given the proposal C1, when an auditor opens /oversight, then the sensitivity of every zone, the feedback simulation and the empty equity and randomised sections show, with no map, cells or zone locations, no upload form, and the view is audited; officers get 403 and anonymous visitors the sign-in page")
    func auditorSeesFiguresOnly() async throws {
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let auditor = try await Self.session(client, .auditor)
            let page = try await client.execute(uri: "/oversight", method: .get, headers: [.cookie: "zc_session=\(auditor.token)"])
            #expect(page.status == .ok)
            let text = page.text
            #expect(text.contains("id=\"sensitivity-table\""))
            let cycle = try await JSONDecoder.zoneCast.decode(ZoneCycle.self, from: try #require(try Self.store.cycle(id: "C1")).document)
            for z in cycle.zones where z.status != .retired { #expect(text.contains("data-zone-id=\"\(z.id)\""), "\(z.id)") }
            #expect(text.contains("id=\"simulation-chart\"") && text.contains("id=\"sim-discovered\""))
            #expect(text.contains("id=\"equity-none\"") && !text.contains("id=\"areas-form\"") && !text.contains("id=\"randomise-form\""))
            // No zone locations for auditors: no map, no cells, no zone layers, no confidential banner needed.
            #expect(!text.contains("id=\"map\"") && !text.contains("data-zone=") && !text.contains("\"cells\"") && !text.contains("class=\"zone "))
            let entries = try await Self.store.latestAuditEntries(limit: 5)
            #expect(entries.contains { $0.actor == "auditor" && $0.subject == "oversight" && $0.detail.contains("sensitivity C1") })

            let officer = try await Self.session(client, .officer)
            #expect(try await client.execute(uri: "/oversight", method: .get, headers: [.cookie: "zc_session=\(officer.token)"]).status == .forbidden)
            let anonymous = try await client.execute(uri: "/oversight", method: .get)
            #expect(anonymous.status == .seeOther && anonymous.headers[.location] == "/login")
            let unknown = try await client.execute(uri: "/oversight?cycle=nope", method: .get, headers: [.cookie: "zc_session=\(auditor.token)"])
            #expect(unknown.status == .badRequest && unknown.text.contains("nope"))
        }
    }

    @Test("given the proposal, when a commander draws a randomised assignment with seed 7, then it is recorded with the seed and matches the pure draw; a second draw is refused (409); once C1 is approved, an analyst's area upload needs the CSRF token, refuses a broken feature by name, and then the equity table shows both areas (escaped) whose zone cell-days add up")
    func randomiseAndEquity() async throws {
        let app = await Application(router: buildRouter(WebFixture.environment(Self.store)))
        try await app.test(.router) { client in
            let commander = try await Self.session(client, .commander)
            let draw = try await client.execute(uri: "/oversight/randomise", method: .post, headers: formHeaders(commander.token),
                                                body: ByteBuffer(string: "csrf=\(commander.csrf)&cycle=C1&treated=1&seed=7"))
            #expect(draw.status == .seeOther)
            let record = try await #require(try Self.store.document(RandomisedAssignmentRecord.self, id: "C1"))
            let cycleRecord = try await #require(try Self.store.cycle(id: "C1"))
            let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: cycleRecord.document)
            let candidates = cycle.zones.filter { $0.status != .retired }.map(\.id)
            #expect(record.assignment == (try RandomisedAssignment.assign(cycleID: "C1", candidates: candidates, treatedCount: 1, seed: 7)))
            #expect(record.recordedBy == "commander" && record.assignment.seed == 7)
            let again = try await client.execute(uri: "/oversight/randomise", method: .post, headers: formHeaders(commander.token),
                                                 body: ByteBuffer(string: "csrf=\(commander.csrf)&cycle=C1&treated=1&seed=8"))
            #expect(again.status == .conflict)

            // Approve C1 as proposed (the store's record), so it has been in force since 2024-06-01T05:00Z.
            var approved = cycleRecord
            approved.status = .approved
            try await Self.store.saveCycle(approved)

            let analyst = try await Self.session(client, .analyst)
            let good = try await Self.halves()
            let noToken = try await client.execute(uri: "/oversight/areas", method: .post, headers: formHeaders(analyst.token),
                                                   body: ByteBuffer(string: "label=Beats&geojson=\(Self.encode(good))"))
            #expect(noToken.status == .forbidden)
            let broken = try await client.execute(uri: "/oversight/areas", method: .post, headers: formHeaders(analyst.token),
                                                  body: ByteBuffer(string: "csrf=\(analyst.csrf)&label=Beats&geojson=\(Self.encode(try Self.halves(second: "East", brokenSecond: true)))"))
            #expect(broken.status == .badRequest && broken.text.contains("feature 2") && broken.text.contains("East") && broken.text.contains("at least 4 positions"))
            #expect(try await Self.store.documents(EquityAreaSet.self).isEmpty)
            let ok = try await client.execute(uri: "/oversight/areas", method: .post, headers: formHeaders(analyst.token),
                                              body: ByteBuffer(string: "csrf=\(analyst.csrf)&label=Halves&geojson=\(Self.encode(good))"))
            #expect(ok.status == .seeOther)

            let page = try await client.execute(uri: "/oversight", method: .get, headers: [.cookie: "zc_session=\(analyst.token)"])
            #expect(page.status == .ok)
            let text = page.text
            #expect(text.contains("data-area=\"West\"") && text.contains("East &lt;b&gt;side&lt;/b&gt;") && !text.contains("East <b>side</b>"))
            if let dump = ProcessInfo.processInfo.environment["ZONECAST_DUMP_OVERSIGHT"] { try text.write(toFile: dump, atomically: true, encoding: .utf8) }
            #expect(text.contains("id=\"areas-form\"") && text.contains("id=\"assignments\"") && text.contains("id=\"randomised-effect\""))

            // The same audit the page shows, from the store: every zone cell-day lies in one half or the other.
            let set = try await #require(try Self.store.documents(EquityAreaSet.self).first)
            let report = try await OversightData.equity(store: Self.store, areas: try set.areas(), areaSetLabel: set.label, now: WebFixture.now)
            let zoneCells = OversightData.approvedZones(cycle).map(\.cells.count).reduce(0, +)
            let days = WebFixture.now.timeIntervalSince(cycleRecord.startsAt) / 86_400
            #expect(report.cycles == 1 && abs(report.audit.totalZoneCellDays - Double(zoneCells) * days) < 1e-6)
            #expect(abs(report.audit.rows.map(\.zoneCellDays).reduce(0, +) - report.audit.totalZoneCellDays) < 1e-6)
            #expect(report.audit.outside.incidents == 0 && report.audit.totalHarm > 0)
        }
    }
}
