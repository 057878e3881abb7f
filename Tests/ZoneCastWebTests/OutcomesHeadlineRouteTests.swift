import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing
import ZoneCastCore
import ZoneCastHTML
import ZoneCastOversight
import ZoneCastPlanning
import ZoneCastServices
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

/// Issue #15, outcomes headlines: counts and intervals lead, an effect is shown only when its interval is
/// informative (`OutcomeHeadline`), and places are named by zone label and cycle date rather than by cycle id.
@Suite("Outcomes headlines and place names", .serialized)
struct OutcomesHeadlineRouteTests {
    @Test("given 4 violent incidents during against 8 before, the cell gives the interval and 'too uncertain to say', not a bold -50 %; given 400 against 600, the interval comes first and then the bold effect")
    func cells() {
        // Given few incidents: an estimate exists but its interval spans far more than a factor of 4
        let few = OutcomeStatistics.poissonRateRatio(during: 4, before: 8)
        let vague = OutcomesView.change(few).rendered
        #expect(few.status == .estimated && !Oversight.headline(during: 4, before: 8, estimate: few).informative)
        #expect(vague.hasPrefix("95 % CI ") && vague.contains("too uncertain to say") && !vague.contains("<strong>") && !vague.contains("−50 %:"))
        // Given many: the interval, then the effect in bold
        let many = OutcomeStatistics.poissonRateRatio(during: 400, before: 600)
        let clear = OutcomesView.change(many).rendered
        #expect(Oversight.headline(during: 400, before: 600, estimate: many).informative)
        let interval = clear.range(of: "95 % CI "), effect = clear.range(of: "<strong>\(Oversight.percent(400.0 / 600))</strong>")
        #expect(interval != nil && effect != nil && interval!.lowerBound < effect!.lowerBound, "\(clear)")
        // Given too few for any interval, it says so
        #expect(OutcomesView.change(OutcomeStatistics.poissonRateRatio(during: 2, before: 3)).rendered.contains("too few incidents to say"))
    }

    @Test("the outcomes page leads its headline card with the counts and interval, shows the effect large only when informative, and names places by zone and cycle date")
    func page() async throws {
        let store = try await ApprovedFixture.store()
        let env = WebFixture.environment(store)
        let tz = try await env.timeZone()
        let report = try await OutcomesData.report(store: store, now: WebFixture.now, bufferMeters: 400).report
        let c = report.cumulative
        let headline = Oversight.headline(during: c.zone.violentDuring, before: c.zone.violentBefore, estimate: c.violentVersusComparison)
        let record = try #require(try await store.cycle(id: "C1"))
        let name = "Z1, cycle from \(PlainWords.dateTime(record.startsAt, timeZone: tz, now: report.generatedAt))"
        try await Application(router: buildRouter(env)).test(.router) { client in
            // When an auditor opens the outcomes (figures without the map)
            let auditor = try await TestSession.start(client, as: "auditor")
            let text = try await client.execute(uri: "/outcomes", method: .get, headers: auditor.headers).text
            // Then the headline card gives the counts and interval before the figure, large only when informative
            let card = try #require(text.components(separatedBy: "id=\"outcomes-headline\"").dropFirst().first?.components(separatedBy: "places</div>").first)
            #expect(card.contains("data-informative=\"\(headline.informative ? "yes" : "no")\""))
            let detail = try #require(card.range(of: HTML(text: headline.detail).rendered))
            let figure = try #require(card.range(of: HTML(text: headline.headline).rendered))
            #expect(detail.lowerBound < figure.lowerBound)
            #expect(card.contains("<div class=\"n\">") == headline.informative)
            // And places are named by zone label and cycle date, in the table and the chart, never by the bare id
            #expect(text.contains("data-place=\"C1/Z1\"") && text.contains(HTML(text: name).rendered))
            #expect(text.components(separatedBy: HTML(text: name).rendered).count - 1 >= 2)
            #expect(!text.contains(">C1/Z1<") && !text.contains(">C1/Z1,"))
        }
    }
}
