import Foundation
import ZoneCastCore
import ZoneCastServices
import ZoneCastStore

/// The database's time at the command line (issue #15): live when its newest incident is recent, otherwise an
/// exercise on historical data at that incident's time (`DataTime`). Read once per command, here at the edge, from
/// the wall clock and the store, and passed down to the rules that depend on time (approving a cycle).
enum DatabaseTime {
    static func of(_ store: any IncidentStore, clock: Date) async throws -> DataTime {
        try DataTime(clock: clock, newestRecord: try await store.summary().lastOccurredAt)
    }

    /// The instant a report is computed as of when no `--at`/`--now` is given: the database's now. For historical data
    /// that is the newest incident's time, said on standard error (standard output may be JSON), so a report of a 2017
    /// exercise does not count the years since as patrol-free and crime-free days.
    static func reportInstant(_ store: any IncidentStore, clock: Date = Date()) async throws -> Date {
        let time = try await of(store, clock: clock)
        if time.isExercise, let banner = time.banner(timeZone: try await timeZone(store)) {
            FileHandle.standardError.write(Data((banner + " Reporting as of then; pass --at (or --now) for another instant.\n").utf8))
        }
        return time.now
    }

    /// The start `propose` (a cycle) and `forecast` (a window) use when no `--at` is given: now on live data; on
    /// historical data the start of the hour that holds the newest incident, said on standard error with `doing`
    /// ("Proposing the cycle"). (A start today would find no incident in the year before it, and the newcomer with
    /// last year's export was told only that there was nothing to forecast from.) An exercise's time stands at the
    /// newest incident, so a cycle must hold that instant to come into force: one starting at the next hour stayed
    /// "starts in 1 h" for ever once approved, and its officers could not log a patrol.
    static func defaultStart(_ store: any IncidentStore, doing: String, clock: Date = Date()) async throws -> Date {
        let time = try await of(store, clock: clock)
        guard time.isExercise else { return clock }
        let start = ProposalScheduler.cycleStart(after: time.now).addingTimeInterval(-3_600)
        let zone = try await timeZone(store)
        if let banner = time.banner(timeZone: zone) {
            FileHandle.standardError.write(Data((banner + " \(doing) starting \(PlainWords.dateTime(start, timeZone: zone, zone: true)); "
                                                 + "pass --at for another start.\n").utf8))
        }
        return start
    }

    /// The jurisdiction's time zone (UTC for a database without one), for the words of times in messages.
    static func timeZone(_ store: any IncidentStore) async throws -> TimeZone {
        TimeZone(identifier: try await store.jurisdiction()?.timeZoneIdentifier ?? "UTC") ?? .gmt
    }
}
