public import Foundation
public import ZoneCastAccess
public import ZoneCastCore
public import ZoneCastOperations

/// The store held in memory, with the same transactional and de-duplication rules as SQLite: an import works
/// on a copy of the state that replaces the original only when the whole batch succeeds.
public final class InMemoryIncidentStore: IncidentStore, CycleStore, AccountStore, @unchecked Sendable {
    struct SeenRow {
        var fingerprint: RowFingerprint
        var batchID: Int64
        var line: Int
    }

    struct State {
        var jurisdiction: Jurisdiction?
        var weights: HarmWeights = .cambridgeDefaults
        var incidents: [IncidentID: Incident] = [:]
        /// The first row of each incident.
        var firstRows: [IncidentID: SeenRow] = [:]
        /// Rows of multi-row records, by incident and row key.
        var keyedRows: [IncidentID: [String: SeenRow]] = [:]
        var quarantine: [QuarantinedRow] = []
        var quarantinedFingerprints: [RowFingerprint: SeenRow] = [:]
        var batches: [ImportBatch] = []
        var nextBatchID: Int64 = 1
        var cycles: [String: CycleRecord] = [:]
        var accounts: [String: Account] = [:]
        var documents: [String: [String: DocumentData]] = [:]
        /// Writes per kind and group, as the databases' `document_version` counters (the fingerprints).
        var documentVersions: [String: [String: Int64]] = [:]
        var audit: [AuditEntry] = []
    }

    var state = State()
    private let lock = NSLock()
    /// One import at a time (an import's body awaits, so it cannot hold `lock`).
    private let importGate = AsyncGate()
    /// The audit chain's key: with one, every entry is keyed (a new in-memory store has no unkeyed past).
    let auditKey: AuditKey?
    /// The street layer (InMemoryIncidentStore+Streets), read and written under `lock`.
    let streetBox = InMemoryStreetLayerBox()

    public init(auditKey: AuditKey? = nil) {
        self.auditKey = auditKey
    }

    func locked<T>(_ body: (inout State) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }

    public func jurisdiction() async throws -> Jurisdiction? { locked { $0.jurisdiction } }

    public func setJurisdiction(_ jurisdiction: Jurisdiction) async throws {
        try locked { s in
            if let existing = s.jurisdiction, existing.name != jurisdiction.name {
                throw StoreError.jurisdictionMismatch(stored: existing.name, requested: jurisdiction.name)
            }
            s.jurisdiction = jurisdiction
        }
    }

    public func addAccount(_ account: Account) async throws {
        try locked { s in
            guard s.accounts[account.username] == nil else { throw AccessError.duplicateUsername(account.username) }
            s.accounts[account.username] = account
        }
    }

    public func updateAccount(_ account: Account) async throws {
        try locked { s in
            guard s.accounts[account.username] != nil else { throw AccessError.unknownUsername(account.username) }
            s.accounts[account.username] = account
        }
    }

    public func deleteAccount(username: String) async throws {
        try locked { s in
            guard s.accounts.removeValue(forKey: username) != nil else { throw AccessError.unknownUsername(username) }
        }
    }

    public func account(username: String) async throws -> Account? { locked { $0.accounts[username] } }
    public func accounts() async throws -> [Account] { locked { $0.accounts.values.sorted { $0.username < $1.username } } }

    public func saveCycle(_ record: CycleRecord) async throws { locked { $0.cycles[record.id] = record } }
    public func cycle(id: String) async throws -> CycleRecord? { locked { $0.cycles[id] } }
    public func cycles() async throws -> [CycleRecord] {
        locked { s in s.cycles.values.sorted { ($0.startsAt, $0.id) > ($1.startsAt, $1.id) } }
    }

    public func harmWeights() async throws -> HarmWeights { locked { $0.weights } }

    public func setHarmWeights(_ weights: HarmWeights) async throws { locked { $0.weights = weights } }

    final class Writer: ImportWriter, @unchecked Sendable {
        var working: State
        let batchID: Int64
        let weights: HarmWeights

        init(working: State, batchID: Int64, weights: HarmWeights) {
            self.working = working
            self.batchID = batchID
            self.weights = weights
        }

        func write(_ rows: [ImportRow]) async throws -> [RowDisposition] {
            rows.map { row in
                switch row {
                case .incident(let i, let f, let key, let line): acceptOne(i, fingerprint: f, rowKey: key, lineNumber: line)
                case .rejected(let q, let f): quarantineOne(q, fingerprint: f)
                }
            }
        }

        /// An identical row already seen: `earlier` (unchanged, or still quarantined) if from an earlier batch,
        /// else an exact duplicate.
        private func repeatOf(_ seen: SeenRow, source: String, line: Int, raw: String, fingerprint: RowFingerprint,
                              earlier: RowDisposition = .unchanged) -> RowDisposition {
            if seen.batchID != batchID { return earlier }
            record(QuarantinedRow(batchID: batchID, lineNumber: line, source: source, reason: .exactDuplicate, field: nil, value: nil,
                                  message: "identical to line \(seen.line)", rawRow: raw), fingerprint: fingerprint)
            return .quarantined(.exactDuplicate)
        }

        private func record(_ row: QuarantinedRow, fingerprint: RowFingerprint) {
            working.quarantine.append(row)
            if working.quarantinedFingerprints[fingerprint] == nil {
                working.quarantinedFingerprints[fingerprint] = SeenRow(fingerprint: fingerprint, batchID: batchID, line: row.lineNumber)
            }
        }

        private func duplicateRecord(_ incident: Incident, fingerprint: RowFingerprint, line: Int) -> RowDisposition {
            if let seen = working.quarantinedFingerprints[fingerprint] {
                return repeatOf(seen, source: incident.id.source, line: line, raw: incident.rawRow, fingerprint: fingerprint, earlier: .stillQuarantined)
            }
            record(QuarantinedRow(batchID: batchID, lineNumber: line, source: incident.id.source, reason: .duplicateRecord, field: "id",
                                  value: incident.id.recordID,
                                  message: "record \(incident.id.recordID) was already imported with different content for the same row key",
                                  rawRow: incident.rawRow), fingerprint: fingerprint)
            return .quarantined(.duplicateRecord)
        }

        func acceptOne(_ incident: Incident, fingerprint: RowFingerprint, rowKey: String?, lineNumber: Int) -> RowDisposition {
            let row = SeenRow(fingerprint: fingerprint, batchID: batchID, line: lineNumber)
            guard var existing = working.incidents[incident.id] else {
                var fresh = incident
                fresh.batchID = batchID
                working.incidents[incident.id] = fresh
                working.firstRows[incident.id] = row
                if let rowKey { working.keyedRows[incident.id, default: [:]][rowKey] = row }
                return .inserted
            }
            guard let rowKey else {
                let first = working.firstRows[incident.id]!
                if first.fingerprint == fingerprint {
                    return repeatOf(first, source: incident.id.source, line: lineNumber, raw: incident.rawRow, fingerprint: fingerprint)
                }
                return duplicateRecord(incident, fingerprint: fingerprint, line: lineNumber)
            }
            if let seen = working.keyedRows[incident.id]?[rowKey] {
                if seen.fingerprint == fingerprint {
                    return repeatOf(seen, source: incident.id.source, line: lineNumber, raw: incident.rawRow, fingerprint: fingerprint)
                }
                return duplicateRecord(incident, fingerprint: fingerprint, line: lineNumber)
            }
            working.keyedRows[incident.id, default: [:]][rowKey] = row
            existing.merge(incident, weights: weights)
            working.incidents[incident.id] = existing
            return .merged
        }

        func quarantineOne(_ row: QuarantinedRow, fingerprint: RowFingerprint) -> RowDisposition {
            if let seen = working.quarantinedFingerprints[fingerprint] {
                return repeatOf(seen, source: row.source, line: row.lineNumber, raw: row.rawRow, fingerprint: fingerprint, earlier: .stillQuarantined)
            }
            var row = row
            row.batchID = batchID
            record(row, fingerprint: fingerprint)
            return .quarantined(row.reason)
        }
    }

    public func importBatch(_ info: ImportBatchInfo, weights: HarmWeights, clock: @Sendable () -> Date,
                            _ body: (any ImportWriter) async throws -> ImportCounts) async throws -> ImportBatch {
        try await importGate.run {
            let start = try locked { s in
                if let conflict = s.jurisdiction.bindingConflict(with: info.jurisdiction) { throw conflict }
                return s
            }
            let batchID = start.nextBatchID
            let writer = Writer(working: start, batchID: batchID, weights: weights)
            let counts = try await body(writer)
            let imported = writer.working
            let batch = ImportBatch(id: batchID, info: info, finishedAt: clock(), counts: counts)
            // The import's own part of the state replaces the original; what other callers changed meanwhile
            // (documents, cycles, accounts, audit entries: imports never touch them) is kept.
            return try locked { s in
                var committed = s
                if let conflict = committed.jurisdiction.bindingConflict(with: info.jurisdiction) { throw conflict }
                committed.incidents = imported.incidents
                committed.firstRows = imported.firstRows
                committed.keyedRows = imported.keyedRows
                committed.quarantine = imported.quarantine
                committed.quarantinedFingerprints = imported.quarantinedFingerprints
                committed.batches.append(batch)
                committed.nextBatchID += 1
                // Bound and audited in the same commit as the rows: a failed import leaves neither.
                if committed.jurisdiction == nil, let j = info.jurisdiction { committed.jurisdiction = j }
                if let actor = info.auditActor { _ = applying([.audit(batch.auditDraft(actor: actor))], to: &committed) }
                s = committed
                return batch
            }
        }
    }

    public func completedBatch(source: String, fileSHA256: String) async throws -> ImportBatch? {
        locked { s in s.batches.first { $0.info.source == source && $0.info.fileSHA256 == fileSHA256 } }
    }

    public func batches() async throws -> [ImportBatch] { locked { $0.batches } }

    public func incident(_ id: IncidentID) async throws -> Incident? { locked { $0.incidents[id] } }

    public func incidents(_ query: IncidentQuery) async throws -> [Incident] {
        var sorted = locked { s in s.incidents.values.filter(query.matches) }
            .sorted { ($0.occurredAt, $0.id.source, $0.id.recordID) < ($1.occurredAt, $1.id.source, $1.id.recordID) }
        if !query.includeRawRow { for k in sorted.indices { sorted[k].rawRow = "" } }
        if let limit = query.limit { return Array(sorted.prefix(limit)) }
        return sorted
    }

    public func countIncidents(_ query: IncidentQuery) async throws -> Int {
        var q = query
        q.limit = nil
        let n = locked { s in s.incidents.values.reduce(0) { $0 + (q.matches($1) ? 1 : 0) } }
        return query.limit.map { min($0, n) } ?? n
    }

    public func countsByCategoryAndMonth(_ query: IncidentQuery) async throws -> [CategoryMonthCount] {
        .tally(locked { s in s.incidents.values.filter(query.matches) })
    }

    public func quarantinedRows(batchID: Int64?, reason: QuarantineReason?, limit: Int, offset: Int) async throws -> [QuarantinedRow] {
        let rows = locked { s in
            s.quarantine.filter { (batchID == nil || $0.batchID == batchID) && (reason == nil || $0.reason == reason) }
        }.sorted { ($0.batchID, $0.lineNumber) < ($1.batchID, $1.lineNumber) }
        return Array(rows.dropFirst(offset).prefix(limit))
    }

    public func summary() async throws -> StoreSummary {
        locked { s in
            var byCategory: [HarmCategory: Int] = [:]
            var first: Date?, last: Date?
            var police = 0
            for i in s.incidents.values {
                byCategory[i.category, default: 0] += 1
                first = min(first ?? i.occurredAt, i.occurredAt)
                last = max(last ?? i.occurredAt, i.occurredAt)
                if i.policeInitiated { police += 1 }
            }
            var quarantined: [QuarantineReason: Int] = [:]
            for q in s.quarantine { quarantined[q.reason, default: 0] += 1 }
            return StoreSummary(
                jurisdictionName: s.jurisdiction?.name, incidents: s.incidents.count, firstOccurredAt: first, lastOccurredAt: last,
                incidentsByCategory: byCategory, policeInitiatedIncidents: police, quarantinedByReason: quarantined, batches: s.batches.count)
        }
    }
}
