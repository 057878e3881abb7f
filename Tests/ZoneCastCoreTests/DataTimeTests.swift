import Foundation
import Testing
import ZoneCastCore

@Suite struct DataTimeTests {
    static let chicago = TimeZone(identifier: "America/Chicago")!
    static func utc(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }
    static let clock = utc("2026-12-02T12:00:00Z")

    @Test func recentDataRunsLive() throws {
        // Given a newest record two days before the clock / When the data time is worked out / Then live at the clock
        let t = try DataTime(clock: Self.clock, newestRecord: Self.utc("2026-11-30T12:00:00Z"))
        #expect(t.mode == .live && t.now == Self.clock && t.banner(timeZone: Self.chicago) == nil)
    }

    @Test func thresholdIsStrict() throws {
        // Given newest records exactly 30 days and 30 days plus a second before the clock
        let exactly = try DataTime(clock: Self.clock, newestRecord: Self.clock.addingTimeInterval(-30 * 86_400))
        let older = try DataTime(clock: Self.clock, newestRecord: Self.clock.addingTimeInterval(-30 * 86_400 - 1))
        // Then the first is live and the second an exercise at its own time
        #expect(exactly.mode == .live)
        #expect(older.mode == .exercise && older.now == Self.clock.addingTimeInterval(-30 * 86_400 - 1))
    }

    @Test func historicalDataRunsAsAnExerciseWithABanner() throws {
        // Given Kansas City data whose newest record is 31 December 2017, 17:00 local time
        let newest = Self.utc("2017-12-31T23:00:00Z")
        let t = try DataTime(clock: Self.clock, newestRecord: newest)
        // Then now is that record's time, and the banner says so in local words (3,257 whole days before the clock)
        #expect(t.isExercise && t.now == newest)
        #expect(t.banner(timeZone: Self.chicago) == "EXERCISE on historical data: the newest record is from Sun 31 Dec 2017, 17:00 CST, "
                + "3,257 days ago, so ZoneCast runs at that time, not today. Nothing shown is the current situation.")
    }

    @Test func emptyOrFutureDataRunsLive() throws {
        #expect(try DataTime(clock: Self.clock, newestRecord: nil).mode == .live)
        #expect(try DataTime(clock: Self.clock, newestRecord: Self.clock.addingTimeInterval(3_600)).mode == .live)
    }

    @Test(arguments: [0.0, -1, .nan, .infinity])
    func badThresholdIsNamed(days: Double) {
        #expect(throws: CoreError.invalidSetting(field: "staleAfterDays", value: String(days), reason: "expected a number of days above 0")) {
            try DataTime(clock: Self.clock, newestRecord: nil, staleAfterDays: days)
        }
    }

    @Test func pastWindowsCannotBeApprovedLive() throws {
        // Given a live database at Wed 2 Dec 2026, 06:00 CST
        let live = try DataTime(clock: Self.clock, newestRecord: Self.clock)
        // When a window that ended on 1 December is approved / Then it is refused, naming its end and now
        let past = live.approval(windowStart: Self.utc("2026-11-27T12:00:00Z"), windowEnd: Self.utc("2026-12-01T12:00:00Z"), timeZone: Self.chicago)
        #expect(past == .refused(reason: "the window ended Tue 1 Dec, 06:00 CST, before now (Wed 2 Dec 2026, 06:00 CST): "
                                     + "a cycle that is over cannot be approved; propose the next one"))
        // And a window under way is allowed with a note, one ahead allowed without
        let running = live.approval(windowStart: Self.utc("2026-12-01T12:00:00Z"), windowEnd: Self.utc("2026-12-05T12:00:00Z"), timeZone: Self.chicago)
        #expect(running.isAllowed && running != .allowed(note: nil))
        #expect(live.approval(windowStart: Self.utc("2026-12-03T12:00:00Z"), windowEnd: Self.utc("2026-12-07T12:00:00Z"), timeZone: Self.chicago)
                == .allowed(note: nil))
    }

    @Test func pastWindowsMayBeApprovedInAnExercise() throws {
        // Given an exercise on 2017 data / When a January 2017 window is approved / Then it is allowed, noted as the exercise
        let exercise = try DataTime(clock: Self.clock, newestRecord: Self.utc("2017-12-31T23:00:00Z"))
        let a = exercise.approval(windowStart: Self.utc("2017-01-10T12:00:00Z"), windowEnd: Self.utc("2017-01-14T12:00:00Z"), timeZone: Self.chicago)
        #expect(a == .allowed(note: "exercise: this window ended Sat 14 Jan, 06:00 CST, before the data's now; approving it is part of the exercise"))
    }
}
