public import Foundation

/// Counts and times written as people write them, for pages, reports, e-mail and error messages alike, so that the
/// web and the command line say the same thing: "1 violent incident", "199,637 incidents", "Tue 1 Dec, 22:17 CST".
public enum PlainWords {
    /// "1 violent incident", "0 violent incidents", "1,234 violent incidents": the count grouped in thousands and the
    /// noun in the singular only for exactly one. `plural` defaults to `singular` + "s" (give it for "1 person",
    /// "2 people"; "1 hour", "2 hours" needs nothing).
    public static func count(_ n: Int, _ singular: String, plural: String? = nil) -> String {
        FixedText.grouped(n) + " " + noun(n, singular, plural: plural)
    }

    /// The noun alone, singular for exactly one.
    public static func noun(_ n: Int, _ singular: String, plural: String? = nil) -> String {
        n == 1 ? singular : plural ?? singular + "s"
    }

    /// "a, b and c": a list as a sentence writes it (empty for none).
    public static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
        }
    }

    /// The zone's abbreviation at `date` as people in it write it: "CST" in winter and "CDT" in summer for
    /// America/Chicago, "CET"/"CEST" for Europe/Berlin. Foundation's `TimeZone.abbreviation(for:)` answers "GMT-6" on
    /// Linux and a formatter with the process's default locale may too, so this asks ICU through `DateTexts`, which
    /// tries the English locales of the regions in turn; where none names the zone the answer is its offset ("GMT+9").
    public static func zoneAbbreviation(_ timeZone: TimeZone, at date: Date) -> String {
        DateTexts.shared.zoneAbbreviation(date, timeZone: timeZone)
    }

    /// "Tue 1 Dec": the day as people write it; the year is added ("Tue 1 Dec 2026") unless `now` is given and falls
    /// in the same local year.
    public static func day(_ date: Date, timeZone: TimeZone, now: Date? = nil) -> String {
        let sameYear = now.map { year($0, timeZone) == year(date, timeZone) } ?? false
        return DateTexts.shared.string(date, format: sameYear ? "EEE d MMM" : "EEE d MMM yyyy", timeZone: timeZone)
    }

    /// "Tue 1 Dec, 22:17" (24-hour clock, local time), the year added as for `day`; with `zone` the abbreviation
    /// follows ("Tue 1 Dec, 22:17 CST"), which error messages and e-mail need since their reader may be elsewhere.
    public static func dateTime(_ date: Date, timeZone: TimeZone, now: Date? = nil, zone: Bool = false) -> String {
        let text = day(date, timeZone: timeZone, now: now) + ", " + DateTexts.shared.string(date, format: "HH:mm", timeZone: timeZone)
        return zone ? text + " " + zoneAbbreviation(timeZone, at: date) : text
    }

    private static func year(_ date: Date, _ timeZone: TimeZone) -> String { DateTexts.shared.string(date, format: "yyyy", timeZone: timeZone) }
}
