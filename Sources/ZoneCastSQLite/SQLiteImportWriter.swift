import Foundation
import GRDB
import GRDBSQLite
import ZoneCastCore
import ZoneCastStore

/// Writes one batch inside the transaction `SQLiteIncidentStore.importBatch` opened, with prepared statements
/// bound through the SQLite C API (GRDB's argument boxing would dominate the hot path).
///
/// Rows are found by identity, (source, record id) and the row key: ids arrive in roughly ascending order, so
/// the common case is one append-like insert per row. Content fingerprints are compared, never indexed, except
/// for the few quarantined rows. (A content-hash ledger cost a random B-tree insert per row, about 2 us, a third
/// of the import time.)
final class SQLiteImportWriter {
    let db: Database
    let batchID: Int64
    let weights: HarmWeights
    private let insertIncident: Statement
    private let findIncident: Statement
    private let insertKeyedRow: Statement
    private let findKeyedRow: Statement
    private let findQuarantined: Statement
    private let insertQuarantine: Statement

    init(db: Database, batchID: Int64, weights: HarmWeights) throws {
        self.db = db
        self.batchID = batchID
        self.weights = weights
        insertIncident = try db.makeStatement(sql: """
            INSERT INTO incident(source, record_id, category, offence, occurred_at, occurred_precision, time_zone, local_date, reported_at,
                latitude, longitude, x, y, cell_km, address, firearm, fatal, police_initiated, row_count, batch_id, fingerprint, line, raw_row)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(source, record_id) DO NOTHING
            """)
        findIncident = try db.makeStatement(sql: "SELECT id, fingerprint, batch_id, line FROM incident WHERE source = ? AND record_id = ?")
        insertKeyedRow = try db.makeStatement(
            sql: "INSERT INTO incident_row(incident_id, row_key, fingerprint, batch_id, line, raw_row) VALUES (?, ?, ?, ?, ?, ?)")
        findKeyedRow = try db.makeStatement(sql: "SELECT fingerprint, batch_id, line FROM incident_row WHERE incident_id = ? AND row_key = ?")
        findQuarantined = try db.makeStatement(sql: "SELECT fingerprint, batch_id, line FROM quarantine WHERE fingerprint = ? ORDER BY id LIMIT 1")
        insertQuarantine = try db.makeStatement(
            sql: "INSERT INTO quarantine(batch_id, line, source, reason, field, value, message, fingerprint, raw_row, raw_bytes) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    }

    /// A row already held: its fingerprint, batch and line.
    private struct Seen {
        var fingerprint: RowFingerprint
        var batchID: Int64
        var line: Int
    }

    /// Writes rows in order on the writer's queue (called by `SQLiteImportChannel.serve`).
    func write(_ rows: [ImportRow]) throws -> [RowDisposition] {
        try rows.map { row in
            switch row {
            case .incident(let i, let f, let key, let line): try accept(i, fingerprint: f, rowKey: key, line: line)
            case .rejected(let q, let f): try quarantine(q, fingerprint: f)
            }
        }
    }

    private func accept(_ incident: Incident, fingerprint: RowFingerprint, rowKey: String?, line: Int) throws -> RowDisposition {
        if let id = try insert(incident, fingerprint: fingerprint, line: line) {
            if let rowKey { try insertRow(incidentID: id, rowKey: rowKey, fingerprint: fingerprint, line: line, raw: incident.rawRow) }
            return .inserted
        }
        guard let (id, first) = try existingIncident(incident.id) else {
            throw StoreError.corrupt("incident \(incident.id) conflicted but cannot be read")
        }
        guard let rowKey else {
            if first.fingerprint == fingerprint {
                return try repeatOf(first, source: incident.id.source, line: line, raw: incident.rawRow, fingerprint: fingerprint)
            }
            return try duplicateRecord(incident, fingerprint: fingerprint, line: line)
        }
        if let seen = try keyedRow(incidentID: id, rowKey: rowKey) {
            if seen.fingerprint == fingerprint {
                return try repeatOf(seen, source: incident.id.source, line: line, raw: incident.rawRow, fingerprint: fingerprint)
            }
            return try duplicateRecord(incident, fingerprint: fingerprint, line: line)
        }
        try insertRow(incidentID: id, rowKey: rowKey, fingerprint: fingerprint, line: line, raw: incident.rawRow)
        try merge(incident, id: id)
        return .merged
    }

    private func quarantine(_ q: QuarantinedRow, fingerprint: RowFingerprint) throws -> RowDisposition {
        if let seen = try quarantined(fingerprint) {
            return try repeatOf(seen, source: q.source, line: q.lineNumber, raw: q.rawRow, fingerprint: fingerprint, earlier: .stillQuarantined)
        }
        try quarantineRow(line: q.lineNumber, source: q.source, reason: q.reason, field: q.field, value: q.value, message: q.message,
                          fingerprint: fingerprint, raw: q.rawRow)
        return .quarantined(q.reason)
    }

    /// An identical row already seen: `earlier` (unchanged, or still quarantined) when an earlier batch brought
    /// it, else an exact duplicate.
    private func repeatOf(_ seen: Seen, source: String, line: Int, raw: String, fingerprint: RowFingerprint,
                          earlier: RowDisposition = .unchanged) throws -> RowDisposition {
        if seen.batchID != batchID { return earlier }
        try quarantineRow(line: line, source: source, reason: .exactDuplicate, field: nil, value: nil,
                          message: "identical to line \(seen.line)", fingerprint: fingerprint, raw: raw)
        return .quarantined(.exactDuplicate)
    }

    private func duplicateRecord(_ incident: Incident, fingerprint: RowFingerprint, line: Int) throws -> RowDisposition {
        // The same conflicting row may have been quarantined before (an earlier import of the same export).
        if let seen = try quarantined(fingerprint) {
            return try repeatOf(seen, source: incident.id.source, line: line, raw: incident.rawRow, fingerprint: fingerprint, earlier: .stillQuarantined)
        }
        try quarantineRow(line: line, source: incident.id.source, reason: .duplicateRecord, field: "id", value: incident.id.recordID,
                          message: "record \(incident.id.recordID) was already imported with different content for the same row key",
                          fingerprint: fingerprint, raw: incident.rawRow)
        return .quarantined(.duplicateRecord)
    }

    /// Inserts a new incident; nil when one with the same id exists. The row's text fields are packed into one
    /// buffer and bound without copies (SQLITE_STATIC) for the duration of the step: eight separate transient
    /// binds would cost eight allocations per row on the import's critical thread.
    private func insert(_ i: Incident, fingerprint: RowFingerprint, line: Int) throws -> Int64? {
        let s = insertIncident.sqliteStatement
        let texts: [String?] = [i.id.source, i.id.recordID, i.category.rawValue, i.offence, i.occurredPrecision.rawValue, i.timeZoneIdentifier,
                                i.address, i.rawRow]
        var packed: [UInt8] = []
        packed.reserveCapacity(texts.reduce(16) { $0 + ($1?.utf8.count ?? 0) })
        var ranges: [(Int, Int)?] = []
        for t in texts {
            guard let t else { ranges.append(nil); continue }
            ranges.append((packed.count, t.utf8.count))
            packed.append(contentsOf: t.utf8)
        }
        let fingerprintOffset = packed.count
        withUnsafeBytes(of: (fingerprint.high.bigEndian, fingerprint.low.bigEndian)) { packed.append(contentsOf: $0) }
        let code: Int32 = packed.withUnsafeBufferPointer { buf in
            let base = UnsafeRawPointer(buf.baseAddress!)
            func text(_ column: Int32, _ index: Int) {
                if let (offset, count) = ranges[index] {
                    sqlite3_bind_text(s, column, base.advanced(by: offset).assumingMemoryBound(to: CChar.self), Int32(count), staticDestructor)
                } else {
                    sqlite3_bind_null(s, column)
                }
            }
            text(1, 0)
            text(2, 1)
            text(3, 2)
            text(4, 3)
            sqlite3_bind_int64(s, 5, Int64(i.occurredAt.timeIntervalSince1970.rounded(.down)))
            text(6, 4)
            text(7, 5)
            sqlite3_bind_int64(s, 8, Int64(i.localDate.yyyymmdd))
            if let r = i.reportedAt { sqlite3_bind_int64(s, 9, Int64(r.timeIntervalSince1970.rounded(.down))) } else { sqlite3_bind_null(s, 9) }
            sqlite3_bind_double(s, 10, i.location.latitude)
            sqlite3_bind_double(s, 11, i.location.longitude)
            sqlite3_bind_double(s, 12, i.position.xMeters)
            sqlite3_bind_double(s, 13, i.position.yMeters)
            sqlite3_bind_int64(s, 14, SpatialCell.index(i.position))
            text(15, 6)
            sqlite3_bind_int(s, 16, i.firearm ? 1 : 0)
            sqlite3_bind_int(s, 17, i.fatal ? 1 : 0)
            sqlite3_bind_int(s, 18, i.policeInitiated ? 1 : 0)
            sqlite3_bind_int64(s, 19, Int64(i.rowCount))
            sqlite3_bind_int64(s, 20, batchID)
            sqlite3_bind_blob(s, 21, base.advanced(by: fingerprintOffset), 16, staticDestructor)
            sqlite3_bind_int64(s, 22, Int64(line))
            text(23, 7)
            let code = sqlite3_step(s)
            // Unbind before the buffer goes away; the statement must not keep pointers into it.
            sqlite3_reset(s)
            sqlite3_clear_bindings(s)
            return code
        }
        guard code == SQLITE_DONE else {
            throw StoreError.database("import write failed (\(code)): \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
        }
        return sqlite3_changes(db.sqliteConnection) == 1 ? sqlite3_last_insert_rowid(db.sqliteConnection) : nil
    }

    private func existingIncident(_ id: IncidentID) throws -> (Int64, Seen)? {
        let s = findIncident.sqliteStatement
        bind(s, 1, id.source)
        bind(s, 2, id.recordID)
        var found: (Int64, Seen)?
        try run(s) { s in
            found = (sqlite3_column_int64(s, 0),
                     Seen(fingerprint: fingerprintColumn(s, 1), batchID: sqlite3_column_int64(s, 2), line: Int(sqlite3_column_int64(s, 3))))
        }
        return found
    }

    private func keyedRow(incidentID: Int64, rowKey: String) throws -> Seen? {
        let s = findKeyedRow.sqliteStatement
        sqlite3_bind_int64(s, 1, incidentID)
        bind(s, 2, rowKey)
        var found: Seen?
        try run(s) { s in found = Seen(fingerprint: fingerprintColumn(s, 0), batchID: sqlite3_column_int64(s, 1), line: Int(sqlite3_column_int64(s, 2))) }
        return found
    }

    private func insertRow(incidentID: Int64, rowKey: String, fingerprint: RowFingerprint, line: Int, raw: String) throws {
        let s = insertKeyedRow.sqliteStatement
        sqlite3_bind_int64(s, 1, incidentID)
        bind(s, 2, rowKey)
        bind(s, 3, fingerprint)
        sqlite3_bind_int64(s, 4, batchID)
        sqlite3_bind_int64(s, 5, Int64(line))
        bind(s, 6, raw)
        try run(s)
    }

    private func quarantined(_ fingerprint: RowFingerprint) throws -> Seen? {
        let s = findQuarantined.sqliteStatement
        bind(s, 1, fingerprint)
        var found: Seen?
        try run(s) { s in found = Seen(fingerprint: fingerprintColumn(s, 0), batchID: sqlite3_column_int64(s, 1), line: Int(sqlite3_column_int64(s, 2))) }
        return found
    }

    private func merge(_ i: Incident, id: Int64) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(SQLiteIncidentStore.incidentColumns), raw_row FROM incident WHERE id = ?", arguments: [id]) else {
            throw StoreError.corrupt("incident \(i.id) vanished during its merge")
        }
        var existing = try SQLiteIncidentStore.incident(fromColumns: row)
        existing.merge(i, weights: weights)
        try db.execute(sql: """
            UPDATE incident SET category = ?, offence = ?, occurred_precision = ?, reported_at = ?, address = ?, firearm = ?, fatal = ?,
                police_initiated = ?, row_count = ? WHERE id = ?
            """, arguments: [existing.category.rawValue, existing.offence, existing.occurredPrecision.rawValue,
                             existing.reportedAt.map { Int64($0.timeIntervalSince1970.rounded(.down)) }, existing.address,
                             existing.firearm, existing.fatal, existing.policeInitiated, existing.rowCount, id])
    }

    private func quarantineRow(line: Int, source: String, reason: QuarantineReason, field: String?, value: String?, message: String,
                               fingerprint: RowFingerprint, raw: String) throws {
        let s = insertQuarantine.sqliteStatement
        sqlite3_bind_int64(s, 1, batchID)
        sqlite3_bind_int64(s, 2, Int64(line))
        bind(s, 3, source)
        bind(s, 4, reason.rawValue)
        // Derived texts are shown visibly if they hold a NUL; the row itself is kept exactly (its bytes beside it).
        if let field { bind(s, 5, ImportText.containsNUL(field) ? ImportText.visible(field) : field) } else { sqlite3_bind_null(s, 5) }
        if let value { bind(s, 6, ImportText.containsNUL(value) ? ImportText.visible(value) : value) } else { sqlite3_bind_null(s, 6) }
        bind(s, 7, ImportText.containsNUL(message) ? ImportText.visible(message) : message)
        bind(s, 8, fingerprint)
        if ImportText.containsNUL(raw) {
            bind(s, 9, ImportText.visible(raw))
            let bytes = Array(raw.utf8)
            bytes.withUnsafeBytes { _ = sqlite3_bind_blob(s, 10, $0.baseAddress, Int32($0.count), transient) }
        } else {
            bind(s, 9, raw)
            sqlite3_bind_null(s, 10)
        }
        try run(s)
    }

    /// Steps a statement to completion, handing each result row to `row`, then resets it.
    private func run(_ s: SQLiteStatement, _ row: (SQLiteStatement) -> Void = { _ in }) throws {
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
private let staticDestructor = unsafeBitCast(0, to: sqlite3_destructor_type.self)

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

private func fingerprintColumn(_ s: SQLiteStatement, _ column: Int32) -> RowFingerprint {
    guard let blob = sqlite3_column_blob(s, column), sqlite3_column_bytes(s, column) == 16 else { return RowFingerprint(high: 0, low: 0) }
    return RowFingerprint(bytes: Array(UnsafeRawBufferPointer(start: blob, count: 16)))!
}
