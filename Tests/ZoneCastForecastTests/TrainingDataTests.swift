import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastForecast

@Suite struct TrainingDataTests {
    static let chicago = TimeZone(identifier: "America/Chicago")!
    static func utc(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }

    /// A 2017 history: one homicide in March, one "other" in December (any category, minute precision).
    static func history() -> EventSet {
        var e = EventSet()
        e.append(x: 0, y: 0, time: utc("2017-03-01T12:00:00Z").timeIntervalSince1970, category: .homicide)
        e.append(x: 0, y: 0, time: utc("2017-12-30T12:00:00Z").timeIntervalSince1970, category: .other)
        return e
    }

    @Test func originAfterTheDataIsAnErrorThatSaysSo() {
        // Given 2017 data and a forecast at 1 June 2019 (midnight CDT) with a 365-day training period
        let origin = Self.utc("2019-06-01T05:00:00Z")
        let from = origin.addingTimeInterval(-365 * 86_400)
        // When training data is required / Then the error names the origin, the period and what the data holds
        let error = #expect(throws: ForecastError.self) {
            try Self.history().requireTrainingData(model: "harm", origin: origin, trainingFrom: from, targets: [.homicide, .nonFatalShooting],
                                                   timeZone: Self.chicago)
        }
        #expect(error == .noTrainingData(NoTrainingData(model: "harm", origin: origin, trainingFrom: from, targets: [.homicide, .nonFatalShooting],
                                                        dataFrom: Self.utc("2017-03-01T12:00:00Z"), dataTo: Self.utc("2017-12-30T12:00:00Z"),
                                                        timeZoneIdentifier: "America/Chicago")))
        #expect(error?.description == "harm: no training data: no incident of the target categories (homicide, non_fatal_shooting) between "
                + "Fri 1 Jun 2018 and the forecast origin Sat 1 Jun 2019, 00:00 CDT; the data runs from Wed 1 Mar 2017 to Sat 30 Dec 2017. "
                + "Choose an origin within or just after the data, or import newer records")
    }

    @Test func onlyOtherCategoriesInThePeriodIsNoTrainingData() {
        // Given a period holding only the December "other" / Then homicide forecasts have nothing to learn from
        #expect(throws: ForecastError.self) {
            try Self.history().requireTrainingData(model: "kde", origin: Self.utc("2018-01-10T00:00:00Z"), trainingFrom: Self.utc("2017-06-01T00:00:00Z"),
                                                   targets: [.homicide], timeZone: Self.chicago)
        }
        // And with no training start the March homicide counts
        #expect(throws: Never.self) {
            try Self.history().requireTrainingData(model: "kde", origin: Self.utc("2018-01-10T00:00:00Z"), trainingFrom: nil, targets: [.homicide],
                                                   timeZone: Self.chicago)
        }
    }

    @Test func anEventStillInProgressAtTheOriginDoesNotCount() {
        // Given one homicide known only to the day that starts six hours before the origin
        var e = EventSet()
        let origin = Self.utc("2018-01-02T06:00:00Z")
        e.append(x: 0, y: 0, time: origin.timeIntervalSince1970 - 6 * 3_600, precisionSeconds: 86_400, category: .homicide)
        // Then it is not training data (it may have happened after the origin); at minute precision it is
        #expect(throws: ForecastError.self) {
            try e.requireTrainingData(model: "naive", origin: origin, trainingFrom: nil, targets: [.homicide], timeZone: Self.chicago)
        }
        var exact = EventSet()
        exact.append(x: 0, y: 0, time: origin.timeIntervalSince1970 - 6 * 3_600, precisionSeconds: 60, category: .homicide)
        #expect(throws: Never.self) { try exact.requireTrainingData(model: "naive", origin: origin, trainingFrom: nil, targets: [.homicide], timeZone: Self.chicago) }
    }
}
