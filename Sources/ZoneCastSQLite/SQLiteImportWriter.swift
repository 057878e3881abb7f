import Foundation
import GRDB
import GRDBSQLite
import ZoneCastCore
import ZoneCastStore

/// Writes one batch with prepared statements bound through the SQLite C API: the import hot path runs a few
/// B-tree inserts per row, and GRDB's argument boxing would otherwise dominate. Every statement runs inside the
/// transaction `SQLiteIncidentStore.importBatch` opened.
final class SQLiteImportWriter: ImportWriter {
    let db: Database
    let batchID: Int64
    let weights: HarmWeights
    private let insertRow: Statement
    private let insertQuarantinedFingerprint: Statement
    private let findRow: Statement
    private let insertIncident: Statement
    private let insertQuarantine: Statement
    private var firstIncidentRowID: Int64?

    init(db: Database, batchID: Int64, weights: HarmWeights) throws {
        self.db = db
        self.batchID = batchID
        self.weights = weights
        insertRow = try db.makeStatement(sql: "INSERT OR IGNORE INTO source_row(fingerprint, identity, batch_id, line) VALUES (?, ?, ?, ?)")
        insertQuarantinedFingerprint = try db.makeStatement(sql: "INSERT OR IGNORE INTO source_row(fingerprint, identity, batch_id, line) VALUES (?, NULL, ?, ?)")
        findRow = try db.makeStatement(sql: "SELECT batch_id, line FROM source_row WHERE fingerprint = ?")
        insertIncident = try db.makeStatement(sql: """
            INSERT INTO incident(source, record_id, category, offence, occurred_at, occurred_precision, time_zone, local_date, reported_at,
                latitude, longitude, x, y, address, firearm, fatal, police_initiated, row_count, batch_id, raw_row)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(source, record_id) DO NOTHING
            """)
        insertQuarantine = try db.makeStatement(sql: "INSERT INTO quarantine(batch_id, line, source, reason, field, value, message, raw_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    }

    func accept(_ incident: Incident, fingerprint: RowFingerprint, identity: RowFingerprint, lineNumber: Int) throws -> RowDisposition {
        let s = insertRow.sqliteStatement
        bind(s, 1, fingerprint)
        bind(s, 2, identity)
        sqlite3_bind_int64(s, 3, batchID)
        sqlite3_bind_int64(s, 4, Int64(lineNumber))
        try step(s)
        if sqlite3_changes(db.sqliteConnection) == 0 {
            if let seen = try seenRow(fingerprint) {
                if seen.batchID != batchID { return .unchanged }
                try quarantineRow(line: lineNumber, source: incident.id.source, reason: .exactDuplicate, field: nil, value: nil,
                                  message: "identical to line \(seen.line)", raw: incident.rawRow)
                return .quarantined(.exactDuplicate)
            }
            try registerQuarantined(fingerprint, line: lineNumber)
            try quarantineRow(line: lineNumber, source: incident.id.source, reason: .duplicateRecord, field: "id", value: incident.id.recordID,
                              message: "record \(incident.id.recordID) was already imported with different content for the same row key", raw: incident.rawRow)
            return .quarantined(.duplicateRecord)
        }
        return try insertOrMerge(incident)
    }

    func quarantine(_ row: QuarantinedRow, fingerprint: RowFingerprint) throws -> RowDisposition {
        let s = insertQuarantinedFingerprint.sqliteStatement
        bind(s, 1, fingerprint)
        sqlite3_bind_int64(s, 2, batchID)
        sqlite3_bind_int64(s, 3, Int64(row.lineNumber))
        try step(s)
        if sqlite3_changes(db.sqliteConnection) == 0, let seen = try seenRow(fingerprint) {
            if seen.batchID != batchID { return .unchanged }
            try quarantineRow(line: row.lineNumber, source: row.source, reason: .exactDuplicate, field: nil, value: nil,
                              message: "identical to line \(seen.line)", raw: row.rawRow)
            return .quarantined(.exactDuplicate)
        }
        try quarantineRow(line: row.lineNumber, source: row.source, reason: row.reason, field: row.field, value: row.value, message: row.message, raw: row.rawRow)
        return .quarantined(row.reason)
    }

    /// Indexes this batch's new incidents in the R*Tree in one pass (faster than interleaving with the inserts).
    func finish() throws {
        guard let first = firstIncidentRowID else { return }
        try db.execute(sql: "INSERT INTO incident_space(id, min_x, max_x, min_y, max_y) SELECT id, x, x, y, y FROM incident WHERE id >= ? AND batch_id = ?",
                       arguments: [first, batchID])
    }

    private func insertOrMerge(_ i: Incident) throws -> RowDisposition {
        let s = insertIncident.sqliteStatement
        bind(s, 1, i.id.source)
        bind(s, 2, i.id.recordID)
        bind(s, 3, i.category.rawValue)
        bind(s, 4, i.offence)
        sqlite3_bind_int64(s, 5, Int64(i.occurredAt.timeIntervalSince1970.rounded(.down)))
        bind(s, 6, i.occurredPrecision.rawValue)
        bind(s, 7, i.timeZoneIdentifier)
        sqlite3_bind_int64(s, 8, Int64(i.localDate.yyyymmdd))
        if let r = i.reportedAt { sqlite3_bind_int64(s, 9, Int64(r.timeIntervalSince1970.rounded(.down))) } else { sqlite3_bind_null(s, 9) }
        sqlite3_bind_double(s, 10, i.location.latitude)
        sqlite3_bind_double(s, 11, i.location.longitude)
        sqlite3_bind_double(s, 12, i.position.xMeters)
        sqlite3_bind_double(s, 13, i.position.yMeters)
        if let a = i.address { bind(s, 14, a) } else { sqlite3_bind_null(s, 14) }
        sqlite3_bind_int(s, 15, i.firearm ? 1 : 0)
        sqlite3_bind_int(s, 16, i.fatal ? 1 : 0)
        sqlite3_bind_int(s, 17, i.policeInitiated ? 1 : 0)
        sqlite3_bind_int64(s, 18, Int64(i.rowCount))
        sqlite3_bind_int64(s, 19, batchID)
        bind(s, 20, i.rawRow)
        try step(s)
        if sqlite3_changes(db.sqliteConnection) == 1 {
            if firstIncidentRowID == nil { firstIncidentRowID = db.lastInsertedRowID }
            return .inserted
        }
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
        defer { sqlite3_reset(s) }
        switch sqlite3_step(s) {
        case SQLITE_ROW: return (sqlite3_column_int64(s, 0), Int(sqlite3_column_int64(s, 1)))
        case SQLITE_DONE: return nil
        case let code: throw StoreError.database("source_row lookup failed (\(code)): \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
        }
    }

    private func registerQuarantined(_ fingerprint: RowFingerprint, line: Int) throws {
        let s = insertQuarantinedFingerprint.sqliteStatement
        bind(s, 1, fingerprint)
        sqlite3_bind_int64(s, 2, batchID)
        sqlite3_bind_int64(s, 3, Int64(line))
        try step(s)
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
        try step(s)
    }

    private func step(_ s: SQLiteStatement) throws {
        let code = sqlite3_step(s)
        sqlite3_reset(s)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
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
