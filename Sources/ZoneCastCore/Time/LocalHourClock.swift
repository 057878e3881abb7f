public import Foundation

/// The local clock hour of instants in one time zone, fast. `Calendar.component(.hour, from:)` asks ICU on every
/// call, and the dosage figures ask for every incident of a zone's training years and every patrol visit on each
/// page view; a zone's offset changes only at its daylight-saving transitions, months apart, so the clock keeps
/// the spans between transitions it has met and answers from them with integer arithmetic:
/// `hour = ⌊(t + offset) / 3600⌋ mod 24`, `hourStart = t - ((t + offset) mod 3600)` (t in seconds since 1970,
/// offset in seconds east of UTC; "mod" is the floored remainder, so instants before 1970 work too).
public struct LocalHourClock: Sendable {
    public let timeZone: TimeZone
    /// Spans of constant offset, sorted by start, not overlapping: [from, until).
    private var spans: [(from: Double, until: Double, offsetSeconds: Double)] = []
    private var lastSpan = -1

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    /// Seconds east of UTC in force at `date`.
    public mutating func offsetSeconds(at date: Date) -> Int { Int(offset(date.timeIntervalSince1970)) }

    /// The local hour of the day (0-23) at `date`.
    public mutating func hour(of date: Date) -> Int {
        let t = date.timeIntervalSince1970
        let local = (t + offset(t)).rounded(.down)
        return Int(Self.floorMod(local, 86_400) / 3_600)
    }

    /// The instant the local clock hour containing `date` began.
    public mutating func hourStart(of date: Date) -> Date {
        let t = date.timeIntervalSince1970
        return Date(timeIntervalSince1970: t - Self.floorMod(t + offset(t), 3_600))
    }

    private static func floorMod(_ x: Double, _ m: Double) -> Double {
        let r = x.truncatingRemainder(dividingBy: m)
        return r < 0 ? r + m : r
    }

    private mutating func offset(_ t: Double) -> Double {
        if lastSpan >= 0, spans[lastSpan].from <= t, t < spans[lastSpan].until { return spans[lastSpan].offsetSeconds }
        // Binary search for the last span starting at or before t.
        var low = 0, high = spans.count
        while low < high {
            let mid = (low + high) / 2
            if spans[mid].from <= t { low = mid + 1 } else { high = mid }
        }
        if low > 0, t < spans[low - 1].until {
            lastSpan = low - 1
            return spans[lastSpan].offsetSeconds
        }
        let span = Self.span(containing: t, in: timeZone)
        // Spans met earlier may overlap this one's ends (each was found from its own instant): keep them apart.
        let from = low > 0 ? max(span.from, spans[low - 1].until) : span.from
        let until = low < spans.count ? min(span.until, spans[low].from) : span.until
        spans.insert((from, until, span.offsetSeconds), at: low)
        lastSpan = low
        return span.offsetSeconds
    }

    /// The stretch of time around `t` with one offset: from the transition before it (or a year and a month back
    /// when there is none that recent: no zone changes its offset more rarely and then back within that) to the next.
    static func span(containing t: Double, in timeZone: TimeZone) -> (from: Double, until: Double, offsetSeconds: Double) {
        let date = Date(timeIntervalSince1970: t)
        let offset = Double(timeZone.secondsFromGMT(for: date))
        let until = timeZone.nextDaylightSavingTimeTransition(after: date)?.timeIntervalSince1970 ?? .infinity
        let horizon = t - 400 * 86_400
        var from = horizon
        var cursor = Date(timeIntervalSince1970: horizon)
        while let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next.timeIntervalSince1970 <= t {
            from = next.timeIntervalSince1970
            cursor = next
        }
        // Offsets can also change without daylight saving (a zone moving to another standard offset); if the offset
        // at `from` is not the one at `t`, fall back to this instant alone, answered from ICU.
        if Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: from))) != offset { from = t }
        return (from, max(until, t + 1e-3), offset)
    }
}
