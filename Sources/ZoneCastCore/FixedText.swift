public import Foundation

/// Numbers and instants as page text, without Foundation's formatters: `String(format: "%.1f")` goes through
/// CFString and a varargs list, and a zone page writes a few thousand numbers (every gap between visits, the hour
/// chart), which made formatting the largest cost of the page under `zonecast bench load`.
public enum FixedText {
    /// `x` with `digits` decimals, exactly as `String(format: "%.<digits>f", x)` writes it (including "-0.0"):
    /// the scaled value is rounded in integers, and values within rounding noise of a tie, huge values and
    /// non-finite ones are handed to `String(format:)`, whose exact binary rounding decides those.
    public static func fixed(_ x: Double, _ digits: Int) -> String {
        guard (0...6).contains(digits), x.isFinite, abs(x) < 1e12 else { return String(format: "%.\(digits)f", x) }
        let scale = powersOfTen[digits]
        let scaled = abs(x) * scale
        let fraction = scaled - scaled.rounded(.down)
        guard abs(fraction - 0.5) > 1e-6 else { return String(format: "%.\(digits)f", x) }
        let n = Int(scaled.rounded(.toNearestOrEven))
        var text = x.sign == .minus ? "-" : ""
        let unit = Int(scale)
        text += String(n / unit)
        if digits > 0 {
            let f = String(n % unit)
            text += "." + String(repeating: "0", count: digits - f.count) + f
        }
        return text
    }

    private static let powersOfTen: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// 1234567 as "1,234,567" (counts in command-line reports and benchmarks).
    public static func grouped(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, c) in s.reversed().enumerated() {
            if i > 0, i % 3 == 0, c != "-" { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }

    /// `n` with at least two digits ("07"), as `%02d`.
    public static func twoDigits(_ n: Int) -> String { n >= 0 && n < 10 ? "0" + String(n) : String(n) }

    /// "2026-11-28T22:34:00Z": whole seconds in UTC, as `ISO8601DateFormatter` writes by default.
    public static func iso8601(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - days * 86_400
        let d = LocalDate(daysSinceEpoch: days)
        guard (0...9_999).contains(d.year) else { return ISO8601DateFormatter().string(from: date) }
        return String(d.year).leftPadded(4) + "-" + twoDigits(d.month) + "-" + twoDigits(d.day) + "T" + twoDigits(inDay / 3_600) + ":"
            + twoDigits(inDay / 60 % 60) + ":" + twoDigits(inDay % 60) + "Z"
    }
}

extension FixedText {
    /// "2026-11-28T22:34:00Z" read without a formatter (what the API's clients send); nil for anything else,
    /// including impossible dates, which callers then hand to `ISO8601DateFormatter`.
    public static func parseUTCSeconds(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 20, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b[19] == 90 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                n = n * 10 + Int(b[i] - 48)
            }
            return n
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              hour < 24, minute < 60, second < 60 else { return nil }
        let date = LocalDate(year: year, month: month, day: day)
        guard date.isValid else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(date.daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60 + second))
    }
}

private extension String {
    fileprivate func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
