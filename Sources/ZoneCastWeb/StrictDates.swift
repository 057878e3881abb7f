import Foundation
import ZoneCastCore

/// Dates and times from requests, read strictly: `ISO8601DateFormatter` and a lenient `DateFormatter` roll
/// 2026-02-30 over to 2 March and accept hour 24 or minute 75, so a typo became another day without a word.
/// Every field is counted digit by digit, the date must exist in the calendar, and the year must lie in
/// `years` (far-off years are typing mistakes, and they keep every later conversion in range).
enum StrictDates {
    static let years = 1900...2199

    /// "2024-06-02T14:30:00Z", with seconds optional, a fraction of a second, and "Z" or an offset "+05:30"
    /// ("+0530"); or, when `dateOnly` is allowed, "2024-06-02" (midnight in `timeZone`).
    static func instant(_ raw: String, timeZone: TimeZone, allowDateOnly: Bool = true) -> Date? {
        var s = Scanner(raw)
        guard let date = s.date() else { return nil }
        if s.atEnd { return allowDateOnly ? local(LocalDateTime(date: date), timeZone: timeZone) : nil }
        guard s.take("T") || s.take("t"), let (hour, minute, second, fraction) = s.time() else { return nil }
        let offset: Int
        if s.take("Z") || s.take("z") {
            offset = 0
        } else if let sign = s.sign(), let oh = s.digits(2), oh <= 14 {
            _ = s.take(":")
            guard let om = s.digits(2), om < 60 else { return nil }
            offset = sign * (oh * 3_600 + om * 60)
        } else {
            return nil
        }
        guard s.atEnd else { return nil }
        let naive = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
        return Date(timeIntervalSince1970: TimeInterval(naive - Int64(offset)) + fraction)
    }

    /// A wall-clock reading "2024-06-02T14:30" (or with seconds, or a space for the T) in `timeZone`.
    static func localDateTime(_ raw: String, timeZone: TimeZone) -> Date? {
        var s = Scanner(raw)
        guard let date = s.date(), s.take("T") || s.take(" "), let (hour, minute, second, fraction) = s.time(), fraction == 0, s.atEnd else { return nil }
        return local(LocalDateTime(date: date, hour: hour, minute: minute, second: second), timeZone: timeZone)
    }

    private static func local(_ reading: LocalDateTime, timeZone: TimeZone) -> Date {
        var converter = LocalTimeConverter(timeZone: timeZone)
        return converter.instant(reading)
    }

    /// Reads fixed-width fields left to right; every read checks its range.
    private struct Scanner {
        let b: [UInt8]
        var i = 0
        init(_ text: String) { b = Array(text.utf8) }

        var atEnd: Bool { i == b.count }

        mutating func take(_ c: Character) -> Bool {
            guard i < b.count, let a = c.asciiValue, b[i] == a else { return false }
            i += 1
            return true
        }

        mutating func sign() -> Int? { take("+") ? 1 : take("-") ? -1 : nil }

        mutating func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard b[k] >= 48, b[k] <= 57 else { return nil }
                v = v * 10 + Int(b[k] - 48)
            }
            i += n
            return v
        }

        mutating func date() -> LocalDate? {
            guard let y = digits(4), years.contains(y), take("-"), let m = digits(2), take("-"), let d = digits(2) else { return nil }
            let date = LocalDate(year: y, month: m, day: d)
            return date.isValid ? date : nil
        }

        /// HH:MM, then optionally :SS and a fraction (up to 9 digits).
        mutating func time() -> (Int, Int, Int, Double)? {
            guard let h = digits(2), h < 24, take(":"), let m = digits(2), m < 60 else { return nil }
            guard take(":") else { return (h, m, 0, 0) }
            guard let sec = digits(2), sec < 60 else { return nil }
            var fraction = 0.0
            if take(".") || take(",") {
                var scale = 0.1, count = 0
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    guard count < 9 else { return nil }
                    fraction += Double(b[i] - 48) * scale
                    scale /= 10
                    count += 1
                    i += 1
                }
                guard count > 0 else { return nil }
            }
            return (h, m, sec, fraction)
        }
    }
}
