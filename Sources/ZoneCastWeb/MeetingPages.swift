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

/// The IRIS agenda as the meeting page and the briefing show it: the data's figures (`MeetingAgendaData`, in
/// ZoneCastServices) read through as if they were this value's own, the proposal (as adjusted) to decide, and the
/// patrol of the zones in force.
@dynamicMemberLookup
struct MeetingAgenda: Sendable {
    let data: MeetingAgendaData
    let proposal: ProposalContext?
    /// Patrol dosage (low-patrol flags) and the non-enforcement monitor (alerts) for the zones in force.
    var patrol: CyclePatrolOversight?

    subscript<T>(dynamicMember path: KeyPath<MeetingAgendaData, T>) -> T { data[keyPath: path] }
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

    /// The agenda as of the database's time (see `MeetingAgendaData.load`), from this server's decoded cycles and
    /// grids, with the proposal the meeting decides and the patrol of the zones in force.
    func agenda(for meeting: Meeting, at time: DataTime) async throws -> MeetingAgenda {
        let data = try await MeetingAgendaData.load(store: store, meeting: meeting, at: time) { [self] record, jurisdiction in
            let view = try await cycleView(record)
            return (view.zones, await surfaces.grid(for: jurisdiction, cellSizeMeters: view.cycle.provenance.cellSizeMeters))
        }
        var proposal: ProposalContext?
        if let id = meeting.cycleID { proposal = try await proposalContext(id) }
        return MeetingAgenda(data: data, proposal: proposal, patrol: try await patrolOversightInForce(at: data.until))
    }
}
