import Foundation
import Testing
import ZoneCastAccess
import ZoneCastCore
import ZoneCastOperations
@testable import ZoneCastOversight

@Suite("Dosage: hours covered, harm-hour coverage, gaps and low-patrol flags")
struct DosageReportTests {
    let start = ISO8601DateFormatter().date(from: "2024-06-01T00:00:00Z")!
    let utc = TimeZone(identifier: "UTC")!

    func visit(_ id: String, from minutes: Double, lasting length: Double, zone: String = "Z1") -> PatrolVisit {
        let s = start.addingTimeInterval(minutes * 60)
        return PatrolVisit(id: id, officer: "o", unit: .traffic, cycleID: "C1", zoneID: zone, startedAt: s, endedAt: s.addingTimeInterval(length * 60),
                           activities: PatrolActivities(communityContacts: 1), notes: "", loggedAt: s)
    }

    func incident(_ category: HarmCategory, at iso: String, precision: TimePrecision = .exact) -> Incident {
        Incident(id: IncidentID(source: "t", recordID: iso + category.rawValue), category: category, offence: "x", occurredAt: ISO8601DateFormatter().date(from: iso)!,
                 occurredPrecision: precision, timeZoneIdentifier: "UTC", localDate: LocalDate(year: 2024, month: 1, day: 1),
                 location: GeoPoint(latitude: 0, longitude: 0), position: PlanarPoint(xMeters: 0, yMeters: 0), rawRow: "")
    }

    @Test("harm by hour weighs each incident by its category's harm days and leaves out incidents known only to the day")
    func harmProfile() async {
        // Given a homicide at 02:40, a robbery at 22:30, an aggravated assault at 23:10, an 'other' at 14:00 and a
        // homicide known only to the day
        let incidents = [incident(.homicide, at: "2024-03-02T02:40:00Z"), incident(.robbery, at: "2024-04-05T22:30:00Z"),
                         incident(.aggravatedAssault, at: "2024-02-01T23:10:00Z"), incident(.other, at: "2024-05-01T14:00:00Z"),
                         incident(.homicide, at: "2024-05-03T12:00:00Z", precision: .day)]
        // When profiled with the Cambridge weights (homicide 5475, robbery 1460, aggravated assault 547, other 1)
        let h = Oversight.harmByHour(incidents, weights: .cambridgeDefaults, timeZone: utc)
        // Then each hour holds its incidents' days and noon holds nothing
        #expect(h.count == 24 && h[2] == 5475 && h[22] == 1460 && h[23] == 547 && h[14] == 1 && h[12] == 0)
        let harmTotal: Double = h.reduce(0, +)
        #expect(abs(harmTotal - 7483) < 1e-9)
    }

    @Test("presence minutes are split over the clock hours a visit overlaps")
    func presence() async {
        let m = Oversight.presenceMinutesByHour([visit("b", from: 350, lasting: 30), visit("a", from: 120, lasting: 12)], timeZone: utc)
        #expect(abs(m[5] - 10) < 1e-9 && abs(m[6] - 20) < 1e-9 && abs(m[2] - 12) < 1e-9 && abs(m.reduce(0, +) - 42) < 1e-9)
    }

    @Test("a hand-computed zone: gaps and their percentiles, hours covered, coverage of harm hours, top uncovered hours, flags")
    func handComputed() async {
        // Given visits at 02:00 (12 min), 05:50 (30 min) and 22:00 (15 min) on the first day, now 48 h into a 72 h cycle
        let visits = [visit("c", from: 1_320, lasting: 15), visit("a", from: 120, lasting: 12), visit("b", from: 350, lasting: 30)]
        var harm = Array(repeating: 0.0, count: 24)
        harm[2] = 5475; harm[22] = 1460; harm[23] = 547; harm[14] = 1
        // When the dosage is computed with the default thresholds
        let d = Oversight.dosage(zoneID: "Z1", visits: visits, cycleStart: start, cycleEnd: start.addingTimeInterval(72 * 3_600),
                                 now: start.addingTimeInterval(48 * 3_600), timeZone: utc, harmByHour: harm)
        // Then: gaps 2, (350-132)/60, (1320-380)/60 and 48-22.25 hours
        let gaps = [2.0, 218.0 / 60, 940.0 / 60, 25.75]
        #expect(d.gapsHours.count == 4)
        for (a, b) in zip(d.gapsHours, gaps) { #expect(abs(a - b) < 1e-9) }
        #expect(abs(d.longestGapHours - 25.75) < 1e-9)
        // Median (type 7): h = 1.5 -> 3.6333 + 0.5 (15.6667 - 3.6333) = 9.65; p90: h = 2.7 -> 15.6667 + 0.7 (25.75 - 15.6667)
        #expect(abs(d.medianGapHours - 9.65) < 1e-9)
        #expect(abs(d.p90GapHours - (940.0 / 60 + 0.7 * (25.75 - 940.0 / 60))) < 1e-9)
        #expect(d.hoursCovered == [2, 5, 6, 22])
        // Coverage: hours 2 and 22 hold 5475 + 1460 = 6935 of 7483
        #expect(abs((d.harmHourCoverage ?? -1) - 6935.0 / 7483.0) < 1e-9)
        #expect(d.topUncoveredHours == [23, 14])
        #expect(abs(d.visitsPerDay - 1.5) < 1e-9 && abs(d.elapsedHours - 48) < 1e-9)
        #expect(d.visits == 3 && d.recommendedVisits == 2)
        // 1.5 visits a day < 2 and a 25.75 h gap > 24 h are flagged; coverage 93 % is not
        #expect(d.flags.map(\.kind) == [.fewVisits, .longGap])
        #expect(d.flags.first?.text.contains("1.5 visits per day") == true)
    }

    @Test("patrol only at hours with little harm is flagged; a tighter threshold set changes the verdict")
    func harmHoursFlag() async {
        // Given four visits a day at 10:00 for two days and harm 3 at 20:00 and 1 at 10:00
        let visits = (0..<8).map { (k: Int) in
            let minutes: Double = Double(k / 4) * 1_440 + 600 + Double(k % 4) * 60
            return visit("v\(k)", from: minutes, lasting: 12)
        }
        var harm = Array(repeating: 0.0, count: 24)
        harm[20] = 3; harm[10] = 1
        let d = Oversight.dosage(zoneID: "Z1", visits: visits, cycleStart: start, cycleEnd: start.addingTimeInterval(72 * 3_600),
                                 now: start.addingTimeInterval(48 * 3_600), timeZone: utc, harmByHour: harm)
        // Then coverage is 1/4 < 50 %, hour 20 is the top uncovered hour; 4 visits a day pass, and the longest gap
        // (13:12 to 10:00 the next day, 20.8 h) is under 24 h: only the harm hours are flagged
        #expect(abs((d.harmHourCoverage ?? -1) - 0.25) < 1e-9 && d.topUncoveredHours == [20])
        #expect(d.hoursCovered == [10, 11, 12, 13])
        #expect(d.flags.map(\.kind) == [.harmHoursUncovered] && abs(d.longestGapHours - 20.8) < 1e-9)
        let lenient = DosageThresholds(minVisitsPerDay: 1, maxGapHours: 48, minHarmHourCoverage: 0.2)
        let e = Oversight.dosage(zoneID: "Z1", visits: visits, cycleStart: start, cycleEnd: start.addingTimeInterval(72 * 3_600),
                                 now: start.addingTimeInterval(48 * 3_600), timeZone: utc, harmByHour: harm, thresholds: lenient)
        #expect(e.flags.isEmpty)
    }

    @Test("no flags before the cycle has run 12 hours; after that, a zone with no visit is flagged for visits and the gap")
    func early() async {
        let harm = Array(repeating: 1.0, count: 24)
        let early = Oversight.dosage(zoneID: "Z1", visits: [], cycleStart: start, cycleEnd: start.addingTimeInterval(72 * 3_600),
                                     now: start.addingTimeInterval(6 * 3_600), timeZone: utc, harmByHour: harm)
        #expect(early.flags.isEmpty && early.harmHourCoverage == 0)
        let late = Oversight.dosage(zoneID: "Z1", visits: [], cycleStart: start, cycleEnd: start.addingTimeInterval(72 * 3_600),
                                    now: start.addingTimeInterval(30 * 3_600), timeZone: utc, harmByHour: harm)
        #expect(late.flags.map(\.kind) == [.fewVisits, .longGap, .harmHoursUncovered])
        // No harm on record: coverage is undefined and not flagged
        let none = Oversight.dosage(zoneID: "Z1", visits: [], cycleStart: start, cycleEnd: start.addingTimeInterval(72 * 3_600),
                                    now: start.addingTimeInterval(30 * 3_600), timeZone: utc, harmByHour: Array(repeating: 0, count: 24))
        #expect(none.harmHourCoverage == nil && !none.flags.map(\.kind).contains(.harmHoursUncovered))
    }

    @Test("low-patrol thresholds from the environment; a bad value names the variable")
    func environment() async throws {
        let t = try DosageThresholds.from(environment: [DosageThresholds.minVisitsPerDayVariable: "1", DosageThresholds.maxGapHoursVariable: "36",
                                                         DosageThresholds.minHarmHourCoverageVariable: "0.3"])
        #expect(t == DosageThresholds(minVisitsPerDay: 1, maxGapHours: 36, minHarmHourCoverage: 0.3))
        #expect(try DosageThresholds.from(environment: [:]) == .standard)
        #expect(throws: OversightInputError(field: "ZONECAST_DOSAGE_MIN_HARM_COVERAGE", value: "1.5", reason: "expected a share from 0 to 1")) {
            try DosageThresholds.from(environment: [DosageThresholds.minHarmHourCoverageVariable: "1.5"])
        }
        #expect(throws: OversightInputError.self) { try DosageThresholds.from(environment: [DosageThresholds.maxGapHoursVariable: "a day"]) }
        #expect(DosageThresholds.standard.description.contains("fewer than 2 visits per day") && DosageThresholds.standard.description.contains("longer than 24 h"))
    }

    @Test("quantiles and hour ranges")
    func helpers() async {
        #expect(Oversight.quantile([], 0.5) == 0)
        #expect(abs(Oversight.quantile([4, 1, 3, 2], 0.5) - 2.5) < 1e-12)
        #expect(abs(Oversight.quantile([1, 2, 3, 4, 5], 0.9) - 4.6) < 1e-12)
        #expect(Oversight.hourRanges([2, 5, 6, 22, 23, 0]) == "02-03, 05-07, 22-01")
        #expect(Oversight.hourRanges([]) == "none" && Oversight.hourRanges(Array(0..<24)) == "all day")
    }
}
