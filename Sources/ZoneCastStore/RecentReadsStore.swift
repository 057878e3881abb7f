public import Foundation
public import ZoneCastAccess
public import ZoneCastCore
public import ZoneCastOperations

/// A store that answers the small reads every request repeats (the jurisdiction, the data version, the cycle in
/// force, the viewer's account, a cycle's deployments and document fingerprints) from what it read within the
/// last `maxAge`, and forwards everything else to `base`.
///
/// Why: a page view asked PostgreSQL about eleven questions, most of them the same as the request before it; each
/// is a network round trip for the server and work for the database, and under `zonecast bench load` the queries,
/// not the pages, filled the 2-core machine.
///
/// What it costs: a change made by another process (a `zonecast import`, `zonecast users disable`) is seen up to
/// `maxAge` later. Changes made through this store are seen at once: each write forgets the reads it can affect
/// (an audit entry affects none of them; a saved document, its kind; a cycle, the cycle reads; an account, that
/// account; an import, everything). Incidents, batches and audit entries are never cached.
public final class RecentReadsStore: @unchecked Sendable {
    public let base: any AppStore
    public let maxAge: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let lock = NSLock()
    private var entries: [Key: (value: Any, at: ContinuousClock.Instant)] = [:]

    private enum Key: Hashable {
        case jurisdiction, harmWeights, dataVersion, newestCycle(CycleStatus), cycle(String)
        case cycleInForce
        case account(String)
        case fingerprint(kind: String, group: String?)
        case documents(kind: String, group: String?)
        case document(kind: String, id: String)

        var documentKind: String? {
            switch self {
            case .fingerprint(let kind, _), .documents(let kind, _), .document(let kind, _): kind
            default: nil
            }
        }

        var isCycleRead: Bool {
            switch self {
            case .newestCycle, .cycle, .cycleInForce: true
            default: false
            }
        }
    }

    /// `now`: the clock ages are measured with (tests pass their own).
    public init(_ base: any AppStore, maxAge: Duration = .milliseconds(250), now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.base = base
        self.maxAge = maxAge
        self.now = now
    }

    private func cached<T: Sendable>(_ key: Key, _ read: () async throws -> T) async rethrows -> T {
        let t = now()
        let hit: T? = lock.withLock {
            if let hit = entries[key], t - hit.at < maxAge, let value = hit.value as? T { return value }
            return nil
        }
        if let hit { return hit }
        let value = try await read()
        lock.withLock {
            if entries.count > 4_096 { entries.removeAll() }
            entries[key] = (value, t)
        }
        return value
    }

    private func forget(where shouldForget: (Key) -> Bool) {
        lock.lock()
        entries = entries.filter { !shouldForget($0.key) }
        lock.unlock()
    }

    private func forgetAll() {
        lock.lock()
        entries.removeAll()
        lock.unlock()
    }
}

extension RecentReadsStore: IncidentStore {
    public func jurisdiction() async throws -> Jurisdiction? { try await cached(.jurisdiction) { try await base.jurisdiction() } }

    public func setJurisdiction(_ jurisdiction: Jurisdiction) async throws {
        defer { forget { $0 == .jurisdiction } }
        try await base.setJurisdiction(jurisdiction)
    }

    public func harmWeights() async throws -> HarmWeights { try await cached(.harmWeights) { try await base.harmWeights() } }

    public func setHarmWeights(_ weights: HarmWeights) async throws {
        defer { forget { $0 == .harmWeights } }
        try await base.setHarmWeights(weights)
    }

    public func importBatch(_ info: ImportBatchInfo, weights: HarmWeights, clock: @Sendable () -> Date,
                            _ body: (any ImportWriter) async throws -> ImportCounts) async throws -> ImportBatch {
        defer { forgetAll() }
        return try await base.importBatch(info, weights: weights, clock: clock, body)
    }

    public func completedBatch(source: String, fileSHA256: String) async throws -> ImportBatch? {
        try await base.completedBatch(source: source, fileSHA256: fileSHA256)
    }
    public func batches() async throws -> [ImportBatch] { try await base.batches() }
    public func dataVersion() async throws -> Int64 { try await cached(.dataVersion) { try await base.dataVersion() } }
    public func incident(_ id: IncidentID) async throws -> Incident? { try await base.incident(id) }
    public func incidents(_ query: IncidentQuery) async throws -> [Incident] { try await base.incidents(query) }
    public func countIncidents(_ query: IncidentQuery) async throws -> Int { try await base.countIncidents(query) }
    public func countsByCategoryAndMonth(_ query: IncidentQuery) async throws -> [CategoryMonthCount] { try await base.countsByCategoryAndMonth(query) }
    public func quarantinedRows(batchID: Int64?, reason: QuarantineReason?, limit: Int, offset: Int) async throws -> [QuarantinedRow] {
        try await base.quarantinedRows(batchID: batchID, reason: reason, limit: limit, offset: offset)
    }
    public func summary() async throws -> StoreSummary { try await base.summary() }
}

extension RecentReadsStore: CycleStore {
    public func saveCycle(_ record: CycleRecord) async throws {
        defer { forget(where: \.isCycleRead) }
        try await base.saveCycle(record)
    }

    public func cycle(id: String) async throws -> CycleRecord? { try await cached(.cycle(id)) { try await base.cycle(id: id) } }
    public func cycles() async throws -> [CycleRecord] { try await base.cycles() }

    /// The cycle found for an earlier instant is reused while it is younger than `maxAge` and still in force at
    /// the instant asked (a cycle ending in between is asked again); "none in force" is never reused.
    public func cycleInForce(at date: Date) async throws -> CycleRecord? {
        let t = now()
        let hit: CycleRecord? = lock.withLock {
            if let hit = entries[.cycleInForce], t - hit.at < maxAge, let record = hit.value as? CycleRecord, record.startsAt <= date, date < record.endsAt {
                return record
            }
            return nil
        }
        if let hit { return hit }
        let record = try await base.cycleInForce(at: date)
        lock.withLock {
            if let record { entries[.cycleInForce] = (record, t) } else { entries[.cycleInForce] = nil }
        }
        return record
    }

    public func newestCycle(status: CycleStatus) async throws -> CycleRecord? {
        try await cached(.newestCycle(status)) { try await base.newestCycle(status: status) }
    }
}

extension RecentReadsStore: AccountStore {
    public func addAccount(_ account: Account) async throws {
        defer { forget { $0 == .account(account.username) } }
        try await base.addAccount(account)
    }

    public func updateAccount(_ account: Account) async throws {
        defer { forget { $0 == .account(account.username) } }
        try await base.updateAccount(account)
    }

    public func deleteAccount(username: String) async throws {
        defer { forget { $0 == .account(username) } }
        try await base.deleteAccount(username: username)
    }

    public func account(username: String) async throws -> Account? { try await cached(.account(username)) { try await base.account(username: username) } }
    public func accounts() async throws -> [Account] { try await base.accounts() }
}

extension RecentReadsStore: OperationsStore {
    @discardableResult public func apply(_ changes: [StoreChange]) async throws -> [AuditEntry] {
        defer { forgetReads(after: changes) }
        return try await base.apply(changes)
    }

    public func apply(_ changes: [StoreChange], tracking kind: String, group: String?) async throws -> TrackedWrite {
        defer { forgetReads(after: changes) }
        return try await base.apply(changes, tracking: kind, group: group)
    }

    /// Drops what the changes may have made stale: the documents of every kind saved, and the cycle reads.
    private func forgetReads(after changes: [StoreChange]) {
        var kinds = Set<String>(), cycles = false
        for change in changes {
            switch change {
            case .saveDocument(let d): kinds.insert(d.kind)
            case .saveCycle: cycles = true
            case .audit: break
            }
        }
        if !kinds.isEmpty || cycles {
            forget { key in (key.documentKind.map(kinds.contains) ?? false) || (cycles && key.isCycleRead) }
        }
    }

    public func document(kind: String, id: String) async throws -> DocumentData? {
        try await cached(.document(kind: kind, id: id)) { try await base.document(kind: kind, id: id) }
    }

    /// Lists are kept (a cycle's deployments, the meetings and intelligence on every dashboard) with their
    /// fingerprint, and reused only while the fingerprint this store reports is the same: a reader that sees a new
    /// fingerprint (its own decoded copy is then out of date) always gets a list read after it. Lists longer than
    /// `maxKeptDocuments` are not kept (a whole kind can be years of records).
    public func documents(kind: String, group: String?) async throws -> [DocumentData] {
        let fingerprint = try await documentsFingerprint(kind: kind, group: group)
        let key = Key.documents(kind: kind, group: group)
        let hit: [DocumentData]? = lock.withLock {
            if let hit = entries[key], let (seen, list) = hit.value as? (String, [DocumentData]), seen == fingerprint { return list }
            return nil
        }
        if let hit { return hit }
        let list = try await base.documents(kind: kind, group: group)
        lock.withLock {
            entries[key] = list.count <= Self.maxKeptDocuments ? ((fingerprint, list), now()) : nil
        }
        return list
    }

    public static let maxKeptDocuments = 20_000

    public func documentsFingerprint(kind: String, group: String?) async throws -> String {
        try await cached(.fingerprint(kind: kind, group: group)) { try await base.documentsFingerprint(kind: kind, group: group) }
    }

    public func auditEntries(from sequence: Int64, limit: Int) async throws -> [AuditEntry] { try await base.auditEntries(from: sequence, limit: limit) }
    public func latestAuditEntries(limit: Int) async throws -> [AuditEntry] { try await base.latestAuditEntries(limit: limit) }
    public func auditKeying() async throws -> AuditKeying { try await base.auditKeying() }
}
