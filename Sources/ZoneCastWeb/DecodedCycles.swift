import Foundation
import ZoneCastPlanning
import ZoneCastStore

/// Decoded cycle documents, reused while the stored document is byte-for-byte the same: every page and API call
/// reads the cycle in force, and decoding its JSON (zones, explanations, provenance) costs more than the rest of
/// a request. Comparing the bytes is a memcmp; an approval or any other change to the document re-decodes.
final class DecodedCycles: @unchecked Sendable {
    private var cache: [String: (document: Data, cycle: ZoneCycle)] = [:]
    private let lock = NSLock()

    func cycle(_ record: CycleRecord) throws -> ZoneCycle {
        lock.lock()
        if let hit = cache[record.id], hit.document == record.document {
            lock.unlock()
            return hit.cycle
        }
        lock.unlock()
        let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        lock.lock()
        if cache.count > 64 { cache.removeAll() }
        cache[record.id] = (record.document, cycle)
        lock.unlock()
        return cycle
    }
}

/// Date formatters are expensive to make and not safe to share between threads unguarded: one per format and
/// time zone, used under a lock.
final class DateTexts: @unchecked Sendable {
    static let shared = DateTexts()
    private var formatters: [String: DateFormatter] = [:]
    private let lock = NSLock()

    func string(_ date: Date, format: String, timeZone: TimeZone) -> String {
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

    func iso8601(_ date: Date) -> String { FixedText.iso8601(date) }
}
