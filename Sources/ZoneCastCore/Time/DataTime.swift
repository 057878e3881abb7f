public import Foundation

/// Which "now" a database runs at. A database whose newest record is recent runs **live**: now is the clock. One
/// whose newest record is older than `staleAfterDays` (30 by default) holds history, and runs as an **exercise**:
/// now is the data's own now (the newest record's time), every page says so in a banner, and the rules that depend
/// on time (which cycle is in force, "incidents since the last meeting", trend charts, dosage) use that instant
/// instead of today, so a week of 2017 data can be worked through as if it were that week.
///
/// Pure: the caller reads its clock and the store's newest record time and passes both in.
public struct DataTime: Hashable, Sendable, Codable {
    public enum Mode: String, Hashable, Sendable, Codable {
        case live
        case exercise
    }

    public var mode: Mode
    /// The instant the application treats as now.
    public var now: Date
    /// The clock reading it was worked out from.
    public var clock: Date
    /// The newest record's time; nil for a database with no record (which runs live).
    public var newestRecord: Date?
    public var staleAfterDays: Double

    public static let staleAfterDaysDefault = 30.0

    /// Live when there is no record, or the newest is less than `staleAfterDays` before `clock` (records dated after
    /// the clock, e.g. a clock behind the source system's, count as recent); otherwise an exercise at the newest
    /// record's time. Throws `CoreError.invalidSetting` for a threshold that is not a finite number of days above 0.
    public init(clock: Date, newestRecord: Date?, staleAfterDays: Double = DataTime.staleAfterDaysDefault) throws(CoreError) {
        guard staleAfterDays.isFinite, staleAfterDays > 0 else {
            throw .invalidSetting(field: "staleAfterDays", value: String(staleAfterDays), reason: "expected a number of days above 0")
        }
        self.clock = clock
        self.newestRecord = newestRecord
        self.staleAfterDays = staleAfterDays
        if let newestRecord, clock.timeIntervalSince(newestRecord) > staleAfterDays * 86_400 {
            mode = .exercise
            now = newestRecord
        } else {
            mode = .live
            now = clock
        }
    }

    public var isExercise: Bool { mode == .exercise }

    /// The banner every page shows in an exercise ("EXERCISE on historical data: ..."), nil when live.
    public func banner(timeZone: TimeZone) -> String? {
        guard isExercise, let newestRecord else { return nil }
        let days = Int((clock.timeIntervalSince(newestRecord) / 86_400).rounded(.down))
        return "EXERCISE on historical data: the newest record is from \(PlainWords.dateTime(newestRecord, timeZone: timeZone, zone: true)), "
            + "\(PlainWords.count(days, "day")) ago, so ZoneCast runs at that time, not today. Nothing shown is the current situation."
    }

    /// Whether a proposal for the window [start, end) may be approved now. Live, a window that has already ended
    /// is refused (approving it would deploy patrols to the past); one that has started is allowed with a note. In
    /// an exercise everything is allowed, and a window that ended before the data's now is noted as such.
    public func approval(windowStart start: Date, windowEnd end: Date, timeZone: TimeZone) -> ApprovalTiming {
        let ended = PlainWords.dateTime(end, timeZone: timeZone, now: now, zone: true)
        if end <= now {
            if isExercise { return .allowed(note: "exercise: this window ended \(ended), before the data's now; approving it is part of the exercise") }
            return .refused(reason: "the window ended \(ended), before now (\(PlainWords.dateTime(now, timeZone: timeZone, zone: true))): "
                                + "a cycle that is over cannot be approved; propose the next one")
        }
        if start < now {
            return .allowed(note: "the window started \(PlainWords.dateTime(start, timeZone: timeZone, now: now, zone: true)); "
                                + "patrols begin when it is approved")
        }
        return .allowed(note: nil)
    }
}

/// The answer of `DataTime.approval`: allowed (with a note to show the commander, if any) or refused with the reason.
public enum ApprovalTiming: Hashable, Sendable {
    case allowed(note: String?)
    case refused(reason: String)

    public var isAllowed: Bool { if case .allowed = self { true } else { false } }
}
