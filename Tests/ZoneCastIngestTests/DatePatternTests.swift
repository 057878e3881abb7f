import Testing
import ZoneCastCore
@testable import ZoneCastIngest

@Suite("Date patterns")
struct DatePatternTests {
    @Test("given the Chicago portal format, when parsed, then 12-hour clock and AM/PM are honoured")
    func chicagoFormat() async throws {
        let p = try DatePattern("MM/dd/yyyy hh:mm:ss a")
        let r = try #require(p.parse("06/28/2023 11:04:00 PM"))
        #expect(r.date == LocalDate(year: 2023, month: 6, day: 28))
        #expect(r.hour == 23 && r.minute == 4 && r.second == 0)
        #expect(p.parse("01/01/2017 12:30:00 AM")?.hour == 0)
        #expect(p.parse("01/01/2017 12:30:00 PM")?.hour == 12)
        #expect(p.hasMinute && p.hasHour)
    }

    @Test("given one- or two-digit fields, when parsed, then both are accepted and the year needs four digits")
    func flexibleDigits() async throws {
        let p = try DatePattern("M/d/yyyy")
        #expect(p.parse("1/2/2017")?.date == LocalDate(year: 2017, month: 1, day: 2))
        #expect(p.parse("01/02/2017")?.date == LocalDate(year: 2017, month: 1, day: 2))
        #expect(p.parse("01/02/17") == nil)
        let h = try DatePattern("H")
        #expect(h.parse("7")?.hour == 7)
        #expect(h.parse("23")?.hour == 23)
        #expect(!h.hasMinute)
    }

    @Test("given text that does not fit, when parsed, then nil (no partial matches, trailing text refused)")
    func rejects() async throws {
        let p = try DatePattern("yyyy-MM-dd")
        #expect(p.parse("2017-01-01T00:00:00") == nil)
        #expect(p.parse("not a date") == nil)
        #expect(p.parse("") == nil)
        #expect(p.parse("2017-01-01  ")?.date == LocalDate(year: 2017, month: 1, day: 1))
        let iso = try DatePattern("yyyy-MM-ddTHH:mm:ss.SSS")
        #expect(iso.parse("2019-03-04T05:06:07.000")?.minute == 6)
    }

    @Test("given an unsupported field run, when compiled, then the mapping error names the pattern")
    func badPattern() async {
        #expect(throws: IngestError.self) { try DatePattern("yyyyy-MM") }
    }
}
