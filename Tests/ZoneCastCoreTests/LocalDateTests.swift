import Foundation
import Testing
@testable import ZoneCastCore

// Day counts were checked against Python's datetime (proleptic Gregorian): (date(y, m, d) - date(1970, 1, 1)).days.

@Suite("LocalDate and LocalDateTime")
struct LocalDateTests {
    @Test("given known dates when counting days since 1970-01-01 then the counts match the proleptic Gregorian calendar",
          arguments: [
              (LocalDate(year: 1970, month: 1, day: 1), 0),
              (LocalDate(year: 2000, month: 1, day: 1), 10_957),
              (LocalDate(year: 2017, month: 3, day: 12), 17_237),
              (LocalDate(year: 1969, month: 12, day: 31), -1),
              (LocalDate(year: 2400, month: 2, day: 29), 157_113),
              (LocalDate(year: 1900, month: 1, day: 1), -25_567),
              (LocalDate(year: 2100, month: 12, day: 31), 47_846),
              (LocalDate(year: 1600, month: 3, day: 1), -135_080),
              (LocalDate(year: 1, month: 1, day: 1), -719_162),
              // Hinnant's algorithm counts from 0000-03-01 = day 0 of its era 0, i.e. -719468 from 1970.
              (LocalDate(year: 0, month: 3, day: 1), -719_468),
          ])
    func daysSinceEpoch(date: LocalDate, days: Int) async {
        #expect(date.daysSinceEpoch == days)
        #expect(LocalDate(daysSinceEpoch: days) == date)
    }

    @Test("given 2400-02-29 (a 400-year leap day) when validated then it is valid and round-trips")
    func leapDay2400() async {
        let d = LocalDate(year: 2400, month: 2, day: 29)
        #expect(d.isValid)
        #expect(LocalDate(daysSinceEpoch: d.daysSinceEpoch) == d)
        #expect(LocalDate(daysSinceEpoch: d.daysSinceEpoch + 1) == LocalDate(year: 2400, month: 3, day: 1))
    }

    @Test("given impossible dates when validated then they are not valid",
          arguments: [
              LocalDate(year: 2017, month: 2, day: 29),   // not a leap year
              LocalDate(year: 2017, month: 13, day: 1),
              LocalDate(year: 2017, month: 4, day: 31),
              LocalDate(year: 2100, month: 2, day: 29),   // century, not divisible by 400
              LocalDate(year: 1900, month: 2, day: 29),
              LocalDate(year: 2017, month: 0, day: 10),
              LocalDate(year: 2017, month: 1, day: 0),
              LocalDate(year: 2017, month: 1, day: 32),
              LocalDate(year: 2017, month: -1, day: 1),
          ])
    func invalid(_ d: LocalDate) async {
        #expect(!d.isValid)
    }

    @Test("given valid edge dates when validated then they are valid",
          arguments: [
              LocalDate(year: 2016, month: 2, day: 29), LocalDate(year: 2000, month: 2, day: 29),
              LocalDate(year: 2017, month: 12, day: 31), LocalDate(year: 2017, month: 1, day: 1),
              LocalDate(year: 2017, month: 4, day: 30), LocalDate(year: 2017, month: 2, day: 28),
          ])
    func valid(_ d: LocalDate) async {
        #expect(d.isValid)
    }

    @Test("given the month lengths when asked then they follow the Gregorian rules")
    func daysInMonth() async {
        let common = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        for m in 1...12 {
            #expect(LocalDate.daysIn(month: m, year: 2017) == common[m - 1])
            #expect(LocalDate.daysIn(month: m, year: 2016) == (m == 2 ? 29 : common[m - 1]))
        }
        #expect(LocalDate.daysIn(month: 2, year: 2000) == 29)
        #expect(LocalDate.daysIn(month: 2, year: 1900) == 28)
        #expect(LocalDate.daysIn(month: 2, year: 2400) == 29)
    }

    @Test("given every day from 1900-01-01 to 2100-12-31 when counted then day numbers are consecutive and round-trip")
    func everyDayRoundTrips() async {
        var expected = -25_567 // 1900-01-01
        var failures = 0
        for year in 1900...2100 {
            for month in 1...12 {
                for day in 1...LocalDate.daysIn(month: month, year: year) {
                    let d = LocalDate(year: year, month: month, day: day)
                    let n = d.daysSinceEpoch
                    let back = LocalDate(daysSinceEpoch: n)
                    if n != expected || back != d {
                        failures += 1
                        if failures <= 5 { Issue.record("\(d): days \(n), expected \(expected), back \(back)") }
                    }
                    expected += 1
                }
            }
        }
        #expect(failures == 0)
        #expect(expected - 1 == 47_846) // 2100-12-31
    }

    @Test("given dates when formatted then description is zero-padded ISO and yyyymmdd packs the fields")
    func formatting() async {
        let d = LocalDate(year: 2017, month: 3, day: 5)
        #expect(d.description == "2017-03-05")
        #expect(d.yyyymmdd == 20_170_305)
        #expect(LocalDate(yyyymmdd: 20_170_305) == d)
        #expect(LocalDate(year: 2017, month: 11, day: 25).description == "2017-11-25")
        #expect(d.yearMonth == YearMonth(year: 2017, month: 3))
        #expect(YearMonth(year: 2017, month: 3).description == "2017-03")
        #expect(YearMonth(year: 2017, month: 12).description == "2017-12")
    }

    @Test("given dates and months when compared then order is chronological")
    func ordering() async {
        let a = LocalDate(year: 2016, month: 12, day: 31), b = LocalDate(year: 2017, month: 1, day: 1)
        let c = LocalDate(year: 2017, month: 1, day: 2)
        #expect(a < b && b < c)
        #expect([c, a, b].sorted() == [a, b, c])
        #expect(YearMonth(year: 2016, month: 12) < YearMonth(year: 2017, month: 1))
        #expect(YearMonth(year: 2017, month: 2) < YearMonth(year: 2017, month: 10))
    }

    @Test("given wall-clock readings when validated and counted then fields are range-checked and seconds are naive UTC")
    func localDateTime() async {
        let date = LocalDate(year: 2017, month: 3, day: 12)
        let t = LocalDateTime(date: date, hour: 2, minute: 30, second: 15)
        #expect(t.isValid)
        // 17237 days · 86400 + 2·3600 + 30·60 + 15
        #expect(t.secondsSinceEpochIgnoringZone == 1_489_285_815)
        #expect(LocalDateTime(date: date, hour: 23, minute: 59, second: 60).isValid) // leap second allowed
        #expect(!LocalDateTime(date: date, hour: 24).isValid)
        #expect(!LocalDateTime(date: date, minute: 60).isValid)
        #expect(!LocalDateTime(date: date, second: 61).isValid)
        #expect(!LocalDateTime(date: date, hour: -1).isValid)
        #expect(!LocalDateTime(date: LocalDate(year: 2017, month: 2, day: 29)).isValid)
        #expect(LocalDateTime(date: LocalDate(year: 1969, month: 12, day: 31), hour: 23, minute: 30).secondsSinceEpochIgnoringZone == -1_800)
    }
}
