import Foundation
import ZoneCastCore
import ZoneCastStore

/// The database's time at the command line (issue #15): live when its newest incident is recent, otherwise an
/// exercise on historical data at that incident's time (`DataTime`). Read once per command, here at the edge, from
/// the wall clock and the store, and passed down to the rules that depend on time (approving a cycle).
enum DatabaseTime {
    static func of(_ store: any IncidentStore, clock: Date) async throws -> DataTime {
        try DataTime(clock: clock, newestRecord: try await store.summary().lastOccurredAt)
    }

    /// The jurisdiction's time zone (UTC for a database without one), for the words of times in messages.
    static func timeZone(_ store: any IncidentStore) async throws -> TimeZone {
        TimeZone(identifier: try await store.jurisdiction()?.timeZoneIdentifier ?? "UTC") ?? .gmt
    }
}
