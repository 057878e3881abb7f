public import Foundation
public import ZoneCastCore
public import ZoneCastForecast
import ZoneCastZoning
public import ZoneCastOperations
public import ZoneCastPlanning
public import ZoneCastStore

/// What the IRIS agenda says from the data: what happened since the last meeting, near-repeat chains, how the zones
/// in force did and the open intelligence. The web page adds the proposal to decide and the patrol figures; the
/// numbers live here so any front end (or a report) states the same ones.
public struct MeetingAgendaData: Sendable {
    /// Incidents inside one zone in force: during the cycle so far, and in the same length of time before it.
    public struct ZoneResult: Sendable, Equatable {
        public var id: String
        public var during: Int
        public var before: Int

        public init(id: String, during: Int, before: Int) {
            self.id = id
            self.during = during
            self.before = before
        }
    }

    public let since: Date
    public let until: Date
    public let previousMeeting: Meeting?
    public let byCategory: [(category: HarmCategory, count: Int)]
    public let incidentCount: Int
    public let chains: [NearRepeatChain]
    public let activeCycleID: String?
    public let activeFrom: Date?
    public let activeTo: Date?
    public let zoneResults: [ZoneResult]
    public let intelligence: [IntelligenceItem]

    /// Incidents this close in space and time are linked into a chain (possible retaliation or a continuing dispute).
    public static let chainDistanceMeters = 400.0
    public static let chainDays = 7.0
}

extension MeetingAgendaData {
    /// The zones of a cycle in force and the grid their cells are on (the web passes its decoded and cached ones).
    public typealias ZonesInForce = @Sendable (CycleRecord, Jurisdiction) async throws -> (zones: [ZoneCycle.ExplainedZone], grid: Grid)

    /// Decodes the cycle and builds its grid: for callers without caches.
    public static let decodeZonesInForce: ZonesInForce = { record, jurisdiction in
        let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        let grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: cycle.provenance.cellSizeMeters)
        return (PatrolOversight.zones(of: cycle), grid)
    }

    /// The agenda of `meeting` as of the database's time: "since the last meeting", the zones in force and their
    /// results are counted up to the data's now in an exercise (a meeting held today about 2017 data counts 2017's
    /// incidents, not today's none); open intelligence, an operational record entered in real time, is current as of
    /// the clock.
    public static func load(store: any AppStore, meeting: Meeting, at time: DataTime,
                            zonesInForce: ZonesInForce = decodeZonesInForce) async throws -> MeetingAgendaData {
        let until = min(time.now, meeting.closedAt ?? meeting.scheduledAt)
        // The last meeting held before this one (a meeting still ahead is not "the last meeting").
        let previous = try await store.documents(Meeting.self)
            .filter { $0.id != meeting.id && $0.scheduledAt < meeting.scheduledAt && $0.scheduledAt < until }
            .max { $0.scheduledAt < $1.scheduledAt }
        var since = previous?.scheduledAt ?? until.addingTimeInterval(-Meeting.defaultInterval)
        if since >= until { since = until.addingTimeInterval(-Meeting.defaultInterval) }
        // An exercise's now is the newest incident's time: that incident has happened, so the (exclusive) end takes
        // it in, as the dashboard's counts do (the agenda said 7 where the data and the dashboard had 8).
        let countedUntil = time.isExercise && until >= time.now ? until.addingTimeInterval(1) : until
        let recent = try await store.incidents(IncidentQuery(occurredFrom: since, occurredBefore: countedUntil, includePoliceInitiated: false,
                                                             includeRawRow: false))
        var counts: [HarmCategory: Int] = [:]
        for i in recent { counts[i.category, default: 0] += 1 }
        let byCategory = HarmCategory.allCases.compactMap { c in counts[c].map { (c, $0) } }
        let chains = NearRepeat.chains(recent, distanceMeters: chainDistanceMeters, days: chainDays)

        var results: [ZoneResult] = []
        var activeID: String?, activeFrom: Date?, activeTo: Date?
        if let record = try await store.cycleInForce(at: until), let jurisdiction = try await store.jurisdiction() {
            let (zones, grid) = try await zonesInForce(record, jurisdiction)
            let from = record.startsAt, to = min(until, record.endsAt)
            activeID = record.id
            activeFrom = from
            activeTo = to
            results = try await zoneResults(store: store, zones: zones, grid: grid, from: from, to: to)
        }
        let intelligence = try await store.documents(IntelligenceItem.self).filter { $0.isCurrent(at: time.clock) && $0.status == .open }
            .sorted { $0.createdAt > $1.createdAt }
        return MeetingAgendaData(since: since, until: until, previousMeeting: previous, byCategory: byCategory, incidentCount: recent.count,
                                 chains: chains, activeCycleID: activeID, activeFrom: activeFrom, activeTo: activeTo, zoneResults: results,
                                 intelligence: intelligence)
    }

    /// Incidents inside each zone during `from..<to` against the same length of time before `from`.
    static func zoneResults(store: any AppStore, zones: [ZoneCycle.ExplainedZone], grid: Grid, from: Date, to: Date) async throws -> [ZoneResult] {
        let length = to.timeIntervalSince(from)
        guard length > 0, !zones.isEmpty else { return [] }
        let inside = try await store.incidents(IncidentQuery(occurredFrom: from.addingTimeInterval(-length), occurredBefore: to,
                                                             includePoliceInitiated: false, includeRawRow: false))
        var cellZone: [Int: String] = [:]
        for z in zones { for c in z.zone.cells { cellZone[c] = z.id } }
        var during: [String: Int] = [:], before: [String: Int] = [:]
        for i in inside {
            guard let c = grid.cell(containing: i.position), let z = cellZone[c] else { continue }
            if i.occurredAt >= from { during[z, default: 0] += 1 } else { before[z, default: 0] += 1 }
        }
        return zones.map { ZoneResult(id: $0.id, during: during[$0.id] ?? 0, before: before[$0.id] ?? 0) }
    }
}
