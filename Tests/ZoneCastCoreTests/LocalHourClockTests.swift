import Foundation
import Testing
import ZoneCastCore

/// The fast clock must agree with Foundation's Calendar (ICU) everywhere, including daylight-saving edges,
/// half-hour and 45-minute offsets and a half-hour daylight shift (Lord Howe).
@Suite struct LocalHourClockTests {
    static let zones = ["America/Chicago", "America/Sao_Paulo", "Europe/London", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham", "UTC"]

    /// The zone, Foundation's calendar in it (the reference) and a fresh clock.
    func given(_ zone: String) throws -> (tz: TimeZone, calendar: Calendar, clock: LocalHourClock) {
        let tz = try #require(TimeZone(identifier: zone))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = tz
        return (tz, calendar, LocalHourClock(timeZone: tz))
    }

    @Test(arguments: zones)
    func givenRandomInstantsInAnyOrderWhenAskedTheHourThenItIsCalendars(_ zone: String) async throws {
        let (_, calendar, fresh) = try given(zone)
        var clock = fresh
        var rng = SplitMix64(seed: 7)
        // 1965-2035 in random order: the clock meets spans out of order and must keep them apart.
        for _ in 0..<4_000 {
            let t = Date(timeIntervalSince1970: -157_766_400 + Double(rng.next() % 2_208_988_800))
            #expect(clock.hour(of: t) == calendar.component(.hour, from: t), "\(zone) \(t)")
        }
    }

    @Test(arguments: zones)
    func givenEveryQuarterHourAroundTransitionsWhenAskedThenHourAndHourStartAreCalendars(_ zone: String) async throws {
        let (tz, calendar, fresh) = try given(zone)
        var clock = fresh
        var cursor = Date(timeIntervalSince1970: 1_500_000_000)
        var transitions: [Date] = []
        while transitions.count < 6, let next = tz.nextDaylightSavingTimeTransition(after: cursor) { transitions.append(next); cursor = next }
        if transitions.isEmpty { transitions = [Date(timeIntervalSince1970: 1_600_000_000)] }
        for transition in transitions {
            for step in -16...16 {
                let t = transition.addingTimeInterval(Double(step) * 900 + 7)
                #expect(clock.hour(of: t) == calendar.component(.hour, from: t), "\(zone) \(t)")
                #expect(clock.offsetSeconds(at: t) == tz.secondsFromGMT(for: t), "\(zone) \(t)")
                let start = clock.hourStart(of: t)
                #expect(start <= t && t.timeIntervalSince(start) < 3_600, "\(zone) \(t)")
                #expect(calendar.component(.minute, from: start) == 0 || tz.secondsFromGMT(for: start) % 3_600 != tz.secondsFromGMT(for: t) % 3_600, "\(zone) \(start)")
            }
        }
    }
}
