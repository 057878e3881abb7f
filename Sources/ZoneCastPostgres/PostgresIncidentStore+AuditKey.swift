import Foundation
import PostgresNIO
public import ZoneCastOperations
import ZoneCastStore

/// The audit chain's switch-over point and key id, as settings (the same rules as the SQLite store's
/// SQLiteIncidentStore+AuditKey).
extension PostgresIncidentStore {
    static let keyedFromSetting = "audit_keyed_from", keyIDSetting = "audit_key_id"

    /// Opened with a key: the first open records the switch-over (the next entry is the first keyed one), under the
    /// audit log's EXCLUSIVE lock so no append slips in between; later opens check the key is the one recorded.
    static func anchorAuditKey(_ key: AuditKey?, pool: PostgresPool, label: String) async throws -> Int64? {
        do {
            return try await pool.transaction { s in
                func setting(_ name: String) async throws -> String? {
                    try await s.query("SELECT value FROM setting WHERE key = \(name)").first.map { try $0.decode(String.self) }
                }
                guard let key else { return try await setting(keyedFromSetting).flatMap { Int64($0) } }
                try await s.execute("LOCK TABLE audit_log IN EXCLUSIVE MODE")
                if let keyedFrom = try await setting(keyedFromSetting).flatMap({ Int64($0) }) {
                    let id = try await setting(keyIDSetting) ?? "none"
                    guard id == key.id else { throw StoreError.database(mismatch(label: label, recorded: id, given: key.id)) }
                    return keyedFrom
                }
                let next = try await s.query("SELECT coalesce(max(sequence), 0)::bigint + 1 FROM audit_log").first!.decode(Int64.self)
                try await s.query("""
                    INSERT INTO setting (key, value) VALUES (\(keyedFromSetting), \(String(next))), (\(keyIDSetting), \(key.id))
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """)
                return next
            }
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError.database("cannot open \(label): \(String(reflecting: error))")
        }
    }

    static func mismatch(label: String, recorded: String, given: String) -> String {
        "the audit log of \(label) is keyed with audit key \(recorded), not with the key given (\(given)): "
            + "pass the key file it was keyed with (--audit-key-file or ZONECAST_AUDIT_KEY_FILE)"
    }

    static func keyRequired(label: String) -> String {
        "the audit log of \(label) is keyed: open it with its audit key (--audit-key-file or ZONECAST_AUDIT_KEY_FILE) to append entries"
    }

    public func auditKeying() async throws -> AuditKeying {
        let keyedFrom = try await setting(Self.keyedFromSetting).flatMap { Int64($0) }
        return AuditKeying(keyedFrom: keyedFrom, key: auditKey)
    }
}
