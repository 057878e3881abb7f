public import Foundation

/// Date formatters are expensive to make and not safe to share between threads unguarded: one per format and
/// time zone, used under a lock.
public final class DateTexts: @unchecked Sendable {
    public static let shared = DateTexts()
    private var formatters: [String: DateFormatter] = [:]
    private let lock = NSLock()

    public func string(_ date: Date, format: String, timeZone: TimeZone) -> String {
        lock.lock()
        defer { lock.unlock() }
        let key = "\(format)|\(timeZone.identifier)"
        let f: DateFormatter
        if let cached = formatters[key] { f = cached } else {
            f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
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
