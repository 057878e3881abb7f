import Crypto
public import Foundation
public import Logging
public import ZoneCastCore
public import ZoneCastForecast
public import ZoneCastStore
public import ZoneCastZoning

/// Proposes the next cycle's zones: forecast, optimise, apply the stability rules against the cycle in force,
/// explain each zone, and record the provenance. Shared by the command line and (later) the web application.
public struct ProposalService: Sendable {
    public static let softwareVersion = "zonecast 0.3.0"

    public var model: String
    public var windowHours: Double
    public var cellSizeMeters: Double
    public var trainingDays: Double
    public var includePoliceInitiated: Bool
    public var targets: Set<HarmCategory>
    public var constraints: ZoneConstraints
    public var stability: ZoneStabilityPolicy
    /// Analyst-supplied point layers (liquor outlets, transit stops) for the boosted model, alone or among auto's
    /// thorough candidates; recorded in the provenance, so a replay uses the same points.
    public var staticLayers: [BoostedTreesModel.StaticLayer]
    /// The wall clock for the phase timings (nil: the phases are logged without them). The caller's: the proposal
    /// itself depends only on its origin and the data, never on when it is computed.
    public var clock: (@Sendable () -> Date)?
    /// Phase timings (debug) and a failed point-process fit (warning, the explanations then go without the
    /// triggered share); nothing by default.
    public var logger: Logger

    /// `model` defaults to auto: the model is chosen for the city at hand on the windows before the origin (see
    /// `AutoModel`), rather than one model whatever the backtest says.
    public init(model: String = "auto", windowHours: Double = 96, cellSizeMeters: Double = 150, trainingDays: Double = 365,
                includePoliceInitiated: Bool = false, targets: Set<HarmCategory> = HarmCategory.violent,
                constraints: ZoneConstraints = ZoneConstraints(), stability: ZoneStabilityPolicy = ZoneStabilityPolicy(),
                staticLayers: [BoostedTreesModel.StaticLayer] = [],
                clock: (@Sendable () -> Date)? = nil, logger: Logger = ProposalService.silentLogger) {
        self.model = model
        self.windowHours = windowHours
        self.cellSizeMeters = cellSizeMeters
        self.trainingDays = trainingDays
        self.includePoliceInitiated = includePoliceInitiated
        self.targets = targets
        self.constraints = constraints
        self.stability = stability
        self.staticLayers = staticLayers
        self.clock = clock
        self.logger = logger
    }

    /// A logger that drops everything: the default where a caller passes none.
    public static let silentLogger = Logger(label: "zonecast.planning", factory: { _ in SwiftLogNoOpLogHandler() })

    public enum ProposalError: Error, CustomStringConvertible {
        case noJurisdiction, noIncidents(Date), provenanceMismatch(String)
        public var description: String {
            switch self {
            case .noJurisdiction: "the database has no jurisdiction: import incidents first"
            case .noIncidents(let d): "no incident in the year before \(d): nothing to forecast from"
            case .provenanceMismatch(let m): "the data no longer matches the proposal's provenance: \(m)"
            }
        }
    }

    /// Proposes the cycle starting at `at`. The store's latest batch bounds the data used.
    public func propose(store: any IncidentStore & CycleStore, at: Date, id: String) async throws -> ZoneCycle {
        guard let jurisdiction = try await store.jurisdiction() else { throw ProposalError.noJurisdiction }
        let inForce = try await store.latestApprovedCycle(startedBy: at)
        let active: ZoneCycle? = try inForce.map { try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: $0.document) }
        let latestBatch = try await store.batches().map(\.id).max() ?? 0
        let boosts: [PriorityBoost]? = if let operations = store as? any OperationsStore { try await PriorityBoost.current(in: operations,
            at: at) } else { nil }
        let provenance = ProposalProvenance(
            origin: at, windowHours: windowHours, model: model, cellSizeMeters: cellSizeMeters, trainingDays: trainingDays,
            includePoliceInitiated: includePoliceInitiated, targets: targets.sorted(), weights: try await store.harmWeights(), constraints: constraints,
            stability: stability, latestBatchID: latestBatch, incidentCount: 0, incidentDigest: "", activeCycleID: inForce?.id,
            activeZones: (active?.approvedZones ?? active?.proposal.zones ?? []).map(\.cells), activeSince: inForce?.startsAt,
            softwareVersion: Self.softwareVersion,
            priorityBoosts: boosts, staticLayers: staticLayers.isEmpty ? nil : staticLayers)
        return try await compute(store: store, jurisdiction: jurisdiction, provenance: provenance, id: id)
    }

    /// Recomputes a recorded proposal from its provenance alone; throws if the data it used has changed. `clock` and
    /// `logger` as for a new proposal.
    public static func replay(_ cycle: ZoneCycle, store: any IncidentStore & CycleStore, clock: (@Sendable () -> Date)? = nil,
                              logger: Logger = ProposalService.silentLogger) async throws -> ZoneCycle {
        guard let jurisdiction = try await store.jurisdiction() else { throw ProposalError.noJurisdiction }
        let p = cycle.provenance
        let service = ProposalService(model: p.model, windowHours: p.windowHours, cellSizeMeters: p.cellSizeMeters, trainingDays: p.trainingDays,
                                      includePoliceInitiated: p.includePoliceInitiated, targets: Set(p.targets), constraints: p.constraints,
                                      stability: p.stability, staticLayers: p.staticLayers ?? [], clock: clock, logger: logger)
        return try await service.compute(store: store, jurisdiction: jurisdiction, provenance: p, id: cycle.id, expectedDigest: p.incidentDigest)
    }

    func compute(store: any IncidentStore & CycleStore, jurisdiction: Jurisdiction, provenance p: ProposalProvenance, id: String,
                 expectedDigest: String? = nil) async throws -> ZoneCycle {
        let at = p.origin
        let (clock, logger) = (self.clock, self.logger)
        var mark = clock?()
        func lap(_ what: String) {
            let now = clock?()
            if let now, let mark {
                logger.debug("\(what) \(String(format: "%.3f", now.timeIntervalSince(mark))) s")
            } else {
                logger.debug("\(what) done")
            }
            mark = now
        }
        // The grid needs only the boundary: it is laid out on the second core while the store reads the incidents.
        let laidOut = BackgroundWork { Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: p.cellSizeMeters) }
        let all = try await store.incidents(IncidentQuery(occurredFrom: at.addingTimeInterval(-p.trainingDays * 86_400), occurredBefore: at,
                                                    includePoliceInitiated: p.includePoliceInitiated, includeRawRow: false))
            .filter { ($0.batchID ?? 0) <= p.latestBatchID && $0.occurredAt.addingTimeInterval(Double($0.occurredPrecision.intervalSeconds)) <= at }
        guard !all.isEmpty else { throw ProposalError.noIncidents(at) }
        lap("load incidents")
        // The digest is recorded, but only a replay needs it before forecasting (to refuse changed data at once);
        // a new proposal computes it on whichever core is free meanwhile (its "digest" phase then only starts it).
        let digest: BackgroundWork<String>
        if let expectedDigest {
            let replayed = Self.digest(all)
            if expectedDigest != replayed {
                throw ProposalError.provenanceMismatch("\(all.count) incidents now give digest \(replayed.prefix(12))…, "
                                                       + "the proposal recorded \(expectedDigest.prefix(12))… (\(p.incidentCount) incidents)")
            }
            digest = .done(replayed)
        } else {
            digest = BackgroundWork { Self.digest(all) }
        }
        lap("digest")
        let grid = laidOut.value
        let window = ForecastWindow(start: at, hours: p.windowHours)
        let events = EventSet(all, includePoliceInitiated: p.includePoliceInitiated)
        let input = ForecastInput(history: events, grid: grid, window: window, targets: Set(p.targets), weights: p.weights)
        let forecast = try Self.forecastModel(p).forecast(input)
        let (surface, boostedBy) = forecast.surface.boosted(by: p.priorityBoosts ?? [], projection: jurisdiction.projection)
        lap("grid and forecast")
        let optimizer = ZoneOptimizer(constraints: p.constraints)
        let activeZones = p.activeZones.map { Zone(cells: $0, surface: surface) }
        // The point process says how much of each zone's risk is recent triggering; it only feeds the briefing,
        // so it runs on the second core while the optimiser works (a looser convergence than a forecast needs).
        let violent = events.only(Set(p.targets))
        let fitted = BackgroundWork {
            Result {
                try SelfExcitingModel(maxIterations: 60, tolerance: 1e-3).fit(violent, observationEnd: at.timeIntervalSince1970)
                    .components(grid: grid, window: window)
            }
        }
        let (plan, decisions) = try p.stability.propose(surface: surface, active: activeZones, activeSince: p.activeSince, at: at, optimizer: optimizer)
        lap("optimise and stability")
        var components: SelfExcitingComponents?
        switch fitted.value {
        case .success(let c): components = c
        case .failure(let error):
            // The zones stand without it; only their explanations lose the triggered share.
            logger.warning("cycle \(id): the point-process fit failed, so the explanations leave out the triggered share: \(error)")
        }
        lap("point process for explanations")
        var drivers: [String?] = plan.zones.map { _ in nil }
        do { drivers = try Self.driverSentences(p, selected: forecast.selected, input: input, zones: plan.zones) } catch {
            // As for the point process: the zones stand, only their explanations go without the drivers.
            logger.warning("cycle \(id): explaining the boosted model's zones failed, so the explanations leave out its drivers: \(error)")
        }
        var zones: [ZoneCycle.ExplainedZone] = []
        for (k, z) in plan.zones.enumerated() {
            let label = "Zone Z\(k + 1)"
            let decision = decisions.first { $0.zone.cells == z.cells && $0.status != .retired }
            var explanation = ZoneExplanation.explain(zone: z, grid: grid, surfaceTotal: plan.surfaceTotal, incidents: all, origin: at,
                                                      triggeredShare: components?.triggeredShare(cells: z.cells), label: label)
            let items = Set(z.cells.compactMap { boostedBy[$0] }).sorted()
            if !items.isEmpty {
                let boosted = z.cells.filter { boostedBy[$0] != nil }.count
                explanation.text += " Priority raised by intelligence (\(items.joined(separator: ", "))) over \(boosted) of its \(z.cells.count) cells."
            }
            if let d = drivers[k] { explanation.text += " " + d }
            zones.append(ZoneCycle.ExplainedZone(id: "Z\(k + 1)", status: decision?.status ?? .new, reason: decision?.reason ?? "", zone: z,
                                                 explanation: explanation))
        }
        lap("explanations")
        var provenance = p
        provenance.incidentCount = all.count
        provenance.incidentDigest = digest.value
        provenance.selectedModel = forecast.selected
        return ZoneCycle(id: id, status: .proposed, startsAt: at, endsAt: window.end, proposal: plan, zones: zones,
                         retired: decisions.filter { $0.status == .retired }, approvedZones: nil, approvalReason: nil,
                         forecastParameters: forecast.parameters, provenance: provenance)
    }

    /// SHA-256 over the incidents in id order: id, start time, precision, category and position (to the millimetre).
    static func digest(_ incidents: [Incident]) -> String {
        var hasher = SHA256()
        for i in incidents.sorted(by: { $0.id < $1.id }) {
            // Two updates hash the same bytes as one line would (SHA-256 is over the concatenation).
            hasher.update(data: Data("\(i.id)|\(Int64(i.occurredAt.timeIntervalSince1970))|\(i.occurredPrecision.rawValue)|\(i.category.rawValue)|".utf8))
            hasher.update(data: Data("\(Int64((i.position.xMeters * 1000).rounded()))|\(Int64((i.position.yMeters * 1000).rounded()))\n".utf8))
        }
        return hasher.finalize().hexText
    }
}

/// Work started on another core now and read later: `value` waits for it (the wait orders the write before the read).
/// The proposal's grid, digest and explanation fit run beside the store read and the optimiser this way.
final class BackgroundWork<T>: @unchecked Sendable {
    private var result: T?
    private let group = DispatchGroup()

    init(_ work: @escaping @Sendable () -> T) {
        DispatchQueue.global().async(group: group) { self.result = work() }
    }

    private init(result: T) { self.result = result }

    /// Already done (as a replay's digest, checked before anything else runs).
    static func done(_ value: T) -> BackgroundWork<T> { BackgroundWork(result: value) }

    var value: T {
        group.wait()
        return result!
    }
}

extension JSONDecoder {
    public static var zoneCast: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}

extension JSONEncoder {
    public static var zoneCast: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys]
        return e
    }
}

extension ZoneCycle {
    public func record(createdAt: Date) throws -> CycleRecord {
        CycleRecord(id: id, status: status, startsAt: startsAt, endsAt: endsAt, createdAt: createdAt, document: try JSONEncoder.zoneCast.encode(self))
    }
}
