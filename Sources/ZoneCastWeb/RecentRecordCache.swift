import Foundation
import ZoneCastCore
import ZoneCastEvaluation
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastZoning

/// How each proposal's model did at the proposal's zone area over the windows before its cycle
/// (`RecentBudgetRecord`), worked out once per cycle and kept: it fits the model and naive in every window, and a
/// cycle's provenance pins its data, so the answer never changes. Failures are kept too (a model that cannot fit
/// the early windows will not fit them on the next page view either).
///
/// Pages never wait for it: on a large city the sixteen fits take seconds, and the dashboard is everyone's first
/// page. The first view starts the work in the background and says so; the views after it show the result.
actor RecentRecordCache {
    typealias Outcome = Result<RecentBudgetRecord, any Error>

    /// Windows scored before the cycle start: with 96-hour cycles, the last month.
    static let windows = 8

    private var done: [String: Outcome] = [:]
    private var running: [String: Task<Outcome, Never>] = [:]
    private var order: [String] = []
    private let capacity = 16

    /// The record of `cycle` if it is worked out; otherwise starts working it out (once) and returns nil.
    func recordIfReady(of cycle: ZoneCycle, store: any IncidentStore, grid: Grid) -> Outcome? {
        if let outcome = done[cycle.id] { return outcome }
        _ = start(cycle, store: store, grid: grid)
        return nil
    }

    /// The record of `cycle`, waiting for it (and starting it when nobody has).
    func record(of cycle: ZoneCycle, store: any IncidentStore, grid: Grid) async -> Outcome {
        if let outcome = done[cycle.id] { return outcome }
        return await start(cycle, store: store, grid: grid).value
    }

    private func start(_ cycle: ZoneCycle, store: any IncidentStore, grid: Grid) -> Task<Outcome, Never> {
        if let task = running[cycle.id] { return task }
        let id = cycle.id
        let task = Task { () -> Outcome in
            let outcome: Outcome
            do { outcome = .success(try await Self.compute(cycle, store: store, grid: grid)) } catch { outcome = .failure(error) }
            await self.finish(id, outcome)
            return outcome
        }
        running[id] = task
        return task
    }

    private func finish(_ id: String, _ outcome: Outcome) {
        running[id] = nil
        done[id] = outcome
        order.append(id)
        if order.count > capacity { done[order.removeFirst()] = nil }
    }

    /// The incidents the windows and their training spans need (as the proposal loaded them: the same batches and
    /// police-initiated choice), scored at the cells the proposal's zones cover.
    static func compute(_ cycle: ZoneCycle, store: any IncidentStore, grid: Grid) async throws -> RecentBudgetRecord {
        let p = cycle.provenance
        let span = Double(windows) * p.windowHours * 3_600 + p.trainingDays * 86_400
        let incidents = try await store.incidents(IncidentQuery(occurredFrom: p.origin.addingTimeInterval(-span), occurredBefore: p.origin,
                                                               includePoliceInitiated: p.includePoliceInitiated, includeRawRow: false))
            .filter { ($0.batchID ?? 0) <= p.latestBatchID }
        let cells = Set(cycle.zones.flatMap(\.zone.cells)).count
        return try RecentBudgetRecord.compute(events: EventSet(incidents, includePoliceInitiated: p.includePoliceInitiated), grid: grid,
                                              modelName: p.modelShown, forecast: { try ProposalService.recordedForecast(p, input: $0) },
                                              cells: cells, before: p.origin, windows: windows, windowHours: p.windowHours,
                                              trainingDays: p.trainingDays, targets: Set(p.targets), weights: p.weights)
    }
}

extension WebEnvironment {
    /// The sentence saying how `cycle`'s model did at its zones' area over recent windows, beside naive (or that it is
    /// being worked out: the first view starts it).
    func recentRecordText(_ cycle: ZoneCycle) async throws -> HTML {
        guard let jurisdiction = try await store.jurisdiction() else { return "" }
        let grid = await surfaces.grid(for: jurisdiction, cellSizeMeters: cycle.provenance.cellSizeMeters)
        return RecentRecordText.html(await recentRecords.recordIfReady(of: cycle, store: store, grid: grid), model: cycle.provenance.modelShown)
    }
}

/// The record in plain words: hit rates as whole percentages of the windows' harm incidents, the area as a share
/// of the city to two decimals, with how many windows and incidents it rests on.
enum RecentRecordText {
    static func html(_ result: RecentRecordCache.Outcome?, model: String) -> HTML {
        let r: RecentBudgetRecord
        switch result {
        case nil:
            return """
                <span class="recent-record">How this model did at the zones' area over the last \(RecentRecordCache.windows) windows before this \
                cycle is being worked out (the model is fitted again in each window): reload the page in a minute.</span>
                """
        case .success(let record)?: r = record
        case .failure(let error)?:
            let why = String(describing: error)
            return "<span class=\"recent-record\">How this model did at the zones' area before this cycle could not be worked out: \(why).</span>"
        }
        let lead: HTML = """
            Over the last \(r.windows) windows of \(r.windowHours, decimals: 0) h before this cycle, the zones' area \
            (\(r.areaShare * 100, decimals: 2) % of the city, \(r.cells) cells)
            """
        guard !r.tooFewIncidents, let modelRate = r.model.hitRate, let naiveRate = r.naive.hitRate else {
            let saw = r.incidents == 1 ? "1 harm incident" : "\(FixedText.grouped(r.incidents)) harm incidents"
            return "<span class=\"recent-record\">\(lead) saw \(saw) in all: too few incidents to say how this model does there.</span>"
        }
        return """
            <span class="recent-record">\(lead) held \(modelRate * 100, decimals: 0) % of \(FixedText.grouped(r.incidents)) harm incidents with this model \
            (\(model)\(pai(r.model.pai))); counting last year's incidents held \(naiveRate * 100, decimals: 0) %\(pai(r.naive.pai)).</span>
            """
    }

    private static func pai(_ value: Double?) -> HTML? { value.map { v -> HTML in ", PAI \(v, decimals: 1)" } }
}
