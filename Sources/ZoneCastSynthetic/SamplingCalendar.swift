import Foundation
import ZoneCastCore

/// The generation window as local calendar days: weekday and day of year per day, and the local hours that do
/// not exist (the spring-forward hour). Times are generated as local wall-clock minutes since the window's
/// start, which is what records systems write; skipping nonexistent hours keeps every clean row a valid local
/// reading, so the only bad times in the output are the deliberate dirty rows.
struct SamplingCalendar: Sendable {
    let startDate: LocalDate
    let dayCount: Int
    /// 0 = Sunday ... 6 = Saturday.
    let weekday: [UInt8]
    /// 0-based day of year.
    let dayOfYear: [Int16]
    /// For days with a zone transition, a bit per nonexistent local hour.
    private let skippedHourMask: [Int: UInt32]

    init(startDate: LocalDate, dayCount: Int, timeZone: TimeZone) {
        self.startDate = startDate
        self.dayCount = dayCount
        let startEpochDay = startDate.daysSinceEpoch
        var weekday: [UInt8] = []
        var dayOfYear: [Int16] = []
        weekday.reserveCapacity(dayCount)
        dayOfYear.reserveCapacity(dayCount)
        var skipped: [Int: UInt32] = [:]
        for d in 0..<dayCount {
            let epochDay = startEpochDay + d
            // 1970-01-01 was a Thursday (weekday 4 with Sunday = 0).
            weekday.append(UInt8(((epochDay % 7) + 7 + 4) % 7))
            let date = LocalDate(daysSinceEpoch: epochDay)
            dayOfYear.append(Int16(epochDay - LocalDate(year: date.year, month: 1, day: 1).daysSinceEpoch))
            // A local hour exists if some UTC offset in force that day maps it back onto itself.
            let naiveMidnight = Int64(epochDay) * 86_400
            let before = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(naiveMidnight - 43_200))))
            let after = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(naiveMidnight + 129_600))))
            guard before != after else { continue }
            var mask: UInt32 = 0
            for h in 0..<24 {
                let naive = naiveMidnight + Int64(h) * 3_600
                let exists = [before, after].contains { offset in
                    Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(naive - offset)))) == offset
                }
                if !exists { mask |= 1 << UInt32(h) }
            }
            if mask != 0 { skipped[d] = mask }
        }
        self.weekday = weekday
        self.dayOfYear = dayOfYear
        skippedHourMask = skipped
    }

    @inline(__always)
    func hourExists(day: Int, hour: Int) -> Bool {
        guard let mask = skippedHourMask[day] else { return true }
        return mask & (1 << UInt32(hour)) == 0
    }

    func localDate(day: Int) -> LocalDate { LocalDate(daysSinceEpoch: startDate.daysSinceEpoch + day) }
}

/// A `TemporalProfile` laid over a calendar, ready for fast thinning.
struct TimeSampler: Sendable {
    let calendar: SamplingCalendar
    /// Acceptance probability per day (weekday × season, divided by the maximum).
    private let dayAccept: [Double]
    /// Acceptance probability per hour (hour weight divided by the maximum).
    private let hourAccept: [Double]

    init(profile: TemporalProfile, calendar: SamplingCalendar) {
        self.calendar = calendar
        var day: [Double] = []
        day.reserveCapacity(calendar.dayCount)
        for d in 0..<calendar.dayCount {
            let season = 1 + profile.summerAmplitude * cos(2 * Double.pi * (Double(calendar.dayOfYear[d]) - 196) / 365.25)
            day.append(profile.dayOfWeekWeights[Int(calendar.weekday[d])] * season)
        }
        let maxDay = day.max() ?? 1
        dayAccept = day.map { $0 / maxDay }
        let maxHour = profile.hourWeights.max() ?? 1
        hourAccept = profile.hourWeights.map { $0 / maxHour }
    }

    /// A local time, in whole minutes since the window's start, from the profile's intensity.
    func sampleMinute(using rng: inout SeededGenerator) -> Int {
        while true {
            let d = rng.uniformInt(below: calendar.dayCount)
            guard rng.uniform() < dayAccept[d] else { continue }
            var h: Int
            repeat { h = rng.uniformInt(below: 24) } while rng.uniform() >= hourAccept[h]
            guard calendar.hourExists(day: d, hour: h) else { continue }
            return d * 1_440 + h * 60 + rng.uniformInt(below: 60)
        }
    }

    /// Whether a proposed minute survives thinning by the hour-of-day intensity alone (used for triggered
    /// events, whose day is set by their parent's time plus the triggering delay). False for nonexistent hours.
    func acceptsHour(ofMinute minute: Int, using rng: inout SeededGenerator) -> Bool {
        let d = minute / 1_440, h = (minute % 1_440) / 60
        return rng.uniform() < hourAccept[h] && calendar.hourExists(day: d, hour: h)
    }
}
