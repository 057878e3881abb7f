public import Foundation

/// A wall-clock reading in some time zone, as records systems write them.
public struct LocalDateTime: Hashable, Sendable, Codable {
    public var date: LocalDate
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(date: LocalDate, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    public var isValid: Bool {
        date.isValid && (0..<24).contains(hour) && (0..<60).contains(minute) && (0..<61).contains(second)
    }

    /// Seconds since the epoch as if the reading were UTC.
    public var secondsSinceEpochIgnoringZone: Int64 {
        Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
    }
}

/// Converts wall-clock readings in one zone to instants, fast: zone offsets are looked up once per local hour
/// and cached, since a million rows span only a few thousand distinct hours.
///
/// Daylight-saving edges: a reading in the skipped hour (spring forward) is read with the offset before the
/// change; a reading in the repeated hour (fall back) is taken as the first occurrence. Both are documented
/// choices; sources rarely say which was meant.
public struct LocalTimeConverter: Sendable {
    public let timeZone: TimeZone
    /// Offset per local hour; `transitionHour` marks an hour in which the offset changes (a half-hour shift such
    /// as Lord Howe's), where each reading is resolved on its own.
    private var offsetByLocalHour: [Int64: Int64] = [:]
    private static let transitionHour = Int64.min
    /// The last hour looked up: rows come in runs from the same hour, and this skips the dictionary's hashing.
    private var lastHour: (key: Int64, offset: Int64) = (.min, 0)

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    public init(timeZoneIdentifier: String) throws(CoreError) {
        guard let tz = TimeZone(identifier: timeZoneIdentifier) else { throw CoreError.unknownTimeZone(timeZoneIdentifier) }
        self.init(timeZone: tz)
    }

    public mutating func instant(_ local: LocalDateTime) -> Date {
        let naive = local.secondsSinceEpochIgnoringZone
        let hourKey = naive >= 0 ? naive / 3_600 : (naive - 3_599) / 3_600
        if hourKey == lastHour.key, lastHour.offset != Self.transitionHour {
            return Date(timeIntervalSince1970: TimeInterval(naive - lastHour.offset))
        }
        var cached = offsetByLocalHour[hourKey]
        if cached == nil {
            let atStart = Self.offset(forLocalSeconds: hourKey * 3_600, in: timeZone)
            let atEnd = Self.offset(forLocalSeconds: hourKey * 3_600 + 3_599, in: timeZone)
            cached = atStart == atEnd ? atStart : Self.transitionHour
            offsetByLocalHour[hourKey] = cached
        }
        lastHour = (hourKey, cached!)
        let offset = cached == Self.transitionHour ? Self.offset(forLocalSeconds: naive, in: timeZone) : cached!
        return Date(timeIntervalSince1970: TimeInterval(naive - offset))
    }

    /// The zone's UTC offset in force at a local reading (first occurrence when ambiguous).
    static func offset(forLocalSeconds naive: Int64, in tz: TimeZone) -> Int64 {
        // Guess with the offset in force 26 hours before the reading taken as UTC: since offsets lie within
        // -12...+14 hours, that instant precedes the true one, and transitions are months apart, so at most one
        // transition lies between. Then re-check with the guessed offset.
        let earlier = Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(naive - 93_600))))
        let candidate = Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(naive - earlier))))
        if candidate == earlier { return earlier }
        // A transition lies between: if the reading exists with the new offset, use it; else keep the old one.
        let check = Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(naive - candidate))))
        return check == candidate ? candidate : earlier
    }

    /// The local calendar date of an instant in this zone.
    public func localDate(of instant: Date) -> LocalDate {
        let offset = TimeInterval(timeZone.secondsFromGMT(for: instant))
        let local = Int64((instant.timeIntervalSince1970 + offset).rounded(.down))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return LocalDate(daysSinceEpoch: Int(days))
    }
}
