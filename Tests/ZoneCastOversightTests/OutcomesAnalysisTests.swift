import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
@testable import ZoneCastOversight

/// A 10 × 10 grid of 100 m cells from (0, 0), every cell active; cell i is column i % 10, row i / 10.
@Suite("Outcomes: treated periods, buffers, matched comparison places, before/during counts")
struct OutcomesAnalysisTests {
    let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 10, rows: 10)
    let t0 = ISO8601DateFormatter().date(from: "2024-06-01T00:00:00Z")!
    let day = 86_400.0

    /// Zone cells 22 and 23 hold 5 each (forecast 10). Elsewhere, horizontal pairs: 55+56 = 10 and 56+57 = 10 (they
    /// overlap), 95+96 = 10, 77+78 = 10.5, 70+71 = 9.
    var forecast: [Double] {
        var v = Array(repeating: 0.0, count: 100)
        for c in [22, 23, 55, 56, 57, 95, 96, 77] { v[c] = 5 }
        v[78] = 5.5
        v[70] = 4.5; v[71] = 4.5
        return v
    }

    func incident(_ id: String, _ category: HarmCategory, cell: Int, at: Date, policeInitiated: Bool = false) -> Incident {
        let p = grid.center(of: cell)
        return Incident(id: IncidentID(source: "t", recordID: id), category: category, offence: category.displayName, occurredAt: at, occurredPrecision: .exact,
                        timeZoneIdentifier: "UTC", localDate: LocalDate(year: 2024, month: 6, day: 1), location: GeoPoint(latitude: 0, longitude: 0),
                        position: p, policeInitiated: policeInitiated, rawRow: id)
    }

    @Test("buffer ring by cell centre: 100 m is the 8-neighbourhood, 200 m two rings less the far corners")
    func bufferRing() async {
        // Given the zone {22, 23} (columns 2-3, row 2)
        // When 100 m: centres within 100 m of the zone's squares: columns 1-4, rows 1-3, less the zone = 10 cells
        let r100 = ComparisonPlaces.bufferRing(of: [22, 23], grid: grid, widthMeters: 100)
        #expect(r100 == [11, 12, 13, 14, 21, 24, 31, 32, 33, 34])
        // When 200 m: columns 0-5, rows 0-4 (30 cells) less the zone (2) less the four corners 150 m off in both
        // directions (√(150² + 150²) = 212 m > 200 m): 24 cells
        let r200 = ComparisonPlaces.bufferRing(of: [22, 23], grid: grid, widthMeters: 200)
        #expect(r200.count == 24)
        #expect(!r200.contains(0) && !r200.contains(5) && !r200.contains(40) && !r200.contains(45))
        #expect(r200.contains(1) && r200.contains(20) && r200.contains(44))
    }

    @Test("matching takes the nearest forecasts, ties by position, never overlapping")
    func matching() async {
        let excluded = Set([22, 23] + ComparisonPlaces.bufferRing(of: [22, 23], grid: grid, widthMeters: 100))
        // Given the zone's forecast 10: 55-56 (10, first cell 55) and 56-57 (10, 56) and 95-96 (10, 95) tie at 0;
        // 56-57 overlaps 55-56 and is skipped; then 77-78 (10.5), then 70-71 (9)
        let picks = ComparisonPlaces.match(zone: [22, 23], forecast: forecast, grid: grid, excluded: excluded, count: 4)
        #expect(picks.map(\.cells) == [[55, 56], [95, 96], [77, 78], [70, 71]])
        #expect(picks.map(\.forecast) == [10, 10, 10.5, 9])
        #expect(picks[0].shiftColumns == 3 && picks[0].shiftRows == 3)
        // Given 55 excluded: 56-57 is now first
        let again = ComparisonPlaces.match(zone: [22, 23], forecast: forecast, grid: grid, excluded: excluded.union([55]), count: 2)
        #expect(again.map(\.cells) == [[56, 57], [95, 96]])
        // The same inputs always give the same places
        #expect(ComparisonPlaces.match(zone: [22, 23], forecast: forecast, grid: grid, excluded: excluded, count: 4) == picks)
    }

    @Test("one cycle: hand-placed incidents counted before and during, DiD and WDQ from them")
    func oneCycle() async throws {
        // Given cycle C1 in force [t0, t0 + 4 d) with zone Z1 = {22, 23}; now t0 + 10 d; before = [t0 − 4 d, t0)
        let cycle = OutcomeCycle(id: "C1", startsAt: t0, endsAt: t0.addingTimeInterval(4 * day), zones: [.init(id: "Z1", cells: [22, 23])], forecast: forecast)
        let before = t0.addingTimeInterval(-1 * day), during = t0.addingTimeInterval(1 * day)
        let incidents = [
            // zone, before: 3 aggravated assaults, 1 homicide (violent 4), 1 robbery (harm only), 1 police-initiated (ignored)
            incident("z1", .aggravatedAssault, cell: 22, at: before), incident("z2", .aggravatedAssault, cell: 23, at: before),
            incident("z3", .aggravatedAssault, cell: 22, at: before), incident("z4", .homicide, cell: 23, at: before),
            incident("z5", .robbery, cell: 22, at: before), incident("z6", .other, cell: 22, at: before, policeInitiated: true),
            // zone, during: 1 aggravated assault, 1 robbery
            incident("z7", .aggravatedAssault, cell: 22, at: during), incident("z8", .robbery, cell: 23, at: during),
            // zone, outside both periods: ignored
            incident("z9", .homicide, cell: 22, at: t0.addingTimeInterval(-5 * day)), incident("z10", .homicide, cell: 22, at: t0.addingTimeInterval(4 * day + 3_600)),
            // buffer (cell 11): 1 before, 2 during
            incident("b1", .aggravatedAssault, cell: 11, at: before), incident("b2", .aggravatedAssault, cell: 34, at: during),
            incident("b3", .nonFatalShooting, cell: 24, at: during),
            // comparison 55-56: 2 before, 2 during; 95-96: 1 homicide before; 77-78 nothing
            incident("c1", .aggravatedAssault, cell: 55, at: before), incident("c2", .aggravatedAssault, cell: 56, at: before),
            incident("c3", .aggravatedAssault, cell: 55, at: during), incident("c4", .aggravatedAssault, cell: 56, at: during),
            incident("c5", .homicide, cell: 96, at: before),
            // elsewhere: ignored
            incident("e1", .homicide, cell: 0, at: during),
        ]
        let settings = try OutcomeSettings(bufferMeters: 100, comparisonsPerZone: 3, minimumEvents: 1)
        let report = try Outcomes.analyse(grid: grid, cycles: [cycle], incidents: incidents, now: t0.addingTimeInterval(10 * day), settings: settings)

        #expect(report.places.count == 1)
        let p = report.places[0]
        #expect(p.id == "C1/Z1" && p.cycleZones == ["C1/Z1"])
        #expect(p.beforeStart == t0.addingTimeInterval(-4 * day) && p.end == t0.addingTimeInterval(4 * day))
        #expect(p.comparisonPlaces.map(\.cells) == [[55, 56], [95, 96], [77, 78]])
        #expect(p.forecast == 10 && abs(p.comparisonForecastMean - 30.5 / 3) < 1e-12)
        #expect(report.policeInitiatedExcluded == 1)
        let e = p.estimates
        // Then zone: violent 4 → 1; harm 3·547 + 5475 + 1460 = 8576 → 547 + 1460 = 2007
        #expect(e.zone.violentBefore == 4 && e.zone.violentDuring == 1)
        #expect(abs(e.zone.harmBefore - 8_576) < 1e-9 && abs(e.zone.harmDuring - 2_007) < 1e-9)
        #expect(e.buffer.violentBefore == 1 && e.buffer.violentDuring == 2)
        #expect(e.comparison.violentBefore == 3 && e.comparison.violentDuring == 2)
        #expect(abs(e.comparison.harmBefore - (2 * 547 + 5_475)) < 1e-9)
        // Zone alone: 1/4; against comparison: (1/4)/(2/3) = 0.375 with var(ln) = 1/4 + 1 + 1/3 + 1/2
        #expect(abs(try #require(e.violentBeforeDuring.ratio) - 0.25) < 1e-12)
        #expect(abs(try #require(e.violentVersusComparison.ratio) - 0.375) < 1e-12)
        let half = 1.959963984540054 * (0.25 + 1 + 1.0 / 3 + 0.5).squareRoot()
        #expect(abs(try #require(e.violentVersusComparison.upper) - 0.375 * exp(half)) < 1e-6)
        // WDQ: R 4 → 1, D 1 → 2, C 3 → 2: S = 1/2 − 4/3 = −5/6, Bm = 2/2 − 1/3 = 2/3, WDQ = −0.8; TNE = (8/3 − 1) + (2/3 − 2) = 1/3
        #expect(abs(try #require(e.violentWDQ.quotient) - (-0.8)) < 1e-12)
        #expect(e.violentWDQ.reading == .displacementSmallerThanGain)
        #expect(abs(try #require(e.violentWDQ.totalNetEffect) - 1.0 / 3) < 1e-12)
        // Cumulative equals the single place
        #expect(report.cumulative == e)
        #expect(abs(report.treatedDays - 4) < 1e-12)

        // With the default minimum of 10 incidents the zone's 5 violent incidents are too few to say
        let strict = try Outcomes.analyse(grid: grid, cycles: [cycle], incidents: incidents, now: t0.addingTimeInterval(10 * day), settings: OutcomeSettings(bufferMeters: 100))
        #expect(strict.places[0].estimates.violentVersusComparison.status == .tooFew)
        #expect(strict.places[0].estimates.violentVersusComparison.text == "too few incidents to say")
        // and so is the WDQ read from them (the quotient is still there for the record)
        #expect(!strict.places[0].estimates.violentWDQMeasurable && e.violentWDQMeasurable)
    }

    @Test("a zone kept with the same cells is one continuous period; supersession and now cut periods; future cycles did not run")
    func periods() async throws {
        // Given C1 [t0, t0+4d) and C2 [t0+4d, t0+8d) both with {22, 23}; C2 also {66}; C3 starts t0+7d (after now)
        let c1 = OutcomeCycle(id: "C1", startsAt: t0, endsAt: t0.addingTimeInterval(4 * day), zones: [.init(id: "Z1", cells: [23, 22])], forecast: forecast)
        let c2 = OutcomeCycle(id: "C2", startsAt: t0.addingTimeInterval(4 * day), endsAt: t0.addingTimeInterval(8 * day),
                              zones: [.init(id: "Z1", cells: [22, 23]), .init(id: "Z2", cells: [66])], forecast: forecast)
        let c3 = OutcomeCycle(id: "C3", startsAt: t0.addingTimeInterval(7 * day), endsAt: t0.addingTimeInterval(11 * day), zones: [.init(id: "Z1", cells: [22, 23])], forecast: forecast)
        let now = t0.addingTimeInterval(6 * day)
        let report = try Outcomes.analyse(grid: grid, cycles: [c3, c2, c1], incidents: [], now: now, settings: OutcomeSettings(bufferMeters: 100))
        // Then C1/Z1 runs on through C2 until now: 6 days, before = [t0 − 6d, t0)
        #expect(report.places.map(\.id) == ["C1/Z1", "C2/Z2"])
        #expect(report.places[0].cycleZones == ["C1/Z1", "C2/Z1"])
        #expect(abs(report.places[0].days - 6) < 1e-9)
        #expect(report.places[0].beforeStart == t0.addingTimeInterval(-6 * day))
        // C2/Z2 runs 2 days; its before period [t0+2d, t0+4d) was not patrolled there
        #expect(abs(report.places[1].days - 2) < 1e-9 && report.places[1].cellsTreatedBefore == 0)
        #expect(report.cyclesNotRun == ["C3"])
        // Comparison places of the two zones never overlap each other or any zone or buffer
        let used = report.places.flatMap { $0.comparisonPlaces.flatMap(\.cells) }
        #expect(Set(used).count == used.count)
        #expect(Set(used).isDisjoint(with: [22, 23, 66] + ComparisonPlaces.bufferRing(of: [22, 23], grid: grid, widthMeters: 100)))
        // Superseded: when C3 starts before C2's end, C2 ends at C3's start
        let later = try Outcomes.analyse(grid: grid, cycles: [c1, c2, c3], incidents: [], now: t0.addingTimeInterval(20 * day), settings: OutcomeSettings(bufferMeters: 100))
        #expect(later.places.first { $0.id == "C2/Z2" }.map { abs($0.days - 3) < 1e-9 } == true)
        #expect(later.places[0].cycleZones == ["C1/Z1", "C2/Z1", "C3/Z1"] && abs(later.places[0].days - 11) < 1e-9)
    }

    @Test("settings are validated, naming the field")
    func settings() async {
        #expect(throws: OutcomesError.self) { try OutcomeSettings(bufferMeters: 50) }
        do { _ = try OutcomeSettings(bufferMeters: 2_500) } catch { #expect(error.field == "buffer" && error.description.contains("2500")) }
        #expect((try? OutcomeSettings(bufferMeters: 2_000)) != nil)
    }
}
