import Foundation
import Testing
import ZoneCastCore

@Suite struct PlainWordsTests {
    static let chicago = TimeZone(identifier: "America/Chicago")!
    static func utc(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }

    @Test func countsAgreeWithTheirNoun() {
        // Given counts of 0, 1, 2 and a large one / When written / Then the noun is singular only for one, thousands grouped
        #expect(PlainWords.count(1, "violent incident") == "1 violent incident")
        #expect(PlainWords.count(2, "violent incident") == "2 violent incidents")
        #expect(PlainWords.count(0, "violent incident") == "0 violent incidents")
        #expect(PlainWords.count(199_637, "incident") == "199,637 incidents")
        #expect(PlainWords.count(1, "person", plural: "people") == "1 person")
        #expect(PlainWords.count(1_000, "person", plural: "people") == "1,000 people")
        #expect(PlainWords.list(["homicides", "shootings", "robberies"]) == "homicides, shootings and robberies")
        #expect(PlainWords.list(["homicides"]) == "homicides" && PlainWords.list([]) == "")
    }

    @Test func zoneAbbreviationIsTheLocalOneNotAnOffset() {
        // Given Kansas City in winter and in summer / When the zone is named / Then CST and CDT, never "GMT-6"
        #expect(PlainWords.zoneAbbreviation(Self.chicago, at: Self.utc("2026-12-02T04:17:00Z")) == "CST")
        #expect(PlainWords.zoneAbbreviation(Self.chicago, at: Self.utc("2026-07-02T04:17:00Z")) == "CDT")
        #expect(PlainWords.zoneAbbreviation(TimeZone(identifier: "America/New_York")!, at: Self.utc("2026-12-02T04:17:00Z")) == "EST")
    }

    @Test func zonesOutsideTheUnitedStatesHaveTheirOwnNames() {
        // Given cities on other continents, in their winter and summer / When the zone is named / Then the name people
        // there write (which en_US alone gives as "GMT+1", "GMT+11"), and the offset only where no English locale has one
        let winter = Self.utc("2025-12-01T12:00:00Z"), summer = Self.utc("2025-07-01T12:00:00Z")
        let expected: [(String, String, String)] = [
            ("Europe/Paris", "CET", "CEST"), ("Europe/Berlin", "CET", "CEST"), ("Europe/London", "GMT", "BST"), ("Europe/Dublin", "GMT", "IST"),
            ("Europe/Lisbon", "WET", "WEST"), ("Europe/Athens", "EET", "EEST"), ("Australia/Sydney", "AEDT", "AEST"), ("Pacific/Auckland", "NZDT", "NZST"),
            ("Asia/Kolkata", "IST", "IST"), ("Africa/Johannesburg", "SAST", "SAST"), ("America/St_Johns", "NST", "NDT"), ("America/Denver", "MST", "MDT"),
            ("Asia/Tokyo", "GMT+9", "GMT+9"), ("America/Sao_Paulo", "GMT-3", "GMT-3"),
        ]
        for (id, w, s) in expected {
            let zone = TimeZone(identifier: id)!
            #expect(PlainWords.zoneAbbreviation(zone, at: winter) == w, "\(id) in December")
            #expect(PlainWords.zoneAbbreviation(zone, at: summer) == s, "\(id) in July")
        }
        // And inside a longer pattern
        #expect(DateTexts.shared.string(winter, format: "yyyy-MM-dd HH:mm zzz", timeZone: TimeZone(identifier: "Europe/Paris")!) == "2025-12-01 13:00 CET")
        #expect(PlainWords.dateTime(summer, timeZone: TimeZone(identifier: "Europe/Paris")!, zone: true) == "Tue 1 Jul 2025, 14:00 CEST")
    }

    @Test func timesAsPeopleWriteThem() {
        // Given 04:17 UTC on 2 December 2026, which is 22:17 on Tuesday 1 December in Kansas City
        let t = Self.utc("2026-12-02T04:17:00Z")
        // When written with a "now" in the same local year (New Year's Eve evening there, already 2027 in UTC)
        let sameYear = PlainWords.dateTime(t, timeZone: Self.chicago, now: Self.utc("2027-01-01T03:00:00Z"))
        // Then without the year; with the zone when asked; with the year when no now is given or the year differs
        #expect(sameYear == "Tue 1 Dec, 22:17")
        #expect(PlainWords.dateTime(t, timeZone: Self.chicago, now: t, zone: true) == "Tue 1 Dec, 22:17 CST")
        #expect(PlainWords.dateTime(t, timeZone: Self.chicago) == "Tue 1 Dec 2026, 22:17")
        #expect(PlainWords.day(t, timeZone: Self.chicago, now: Self.utc("2027-01-01T07:00:00Z")) == "Tue 1 Dec 2026")
    }
}
