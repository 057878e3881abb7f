public import Foundation
import GRDB
public import ZoneCastStore

extension SQLiteIncidentStore {
    public func dataVersion() async throws -> Int64 {
        try await wrap { try await writer.read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM import_batch") ?? 0 } }
    }
}

extension SQLiteIncidentStore: CycleStore {
    public func saveCycle(_ r: CycleRecord) async throws {
        try await wrap { try await writer.write { db in try Self.saveCycle(r, in: db) } }
    }

    static func saveCycle(_ r: CycleRecord, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO cycle(id, status, starts_at, ends_at, created_at, document) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET status = excluded.status, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
                created_at = excluded.created_at, document = excluded.document
            """, arguments: [r.id, r.status.rawValue, r.startsAt.timeIntervalSince1970, r.endsAt.timeIntervalSince1970, r.createdAt.timeIntervalSince1970,
                             r.document])
    }

    public func cycle(id: String) async throws -> CycleRecord? {
        try await wrap { try await writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM cycle WHERE id = ?", arguments: [id]).map(Self.cycle(from:)) } }
    }

    public func cycles() async throws -> [CycleRecord] {
        try await wrap { try await writer.read { db in try Row.fetchAll(db,
            sql: "SELECT * FROM cycle ORDER BY starts_at DESC, id DESC").map(Self.cycle(from:)) } }
    }

    public func cycleInForce(at date: Date) async throws -> CycleRecord? {
        let t = date.timeIntervalSince1970
        return try await wrap {
            try await writer.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM cycle WHERE status IN ('approved', 'active') AND starts_at <= ? AND ? < ends_at "
                                     + "ORDER BY starts_at DESC, id DESC LIMIT 1",
                                 arguments: [t, t]).map(Self.cycle(from:))
            }
        }
    }

    public func newestCycle(status: CycleStatus) async throws -> CycleRecord? {
        try await wrap {
            try await writer.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM cycle WHERE status = ? ORDER BY starts_at DESC, id DESC LIMIT 1", arguments: [status.rawValue])
                    .map(Self.cycle(from:))
            }
        }
    }

    static func cycle(from row: Row) throws -> CycleRecord {
        let raw: String = row["status"]
        guard let status = CycleStatus(rawValue: raw) else { throw StoreError.corrupt("cycle status \(raw)") }
        return CycleRecord(id: row["id"], status: status, startsAt: Date(timeIntervalSince1970: row["starts_at"]),
                           endsAt: Date(timeIntervalSince1970: row["ends_at"]),
                           createdAt: Date(timeIntervalSince1970: row["created_at"]), document: row["document"])
    }
}
