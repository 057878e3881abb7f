import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastServices
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastZoning

/// The IRIS agenda, filled from the data: what happened since the last meeting, near-repeat chains, how the
/// zones in force did, open intelligence, and the proposal (as adjusted) to decide.
struct MeetingAgenda: Sendable {
    struct ZoneResult: Sendable {
        var id: String
        var during: Int
        var before: Int
    }

    let since: Date
    let until: Date
    let previousMeeting: Meeting?
    let byCategory: [(category: HarmCategory, count: Int)]
    let incidentCount: Int
    let chains: [NearRepeatChain]
    let activeCycleID: String?
    let activeFrom: Date?
    let activeTo: Date?
    let zoneResults: [ZoneResult]
    let intelligence: [IntelligenceItem]
    let proposal: ProposalContext?
    /// Patrol dosage (low-patrol flags) and the non-enforcement monitor (alerts) for the zones in force.
    var patrol: CyclePatrolOversight? = nil

    static let chainDistanceMeters = 400.0
    static let chainDays = 7.0
}

extension WebEnvironment {
    /// Schedulers: commanders decide, analysts propose; both schedule meetings and keep minutes.
    func mayRunMeetings(_ viewer: Viewer) -> Bool { viewer.may(.decideZones) || viewer.may(.proposeZones) }

    func meeting(_ id: String) async throws -> Meeting {
        guard let m = try await store.document(Meeting.self, id: id) else { throw WebError(.notFound, "no IRIS meeting \(id)") }
        return m
    }

    /// When a new meeting defaults to: 14 days after the last one (moved on by fortnights until it is in the
    /// future), or the next weekday at 10:00 when there has been none.
    func defaultMeetingTime(after meetings: [Meeting], timeZone tz: TimeZone) -> Date {
        let now = clock()
        if let last = meetings.map(\.scheduledAt).max() {
            var t = last.addingTimeInterval(Meeting.defaultInterval)
            while t < now { t = t.addingTimeInterval(Meeting.defaultInterval) }
            return t
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = tz
        var day = calendar.startOfDay(for: now)
        repeat {
            day = calendar.date(byAdding: .day, value: 1, to: day)!
        } while [1, 7].contains(calendar.component(.weekday, from: day))
        return calendar.date(bySettingHour: 10, minute: 0, second: 0, of: day)!
    }

    /// The agenda as of the database's time: "since the last meeting", the zones in force and their patrol are counted
    /// up to the data's now in an exercise (a meeting held today about 2017 data counts 2017's incidents, not today's
    /// none); open intelligence, an operational record entered in real time, is current as of the clock.
    func agenda(for meeting: Meeting, at time: DataTime) async throws -> MeetingAgenda {
        let now = time.now
        let until = min(now, meeting.closedAt ?? meeting.scheduledAt)
        // The last meeting held before this one (a meeting still ahead is not "the last meeting").
        let previous = try await store.documents(Meeting.self)
            .filter { $0.id != meeting.id && $0.scheduledAt < meeting.scheduledAt && $0.scheduledAt < until }
            .max { $0.scheduledAt < $1.scheduledAt }
        var since = previous?.scheduledAt ?? until.addingTimeInterval(-Meeting.defaultInterval)
        if since >= until { since = until.addingTimeInterval(-Meeting.defaultInterval) }
        let recent = try await store.incidents(IncidentQuery(occurredFrom: since, occurredBefore: until, includePoliceInitiated: false, includeRawRow: false))
        var counts: [HarmCategory: Int] = [:]
        for i in recent { counts[i.category, default: 0] += 1 }
        let byCategory = HarmCategory.allCases.compactMap { c in counts[c].map { (c, $0) } }
        let chains = NearRepeat.chains(recent, distanceMeters: MeetingAgenda.chainDistanceMeters, days: MeetingAgenda.chainDays)

        // The zones in force at the meeting: incidents inside during the cycle so far against the same length before.
        var results: [MeetingAgenda.ZoneResult] = []
        var activeID: String?, activeFrom: Date?, activeTo: Date?
        if let record = try await store.cycleInForce(at: until), let jurisdiction = try await store.jurisdiction() {
            let view = try await cycleView(record)
            let grid = await surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters)
            let from = view.cycle.startsAt, to = min(until, view.cycle.endsAt)
            let length = to.timeIntervalSince(from)
            activeID = record.id
            activeFrom = from
            activeTo = to
            let zones = view.zones
            if length > 0, !zones.isEmpty {
                let inside = try await store.incidents(IncidentQuery(occurredFrom: from.addingTimeInterval(-length), occurredBefore: to,
                                                               includePoliceInitiated: false, includeRawRow: false))
                var cellZone: [Int: String] = [:]
                for z in zones { for c in z.zone.cells { cellZone[c] = z.id } }
                var during: [String: Int] = [:], before: [String: Int] = [:]
                for i in inside {
                    guard let c = grid.cell(containing: i.position), let z = cellZone[c] else { continue }
                    if i.occurredAt >= from { during[z, default: 0] += 1 } else { before[z, default: 0] += 1 }
                }
                results = zones.map { MeetingAgenda.ZoneResult(id: $0.id, during: during[$0.id] ?? 0, before: before[$0.id] ?? 0) }
            }
        }
        let intelligence = try await store.documents(IntelligenceItem.self).filter { $0.isCurrent(at: time.clock) && $0.status == .open }
            .sorted { $0.createdAt > $1.createdAt }
        var proposal: ProposalContext?
        if let id = meeting.cycleID { proposal = try await proposalContext(id) }
        var agenda = MeetingAgenda(since: since, until: until, previousMeeting: previous, byCategory: byCategory, incidentCount: recent.count,
                                   chains: chains, activeCycleID: activeID, activeFrom: activeFrom, activeTo: activeTo, zoneResults: results,
                                   intelligence: intelligence, proposal: proposal)
        agenda.patrol = try await patrolOversightInForce(at: until)
        return agenda
    }
}
