public import Foundation
public import PostgresNIO
public import ZoneCastCore
public import ZoneCastOperations
public import ZoneCastStore

/// The production store: PostgreSQL through PostgresNIO, behind the same async protocols as the SQLite and
/// in-memory stores, and checked by the same test suite.
///
/// Connections: each call leases one from PostgresNIO's `PostgresClient` pool (`PostgresPool`, at most `pool_size`
/// connections, default 4) and awaits its queries; no thread waits for a round trip. The store runs the client
/// itself (see `PostgresPool`); `close()` stops it.
///
/// Transactions: an import (`importBatch`) and a change list (`apply`) each run between BEGIN and COMMIT on one
/// connection, rolled back when anything throws, so all of it lands or none of it does. Imports are serialised by
/// an EXCLUSIVE lock on `import_batch` (readers are not blocked); audit appends by an EXCLUSIVE lock on `audit_log`
/// taken before the head is read, so two appends can never both follow the same entry.
public final class PostgresIncidentStore: IncidentStore, CycleStore, AccountStore, OperationsStore, Sendable {
    let pool: PostgresPool
    let decodedJurisdiction = DecodedJurisdiction()
    /// The schema holding ZoneCast's tables, when the URL or the caller named one; else the user's default.
    public let schema: String?
    /// Where the store connects, without the password.
    public let location: String
    /// The audit chain's key (nil: entries are appended unkeyed, which a keyed database refuses).
    let auditKey: AuditKey?
    /// The first keyed entry as recorded when this store opened (nil: the chain was not keyed then). Written once,
    /// at the end of `init` (after the migrations it needs), and only read after.
    nonisolated(unsafe) private(set) var auditKeyedFrom: Int64?

    public init(_ url: PostgresStoreURL, eventLoopGroup: (any EventLoopGroup)? = nil, migrate: Bool = true, auditKey: AuditKey? = nil) async throws {
        var logger = Logger(label: "zonecast.postgres")
        logger.logLevel = .critical
        schema = url.schema
        location = url.description
        self.auditKey = auditKey
        let group = eventLoopGroup ?? sharedPostgresEventLoopGroup
        pool = PostgresPool(configuration: try url.clientConfiguration(), eventLoopGroup: group, logger: logger)
        do {
            try await Self.probe(url, group: group, logger: logger)
        } catch StoreError.database(let m) {
            await pool.close()
            throw StoreError.database("cannot open \(location): \(m)")
        }
        if migrate {
            do {
                try await self.migrate()
            } catch let e as StoreError {
                if case .database(let m) = e { throw StoreError.database("cannot open \(location): \(m)") }
                throw e
            }
        }
        // Without migrations (`zonecast migrate --status`) the tables may not exist yet: nothing to anchor then.
        auditKeyedFrom = migrate || auditKey != nil ? try await Self.anchorAuditKey(auditKey, pool: pool, label: url.description) : nil
    }

    /// Opens and closes one connection, so an unreachable server or a refused login fails the open at once.
    static func probe(_ url: PostgresStoreURL, group: any EventLoopGroup, logger: Logger) async throws {
        try await wrap {
            let connection = try await PostgresConnection.connect(on: group.next(), configuration: try url.connectionConfiguration(), id: 0, logger: logger)
            try await connection.close()
        }
    }

    /// Closes every connection and stops the pool (see `PostgresPool`); the store is unusable after. A store that is
    /// simply dropped stops its pool too, without waiting.
    public func close() async {
        await pool.close()
    }

    // MARK: Settings

    func setting(_ key: String) async throws -> String? {
        try await wrap {
            try await pool.withConnection { s in
                try await s.query("SELECT value FROM setting WHERE key = \(key)").first.map { try $0.decode(String.self) }
            }
        }
    }

    public func jurisdiction() async throws -> Jurisdiction? {
        guard let json = try await setting("jurisdiction") else { return nil }
        return try decodedJurisdiction.decode(json)
    }

    public func setJurisdiction(_ jurisdiction: Jurisdiction) async throws {
        let json = String(decoding: try JSONEncoder().encode(jurisdiction), as: UTF8.self)
        try await wrap {
            try await pool.transaction { s in
                // The row lock makes check-then-set atomic against another process setting it at the same time.
                try await s.query("INSERT INTO setting (key, value) VALUES ('jurisdiction', '') ON CONFLICT (key) DO NOTHING")
                let existing = try await s.query("SELECT value FROM setting WHERE key = 'jurisdiction' FOR UPDATE").first.map { try $0.decode(String.self) }
                if let existing, let stored = try? JSONDecoder().decode(Jurisdiction.self, from: Data(existing.utf8)), stored.name != jurisdiction.name {
                    throw StoreError.jurisdictionMismatch(stored: stored.name, requested: jurisdiction.name)
                }
                try await s.query("UPDATE setting SET value = \(json) WHERE key = 'jurisdiction'")
            }
        }
    }

    public func harmWeights() async throws -> HarmWeights {
        guard let json = try await setting("harm_weights") else { return .cambridgeDefaults }
        do {
            return try JSONDecoder().decode(HarmWeights.self, from: Data(json.utf8))
        } catch {
            throw StoreError.corrupt("setting harm_weights: \(error)")
        }
    }

    public func setHarmWeights(_ weights: HarmWeights) async throws {
        let json = String(decoding: try JSONEncoder().encode(weights), as: UTF8.self)
        try await wrap {
            try await pool.withConnection { s in
                try await s.query("INSERT INTO setting (key, value) VALUES ('harm_weights', \(json)) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            }
        }
    }

    // MARK: Imports

    public func importBatch(_ info: ImportBatchInfo, weights: HarmWeights, clock: @Sendable () -> Date,
                            _ body: (any ImportWriter) async throws -> ImportCounts) async throws -> ImportBatch {
        try await wrap {
            try await pool.transaction { s in
                // One import at a time (as SQLite's single writer): the batch id is the next after the highest, as
                // in the other stores, and rows are judged against everything committed before. Readers go on.
                try await s.execute("LOCK TABLE import_batch IN EXCLUSIVE MODE")
                // The chunk statements join a few thousand keys against `incident`, which grows under the import
                // faster than its statistics: only index probes keep each chunk's cost independent of the table's
                // size (a hash join over a sequential scan would make the import quadratic).
                try await s.execute("SET LOCAL enable_hashjoin = off")
                try await s.execute("SET LOCAL enable_mergejoin = off")
                // The jurisdiction is bound in the import's transaction (a first import that fails leaves it unset),
                // under the same row lock as `setJurisdiction`.
                if let requested = info.jurisdiction {
                    try await s.query("INSERT INTO setting (key, value) VALUES ('jurisdiction', '') ON CONFLICT (key) DO NOTHING")
                    let existing = try await s.query("SELECT value FROM setting WHERE key = 'jurisdiction' FOR UPDATE")
                        .first.map { try $0.decode(String.self) } ?? ""
                    if existing.isEmpty {
                        let json = String(decoding: try JSONEncoder().encode(requested), as: UTF8.self)
                        try await s.query("UPDATE setting SET value = \(json) WHERE key = 'jurisdiction'")
                    } else if let conflict = (try? JSONDecoder().decode(Jurisdiction.self, from: Data(existing.utf8))).bindingConflict(with: requested) {
                        throw conflict
                    }
                }
                let batchID = try await s.query("SELECT coalesce(max(id), 0) + 1 FROM import_batch").first!.decode(Int64.self)
                let started = info.startedAt.timeIntervalSince1970
                try await s.query("""
                    INSERT INTO import_batch (id, source, mapping_name, file_name, file_sha256, started_at, finished_at, counts_json)
                    VALUES (\(batchID), \(info.source), \(info.mappingName), \(info.fileName), \(info.fileSHA256), \(started), \(started), '{}')
                    """)
                let writer = PostgresImportWriter(session: s, batchID: batchID, weights: weights)
                let counts = try await body(writer)
                try await writer.finish()
                let finished = clock()
                let countsJSON = String(decoding: try JSONEncoder().encode(counts), as: UTF8.self)
                try await s.query("UPDATE import_batch SET finished_at = \(finished.timeIntervalSince1970), counts_json = \(countsJSON) WHERE id = \(batchID)")
                let batch = ImportBatch(id: batchID, info: info, finishedAt: finished, counts: counts)
                if let actor = info.auditActor { _ = try await Self.apply([.audit(batch.auditDraft(actor: actor))], in: s, key: try appendKey()) }
                return batch
            }
        }
    }

    static let batchColumns = "id, source, mapping_name, file_name, file_sha256, started_at, finished_at, counts_json"

    public func completedBatch(source: String, fileSHA256: String) async throws -> ImportBatch? {
        try await wrap {
            try await pool.withConnection { s in
                try await s.query("""
                    SELECT \(unescaped: Self.batchColumns) FROM import_batch WHERE source = \(source) AND file_sha256 = \(fileSHA256) ORDER BY id LIMIT 1
                    """)
                    .first.map(Self.batch(from:))
            }
        }
    }

    public func batches() async throws -> [ImportBatch] {
        try await wrap {
            try await pool.withConnection { s in
                try await s.query("SELECT \(unescaped: Self.batchColumns) FROM import_batch ORDER BY id").map(Self.batch(from:))
            }
        }
    }

    /// The newest batch's id: imports are the only way incidents change.
    public func dataVersion() async throws -> Int64 {
        try await wrap { try await pool.withConnection { s in try await s.query("SELECT coalesce(max(id), 0) FROM import_batch").first!.decode(Int64.self) } }
    }

    static func batch(from row: PostgresRow) throws -> ImportBatch {
        let (id, source, mapping, file, sha, started, finished, countsJSON) = try row.decode(
            (Int64, String, String, String, String, Double, Double, String).self)
        let counts: ImportCounts
        do {
            counts = try JSONDecoder().decode(ImportCounts.self, from: Data(countsJSON.utf8))
        } catch {
            throw StoreError.corrupt("import_batch \(id) counts: \(error)")
        }
        return ImportBatch(
            id: id,
            info: ImportBatchInfo(source: source, mappingName: mapping, fileName: file, fileSHA256: sha, startedAt: Date(timeIntervalSince1970: started)),
            finishedAt: Date(timeIntervalSince1970: finished), counts: counts)
    }

    // MARK: Incidents

    /// Columns in the order `incident(from:)` decodes them (the raw row last).
    static let incidentColumnNames = [
        "source", "record_id", "category", "offence", "occurred_at", "occurred_precision", "time_zone", "local_date", "reported_at",
        "latitude", "longitude", "x", "y", "address", "firearm", "fatal", "police_initiated", "row_count", "batch_id",
    ]
    static let incidentColumns = incidentColumnNames.joined(separator: ", ")

    static func incident(from row: PostgresRow) throws -> Incident {
        let (source, recordID, categoryRaw, offence, occurredAt, precisionRaw, timeZone, localDate, reportedAt,
             latitude, longitude, x, y, address, firearm, fatal, policeInitiated, rowCount, batchID, rawRow) =
            try row.decode((String, String, String, String, Int64, String, String, Int, Int64?,
                            Double, Double, Double, Double, String?, Bool, Bool, Bool, Int, Int64, String).self)
        guard let category = HarmCategory(rawValue: categoryRaw) else { throw StoreError.corrupt("incident category \(categoryRaw)") }
        guard let precision = TimePrecision(rawValue: precisionRaw) else { throw StoreError.corrupt("incident precision \(precisionRaw)") }
        return Incident(
            id: IncidentID(source: source, recordID: recordID), category: category, offence: offence,
            occurredAt: Date(timeIntervalSince1970: TimeInterval(occurredAt)), occurredPrecision: precision, timeZoneIdentifier: timeZone,
            localDate: LocalDate(yyyymmdd: localDate), reportedAt: reportedAt.map { Date(timeIntervalSince1970: TimeInterval($0)) },
            location: GeoPoint(latitude: latitude, longitude: longitude), position: PlanarPoint(xMeters: x, yMeters: y), address: address,
            firearm: firearm, fatal: fatal, policeInitiated: policeInitiated, rowCount: rowCount, batchID: batchID, rawRow: rawRow)
    }

    public func incident(_ id: IncidentID) async throws -> Incident? {
        try await wrap {
            try await pool.withConnection { s in
                try await s.query("SELECT \(unescaped: Self.incidentColumns), raw_row FROM incident WHERE source = \(id.source) AND record_id = \(id.recordID)")
                    .first.map(Self.incident(from:))
            }
        }
    }

    public func incidents(_ query: IncidentQuery) async throws -> [Incident] {
        var (whereSQL, binds) = Self.filter(query)
        var sql = "SELECT \(Self.incidentColumns), \(query.includeRawRow ? "raw_row" : "''::text") FROM incident \(whereSQL) "
            + "ORDER BY occurred_at, source, record_id"
        if let limit = query.limit {
            binds.append(Int64(max(0, limit)))
            sql += " LIMIT $\(binds.count)"
        }
        // Rows are decoded as they arrive, so a year of incidents is never held twice (raw rows and values).
        let out = IncidentCollector()
        try await wrap {
            try await pool.withConnection { s in
                try await s.forEachRow(PostgresQuery(unsafeSQL: sql, binds: binds)) { row in out.incidents.append(try Self.incident(from: row)) }
            }
        }
        return out.incidents
    }

    public func countIncidents(_ query: IncidentQuery) async throws -> Int {
        let (whereSQL, binds) = Self.filter(query)
        let n = try await wrap {
            try await pool.withConnection { s in
                try await s.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM incident \(whereSQL)", binds: binds)).first!.decode(Int.self)
            }
        }
        return query.limit.map { min($0, n) } ?? n
    }

    public func countsByCategoryAndMonth(_ query: IncidentQuery) async throws -> [CategoryMonthCount] {
        let (whereSQL, binds) = Self.filter(query)
        let sql = "SELECT category, local_date / 100 AS ym, count(*) FROM incident \(whereSQL) GROUP BY category, ym"
        return try await wrap {
            try await pool.withConnection { s in
                try await s.query(PostgresQuery(unsafeSQL: sql, binds: binds)).map { row in
                    let (raw, ym, n) = try row.decode((String, Int, Int).self)
                    guard let c = HarmCategory(rawValue: raw) else { throw StoreError.corrupt("incident category \(raw)") }
                    return CategoryMonthCount(category: c, month: YearMonth(year: ym / 100, month: ym % 100), incidents: n)
                }
            }
        }.sorted { ($0.category, $0.month) < ($1.category, $1.month) }
    }

    public func quarantinedRows(batchID: Int64?, reason: QuarantineReason?, limit: Int, offset: Int) async throws -> [QuarantinedRow] {
        var clauses: [String] = []
        var binds = PostgresBindings()
        if let batchID {
            binds.append(batchID)
            clauses.append("batch_id = $\(binds.count)")
        }
        if let reason {
            binds.append(reason.rawValue)
            clauses.append("reason = $\(binds.count)")
        }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        binds.append(Int64(max(0, limit)))
        binds.append(Int64(max(0, offset)))
        let sql = """
            SELECT batch_id, line, source, reason, field, value, message, raw_row, raw_bytes FROM quarantine \(whereSQL)
            ORDER BY batch_id, line, id LIMIT $\(binds.count - 1) OFFSET $\(binds.count)
            """
        return try await wrap {
            try await pool.withConnection { s in
                try await s.query(PostgresQuery(unsafeSQL: sql, binds: binds)).map { row in
                    let (batch, line, source, raw, field, value, message, rawRow, rawBytes) = try row.decode(
                        (Int64, Int, String, String, String?, String?, String, String, ByteBuffer?).self)
                    guard let reason = QuarantineReason(rawValue: raw) else { throw StoreError.corrupt("quarantine reason \(raw)") }
                    return QuarantinedRow(batchID: batch, lineNumber: line, source: source, reason: reason, field: field, value: value, message: message,
                                          rawRow: rawBytes.map { String(decoding: $0.readableBytesView, as: UTF8.self) } ?? rawRow)
                }
            }
        }
    }

    public func summary() async throws -> StoreSummary {
        let jurisdictionName = try await jurisdiction()?.name
        return try await wrap {
            try await pool.withConnection { s in
                var byCategory: [HarmCategory: Int] = [:]
                for row in try await s.query("SELECT category, count(*) FROM incident GROUP BY category") {
                    let (raw, n) = try row.decode((String, Int).self)
                    guard let c = HarmCategory(rawValue: raw) else { throw StoreError.corrupt("incident category \(raw)") }
                    byCategory[c] = n
                }
                var quarantined: [QuarantineReason: Int] = [:]
                for row in try await s.query("SELECT reason, count(*) FROM quarantine GROUP BY reason") {
                    let (raw, n) = try row.decode((String, Int).self)
                    guard let r = QuarantineReason(rawValue: raw) else { throw StoreError.corrupt("quarantine reason \(raw)") }
                    quarantined[r] = n
                }
                let (lo, hi, n, police) = try await s.query(
                    "SELECT min(occurred_at), max(occurred_at), count(*), count(*) FILTER (WHERE police_initiated) FROM incident"
                ).first!.decode((Int64?, Int64?, Int, Int).self)
                let batches = try await s.query("SELECT count(*) FROM import_batch").first!.decode(Int.self)
                return StoreSummary(
                    jurisdictionName: jurisdictionName, incidents: n,
                    firstOccurredAt: lo.map { Date(timeIntervalSince1970: TimeInterval($0)) },
                    lastOccurredAt: hi.map { Date(timeIntervalSince1970: TimeInterval($0)) },
                    incidentsByCategory: byCategory, policeInitiatedIncidents: police, quarantinedByReason: quarantined, batches: batches)
            }
        }
    }

    /// The WHERE clause of a query and its bound values ($1...).
    static func filter(_ q: IncidentQuery) -> (String, PostgresBindings) {
        var clauses: [String] = []
        var binds = PostgresBindings()
        if let f = q.occurredFrom {
            binds.append(secondsCeil(f))
            clauses.append("occurred_at >= $\(binds.count)")
        }
        if let b = q.occurredBefore {
            binds.append(secondsCeil(b))
            clauses.append("occurred_at < $\(binds.count)")
        }
        if let cats = q.categories {
            if cats.isEmpty {
                clauses.append("false")
            } else {
                binds.append(cats.sorted().map(\.rawValue))
                clauses.append("category = ANY($\(binds.count)::text[])")
            }
        }
        if let box = q.bounds {
            if let cells = SpatialCell.covering(box) {
                binds.append(cells)
                clauses.append("cell_km = ANY($\(binds.count)::bigint[])")
            }
            for v in [box.minX, box.maxX, box.minY, box.maxY] { binds.append(v) }
            let n = binds.count
            clauses.append("x BETWEEN $\(n - 3) AND $\(n - 2) AND y BETWEEN $\(n - 1) AND $\(n)")
        }
        if !q.includePoliceInitiated { clauses.append("NOT police_initiated") }
        if let a = q.after {
            binds.append(Int64(a.occurredAt.timeIntervalSince1970.rounded(.down)))
            binds.append(a.id.source)
            binds.append(a.id.recordID)
            let n = binds.count
            clauses.append("(occurred_at, source, record_id) > ($\(n - 2), $\(n - 1), $\(n))")
        }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), binds)
    }

    /// Instants are stored as whole seconds; a bound with a fraction moves up so [from, before) stays half-open.
    static func secondsCeil(_ d: Date) -> Int64 { Int64(d.timeIntervalSince1970.rounded(.up)) }
}

/// Filled on an event loop while rows arrive, read by the caller after the query completed (ordered by the wait).
private final class IncidentCollector: @unchecked Sendable {
    var incidents: [Incident] = []
}
