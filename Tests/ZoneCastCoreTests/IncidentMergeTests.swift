import Foundation
import Testing
@testable import ZoneCastCore

/// A row of incident "KCPD:17-001" with only the fields under test varied.
private func row(
    _ category: HarmCategory, offence: String? = nil, precision: TimePrecision = .exact, firearm: Bool = false,
    fatal: Bool = false, policeInitiated: Bool = false, rowCount: Int = 1, address: String? = nil,
    reportedAt: Date? = nil, minuteOffset: Double = 0, latitude: Double = 39.1009, rawRow: String = "row"
) -> Incident {
    Incident(
        id: IncidentID(source: "KCPD", recordID: "17-001"), category: category, offence: offence ?? category.rawValue,
        occurredAt: Date(timeIntervalSince1970: 1_498_928_400 + minuteOffset * 60), // 2017-07-01T17:00:00Z
        occurredPrecision: precision, timeZoneIdentifier: "America/Chicago",
        localDate: LocalDate(year: 2017, month: 7, day: 1), reportedAt: reportedAt,
        location: GeoPoint(latitude: latitude, longitude: -94.5774), position: PlanarPoint(xMeters: -2_370.1887, yMeters: 100.2731),
        address: address, firearm: firearm, fatal: fatal, policeInitiated: policeInitiated, rowCount: rowCount, rawRow: rawRow)
}

private func merged(_ a: Incident, _ b: Incident, weights: HarmWeights = .cambridgeDefaults) -> Incident {
    var m = a
    m.merge(b, weights: weights)
    return m
}

@Suite("Incident merge")
struct IncidentMergeTests {
    @Test("given rows with different flags when merged then firearm and fatal are OR-ed",
          arguments: [(false, false), (false, true), (true, false), (true, true)])
    func flagsOr(a: Bool, b: Bool) async {
        let m = merged(row(.aggravatedAssault, firearm: a, fatal: b), row(.aggravatedAssault, firearm: b, fatal: a))
        #expect(m.firearm == (a || b))
        #expect(m.fatal == (a || b))
        let n = merged(row(.aggravatedAssault, firearm: a, fatal: a), row(.aggravatedAssault, firearm: b, fatal: b))
        #expect(n.firearm == (a || b))
        #expect(n.fatal == (a || b))
    }

    @Test("given rows with different police-initiated flags when merged then the incident is police-initiated only if both rows are",
          arguments: [(false, false, false), (false, true, false), (true, false, false), (true, true, true)])
    func policeInitiatedAnd(a: Bool, b: Bool, expected: Bool) async {
        #expect(merged(row(.other, policeInitiated: a), row(.other, policeInitiated: b)).policeInitiated == expected)
    }

    @Test("given a less harmful row first when merged with a more harmful one then the more harmful category and its offence win")
    func moreHarmfulWins() async {
        let m = merged(row(.aggravatedAssault, offence: "AGG ASSAULT"), row(.homicide, offence: "HOMICIDE"))
        #expect(m.category == .homicide)
        #expect(m.offence == "HOMICIDE")
    }

    @Test("given a more harmful row first when merged with a less harmful one then it keeps its category and offence")
    func lessHarmfulLoses() async {
        let m = merged(row(.homicide, offence: "HOMICIDE"), row(.robbery, offence: "ROBBERY"))
        #expect(m.category == .homicide)
        #expect(m.offence == "HOMICIDE")
    }

    @Test("given two categories of equal weight when merged then the first row's category is kept (no flip-flopping)")
    func tieKeepsFirst() async {
        // Cambridge defaults: robbery and drive-by shooting are both 1,460 days.
        #expect(HarmWeights.cambridgeDefaults[.robbery] == HarmWeights.cambridgeDefaults[.driveByShooting])
        #expect(merged(row(.robbery, offence: "R"), row(.driveByShooting, offence: "D")).category == .robbery)
        #expect(merged(row(.driveByShooting, offence: "D"), row(.robbery, offence: "R")).category == .driveByShooting)
    }

    @Test("given custom weights when merged then they, not the defaults, decide the winner")
    func customWeights() async throws {
        let w = try HarmWeights(days: [.robbery: 10_000])
        #expect(merged(row(.homicide), row(.robbery, offence: "ROBBERY"), weights: w).category == .robbery)
        #expect(merged(row(.robbery), row(.homicide), weights: w).category == .robbery)
    }

    @Test("given every pair of categories when merged either way round then the winner is the one with the higher default weight")
    func allPairs() async {
        let w = HarmWeights.cambridgeDefaults
        for a in HarmCategory.allCases {
            for b in HarmCategory.allCases {
                let m = merged(row(a), row(b)).category
                let expected = w[b] > w[a] ? b : a
                #expect(m == expected, "\(a) + \(b) -> \(m), expected \(expected)")
                #expect(w[m] == max(w[a], w[b]))
            }
        }
    }

    @Test("given rows with different time precision when merged then the coarser precision is kept",
          arguments: [
              (TimePrecision.exact, TimePrecision.exact, TimePrecision.exact),
              (.exact, .hour, .hour), (.hour, .exact, .hour),
              (.exact, .day, .day), (.day, .exact, .day),
              (.hour, .day, .day), (.day, .hour, .day), (.day, .day, .day),
          ])
    func coarserPrecision(a: TimePrecision, b: TimePrecision, expected: TimePrecision) async {
        #expect(merged(row(.homicide, precision: a), row(.homicide, precision: b)).occurredPrecision == expected)
        #expect(a.coarsest(b) == expected)
    }

    @Test("given the precisions when asked for their interval then exact is a minute, hour an hour, day a day")
    func precisionIntervals() async {
        #expect(TimePrecision.exact.intervalSeconds == 60)
        #expect(TimePrecision.hour.intervalSeconds == 3_600)
        #expect(TimePrecision.day.intervalSeconds == 86_400)
    }

    @Test("given rows already merged from several when merged then row counts add")
    func rowCountAdds() async {
        #expect(merged(row(.homicide), row(.homicide)).rowCount == 2)
        #expect(merged(row(.homicide, rowCount: 2), row(.homicide, rowCount: 3)).rowCount == 5)
        // Merging one at a time equals merging the pre-merged pair.
        var stepwise = row(.homicide)
        stepwise.merge(row(.robbery), weights: .cambridgeDefaults)
        stepwise.merge(row(.nonFatalShooting, firearm: true), weights: .cambridgeDefaults)
        #expect(stepwise.rowCount == 3)
        #expect(stepwise.category == .homicide)
        #expect(stepwise.firearm)
    }

    @Test("given the first row lacks an address or report time when merged then the other row's are taken; present ones are kept")
    func optionalFieldsFilled() async {
        let reported1 = Date(timeIntervalSince1970: 1_498_930_000), reported2 = Date(timeIntervalSince1970: 1_498_940_000)
        let filled = merged(row(.homicide), row(.homicide, address: "1200 E 12TH ST", reportedAt: reported2))
        #expect(filled.address == "1200 E 12TH ST")
        #expect(filled.reportedAt == reported2)
        let kept = merged(row(.homicide, address: "FIRST", reportedAt: reported1), row(.homicide, address: "SECOND", reportedAt: reported2))
        #expect(kept.address == "FIRST")
        #expect(kept.reportedAt == reported1)
        let none = merged(row(.homicide), row(.homicide))
        #expect(none.address == nil && none.reportedAt == nil)
    }

    @Test("given a second row with a different place, time and raw text when merged then the first row's are kept")
    func firstRowWinsForPlaceAndTime() async {
        let first = row(.aggravatedAssault, rawRow: "first")
        let second = row(.homicide, minuteOffset: 30, latitude: 39.2, rawRow: "second")
        let m = merged(first, second)
        #expect(m.id == first.id)
        #expect(m.occurredAt == first.occurredAt)
        #expect(m.location == first.location)
        #expect(m.position == first.position)
        #expect(m.localDate == first.localDate)
        #expect(m.timeZoneIdentifier == "America/Chicago")
        #expect(m.rawRow == "first")
        #expect(m.category == .homicide) // while the category still follows harm
    }

    @Test("given incident ids when described and compared then they read source:record and sort by that text")
    func incidentID() async {
        let a = IncidentID(source: "KCPD", recordID: "17-001"), b = IncidentID(source: "KCPD", recordID: "17-002")
        #expect(a.description == "KCPD:17-001")
        #expect(a < b)
        #expect(IncidentID(source: "CPD", recordID: "9") < a)
    }
}
