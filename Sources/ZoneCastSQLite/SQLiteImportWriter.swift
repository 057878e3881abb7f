import Foundation
import GRDB
import GRDBSQLite
import ZoneCastCore
import ZoneCastStore

/// Writes one batch inside the transaction `SQLiteIncidentStore.importBatch` opened.
///
/// Speed matters here (a million rows should import in seconds), so rows go in chunks through multi-row
/// `INSERT OR IGNORE ... RETURNING` statements bound with the SQLite C API: one statement registers a chunk's
/// fingerprints and reports which were new, one inserts the chunk's new incidents and reports which ids were
/// new. Only the rare rows those statements did not take (duplicates, merges) go one by one through the slow
/// path. The outcome is the same as writing the rows one at a time, in order (the store contract suite checks
/// both this and the in-memory store against that rule).
final class SQLiteImportWriter: ImportWriter {
    let db: Database
    let batchID: Int64
    let weights: HarmWeights
    static let chunkRows = 128
    private var fingerprintStatements: [Int: Statement] = [:]
    private var incidentStatements: [Int: Statement] = [:]
    private let findRow: Statement
    private let insertQuarantine: Statement
    private let registerFingerprint: Statement

    init(db: Database, batchID: Int64, weights: HarmWeights) throws {
        self.db = db
        self.batchID = batchID
        self.weights = weights
        findRow = try db.makeStatement(sql: "SELECT batch_id, line FROM source_row WHERE fingerprint = ?")
        insertQuarantine = try db.makeStatement(sql: "INSERT INTO quarantine(batch_id, line, source, reason, field, value, message, raw_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        registerFingerprint = try db.makeStatement(sql: "INSERT OR IGNORE INTO source_row(fingerprint, identity, batch_id, line) VALUES (?, NULL, ?, ?)")
    }

    func write(_ rows: [ImportRow]) throws -> [RowDisposition] {
        var out: [RowDisposition] = []
        out.reserveCapacity(rows.count)
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + Self.chunkRows)
            try writeChunk(rows[start..<end], into: &out)
            start = end
        }
        return out
    }

    private func writeChunk(_ rows: ArraySlice<ImportRow>, into out: inout [RowDisposition]) throws {
        // 1. Register every row's fingerprint (and identity); learn which were new.
        // A fingerprint can repeat within the chunk; only its first row is the one that was inserted, so each
        // is taken out of the set when used.
        var fresh = try registerFingerprints(rows)
        // 2. Decide each row in order; new incidents wait for one multi-row insert.
        var pending: [(slot: Int, incident: Incident, line: Int, mergeAllowed: Bool)] = []
        for row in rows {
            switch row {
            case .incident(let incident, let fingerprint, let identity, let line):
                if fresh.remove(fingerprint) != nil {
                    pending.append((out.count, incident, line, identity != nil))
                    out.append(.inserted) // provisional, settled in step 3
                } else {
                    out.append(try slowPathAccept(incident, fingerprint: fingerprint, line: line))
                }
            case .rejected(let q, let fingerprint):
                if fresh.remove(fingerprint) != nil {
                    try quarantineRow(line: q.lineNumber, source: q.source, reason: q.reason, field: q.field, value: q.value, message: q.message, raw: q.rawRow)
                    out.append(.quarantined(q.reason))
                } else if let seen = try seenRow(fingerprint), seen.batchID != batchID {
                    out.append(.unchanged)
                } else {
                    let line = try seenRow(fingerprint)?.line
                    try quarantineRow(line: q.lineNumber, source: q.source, reason: .exactDuplicate, field: nil, value: nil,
                                      message: "identical to line \(line ?? 0)", raw: q.rawRow)
                    out.append(.quarantined(.exactDuplicate))
                }
            }
        }
        guard !pending.isEmpty else { return }
        // 3. Insert the new incidents; ids that already existed (or repeat within the chunk) merge in order.
        let inserted = try insertIncidents(pending.map(\.incident))
        var firstSeen = Set<IncidentID>()
        for p in pending {
            if inserted.contains(p.incident.id), firstSeen.insert(p.incident.id).inserted { continue }
            out[p.slot] = p.mergeAllowed ? try merge(p.incident) : try duplicateRecord(p.incident, line: p.line)
        }
    }

    /// Multi-row INSERT OR IGNORE of fingerprints; returns those actually inserted.
    private func registerFingerprints(_ rows: ArraySlice<ImportRow>) throws -> Set<RowFingerprint> {
        let n = rows.count
        let statement = try cached(&fingerprintStatements, n) {
            "INSERT OR IGNORE INTO source_row(fingerprint, identity, batch_id, line) VALUES "
                + Array(repeating: "(?, ?, ?, ?)", count: $0).joined(separator: ", ") + " RETURNING fingerprint"
        }
        let s = statement.sqliteStatement
        var k: Int32 = 1
        for row in rows {
            switch row {
            case .incident(_, let f, let identity, let line):
                bind(s, k, f)
                if let identity { bind(s, k + 1, identity) } else { sqlite3_bind_null(s, k + 1) }
                sqlite3_bind_int64(s, k + 2, batchID)
                sqlite3_bind_int64(s, k + 3, Int64(line))
            case .rejected(let q, let f):
                bind(s, k, f)
                sqlite3_bind_null(s, k + 1)
                sqlite3_bind_int64(s, k + 2, batchID)
                sqlite3_bind_int64(s, k + 3, Int64(q.lineNumber))
            }
            k += 4
        }
        var fresh = Set<RowFingerprint>(minimumCapacity: n)
        try stepRows(s) { s in
            if let blob = sqlite3_column_blob(s, 0), sqlite3_column_bytes(s, 0) == 16 {
                let bytes = UnsafeRawBufferPointer(start: blob, count: 16)
                fresh.insert(RowFingerprint(bytes: Array(bytes))!)
            }
        }
        return fresh
    }

    /// Multi-row insert of incidents, skipping ids already present; returns the ids inserted.
    private func insertIncidents(_ incidents: [Incident]) throws -> Set<IncidentID> {
        let statement = try cached(&incidentStatements, incidents.count) {
            """
            INSERT INTO incident(source, record_id, category, offence, occurred_at, occurred_precision, time_zone, local_date, reported_at,
                latitude, longitude, x, y, address, firearm, fatal, police_initiated, row_count, batch_id, raw_row, cell_km)
            VALUES \(Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: $0).joined(separator: ", "))
            ON CONFLICT(source, record_id) DO NOTHING RETURNING source, record_id
            """
        }
        let s = statement.sqliteStatement
        var k: Int32 = 0
        for i in incidents {
            bind(s, k + 1, i.id.source)
            bind(s, k + 2, i.id.recordID)
            bind(s, k + 3, i.category.rawValue)
            bind(s, k + 4, i.offence)
            sqlite3_bind_int64(s, k + 5, Int64(i.occurredAt.timeIntervalSince1970.rounded(.down)))
            bind(s, k + 6, i.occurredPrecision.rawValue)
            bind(s, k + 7, i.timeZoneIdentifier)
            sqlite3_bind_int64(s, k + 8, Int64(i.localDate.yyyymmdd))
            if let r = i.reportedAt { sqlite3_bind_int64(s, k + 9, Int64(r.timeIntervalSince1970.rounded(.down))) } else { sqlite3_bind_null(s, k + 9) }
            sqlite3_bind_double(s, k + 10, i.location.latitude)
            sqlite3_bind_double(s, k + 11, i.location.longitude)
            sqlite3_bind_double(s, k + 12, i.position.xMeters)
            sqlite3_bind_double(s, k + 13, i.position.yMeters)
            if let a = i.address { bind(s, k + 14, a) } else { sqlite3_bind_null(s, k + 14) }
            sqlite3_bind_int(s, k + 15, i.firearm ? 1 : 0)
            sqlite3_bind_int(s, k + 16, i.fatal ? 1 : 0)
            sqlite3_bind_int(s, k + 17, i.policeInitiated ? 1 : 0)
            sqlite3_bind_int64(s, k + 18, Int64(i.rowCount))
            sqlite3_bind_int64(s, k + 19, batchID)
            bind(s, k + 20, i.rawRow)
            sqlite3_bind_int64(s, k + 21, SpatialCell.index(i.position))
            k += 21
        }
        var inserted = Set<IncidentID>(minimumCapacity: incidents.count)
        try stepRows(s) { s in
            inserted.insert(IncidentID(source: String(cString: sqlite3_column_text(s, 0)), recordID: String(cString: sqlite3_column_text(s, 1))))
        }
        return inserted
    }

    /// A row whose fingerprint was already registered: unchanged (earlier batch), an exact duplicate (this
    /// batch), or, when the fingerprint is unknown, a row whose identity is held with other content.
    private func slowPathAccept(_ incident: Incident, fingerprint: RowFingerprint, line: Int) throws -> RowDisposition {
        if let seen = try seenRow(fingerprint) {
            if seen.batchID != batchID { return .unchanged }
            try quarantineRow(line: line, source: incident.id.source, reason: .exactDuplicate, field: nil, value: nil,
                              message: "identical to line \(seen.line)", raw: incident.rawRow)
            return .quarantined(.exactDuplicate)
        }
        let s = registerFingerprint.sqliteStatement
        bind(s, 1, fingerprint)
        sqlite3_bind_int64(s, 2, batchID)
        sqlite3_bind_int64(s, 3, Int64(line))
        try stepRows(s) { _ in }
        return try duplicateRecord(incident, line: line)
    }

    private func duplicateRecord(_ incident: Incident, line: Int) throws -> RowDisposition {
        try quarantineRow(line: line, source: incident.id.source, reason: .duplicateRecord, field: "id", value: incident.id.recordID,
                          message: "record \(incident.id.recordID) was already imported with different content for the same row key", raw: incident.rawRow)
        return .quarantined(.duplicateRecord)
    }

    private func merge(_ i: Incident) throws -> RowDisposition {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM incident WHERE source = ? AND record_id = ?", arguments: [i.id.source, i.id.recordID]) else {
            throw StoreError.corrupt("incident \(i.id) conflicted but cannot be read")
        }
        var existing = try SQLiteIncidentStore.incident(from: row)
        existing.merge(i, weights: weights)
        try db.execute(sql: """
            UPDATE incident SET category = ?, offence = ?, occurred_precision = ?, reported_at = ?, address = ?, firearm = ?, fatal = ?,
                police_initiated = ?, row_count = ? WHERE id = ?
            """, arguments: [existing.category.rawValue, existing.offence, existing.occurredPrecision.rawValue,
                             existing.reportedAt.map { Int64($0.timeIntervalSince1970.rounded(.down)) }, existing.address,
                             existing.firearm, existing.fatal, existing.policeInitiated, existing.rowCount, row["id"] as Int64])
        return .merged
    }

    private func seenRow(_ fingerprint: RowFingerprint) throws -> (batchID: Int64, line: Int)? {
        let s = findRow.sqliteStatement
        bind(s, 1, fingerprint)
        var found: (Int64, Int)?
        try stepRows(s) { s in found = (sqlite3_column_int64(s, 0), Int(sqlite3_column_int64(s, 1))) }
        return found
    }

    private func quarantineRow(line: Int, source: String, reason: QuarantineReason, field: String?, value: String?, message: String, raw: String) throws {
        let s = insertQuarantine.sqliteStatement
        sqlite3_bind_int64(s, 1, batchID)
        sqlite3_bind_int64(s, 2, Int64(line))
        bind(s, 3, source)
        bind(s, 4, reason.rawValue)
        if let field { bind(s, 5, field) } else { sqlite3_bind_null(s, 5) }
        if let value { bind(s, 6, value) } else { sqlite3_bind_null(s, 6) }
        bind(s, 7, message)
        bind(s, 8, raw)
        try stepRows(s) { _ in }
    }

    private func cached(_ cache: inout [Int: Statement], _ n: Int, _ sql: (Int) -> String) throws -> Statement {
        if let s = cache[n] { return s }
        let s = try db.makeStatement(sql: sql(n))
        cache[n] = s
        return s
    }

    /// Steps a statement to completion, handing each result row to `row`, then resets it.
    private func stepRows(_ s: SQLiteStatement, _ row: (SQLiteStatement) -> Void) throws {
        defer { sqlite3_reset(s) }
        while true {
            let code = sqlite3_step(s)
            if code == SQLITE_ROW { row(s); continue }
            if code == SQLITE_DONE { return }
            throw StoreError.database("import write failed (\(code)): \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
        }
    }
}

private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

private func bind(_ s: SQLiteStatement, _ index: Int32, _ text: String) {
    var t = text
    if t.isEmpty {
        _ = sqlite3_bind_text(s, index, "", 0, transient)
        return
    }
    t.withUTF8 { buf in
        _ = sqlite3_bind_text(s, index, buf.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, Int32(buf.count), transient)
    }
}

private func bind(_ s: SQLiteStatement, _ index: Int32, _ f: RowFingerprint) {
    var be = (f.high.bigEndian, f.low.bigEndian)
    withUnsafeBytes(of: &be) { raw in
        _ = sqlite3_bind_blob(s, index, raw.baseAddress, 16, transient)
    }
}
