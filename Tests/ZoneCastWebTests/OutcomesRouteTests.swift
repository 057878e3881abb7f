import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastServices
import ZoneCastStore
@testable import ZoneCastWeb
import ZoneCastOperations
import ZoneCastZoning
import ZoneCastOversight

@Suite("Outcomes page", .serialized)
struct OutcomesRouteTests {
    static var approved: SQLiteIncidentStore { get async { await approvedTask.value } }
    private static let approvedTask = Task { try! await ApprovedFixture.store() }
    static var proposedOnly: SQLiteIncidentStore { get async { await proposedOnlyTask.value } }
    private static let proposedOnlyTask = Task { try! await WebFixture.store() }

    @Test("an analyst sees the figures, the chart and the map of zones, buffers and comparison places; the view is audited")
    func analystSeesMap() async throws {
        let env = await WebFixture.environment(Self.approved)
        try await Application(router: buildRouter(env)).test(.router) { client in
            let session = try await TestSession.start(client, as: "analyst")
            let page = try await client.execute(uri: "/outcomes", method: .get, headers: session.headers)
            #expect(page.status == .ok)
            let text = page.text
            for id in ["outcomes-cards", "outcomes-counts", "outcomes-estimates", "outcomes-chart", "outcomes-places", "outcomes-map", "outcomes-method"] {
                #expect(text.contains("id=\"\(id)\""), "missing \(id)")
            }
            #expect(text.contains("CONFIDENTIAL"))
            #expect(text.contains("data-place=\"C1/Z1\""))
            #expect(text.contains("data-layer=\"area-buffers\"") && text.contains("data-layer=\"area-comparisons\"") && text.contains("data-part=\"C1/Z1\""))
            #expect(text.contains("data-legend=\"area-buffers\"") && text.contains("data-legend=\"area-comparisons\""))
            #expect(text.contains("value=\"400\""))
            let entry = try await #require(try Self.approved.latestAuditEntries(limit: 5).first { $0.action == "view-zones" && $0.subject == "outcomes" })
            #expect(entry.actor == "analyst" && entry.detail.contains("buffer 400 m"))
        }
    }

    @Test("the page shows the same figures as the shared analysis, and they match a direct count of the store")
    func figuresMatchStore() async throws {
        let store = await Self.approved
        let result = try await OutcomesData.report(store: store, now: WebFixture.now, bufferMeters: 400)
        let place = try #require(result.report.places.first { $0.id == "C1/Z1" })
        // Given C1 in force from its start to now (31 h): the before period is the 31 h before its start
        let record = try await #require(try store.cycle(id: "C1"))
        let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        #expect(place.start == cycle.startsAt && place.end == WebFixture.now)
        #expect(abs(place.start.timeIntervalSince(place.beforeStart) - WebFixture.now.timeIntervalSince(cycle.startsAt)) < 1e-6)
        // Then the violent incidents inside Z1 in each period, counted straight from the store, agree
        let jurisdiction = try await #require(try store.jurisdiction())
        let grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: cycle.provenance.cellSizeMeters)
        let z1 = Set(try #require(cycle.zones.first { $0.id == "Z1" }).zone.cells)
        #expect(Set(place.cells) == z1)
        func count(_ from: Date, _ to: Date) async throws -> Int {
            try await store.incidents(IncidentQuery(occurredFrom: from, occurredBefore: to, categories: HarmCategory.violent, includePoliceInitiated: false))
                .filter { grid.cell(containing: $0.position).map(z1.contains) ?? false }.count
        }
        await #expect(place.estimates.zone.violentBefore == (try count(place.beforeStart, place.start)))
        await #expect(place.estimates.zone.violentDuring == (try count(place.start, place.end)))
        // Buffers and comparison places never touch a zone
        let zoneCells = Set(cycle.zones.flatMap(\.zone.cells))
        #expect(Set(place.bufferCells).isDisjoint(with: zoneCells))
        #expect(place.comparisonPlaces.count == 3 && place.comparisonPlaces.allSatisfy { Set($0.cells).isDisjoint(with: zoneCells) && $0.cells.count == z1.count })

        let env = WebFixture.environment(store)
        try await Application(router: buildRouter(env)).test(.router) { client in
            let session = try await TestSession.start(client, as: "commander")
            let text = try await client.execute(uri: "/outcomes", method: .get, headers: session.headers).text
            let c = result.report.cumulative
            #expect(text.contains("<tr><td class=\"l\">zones</td><td>\(c.zone.violentBefore)</td><td>\(c.zone.violentDuring)</td>"))
            #expect(text.contains("<tr><td class=\"l\">comparison places</td><td>\(c.comparison.violentBefore)</td><td>\(c.comparison.violentDuring)</td>"))
        }
    }

    @Test("an auditor sees figures and zone ids but no map and no cells; an officer is refused")
    func auditorAndOfficer() async throws {
        let env = await WebFixture.environment(Self.approved)
        try await Application(router: buildRouter(env)).test(.router) { client in
            let auditor = try await TestSession.start(client, as: "auditor")
            let before = try await Self.approved.latestAuditEntries(limit: 1).first?.sequence ?? 0
            let page = try await client.execute(uri: "/outcomes", method: .get, headers: auditor.headers)
            #expect(page.status == .ok)
            let text = page.text
            #expect(text.contains("id=\"outcomes-places\"") && text.contains("data-place=\"C1/Z1\"") && text.contains("id=\"outcomes-chart\""))
            #expect(text.contains("id=\"no-map\""))
            #expect(!text.contains("outcomes-map") && !text.contains("area-buffers") && !text.contains("data-part=") && !text.contains("class=\"zc-map\"")
                    && !text.contains("CONFIDENTIAL"))
            // No cell squares anywhere (cells are drawn as "M x yh s v s h -s z" paths)
            #expect(!text.contains("<path d=\"M"))
            let logged = try await Self.approved.latestAuditEntries(limit: 5).filter { $0.sequence > before }
            #expect(!logged.contains { $0.action == "view-zones" })
            #expect(logged.contains { $0.action == "view-oversight" && $0.actor == "auditor" && $0.subject == "outcomes" })

            let officer = try await TestSession.start(client, as: "officer")
            #expect(try await client.execute(uri: "/outcomes", method: .get, headers: officer.headers).status == .forbidden)
        }
    }

    @Test("the buffer width is validated (100-2000 m) and used")
    func bufferWidth() async throws {
        let env = await WebFixture.environment(Self.approved)
        try await Application(router: buildRouter(env)).test(.router) { client in
            let session = try await TestSession.start(client, as: "analyst")
            for bad in ["50", "2500", "abc", "nan"] {
                let r = try await client.execute(uri: "/outcomes?buffer=\(bad)", method: .get, headers: session.headers)
                #expect(r.status == .badRequest, "buffer=\(bad)")
                #expect(r.text.contains("between 100 and 2000"))
            }
            let wide = try await client.execute(uri: "/outcomes?buffer=800", method: .get, headers: session.headers)
            #expect(wide.status == .ok && wide.text.contains("value=\"800\"") && wide.text.contains("Buffer ring: 800 m"))
            let narrow = try await OutcomesData.report(store: Self.approved, now: WebFixture.now, bufferMeters: 400).report.places[0].bufferCells.count
            let broad = try await OutcomesData.report(store: Self.approved, now: WebFixture.now, bufferMeters: 800).report.places[0].bufferCells.count
            #expect(broad > narrow)
        }
    }

    @Test("before any approval there is nothing to measure, said plainly")
    func nothingYet() async throws {
        let env = await WebFixture.environment(Self.proposedOnly)
        try await Application(router: buildRouter(env)).test(.router) { client in
            let session = try await TestSession.start(client, as: "analyst")
            let page = try await client.execute(uri: "/outcomes", method: .get, headers: session.headers)
            #expect(page.status == .ok && page.text.contains("id=\"outcomes-empty\"") && !page.text.contains("outcomes-map"))
        }
    }
}
