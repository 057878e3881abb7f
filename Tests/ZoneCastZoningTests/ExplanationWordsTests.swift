import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
@testable import ZoneCastZoning

/// Issue #15's words in zone explanations: singular counts, no "0 %" near-repeat sentence, harms before "other".
@Suite("Zone explanation words")
struct ExplanationWordsTests {
    let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 10, rows: 10)
    let origin = Date(timeIntervalSince1970: 1_600_000_000)

    func incident(_ id: String, _ c: HarmCategory, daysAgo: Double) -> Incident {
        Incident(id: IncidentID(source: "t", recordID: id), category: c, offence: "", occurredAt: origin.addingTimeInterval(-daysAgo * 86_400),
                 occurredPrecision: .exact, timeZoneIdentifier: "UTC", localDate: LocalDate(year: 2020, month: 1, day: 1),
                 location: GeoPoint(latitude: 1, longitude: 1), position: PlanarPoint(xMeters: 150, yMeters: 150), address: nil, rawRow: id)
    }

    func explain(_ incidents: [Incident], triggeredShare: Double?) -> ZoneExplanation {
        let surface = RiskSurface(grid: grid, window: ForecastWindow(start: origin, hours: 96), values: (0..<100).map { $0 == 11 ? 3 : 1 })
        return ZoneExplanation.explain(zone: Zone(cells: [11], surface: surface), grid: grid, surfaceTotal: surface.total, incidents: incidents,
                                       origin: origin, triggeredShare: triggeredShare, label: "Zone Z1")
    }

    @Test("given 1 violent incident in the last four weeks against 0 before and a triggered share of 0.001, then it says \"1 violent incident\" and no near-repeat sentence")
    func singularAndNoZeroShare() {
        let oneHomicide = [incident("a", .homicide, daysAgo: 3)]
        // 1 against 0 is not "rising" (needs more than one more); 2 against 0 is.
        let rising = explain(oneHomicide + [incident("b", .aggravatedAssault, daysAgo: 5)], triggeredShare: 0.001)
        #expect(rising.text.contains("Violence is rising: 2 violent incidents in the last four weeks against 0"))
        #expect(!rising.text.contains("near-repeat"))
        let easing = explain(oneHomicide + (0..<3).map { incident("p\($0)", .aggravatedAssault, daysAgo: 30 + Double($0)) }, triggeredShare: nil)
        #expect(easing.text.contains("Violence is easing: 1 violent incident in the last four weeks against 3"))
        let someTriggering = explain(oneHomicide, triggeredShare: 0.12)
        #expect(someTriggering.text.contains("12 % of the forecast comes from recent near-repeat triggering"))
    }

    @Test("given more \"other\" incidents than harms, then the last-year sentence names the harms first")
    func harmsLead() throws {
        let incidents = (0..<9).map { incident("o\($0)", .other, daysAgo: 100 + Double($0)) }
            + [incident("h", .homicide, daysAgo: 200), incident("r1", .robbery, daysAgo: 150), incident("r2", .robbery, daysAgo: 160)]
        let text = explain(incidents, triggeredShare: nil).text
        let robbery = try #require(text.range(of: "2 robberies")), homicide = try #require(text.range(of: "1 homicide"))
        let other = try #require(text.range(of: "9 other"))
        #expect(robbery.lowerBound < other.lowerBound && homicide.lowerBound < other.lowerBound)
    }
}
