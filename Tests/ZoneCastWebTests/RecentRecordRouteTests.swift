import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastCore
import ZoneCastEvaluation
import ZoneCastHTML
import ZoneCastPlanning
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastZoning
@testable import ZoneCastWeb

/// Issue #15, words and numbers: the proposal page and the dashboard's proposal card say how the proposal's model
/// did at its zones' area over the windows before the cycle, beside naive.
@Suite("How the proposal's model did at its zones' area", .serialized)
struct RecentRecordRouteTests {
    static func get(_ client: some TestClientProtocol, _ uri: String, as user: String) async throws -> TestResponse {
        let s = try #require(try await signIn(client, as: user).cookieValue("zc_session"))
        return try await client.execute(uri: uri, method: .get, headers: [.cookie: "zc_session=\(s)"])
    }

    @Test("given proposal C1, when the analyst opens its page, then first it is being worked out, and once worked out both pages say how its model did")
    func pagesShowTheRecord() async throws {
        let store = try await WebFixture.store()
        let env = WebFixture.environment(store)
        let record = try #require(try await store.cycle(id: "C1"))
        let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        let jurisdiction = try #require(try await store.jurisdiction())
        let grid = await env.surfaces.grid(for: jurisdiction, cellSizeMeters: cycle.provenance.cellSizeMeters)
        // The record the pages should show, computed outside the web layer's cache.
        let expected = try await RecentRecordCache.compute(cycle, store: store, grid: grid)
        #expect(expected.windows == 8 && expected.cells == Set(cycle.zones.flatMap(\.zone.cells)).count)
        #expect(expected.incidents > 0 && expected.model.hits <= expected.incidents && expected.naive.hits <= expected.incidents)
        let sentence = RecentRecordText.html(.success(expected), model: cycle.provenance.modelShown).rendered

        try await Application(router: buildRouter(env)).test(.router) { client in
            // The first view starts the work and does not wait for it.
            let first = try await Self.get(client, "/proposals/C1", as: "analyst")
            #expect(first.status == .ok && first.text.contains("over the last 8 windows before this cycle is being worked out"))
            #expect(!first.text.contains(sentence))
            let cached = await env.recentRecords.record(of: cycle, store: store, grid: grid)
            #expect(try cached.get() == expected)
            let proposal = try await Self.get(client, "/proposals/C1", as: "analyst")
            #expect(proposal.status == .ok)
            #expect(proposal.text.contains("<p id=\"recent-record\">\(sentence)</p>"), "\(sentence)")
            #expect(proposal.text.contains("Over the last 8 windows of 96 h before this cycle"))
            let dashboard = try await Self.get(client, "/", as: "analyst")
            #expect(dashboard.status == .ok)
            #expect(dashboard.text.contains("id=\"proposal-record\">\(sentence)</div>"))
            // An officer sees no proposal, so no record.
            let officer = try await Self.get(client, "/", as: "officer")
            #expect(officer.status == .ok && !officer.text.contains("recent-record"))
        }
    }

    static func record(incidents: Int, modelHits: Int, naiveHits: Int) -> RecentBudgetRecord {
        let share = 2.0 / 2_000
        func score(_ hits: Int) -> RecentBudgetRecord.Score {
            let rate = incidents > 0 ? Double(hits) / Double(incidents) : nil
            return RecentBudgetRecord.Score(hits: hits, hitRate: rate, pai: rate.map { $0 / share })
        }
        return RecentBudgetRecord(windows: 8, windowHours: 96, cells: 2, activeCells: 2_000, incidents: incidents, model: score(modelHits),
                                  naive: score(naiveHits))
    }

    @Test("given 100 incidents of which the model held 14 and naive 11, when put in words, then the sentence gives both as whole percentages with the area")
    func words() {
        let text = RecentRecordText.html(.success(Self.record(incidents: 100, modelHits: 14, naiveHits: 11)), model: "kde").rendered
        #expect(text.contains("Over the last 8 windows of 96 h before this cycle, the zones' area (0.10 % of the city, 2 cells)"), "\(text)")
        #expect(text.contains("held 14 % of 100 harm incidents with this model (kde, PAI 140.0)"), "\(text)")
        #expect(text.contains("counting last year's incidents held 11 %, PAI 110.0."), "\(text)")
    }

    @Test("given 19 incidents, or a model that failed, when put in words, then it says too few incidents to say, or that it could not be worked out")
    func tooFewOrFailed() {
        let pending = RecentRecordText.html(nil, model: "kde").rendered
        #expect(pending.contains("is being worked out") && !pending.contains("held"), "\(pending)")
        let few = RecentRecordText.html(.success(Self.record(incidents: 19, modelHits: 5, naiveHits: 1)), model: "kde").rendered
        #expect(few.contains("saw 19 harm incidents in all: too few incidents to say") && !few.contains("held"), "\(few)")
        let failed = RecentRecordText.html(.failure(EvaluationError.noTargets), model: "kde").rendered
        #expect(failed.contains("could not be worked out") && failed.contains("target"), "\(failed)")
    }
}
