public import Foundation
public import ServiceLifecycle
import ZoneCastAccess
import ZoneCastCore
import ZoneCastOperations
public import ZoneCastPlanning
public import ZoneCastStore
import ZoneCastOversight

/// What one scheduler tick did: a proposal recorded and a notice posted for analysts.
public struct SchedulerAction: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// The cycle in force ends soon: the next one, starting at its end.
        case nextCycle = "next-cycle"
        /// No cycle in force and nothing pending: a first (or restarting) cycle from the next full hour.
        case restart
    }

    public var kind: Kind
    public var cycleID: String
    public var startsAt: Date
    public var endsAt: Date
    public var noticeID: String

    public var description: String {
        "scheduler: proposed cycle \(cycleID) (\(kind.rawValue)) from \(FixedText.iso8601(startsAt)) to \(FixedText.iso8601(endsAt)); "
            + "analysts notified (\(noticeID))"
    }
}

/// Prepares the next cycle's proposal ahead of time so the IRIS meeting never waits for an analyst to press a
/// button: when the cycle in force ends within `leadTime` and no proposal for the following cycle exists, it
/// proposes one starting exactly when the current one ends (with the current cycle's settings: model, cycle
/// length, cell size, zone limits, stability rules, static layers) and tells the analysts. With no cycle in force, no
/// pending proposal and data in the store, it proposes one from the next full hour with `defaultService` (model auto
/// unless the caller chose another).
///
/// The decision is a plain function of the store and the time (`tick(now:)`), so tests drive it with fixed
/// times; `SchedulerService` runs it periodically beside the web server.
public struct ProposalScheduler: Sendable {
    public static let actor = "scheduler"

    public let store: any AppStore
    public var leadTime: TimeInterval
    /// Settings for a proposal when there is no cycle to copy them from.
    public var defaultService: ProposalService
    /// Enforcement and low-patrol alerts, evaluated at every run of the service (nil: none).
    public var alerts: AlertService?

    public init(store: any AppStore, leadTime: TimeInterval = 24 * 3_600, defaultService: ProposalService = ProposalService(),
                alerts: AlertService? = nil) {
        self.store = store
        self.leadTime = leadTime
        self.defaultService = defaultService
        self.alerts = alerts
    }

    /// Evaluates the cycle in force's alerts as of `now`, raising (and mailing) the new ones: so an alert fires
    /// while nobody opens a page or logs a visit.
    @discardableResult
    public func checkAlerts(now: Date) async throws -> AlertService.Outcome {
        try await alerts?.evaluate(now: now) ?? AlertService.Outcome()
    }

    /// Where a new cycle starts when none is in force: the next whole hour after `now` (the database's time).
    public static func cycleStart(after now: Date) -> Date {
        let hour = 3_600.0
        return Date(timeIntervalSince1970: (now.timeIntervalSince1970 / hour).rounded(.down) * hour + hour)
    }

    /// Cycle ids as `zonecast propose` makes them: "C-" and the start in ISO 8601 without colons.
    public static func cycleID(startingAt start: Date) -> String {
        "C-" + ISO8601DateFormatter().string(from: start).replacingOccurrences(of: ":", with: "")
    }

    /// Checks once and proposes if needed; nil when there was nothing to do. Proposal and audit entry and notice
    /// are one transaction.
    public func tick(now: Date) async throws -> SchedulerAction? {
        let cycles = try await store.cycles()
        if let current = try await store.cycleInForce(at: now) {
            guard current.endsAt.timeIntervalSince(now) <= leadTime else { return nil }
            // A proposal (or a decided cycle) for the next period already exists, whoever made it.
            if cycles.contains(where: { $0.id != current.id && abs($0.startsAt.timeIntervalSince(current.endsAt)) < 1 }) { return nil }
            let settings = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: current.document).provenance
            let service = ProposalService(model: settings.model, windowHours: settings.windowHours, cellSizeMeters: settings.cellSizeMeters,
                                          trainingDays: settings.trainingDays, includePoliceInitiated: settings.includePoliceInitiated,
                                          targets: Set(settings.targets), constraints: settings.constraints, stability: settings.stability,
                                          staticLayers: settings.staticLayers ?? [], logger: defaultService.logger)
            return try await propose(service, at: current.endsAt, now: now, kind: .nextCycle,
                why: "cycle \(current.id) ends \(FixedText.iso8601(current.endsAt))")
        }
        // Nothing in force. A proposal that can still take effect, or an approved cycle yet to start, is enough.
        if cycles.contains(where: { $0.status == .proposed && $0.endsAt > now }) { return nil }
        if cycles.contains(where: { ($0.status == .approved || $0.status == .active) && $0.startsAt > now }) { return nil }
        guard try await store.jurisdiction() != nil,
              try await store.countIncidents(IncidentQuery(occurredFrom: now.addingTimeInterval(-defaultService.trainingDays * 86_400), occurredBefore: now,
                                                     includePoliceInitiated: defaultService.includePoliceInitiated, includeRawRow: false)) > 0
        else { return nil }
        return try await propose(defaultService, at: Self.cycleStart(after: now), now: now, kind: .restart, why: "no cycle in force and no pending proposal")
    }

    private func propose(_ service: ProposalService, at start: Date, now: Date, kind: SchedulerAction.Kind, why: String) async throws -> SchedulerAction {
        let id = Self.cycleID(startingAt: start)
        let cycle = try await service.propose(store: store, at: start, id: id)
        let tz = TimeZone(identifier: try await store.jurisdiction()?.timeZoneIdentifier ?? "UTC") ?? .gmt
        let noticeID = "N-\(String(Int64(now.timeIntervalSince1970), radix: 36))-\(id)"
        let notice = Notice(id: noticeID, createdAt: now, audience: .analyst,
                            text: "The proposal for the cycle from \(DateTexts.shared.local(cycle.startsAt, timeZone: tz)) "
                                + "to \(DateTexts.shared.local(cycle.endsAt, timeZone: tz)) is ready for review (\(cycle.zones.count) zones, cycle \(id)).",
                            link: "/proposals/\(id)")
        try await store.apply([
            .saveCycle(try cycle.record(createdAt: now)),
            .audit(AuditDraft(at: now, actor: Self.actor, action: .propose, subject: id,
                              detail: "automatic: \(why); \(cycle.zones.count) zones, \(cycle.provenance.modelShown) model, "
                                  + "\(cycle.provenance.incidentCount) incidents")),
            .save(notice),
        ])
        return SchedulerAction(kind: kind, cycleID: id, startsAt: cycle.startsAt, endsAt: cycle.endsAt, noticeID: noticeID)
    }
}

/// Runs the scheduler every `interval` beside the web server (a swift-service-lifecycle service, stopped with the
/// server on SIGTERM or SIGINT). A failing tick is reported and retried at the next interval.
public struct SchedulerService: Service {
    public let scheduler: ProposalScheduler
    public let interval: Duration
    public let clock: @Sendable () -> Date
    public let log: @Sendable (String) -> Void

    /// `clock` and `log` come from the caller (the server's wall clock and its logger): nothing here reads the
    /// clock or writes to the terminal itself.
    public init(scheduler: ProposalScheduler, interval: Duration = .seconds(600), clock: @escaping @Sendable () -> Date,
                log: @escaping @Sendable (String) -> Void) {
        self.scheduler = scheduler
        self.interval = interval
        self.clock = clock
        self.log = log
    }

    public func run() async throws {
        // Shutdown cancels the loop (mid-sleep, or after the tick in progress): a normal end, not an error.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let scheduler = self.scheduler, now = self.clock()
                // A proposal is a second or so of computation: keep it off the server's cooperative threads.
                let result = await Task.detached(priority: .utility) { () -> Result<SchedulerAction?, any Error> in
                    do { return .success(try await scheduler.tick(now: now)) } catch { return .failure(error) }
                }.value
                switch result {
                case .success(let action?): self.log(action.description)
                case .success(nil): break
                case .failure(let error): self.log("scheduler: error: \(error) (will retry)")
                }
                let alerts = await Task.detached(priority: .utility) { () -> Result<AlertService.Outcome, any Error> in
                    do { return .success(try await scheduler.checkAlerts(now: now)) } catch { return .failure(error) }
                }.value
                switch alerts {
                case .success(let outcome):
                    for a in outcome.raised { self.log("scheduler: alert raised: \(a.id)") }
                    for m in outcome.mailed { if case .failure(let e) = m.result { self.log("scheduler: alert \(m.alertID) not mailed: \(e)") } }
                case .failure(let error): self.log("scheduler: alert check error: \(error) (will retry)")
                }
                try await Task.sleep(for: self.interval)
            }
        }
    }
}
