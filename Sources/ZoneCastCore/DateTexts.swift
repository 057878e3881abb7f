public import Foundation

/// Date formatters are expensive to make and not safe to share between threads unguarded: one per format, time
/// zone and locale, used under a lock.
public final class DateTexts: @unchecked Sendable {
    public static let shared = DateTexts()
    private var formatters: [String: DateFormatter] = [:]
    private let lock = NSLock()

    /// English locales in the order their regions' zone abbreviations are asked for (`zoneAbbreviation`). ICU gives
    /// each only its own region's: en_US "CST" for America/Chicago but "GMT+1" for Europe/Paris, en_GB "CET" for Paris
    /// but "GMT-6" for Chicago; none answers another region's zone with a wrong name.
    static let abbreviationLocales = ["en_US_POSIX", "en_CA", "en_GB", "en_IE", "en_AU", "en_NZ", "en_IN", "en_ZA"]

    /// `date` in `format` (en_US_POSIX patterns) in `timeZone`; a `zzz` in it is `zoneAbbreviation`.
    public func string(_ date: Date, format: String, timeZone: TimeZone) -> String {
        guard format.contains("zzz") else { return formatted(date, format: format, timeZone: timeZone, locale: "en_US_POSIX") }
        let marker = "\u{FFFC}"
        let text = formatted(date, format: format.replacingOccurrences(of: "zzz", with: "'\(marker)'"), timeZone: timeZone, locale: "en_US_POSIX")
        return text.replacingOccurrences(of: marker, with: zoneAbbreviation(date, timeZone: timeZone))
    }

    /// The zone's abbreviation at `date` as people there write it: "CST"/"CDT" for America/Chicago, "CET"/"CEST" for
    /// Europe/Paris, "BST" for a London summer, "AEST" for Sydney; the first of `abbreviationLocales` to name the
    /// zone, else the offset as en_US writes it ("GMT+9" for Asia/Tokyo, which no English locale names; "GMT" for a
    /// London winter, where Lisbon's is "WET").
    public func zoneAbbreviation(_ date: Date, timeZone: TimeZone) -> String {
        var offset: String?
        for locale in Self.abbreviationLocales {
            let text = formatted(date, format: "zzz", timeZone: timeZone, locale: locale)
            if !(text.hasPrefix("GMT") || text.hasPrefix("UTC")) { return text }
            offset = offset ?? text
        }
        return offset ?? ""
    }

    private func formatted(_ date: Date, format: String, timeZone: TimeZone, locale: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        let key = "\(format)|\(timeZone.identifier)|\(locale)"
        let f: DateFormatter
        if let cached = formatters[key] { f = cached } else {
            f = DateFormatter()
            f.locale = Locale(identifier: locale)
            f.timeZone = timeZone
            f.dateFormat = format
            formatters[key] = f
        }
        return f.string(from: date)
    }

    public func iso8601(_ date: Date) -> String { FixedText.iso8601(date) }

    /// A date and time as people read it ("Tue 2 Dec 2026 14:30 CST"), in the given time zone.
    public func local(_ date: Date, timeZone: TimeZone) -> String { string(date, format: "EEE d MMM yyyy HH:mm zzz", timeZone: timeZone) }
}
