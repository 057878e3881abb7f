import Foundation
import Testing
@testable import ZoneCastCore

// Expected instants were checked with Python's zoneinfo (IANA tzdata):
//   datetime(y, m, d, h, mi, tzinfo=ZoneInfo(zone), fold=0).astimezone(timezone.utc)
// fold=0 is exactly ZoneCast's documented choice: in a spring-forward gap the offset before the change is used,
// and in a fall-back repeat the first occurrence is taken.

/// An instant from an ISO 8601 UTC string such as "2017-07-01T17:00:00Z" (Foundation's parser, independent of
/// LocalDate's day arithmetic).
private func utc(_ iso: String) -> Date {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    guard let d = f.date(from: iso) else { fatalError("bad ISO date \(iso)") }
    return d
}

private func reading(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int = 0) -> LocalDateTime {
    LocalDateTime(date: LocalDate(year: y, month: m, day: d), hour: h, minute: mi, second: s)
}

struct ZoneCase: Sendable, CustomTestStringConvertible {
    var zone: String
    var local: LocalDateTime
    var expectedUTC: String
    var note: String
    var testDescription: String { "\(zone) \(local.date) \(local.hour):\(local.minute) -> \(expectedUTC) (\(note))" }
}

private let zoneCases: [ZoneCase] = [
    ZoneCase(zone: "America/Chicago", local: reading(2017, 7, 1, 12, 0), expectedUTC: "2017-07-01T17:00:00Z", note: "CDT, -5"),
    ZoneCase(zone: "America/Chicago", local: reading(2017, 1, 15, 0, 30), expectedUTC: "2017-01-15T06:30:00Z", note: "CST, -6"),
    ZoneCase(zone: "America/Chicago", local: reading(2017, 3, 12, 2, 30), expectedUTC: "2017-03-12T08:30:00Z",
             note: "spring-forward gap: does not exist, read with the offset before the change (-6)"),
    ZoneCase(zone: "America/Chicago", local: reading(2017, 3, 12, 1, 59), expectedUTC: "2017-03-12T07:59:00Z", note: "last minute before the gap"),
    ZoneCase(zone: "America/Chicago", local: reading(2017, 3, 12, 3, 0), expectedUTC: "2017-03-12T08:00:00Z", note: "first minute after the gap, CDT"),
    ZoneCase(zone: "America/Chicago", local: reading(2017, 11, 5, 1, 30), expectedUTC: "2017-11-05T06:30:00Z",
             note: "fall-back repeat: first occurrence (CDT, -5)"),
    ZoneCase(zone: "America/Chicago", local: reading(2017, 11, 5, 0, 59), expectedUTC: "2017-11-05T05:59:00Z", note: "before the repeat"),
    ZoneCase(zone: "America/Chicago", local: reading(2017, 11, 5, 2, 0), expectedUTC: "2017-11-05T08:00:00Z", note: "after the repeat, CST"),
    ZoneCase(zone: "America/Chicago", local: reading(1969, 12, 31, 23, 30), expectedUTC: "1970-01-01T05:30:00Z", note: "before the epoch"),
    ZoneCase(zone: "America/Phoenix", local: reading(2017, 7, 1, 12, 0), expectedUTC: "2017-07-01T19:00:00Z", note: "MST all year, no DST"),
    ZoneCase(zone: "America/Phoenix", local: reading(2017, 3, 12, 2, 30), expectedUTC: "2017-03-12T09:30:00Z", note: "no gap in Arizona"),
    ZoneCase(zone: "America/New_York", local: reading(2017, 3, 12, 2, 30), expectedUTC: "2017-03-12T07:30:00Z", note: "gap, offset before (-5)"),
    ZoneCase(zone: "Europe/London", local: reading(2017, 3, 26, 1, 30), expectedUTC: "2017-03-26T01:30:00Z", note: "gap, offset before (GMT)"),
    ZoneCase(zone: "Europe/London", local: reading(2017, 10, 29, 1, 30), expectedUTC: "2017-10-29T00:30:00Z", note: "repeat, first (BST)"),
    ZoneCase(zone: "Australia/Sydney", local: reading(2017, 10, 1, 2, 30), expectedUTC: "2017-09-30T16:30:00Z", note: "gap, offset before (+10)"),
    ZoneCase(zone: "Australia/Sydney", local: reading(2017, 4, 2, 2, 30), expectedUTC: "2017-04-01T15:30:00Z", note: "repeat, first (AEDT +11)"),
    ZoneCase(zone: "Asia/Kolkata", local: reading(2017, 7, 1, 12, 0), expectedUTC: "2017-07-01T06:30:00Z", note: "half-hour offset +5:30"),
    ZoneCase(zone: "Pacific/Kiritimati", local: reading(2017, 7, 1, 12, 0), expectedUTC: "2017-06-30T22:00:00Z", note: "+14, no DST"),
    ZoneCase(zone: "UTC", local: reading(2017, 7, 1, 12, 0, 59), expectedUTC: "2017-07-01T12:00:59Z", note: "UTC"),
]

@Suite("LocalTimeConverter")
struct LocalTimeConverterTests {
    @Test("given a wall-clock reading in a zone when converted then the instant matches the tz database", arguments: zoneCases)
    func instant(_ c: ZoneCase) async throws {
        var converter = try LocalTimeConverter(timeZoneIdentifier: c.zone)
        let got = converter.instant(c.local)
        let expected = utc(c.expectedUTC)
        #expect(abs(got.timeIntervalSince(expected)) < 1e-6, "\(got) vs \(expected)")
    }

    @Test("given one converter reused across all readings in any order when converting then the hour cache never changes a result")
    func cacheIsOrderIndependent() async throws {
        let chicago = zoneCases.filter { $0.zone == "America/Chicago" }
        var shared = try LocalTimeConverter(timeZoneIdentifier: "America/Chicago")
        // Forward, backward, and twice: the second pass is served from the cache.
        for c in chicago + chicago.reversed() + chicago {
            let got = shared.instant(c.local)
            #expect(abs(got.timeIntervalSince(utc(c.expectedUTC))) < 1e-6, "\(c.testDescription): got \(got)")
        }
        // Minutes within one cached hour each get their own minute.
        for minute in stride(from: 0, to: 60, by: 7) {
            let got = shared.instant(reading(2017, 11, 5, 1, minute))
            #expect(abs(got.timeIntervalSince(utc("2017-11-05T06:00:00Z")) - Double(minute * 60)) < 1e-6)
        }
    }

    @Test("given every hour of 2017 in Chicago when converted then it agrees with Foundation's Calendar (offset-before / first-occurrence at the edges)")
    func everyHourOf2017() async throws {
        var converter = try LocalTimeConverter(timeZoneIdentifier: "America/Chicago")
        let tz = try #require(TimeZone(identifier: "America/Chicago"))
        var mismatches = 0
        for dayNumber in LocalDate(year: 2017, month: 1, day: 1).daysSinceEpoch...LocalDate(year: 2017, month: 12, day: 31).daysSinceEpoch {
            for hour in 0..<24 {
                let local = LocalDateTime(date: LocalDate(daysSinceEpoch: dayNumber), hour: hour, minute: 15)
                let got = converter.instant(local)
                // Reference: the offset 12 h of UTC time before and after; if they agree it's unambiguous.
                let naive = Double(local.secondsSinceEpochIgnoringZone)
                let expected: Double
                if local.date == LocalDate(year: 2017, month: 3, day: 12), hour == 2 {
                    expected = naive + 6 * 3_600 // gap: CST
                } else if local.date == LocalDate(year: 2017, month: 11, day: 5), hour == 1 {
                    expected = naive + 5 * 3_600 // repeat: CDT (first)
                } else {
                    // Unambiguous: the offset at the resulting instant must reproduce the reading.
                    let offset = Double(tz.secondsFromGMT(for: got))
                    expected = naive - offset
                    #expect(offset == -5 * 3_600 || offset == -6 * 3_600)
                }
                if abs(got.timeIntervalSince1970 - expected) > 1e-6 {
                    mismatches += 1
                    if mismatches <= 5 { Issue.record("\(local.date) \(hour):15 -> \(got), expected \(Date(timeIntervalSince1970: expected))") }
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("given instants around Chicago midnight when asking the local date then the zone's calendar date is returned")
    func localDate() async throws {
        let converter = try LocalTimeConverter(timeZoneIdentifier: "America/Chicago")
        // 05:30Z on New Year's Day is 23:30 CST on 31 December.
        #expect(converter.localDate(of: utc("2017-01-01T05:30:00Z")) == LocalDate(year: 2016, month: 12, day: 31))
        #expect(converter.localDate(of: utc("2017-01-01T05:59:59Z")) == LocalDate(year: 2016, month: 12, day: 31))
        #expect(converter.localDate(of: utc("2017-01-01T06:00:00Z")) == LocalDate(year: 2017, month: 1, day: 1))
        // In summer the boundary is 05:00Z (CDT).
        #expect(converter.localDate(of: utc("2017-07-02T04:59:59Z")) == LocalDate(year: 2017, month: 7, day: 1))
        #expect(converter.localDate(of: utc("2017-07-02T05:00:00Z")) == LocalDate(year: 2017, month: 7, day: 2))
        // Before the epoch: 1970-01-01T03:00Z is 1969-12-31 21:00 CST.
        #expect(converter.localDate(of: utc("1970-01-01T03:00:00Z")) == LocalDate(year: 1969, month: 12, day: 31))
    }

    @Test("given instants just before the epoch in UTC when asking the local date then the day floors, not truncates")
    func localDateFloorsBeforeEpoch() async throws {
        let converter = try LocalTimeConverter(timeZoneIdentifier: "UTC")
        #expect(converter.localDate(of: Date(timeIntervalSince1970: -0.5)) == LocalDate(year: 1969, month: 12, day: 31))
        #expect(converter.localDate(of: Date(timeIntervalSince1970: -86_400)) == LocalDate(year: 1969, month: 12, day: 31))
        #expect(converter.localDate(of: Date(timeIntervalSince1970: -86_400.5)) == LocalDate(year: 1969, month: 12, day: 30))
        #expect(converter.localDate(of: Date(timeIntervalSince1970: 0)) == LocalDate(year: 1970, month: 1, day: 1))
    }

    @Test("given a converted reading when asking its local date back then the date is the reading's date")
    func instantThenLocalDate() async throws {
        var converter = try LocalTimeConverter(timeZoneIdentifier: "America/Chicago")
        for c in zoneCases where c.zone == "America/Chicago" && c.local.date.year == 2017 {
            #expect(converter.localDate(of: converter.instant(c.local)) == c.local.date)
        }
    }

    @Test("given an unknown zone identifier when building a converter then CoreError.unknownTimeZone is thrown",
          arguments: ["Mars/Olympus_Mons", "America/Chicgo", ""])
    func unknownZone(_ id: String) async {
        #expect(throws: CoreError.unknownTimeZone(id)) { try LocalTimeConverter(timeZoneIdentifier: id) }
    }

    @Test("given a TimeZone value when building a converter then it keeps that zone")
    func fromTimeZone() async throws {
        let tz = try #require(TimeZone(identifier: "America/Phoenix"))
        var converter = LocalTimeConverter(timeZone: tz)
        #expect(converter.timeZone.identifier == "America/Phoenix")
        #expect(abs(converter.instant(reading(2017, 1, 1, 0, 0)).timeIntervalSince(utc("2017-01-01T07:00:00Z"))) < 1e-6)
    }

    // Zones whose UTC offset is +12 h or more (New Zealand: +12 standard, +13 daylight). An earlier version guessed
    // with the offset 12 hours before the reading taken as UTC, which for such zones is at or after the transition
    // (both cases below came out one hour off); the guess now looks 26 hours back. Regression test.
    @Test("given Pacific/Auckland DST edges when converted then the documented choices (offset before the gap, first occurrence in the repeat) hold",
          arguments: [
              ZoneCase(zone: "Pacific/Auckland", local: reading(2017, 4, 2, 2, 30), expectedUTC: "2017-04-01T13:30:00Z",
                       note: "repeat, first occurrence (NZDT +13)"),
              ZoneCase(zone: "Pacific/Auckland", local: reading(2017, 9, 24, 2, 30), expectedUTC: "2017-09-23T14:30:00Z",
                       note: "gap, offset before the change (NZST +12)"),
          ])
    func aucklandEdges(_ c: ZoneCase) async throws {
        var converter = try LocalTimeConverter(timeZoneIdentifier: c.zone)
        let got = converter.instant(c.local)
        #expect(abs(got.timeIntervalSince(utc(c.expectedUTC))) < 1e-6, "\(got) vs \(c.expectedUTC)")
    }

    // Lord Howe Island shifts by 30 minutes: on 2017-10-01 clocks go 02:00 (+10:30) -> 02:30 (+11). zoneinfo:
    // 02:15 (in the gap, offset before) = 2017-09-30T15:45Z; 02:45 (exists, +11) = 15:45Z; 03:00 = 16:00Z.
    @Test("given Lord Howe's half-hour DST start when converted then readings in and after the 30-minute gap are right")
    func lordHoweHalfHourShift() async throws {
        var converter = try LocalTimeConverter(timeZoneIdentifier: "Australia/Lord_Howe")
        #expect(abs(converter.instant(reading(2017, 10, 1, 2, 15)).timeIntervalSince(utc("2017-09-30T15:45:00Z"))) < 1e-6)
        #expect(abs(converter.instant(reading(2017, 10, 1, 3, 0)).timeIntervalSince(utc("2017-09-30T16:00:00Z"))) < 1e-6)
        let got = converter.instant(reading(2017, 10, 1, 2, 45))
        #expect(abs(got.timeIntervalSince(utc("2017-09-30T15:45:00Z"))) < 1e-6, "\(got)")
    }

    @Test("given Pacific/Auckland unambiguous readings when converted then the offset is right")
    func aucklandOrdinary() async throws {
        // zoneinfo: 2017-07-01 12:00 NZST (+12) = 00:00Z; 2017-01-15 12:00 NZDT (+13) = 2017-01-14T23:00Z;
        // 03:00 right after the gap (NZDT) = 2017-09-23T14:00Z; 01:30 before the repeat (NZDT) = 2017-04-01T12:30Z.
        var converter = try LocalTimeConverter(timeZoneIdentifier: "Pacific/Auckland")
        #expect(abs(converter.instant(reading(2017, 7, 1, 12, 0)).timeIntervalSince(utc("2017-07-01T00:00:00Z"))) < 1e-6)
        #expect(abs(converter.instant(reading(2017, 1, 15, 12, 0)).timeIntervalSince(utc("2017-01-14T23:00:00Z"))) < 1e-6)
        #expect(abs(converter.instant(reading(2017, 9, 24, 3, 0)).timeIntervalSince(utc("2017-09-23T14:00:00Z"))) < 1e-6)
        #expect(abs(converter.instant(reading(2017, 4, 2, 1, 30)).timeIntervalSince(utc("2017-04-01T12:30:00Z"))) < 1e-6)
    }
}
