public import Foundation
import GRDB
public import Logging
public import ZoneCastCore
public import ZoneCastOperations
public import ZoneCastStore

/// The embedded default store: one SQLite file in WAL mode, written through GRDB. An import is a single
/// transaction, so a process killed half-way leaves the database as it was before the import began.
public final class SQLiteIncidentStore: IncidentStore, Sendable {
    let writer: any DatabaseWriter
    public let path: String?
    let decodedJurisdiction = DecodedJurisdiction()
    /// The audit chain's key (nil: entries are appended unkeyed, which a keyed database refuses).
    let auditKey: AuditKey?
    /// The first keyed entry as recorded when this store opened (nil: the chain was not keyed then).
    let auditKeyedFrom: Int64?
    /// Shared lock on the file while the store is open (see `DatabaseFileLock`).
    let fileLock: DatabaseFileLock?
    /// Import timings (debug) and checkpoint failures (warning); see `SQLiteStoreOptions`.
    let logger: Logger

    /// Opens (creating if needed) the database at `path` and migrates it, with the page cache, memory map and logger
    /// of `options`.
    ///
    /// `auditKey`: the audit chain's HMAC key. The first open with a key records that entries from the next one on
    /// are keyed; later opens must pass the same key. Without a key, a keyed database opens for reading but refuses
    /// audit appends. A new file is created readable by its owner only (0600), and so are its -wal and -shm.
    public init(path: String, options: SQLiteStoreOptions = SQLiteStoreOptions(), auditKey: AuditKey? = nil) throws {
        try PrivateFile.create(path)
        fileLock = try DatabaseFileLock.shared(path)
        var config = Configuration()
        // Wait for another process's write transaction (an import holds the write lock until it commits) instead
        // of failing at once with SQLITE_BUSY: without this, every audited page view and patrol log during a
        // `zonecast import` beside `zonecast serve` answered 500 (found by `zonecast bench load`).
        config.busyMode = .timeout(15)
        config.prepareDatabase { db in
            // Page cache per connection (KiB): bounds memory whatever the file size.
            try db.execute(sql: "PRAGMA cache_size = -\(options.pageCacheMiB * 1_024)")
            // Let index builds sort on a helper thread (the import's parsing thread is idle by then).
            try db.execute(sql: "PRAGMA threads = 0")
            // Reads map the file instead of copying pages: after any write (an audit entry per page view) every
            // reader's page cache is stale, and mapped pages make re-reading cheap.
            try db.execute(sql: "PRAGMA mmap_size = \(options.mmapMiB * 1_048_576)")
            // In WAL mode NORMAL syncs at checkpoints, not at every commit: a crash of the process loses nothing
            // committed and never corrupts; only a power cut can lose the last commits. FULL would put an fsync
            // in every page view (each writes an audit entry).
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            writer = try DatabasePool(path: path, configuration: config)
            self.path = path
            try Self.migrator.migrate(writer)
        } catch {
            throw StoreError.database("cannot open \(path): \(error)")
        }
        self.auditKey = auditKey
        logger = options.logger
        auditKeyedFrom = try Self.anchorAuditKey(auditKey, in: writer, label: path)
    }

    /// A private in-memory database (tests); with `auditKey`, every entry is keyed.
    public init(auditKey: AuditKey? = nil, logger: Logger = SQLiteStoreOptions.silentLogger) throws {
        writer = try DatabaseQueue()
        path = nil
        fileLock = nil
        self.logger = logger
        try Self.migrator.migrate(writer)
        self.auditKey = auditKey
        auditKeyedFrom = try Self.anchorAuditKey(auditKey, in: writer, label: "the in-memory database")
    }

    public func jurisdiction() async throws -> Jurisdiction? {
        try await wrap {
            try await writer.read { db in
                guard let json = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'jurisdiction'") else { return nil }
                return try decodedJurisdiction.decode(json)
            }
        }
    }

    public func setJurisdiction(_ jurisdiction: Jurisdiction) async throws {
        let json = String(decoding: try JSONEncoder().encode(jurisdiction), as: UTF8.self)
        try await wrap {
            try await writer.write { db in
                if let existing = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'jurisdiction'"),
                   let stored = try? JSONDecoder().decode(Jurisdiction.self, from: Data(existing.utf8)), stored.name != jurisdiction.name {
                    throw StoreError.jurisdictionMismatch(stored: stored.name, requested: jurisdiction.name)
                }
                try db.execute(sql: "INSERT INTO setting(key, value) VALUES ('jurisdiction', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [json])
            }
        }
    }

    public func harmWeights() async throws -> HarmWeights {
        try await wrap {
            try await writer.read { db in
                guard let json = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'harm_weights'") else { return .cambridgeDefaults }
                do {
                    return try JSONDecoder().decode(HarmWeights.self, from: Data(json.utf8))
                } catch {
                    throw StoreError.corrupt("setting harm_weights: \(error)")
                }
            }
        }
    }

    public func setHarmWeights(_ weights: HarmWeights) async throws {
        let json = String(decoding: try JSONEncoder().encode(weights), as: UTF8.self)
        try await wrap {
            try await writer.write { db in
                try db.execute(sql: "INSERT INTO setting(key, value) VALUES ('harm_weights', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [json])
            }
        }
    }

    /// The transaction runs on GRDB's writer queue, as every write does; `body` runs in the caller's task and hands
    /// each chunk over through an `SQLiteImportChannel`, whose writer side waits on that queue for the next chunk (the
    /// write lock is held for the whole import, as before: other writers queue behind it, readers go on).
    public func importBatch(_ info: ImportBatchInfo, weights: HarmWeights, clock: @Sendable () -> Date,
                            _ body: (any ImportWriter) async throws -> ImportCounts) async throws -> ImportBatch {
        let t0 = clock()
        defer { logger.debug("import transaction incl. commit \(clock().timeIntervalSince(t0)) s") }
        let channel = SQLiteImportChannel()
        async let committed: ImportBatch = wrap {
            do {
                return try await writer.write { db in
                    do {
                        return try self.importTransaction(info, weights: weights, clock: clock, channel: channel, db: db)
                    } catch {
                        channel.writerFailed(error)
                        throw error
                    }
                }
            } catch {
                channel.writerFailed(error)
                throw error
            }
        }
        do {
            let batchID = try await channel.batchID()
            let counts = try await body(SQLiteChunkWriter(channel: channel, batchID: batchID))
            channel.finish(counts)
        } catch {
            channel.fail(error)
            _ = try await committed
            throw error
        }
        return try await committed
    }

    private func importTransaction(_ info: ImportBatchInfo, weights: HarmWeights, clock: () -> Date, channel: SQLiteImportChannel,
                                   db: Database) throws -> ImportBatch {
        // The jurisdiction is bound in the import's transaction: a first import that fails leaves it unset.
        let stored = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'jurisdiction'")
        if let requested = info.jurisdiction {
            if let stored {
                if let conflict = (try? decodedJurisdiction.decode(stored)).bindingConflict(with: requested) { throw conflict }
            } else {
                let json = String(decoding: try JSONEncoder().encode(requested), as: UTF8.self)
                try db.execute(sql: "INSERT INTO setting(key, value) VALUES ('jurisdiction', ?)", arguments: [json])
            }
        }
        try db.execute(
            sql: "INSERT INTO import_batch(source, mapping_name, file_name, file_sha256, started_at, finished_at, counts_json) "
                + "VALUES (?, ?, ?, ?, ?, ?, '{}')",
            arguments: [info.source, info.mappingName, info.fileName, info.fileSHA256, info.startedAt.timeIntervalSince1970,
                        info.startedAt.timeIntervalSince1970])
        let batchID = db.lastInsertedRowID
        // Bulk mode: when the file is at least as large as what the database holds, rebuilding the
        // secondary indexes once at the end is cheaper than maintaining them row by row. Inside the
        // transaction, so a failed import restores them with everything else.
        let held = try Int.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM incident") ?? 0
        let bulk = (info.expectedRows ?? 0) >= max(50_000, held)
        if bulk { for index in Self.secondaryIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") } }
        let w = try SQLiteImportWriter(db: db, batchID: batchID, weights: weights)
        channel.begin(batchID: batchID)
        let counts = try channel.serve(w)
        let rebuildStart = clock()
        if bulk {
            // SQLite's sorter may use as much memory as the page cache; a small cache for the build keeps
            // the import's peak memory independent of the file's size.
            let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -65_536
            try db.execute(sql: "PRAGMA cache_size = -16384")
            for index in Self.secondaryIndexes { try db.execute(sql: index.create) }
            try db.execute(sql: "PRAGMA cache_size = \(cache)")
        }
        let finished = clock()
        logger.debug("index rebuild \(finished.timeIntervalSince(rebuildStart)) s (bulk: \(bulk))")
        let countsJSON = String(decoding: try JSONEncoder().encode(counts), as: UTF8.self)
        try db.execute(sql: "UPDATE import_batch SET finished_at = ?, counts_json = ? WHERE id = ?",
                       arguments: [finished.timeIntervalSince1970, countsJSON, batchID])
        let batch = ImportBatch(id: batchID, info: info, finishedAt: finished, counts: counts)
        if let actor = info.auditActor { _ = try apply([.audit(batch.auditDraft(actor: actor))], in: db) }
        return batch
    }

    public func completedBatch(source: String, fileSHA256: String) async throws -> ImportBatch? {
        try await wrap {
            try await writer.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM import_batch WHERE source = ? AND file_sha256 = ? ORDER BY id LIMIT 1",
                                 arguments: [source, fileSHA256])
                    .map(Self.batch(from:))
            }
        }
    }

    public func batches() async throws -> [ImportBatch] {
        try await wrap { try await writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM import_batch ORDER BY id").map(Self.batch(from:)) } }
    }

    static func batch(from row: Row) throws -> ImportBatch {
        let counts: ImportCounts
        do {
            counts = try JSONDecoder().decode(ImportCounts.self, from: Data((row["counts_json"] as String).utf8))
        } catch {
            throw StoreError.corrupt("import_batch \(row["id"] as Int64) counts: \(error)")
        }
        return ImportBatch(
            id: row["id"],
            info: ImportBatchInfo(source: row["source"], mappingName: row["mapping_name"], fileName: row["file_name"], fileSHA256: row["file_sha256"],
                                  startedAt: Date(timeIntervalSince1970: row["started_at"])),
            finishedAt: Date(timeIntervalSince1970: row["finished_at"]), counts: counts)
    }

    public func incident(_ id: IncidentID) async throws -> Incident? {
        try await wrap {
            try await writer.read { db in
                try Row.fetchOne(db, sql: "SELECT \(Self.incidentColumns), raw_row FROM incident WHERE source = ? AND record_id = ?",
                                 arguments: [id.source, id.recordID])
                    .map(Self.incident(fromColumns:))
            }
        }
    }

    public func incidents(_ query: IncidentQuery) async throws -> [Incident] {
        let (whereSQL, args) = Self.filter(query)
        let columns = Self.incidentColumns + (query.includeRawRow ? ", raw_row" : ", ''")
        var sql = "SELECT \(columns) FROM incident \(whereSQL) ORDER BY occurred_at, source, record_id"
        if let limit = query.limit { sql += " LIMIT \(max(0, limit))" }
        let finalSQL = sql
        return try await wrap {
            try await writer.read { db in
                var out: [Incident] = []
                let rows = try Row.fetchCursor(db, sql: finalSQL, arguments: args)
                while let row = try rows.next() { out.append(try Self.incident(fromColumns: row)) }
                return out
            }
        }
    }

    public func countIncidents(_ query: IncidentQuery) async throws -> Int {
        let (whereSQL, args) = Self.filter(query)
        let n = try await wrap { try await writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM incident \(whereSQL)", arguments: args) ?? 0 } }
        return query.limit.map { min($0, n) } ?? n
    }

    public func countsByCategoryAndMonth(_ query: IncidentQuery) async throws -> [CategoryMonthCount] {
        let (whereSQL, args) = Self.filter(query)
        let sql = "SELECT category, local_date / 100 AS ym, count(*) AS n FROM incident \(whereSQL) GROUP BY category, ym"
        let rows = try await wrap { try await writer.read { db in try Row.fetchAll(db, sql: sql, arguments: args) } }
        return try rows.map { row in
            let raw: String = row["category"]
            guard let c = HarmCategory(rawValue: raw) else { throw StoreError.corrupt("incident category \(raw)") }
            let ym: Int = row["ym"]
            return CategoryMonthCount(category: c, month: YearMonth(year: ym / 100, month: ym % 100), incidents: row["n"])
        }.sorted { ($0.category, $0.month) < ($1.category, $1.month) }
    }

    public func quarantinedRows(batchID: Int64?, reason: QuarantineReason?, limit: Int, offset: Int) async throws -> [QuarantinedRow] {
        var clauses: [String] = []
        var args: StatementArguments = []
        if let batchID { clauses.append("batch_id = ?"); args += [batchID] }
        if let reason { clauses.append("reason = ?"); args += [reason.rawValue] }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        args += [max(0, limit), max(0, offset)]
        let finalArgs = args
        return try await wrap {
            try await writer.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM quarantine \(whereSQL) ORDER BY batch_id, line, id LIMIT ? OFFSET ?",
                    arguments: finalArgs).map { row in
                    let raw: String = row["reason"]
                    guard let reason = QuarantineReason(rawValue: raw) else { throw StoreError.corrupt("quarantine reason \(raw)") }
                    let bytes: Data? = row["raw_bytes"]
                    return QuarantinedRow(batchID: row["batch_id"], lineNumber: row["line"], source: row["source"], reason: reason,
                                          field: row["field"], value: row["value"], message: row["message"],
                                          rawRow: bytes.map { String(decoding: $0, as: UTF8.self) } ?? row["raw_row"])
                }
            }
        }
    }

    public func summary() async throws -> StoreSummary {
        let jurisdictionName = try await jurisdiction()?.name
        return try await wrap {
            try await writer.read { db in
                var byCategory: [HarmCategory: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT category, count(*) AS n FROM incident GROUP BY category") {
                    let raw: String = row["category"]
                    guard let c = HarmCategory(rawValue: raw) else { throw StoreError.corrupt("incident category \(raw)") }
                    byCategory[c] = row["n"]
                }
                var quarantined: [QuarantineReason: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT reason, count(*) AS n FROM quarantine GROUP BY reason") {
                    let raw: String = row["reason"]
                    guard let r = QuarantineReason(rawValue: raw) else { throw StoreError.corrupt("quarantine reason \(raw)") }
                    quarantined[r] = row["n"]
                }
                let range = try Row.fetchOne(
                    db, sql: "SELECT min(occurred_at) AS lo, max(occurred_at) AS hi, count(*) AS n, sum(police_initiated) AS p FROM incident")!
                let lo: Int64? = range["lo"], hi: Int64? = range["hi"]
                return StoreSummary(
                    jurisdictionName: jurisdictionName, incidents: range["n"],
                    firstOccurredAt: lo.map { Date(timeIntervalSince1970: TimeInterval($0)) },
                    lastOccurredAt: hi.map { Date(timeIntervalSince1970: TimeInterval($0)) },
                    incidentsByCategory: byCategory, policeInitiatedIncidents: (range["p"] as Int?) ?? 0,
                    quarantinedByReason: quarantined, batches: try Int.fetchOne(db, sql: "SELECT count(*) FROM import_batch") ?? 0)
            }
        }
    }

    static func filter(_ q: IncidentQuery) -> (String, StatementArguments) {
        var clauses: [String] = []
        var args: StatementArguments = []
        if let f = q.occurredFrom { clauses.append("occurred_at >= ?"); args += [Self.secondsCeil(f)] }
        if let b = q.occurredBefore { clauses.append("occurred_at < ?"); args += [Self.secondsCeil(b)] }
        if let cats = q.categories {
            let sorted = cats.sorted()
            clauses.append("category IN (\(sorted.map { _ in "?" }.joined(separator: ",")))")
            for c in sorted { args += [c.rawValue] }
            if sorted.isEmpty { clauses.append("0") }
        }
        if let box = q.bounds {
            if let cells = SpatialCell.covering(box) {
                clauses.append("cell_km IN (\(cells.map(String.init).joined(separator: ",")))")
            }
            clauses.append("x BETWEEN ? AND ? AND y BETWEEN ? AND ?")
            args += [box.minX, box.maxX, box.minY, box.maxY]
        }
        if !q.includePoliceInitiated { clauses.append("police_initiated = 0") }
        if let a = q.after {
            clauses.append("(occurred_at, source, record_id) > (?, ?, ?)")
            args += [Int64(a.occurredAt.timeIntervalSince1970.rounded(.down)), a.id.source, a.id.recordID]
        }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), args)
    }

    /// Instants are stored as whole seconds; a bound with a fraction moves up so [from, before) stays half-open.
    static func secondsCeil(_ d: Date) -> Int64 { Int64(d.timeIntervalSince1970.rounded(.up)) }

    /// Columns in the order `incident(fromColumns:)` reads them (then the raw row): reading by index avoids a
    /// name lookup per column per row, which dominated loading a year of incidents for a proposal.
    static let incidentColumns = "source, record_id, category, offence, occurred_at, occurred_precision, time_zone, local_date, reported_at, "
        + "latitude, longitude, x, y, address, firearm, fatal, police_initiated, row_count, batch_id"

    static func incident(fromColumns row: Row) throws -> Incident {
        let categoryRaw: String = row[2], precisionRaw: String = row[5]
        guard let category = HarmCategory(rawValue: categoryRaw) else { throw StoreError.corrupt("incident category \(categoryRaw)") }
        guard let precision = TimePrecision(rawValue: precisionRaw) else { throw StoreError.corrupt("incident precision \(precisionRaw)") }
        let reported: Int64? = row[8]
        return Incident(
            id: IncidentID(source: row[0], recordID: row[1]), category: category, offence: row[3],
            occurredAt: Date(timeIntervalSince1970: TimeInterval(row[4] as Int64)), occurredPrecision: precision,
            timeZoneIdentifier: row[6], localDate: LocalDate(yyyymmdd: row[7]),
            reportedAt: reported.map { Date(timeIntervalSince1970: TimeInterval($0)) },
            location: GeoPoint(latitude: row[9], longitude: row[10]), position: PlanarPoint(xMeters: row[11], yMeters: row[12]), address: row[13],
            firearm: row[14], fatal: row[15], policeInitiated: row[16], rowCount: row[17], batchID: row[18], rawRow: row[19])
    }

    func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as StoreError {
            throw e
        } catch let e as DatabaseError {
            throw StoreError.database(e.description)
        }
    }

    func wrap<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let e as StoreError {
            throw e
        } catch let e as DatabaseError {
            throw StoreError.database(e.description)
        }
    }
}
