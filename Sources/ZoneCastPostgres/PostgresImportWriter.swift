import Foundation
import PostgresNIO
import ZoneCastCore
import ZoneCastStore

/// Writes one batch inside the transaction `PostgresIncidentStore.importBatch` opened, a chunk at a time.
///
/// A chunk (the importer hands over 2,048 rows) costs a handful of statements whatever its size, never one per row:
/// 1. read what the store holds for the chunk's identities and keyed rows (two queries, sent together, each one
///    join against `unnest` of the chunk's keys);
/// 2. read the quarantine for the few fingerprints that could repeat a quarantined row (usually none);
/// 3. decide every row in memory, in order, with the same rules as the other stores (`ImportWriter`), keeping
///    new incidents, merges and quarantines of this chunk in local maps so later rows see earlier ones;
/// 4. write: new incidents, merged incidents, keyed rows and quarantine rows, each one INSERT/UPDATE over `unnest`
///    of column arrays (binary protocol), sent together and not awaited: the server writes this chunk while the
///    importer hands over the next one. Statements on a connection run in order, so the next chunk's reads see
///    these writes; their results are checked before the next chunk's reads are used, and `finish()` (called by
///    `importBatch` before COMMIT) checks the last chunk's.
final class PostgresImportWriter: ImportWriter {
    let session: PostgresSession
    let batchID: Int64
    let weights: HarmWeights

    init(session: PostgresSession, batchID: Int64, weights: HarmWeights) {
        self.session = session
        self.batchID = batchID
        self.weights = weights
    }

    /// A row already held: its fingerprint, batch and line.
    struct Seen {
        var fingerprint: RowFingerprint
        var batchID: Int64
        var line: Int
    }

    /// An incident this chunk touches: held by the store (`storedID`) or new in this chunk.
    struct Known {
        var storedID: Int64?
        var first: Seen
        var incident: Incident
        var merged = false
    }

    struct KeyedRow: Hashable {
        var id: IncidentID
        var rowKey: String
    }

    struct NewKeyedRow {
        var id: IncidentID
        var rowKey: String
        var fingerprint: RowFingerprint
        var line: Int
        var raw: String
    }

    struct NewQuarantine {
        var line: Int
        var source: String
        var reason: QuarantineReason
        var field: String?
        var value: String?
        var message: String
        var fingerprint: RowFingerprint
        var raw: String
    }

    /// The chunk's view of the store, filled by the reads and then by the chunk's own decisions.
    private var known: [IncidentID: Known] = [:]
    private var newIncidents: [IncidentID] = []
    private var keyed: [KeyedRow: Seen] = [:]
    private var newKeyedRows: [NewKeyedRow] = []
    private var quarantined: [RowFingerprint: Seen] = [:]
    private var newQuarantine: [NewQuarantine] = []
    /// The previous chunk's writes, still running, with the row count each must report.
    private var pending: [(future: EventLoopFuture<PostgresQueryResult>, what: String, rows: Int)] = []

    func write(_ rows: [ImportRow]) async throws -> [RowDisposition] {
        guard !rows.isEmpty else { return [] }
        known = [:]
        newIncidents = []
        keyed = [:]
        newKeyedRows = []
        quarantined = [:]
        newQuarantine = []
        try await readHeld(rows)
        let dispositions = rows.map { row in
            switch row {
            case .incident(let i, let f, let key, let line): accept(i, fingerprint: f, rowKey: key, line: line)
            case .rejected(let q, let f): quarantine(q, fingerprint: f)
            }
        }
        try await writeChunk()
        return dispositions
    }

    // MARK: Reading what the store holds

    private func readHeld(_ rows: [ImportRow]) async throws {
        var ids: [IncidentID] = []
        var seenIDs = Set<IncidentID>()
        var repeatedIDs = Set<IncidentID>()
        var keys: [KeyedRow] = []
        var seenKeys = Set<KeyedRow>()
        for row in rows {
            guard case .incident(let i, _, let rowKey, _) = row else { continue }
            if seenIDs.insert(i.id).inserted { ids.append(i.id) } else { repeatedIDs.insert(i.id) }
            if let rowKey {
                let k = KeyedRow(id: i.id, rowKey: rowKey)
                if seenKeys.insert(k).inserted { keys.append(k) }
            }
        }
        var futures: [EventLoopFuture<PostgresQueryResult>] = []
        if !ids.isEmpty {
            let columns = PostgresIncidentStore.incidentColumnNames.map { "i.\($0)" }.joined(separator: ", ")
            futures.append(session.start("""
                SELECT \(unescaped: columns), ''::text, i.id, i.fingerprint, i.line
                FROM unnest(\(ids.map(\.source))::text[], \(ids.map(\.recordID))::text[]) AS k(source, record_id)
                CROSS JOIN LATERAL (\(unescaped: Self.incidentByIdentity("k"))) i
                """))
        }
        if !keys.isEmpty {
            futures.append(session.start("""
                SELECT k.source, k.record_id, r.row_key, r.fingerprint, r.batch_id, r.line
                FROM unnest(\(keys.map(\.id.source))::text[], \(keys.map(\.id.recordID))::text[], \(keys.map(\.rowKey))::text[]) \
                AS k(source, record_id, row_key)
                CROSS JOIN LATERAL (\(unescaped: Self.incidentByIdentity("k"))) i
                CROSS JOIN LATERAL (SELECT * FROM incident_row r WHERE r.incident_id = i.id AND r.row_key = k.row_key LIMIT 1) r
                """))
        }
        // The previous chunk's writes ran first (same connection): check them before trusting what the reads saw.
        try await finish()
        let results = try await session.waitAll(futures)
        if !ids.isEmpty {
            for row in results[0] {
                var incident = try PostgresIncidentStore.incident(from: row)
                incident.rawRow = ""
                let cells = row.makeRandomAccess()
                let storedID = try cells[20].decode(Int64.self)
                let fingerprint = try Self.fingerprint(cells[21].decode(ByteBuffer.self))
                let line = try cells[22].decode(Int.self)
                known[incident.id] = Known(storedID: storedID, first: Seen(fingerprint: fingerprint, batchID: incident.batchID ?? 0, line: line),
                                           incident: incident)
            }
        }
        if !keys.isEmpty {
            for row in results[ids.isEmpty ? 0 : 1] {
                let (source, recordID, rowKey, fingerprint, batch, line) = try row.decode((String, String, String, ByteBuffer, Int64, Int).self)
                keyed[KeyedRow(id: IncidentID(source: source, recordID: recordID), rowKey: rowKey)] =
                    Seen(fingerprint: try Self.fingerprint(fingerprint), batchID: batch, line: line)
            }
        }
        // Only a rejected row, or a row of an incident already held or repeated in this chunk, can meet the
        // quarantine: look up just those fingerprints.
        var fingerprints: [ByteBuffer] = []
        var asked = Set<RowFingerprint>()
        for row in rows {
            switch row {
            case .incident(let i, let f, _, _):
                if known[i.id] != nil || repeatedIDs.contains(i.id), asked.insert(f).inserted { fingerprints.append(Self.buffer(f)) }
            case .rejected(_, let f):
                if asked.insert(f).inserted { fingerprints.append(Self.buffer(f)) }
            }
        }
        if !fingerprints.isEmpty {
            let found = try await session.query("""
                SELECT DISTINCT ON (fingerprint) fingerprint, batch_id, line FROM quarantine
                WHERE fingerprint = ANY(\(fingerprints)::bytea[]) ORDER BY fingerprint, id
                """)
            for row in found {
                let (fingerprint, batch, line) = try row.decode((ByteBuffer, Int64, Int).self)
                let f = try Self.fingerprint(fingerprint)
                quarantined[f] = Seen(fingerprint: f, batchID: batch, line: line)
            }
        }
    }

    // MARK: Deciding, row by row (the rules of `ImportWriter`)

    private func accept(_ incident: Incident, fingerprint: RowFingerprint, rowKey: String?, line: Int) -> RowDisposition {
        guard var held = known[incident.id] else {
            var fresh = incident
            fresh.batchID = batchID
            known[incident.id] = Known(storedID: nil, first: Seen(fingerprint: fingerprint, batchID: batchID, line: line), incident: fresh)
            newIncidents.append(incident.id)
            if let rowKey { addKeyedRow(incident, rowKey: rowKey, fingerprint: fingerprint, line: line) }
            return .inserted
        }
        guard let rowKey else {
            if held.first.fingerprint == fingerprint {
                return repeatOf(held.first, source: incident.id.source, line: line, raw: incident.rawRow, fingerprint: fingerprint)
            }
            return duplicateRecord(incident, fingerprint: fingerprint, line: line)
        }
        if let seen = keyed[KeyedRow(id: incident.id, rowKey: rowKey)] {
            if seen.fingerprint == fingerprint { return repeatOf(seen, source: incident.id.source, line: line, raw: incident.rawRow, fingerprint: fingerprint) }
            return duplicateRecord(incident, fingerprint: fingerprint, line: line)
        }
        addKeyedRow(incident, rowKey: rowKey, fingerprint: fingerprint, line: line)
        held.incident.merge(incident, weights: weights)
        held.merged = true
        known[incident.id] = held
        return .merged
    }

    private func addKeyedRow(_ incident: Incident, rowKey: String, fingerprint: RowFingerprint, line: Int) {
        keyed[KeyedRow(id: incident.id, rowKey: rowKey)] = Seen(fingerprint: fingerprint, batchID: batchID, line: line)
        newKeyedRows.append(NewKeyedRow(id: incident.id, rowKey: rowKey, fingerprint: fingerprint, line: line, raw: incident.rawRow))
    }

    private func quarantine(_ q: QuarantinedRow, fingerprint: RowFingerprint) -> RowDisposition {
        if let seen = quarantined[fingerprint] {
            return repeatOf(seen, source: q.source, line: q.lineNumber, raw: q.rawRow, fingerprint: fingerprint, earlier: .stillQuarantined)
        }
        record(NewQuarantine(line: q.lineNumber, source: q.source, reason: q.reason, field: q.field, value: q.value, message: q.message,
                             fingerprint: fingerprint, raw: q.rawRow))
        return .quarantined(q.reason)
    }

    /// An identical row already seen: `earlier` (unchanged, or still quarantined) when an earlier batch brought
    /// it, else an exact duplicate.
    private func repeatOf(_ seen: Seen, source: String, line: Int, raw: String, fingerprint: RowFingerprint,
                          earlier: RowDisposition = .unchanged) -> RowDisposition {
        if seen.batchID != batchID { return earlier }
        record(NewQuarantine(line: line, source: source, reason: .exactDuplicate, field: nil, value: nil, message: "identical to line \(seen.line)",
                             fingerprint: fingerprint, raw: raw))
        return .quarantined(.exactDuplicate)
    }

    private func duplicateRecord(_ incident: Incident, fingerprint: RowFingerprint, line: Int) -> RowDisposition {
        // The same conflicting row may have been quarantined before (an earlier import of the same export).
        if let seen = quarantined[fingerprint] {
            return repeatOf(seen, source: incident.id.source, line: line, raw: incident.rawRow, fingerprint: fingerprint, earlier: .stillQuarantined)
        }
        record(NewQuarantine(line: line, source: incident.id.source, reason: .duplicateRecord, field: "id", value: incident.id.recordID,
                             message: "record \(incident.id.recordID) was already imported with different content for the same row key",
                             fingerprint: fingerprint, raw: incident.rawRow))
        return .quarantined(.duplicateRecord)
    }

    private func record(_ q: NewQuarantine) {
        newQuarantine.append(q)
        if quarantined[q.fingerprint] == nil { quarantined[q.fingerprint] = Seen(fingerprint: q.fingerprint, batchID: batchID, line: q.line) }
    }

    // MARK: Writing the chunk

    private func writeChunk() async throws {
        var futures: [EventLoopFuture<PostgresQueryResult>] = []
        var expected: [(what: String, rows: Int)] = []
        if !newIncidents.isEmpty {
            futures.append(session.start(insertIncidents(newIncidents.map { known[$0]!.incident })))
            expected.append(("incidents inserted", newIncidents.count))
        }
        let merged = known.values.filter { $0.storedID != nil && $0.merged }
        if !merged.isEmpty {
            futures.append(session.start(updateIncidents(merged)))
            expected.append(("incidents merged", merged.count))
        }
        // Statements on one connection run in the order they were sent: the keyed rows find their new incidents.
        if !newKeyedRows.isEmpty {
            let r = newKeyedRows
            futures.append(session.start("""
                INSERT INTO incident_row (incident_id, row_key, fingerprint, batch_id, line, raw_row)
                SELECT i.id, u.row_key, u.fingerprint, \(batchID), u.line, u.raw_row
                FROM unnest(\(r.map(\.id.source))::text[], \(r.map(\.id.recordID))::text[], \(r.map(\.rowKey))::text[],
                            \(r.map { Self.buffer($0.fingerprint) })::bytea[], \(r.map { Int64($0.line) })::bigint[], \(r.map(\.raw))::text[])
                     AS u(source, record_id, row_key, fingerprint, line, raw_row)
                CROSS JOIN LATERAL (\(unescaped: Self.incidentByIdentity("u"))) i
                """))
            expected.append(("keyed rows inserted", r.count))
        }
        if !newQuarantine.isEmpty {
            let q = newQuarantine
            // PostgreSQL text cannot hold a NUL: derived texts are shown visibly, and a row holding one keeps its
            // exact bytes in raw_bytes beside a visible raw_row.
            func storable(_ t: String) -> String { ImportText.containsNUL(t) ? ImportText.visible(t) : t }
            let exact = q.map { ImportText.containsNUL($0.raw) }
            futures.append(session.start("""
                INSERT INTO quarantine (batch_id, line, source, reason, field, value, message, fingerprint, raw_row, raw_bytes)
                SELECT \(batchID), u.line, u.source, u.reason, CASE WHEN u.field_null THEN NULL ELSE u.field END,
                       CASE WHEN u.value_null THEN NULL ELSE u.value END, u.message, u.fingerprint, u.raw_row,
                       CASE WHEN u.exact THEN u.raw_bytes ELSE NULL END
                FROM unnest(\(q.map { Int64($0.line) })::bigint[], \(q.map(\.source))::text[], \(q.map(\.reason.rawValue))::text[],
                            \(q.map { storable($0.field ?? "") })::text[], \(q.map { $0.field == nil })::boolean[],
                            \(q.map { storable($0.value ?? "") })::text[], \(q.map { $0.value == nil })::boolean[],
                            \(q.map { storable($0.message) })::text[], \(q.map { Self.buffer($0.fingerprint) })::bytea[], \(q.map { storable($0.raw) })::text[],
                            \(exact)::boolean[], \(zip(q, exact).map { $1 ? ByteBuffer(string: $0.raw) : ByteBuffer() })::bytea[])
                     WITH ORDINALITY AS u(line, source, reason, field, field_null, value, value_null, message, fingerprint, raw_row, exact, raw_bytes, ord)
                ORDER BY u.ord
                """))
            expected.append(("rows quarantined", q.count))
        }
        pending = zip(futures, expected).map { ($0, $1.what, $1.rows) }
    }

    /// Waits for the writes still running and checks that each wrote what it should. `importBatch` calls it before
    /// COMMIT; an error here fails the import like any other.
    func finish() async throws {
        let writes = pending
        pending = []
        let results = try await session.waitAll(writes.map(\.future))
        for (result, e) in zip(results, writes) where result.metadata.rows != e.rows {
            throw StoreError.corrupt("import chunk: \(e.rows) \(e.what) expected, the database reports \(result.metadata.rows.map(String.init) ?? "none")")
        }
    }

    private func insertIncidents(_ incidents: [Incident]) -> PostgresQuery {
        var source: [String] = [], recordID: [String] = [], category: [String] = [], offence: [String] = [], occurredAt: [Int64] = []
        var precision: [String] = [], timeZone: [String] = [], localDate: [Int64] = [], reportedAt: [Int64] = [], reportedNull: [Bool] = []
        var latitude: [Double] = [], longitude: [Double] = [], x: [Double] = [], y: [Double] = [], cell: [Int64] = []
        var address: [String] = [], addressNull: [Bool] = [], firearm: [Bool] = [], fatal: [Bool] = [], police: [Bool] = []
        var rowCount: [Int64] = [], fingerprint: [ByteBuffer] = [], line: [Int64] = [], raw: [String] = []
        for i in incidents {
            let k = known[i.id]!
            source.append(i.id.source)
            recordID.append(i.id.recordID)
            category.append(i.category.rawValue)
            offence.append(i.offence)
            occurredAt.append(Int64(i.occurredAt.timeIntervalSince1970.rounded(.down)))
            precision.append(i.occurredPrecision.rawValue)
            timeZone.append(i.timeZoneIdentifier)
            localDate.append(Int64(i.localDate.yyyymmdd))
            reportedAt.append(i.reportedAt.map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? 0)
            reportedNull.append(i.reportedAt == nil)
            latitude.append(i.location.latitude)
            longitude.append(i.location.longitude)
            x.append(i.position.xMeters)
            y.append(i.position.yMeters)
            cell.append(SpatialCell.index(i.position))
            address.append(i.address ?? "")
            addressNull.append(i.address == nil)
            firearm.append(i.firearm)
            fatal.append(i.fatal)
            police.append(i.policeInitiated)
            rowCount.append(Int64(i.rowCount))
            fingerprint.append(Self.buffer(k.first.fingerprint))
            line.append(Int64(k.first.line))
            raw.append(i.rawRow)
        }
        return """
            INSERT INTO incident (source, record_id, category, offence, occurred_at, occurred_precision, time_zone, local_date, reported_at,
                latitude, longitude, x, y, cell_km, address, firearm, fatal, police_initiated, row_count, batch_id, fingerprint, line, raw_row)
            SELECT source, record_id, category, offence, occurred_at, occurred_precision, time_zone, local_date,
                CASE WHEN reported_null THEN NULL ELSE reported_at END, latitude, longitude, x, y, cell_km,
                CASE WHEN address_null THEN NULL ELSE address END, firearm, fatal, police_initiated, row_count, \(batchID), fingerprint, line, raw_row
            FROM unnest(\(source)::text[], \(recordID)::text[], \(category)::text[], \(offence)::text[], \(occurredAt)::bigint[],
                        \(precision)::text[], \(timeZone)::text[], \(localDate)::bigint[], \(reportedAt)::bigint[], \(reportedNull)::boolean[],
                        \(latitude)::float8[], \(longitude)::float8[], \(x)::float8[], \(y)::float8[], \(cell)::bigint[],
                        \(address)::text[], \(addressNull)::boolean[], \(firearm)::boolean[], \(fatal)::boolean[], \(police)::boolean[],
                        \(rowCount)::bigint[], \(fingerprint)::bytea[], \(line)::bigint[], \(raw)::text[])
                 AS u(source, record_id, category, offence, occurred_at, occurred_precision, time_zone, local_date, reported_at, reported_null,
                      latitude, longitude, x, y, cell_km, address, address_null, firearm, fatal, police_initiated,
                      row_count, fingerprint, line, raw_row)
            """
    }

    /// Only the fields `Incident.merge` can change.
    private func updateIncidents(_ merged: [Known]) -> PostgresQuery {
        let i = merged.map(\.incident)
        return """
            UPDATE incident AS i SET category = u.category, offence = u.offence, occurred_precision = u.occurred_precision,
                reported_at = CASE WHEN u.reported_null THEN NULL ELSE u.reported_at END,
                address = CASE WHEN u.address_null THEN NULL ELSE u.address END,
                firearm = u.firearm, fatal = u.fatal, police_initiated = u.police_initiated, row_count = u.row_count
            FROM unnest(\(merged.map { $0.storedID! })::bigint[], \(i.map(\.category.rawValue))::text[], \(i.map(\.offence))::text[],
                        \(i.map(\.occurredPrecision.rawValue))::text[],
                        \(i.map { $0.reportedAt.map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? 0 })::bigint[], \
            \(i.map { $0.reportedAt == nil })::boolean[],
                        \(i.map { $0.address ?? "" })::text[], \(i.map { $0.address == nil })::boolean[],
                        \(i.map(\.firearm))::boolean[], \(i.map(\.fatal))::boolean[], \(i.map(\.policeInitiated))::boolean[], \
            \(i.map { Int64($0.rowCount) })::bigint[])
                 AS u(id, category, offence, occurred_precision, reported_at, reported_null, address, address_null, firearm, fatal, police_initiated, row_count)
            WHERE i.id = u.id
            """
    }

    /// The incident with the identity of the `unnest` row `alias`, found through the unique index. A plain join
    /// lets the planner hash the whole table once it looks small (a fresh table has no statistics): one sequential
    /// scan per chunk, quadratic over an import. A LATERAL subquery with LIMIT is never flattened into a join, so
    /// each key is one index probe whatever the statistics say.
    static func incidentByIdentity(_ alias: String) -> String {
        "SELECT * FROM incident i WHERE i.source = \(alias).source AND i.record_id = \(alias).record_id LIMIT 1"
    }
}
