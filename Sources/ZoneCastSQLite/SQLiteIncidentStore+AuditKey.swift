import Foundation
import GRDB
public import ZoneCastOperations
import ZoneCastStore

/// Where the database records that its chain is keyed: from which entry, and with which key (its id, never the
/// key). Plain settings: whoever edits the file can change them, which the chain (keyed entries cannot be
/// recomputed without the key) and checkpoints (a moved switch-over point or rewritten head) then expose.
extension SQLiteIncidentStore {
    static let keyedFromSetting = "audit_keyed_from", keyIDSetting = "audit_key_id"

    /// Opened with a key: the first open records the switch-over (the next entry is the first keyed one); later
    /// opens check that the key is the one the chain was keyed with. Returns the switch-over point.
    static func anchorAuditKey(_ key: AuditKey?, in writer: any DatabaseWriter, label: String) throws -> Int64? {
        try writer.write { db in
            let keyedFrom = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [keyedFromSetting]).flatMap { Int64($0) }
            guard let key else { return keyedFrom }
            if let keyedFrom {
                let id = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [keyIDSetting]) ?? "none"
                guard id == key.id else { throw StoreError.database(mismatch(label: label, recorded: id, given: key.id)) }
                return keyedFrom
            }
            let next = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(sequence), 0) + 1 FROM audit_log")) ?? 1
            try db.execute(sql: "INSERT INTO setting(key, value) VALUES (?, ?), (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [keyedFromSetting, String(next), keyIDSetting, key.id])
            return next
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
        try await wrap {
            try await writer.read { db in
                let keyedFrom = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [Self.keyedFromSetting])
                    .flatMap { Int64($0) }
                return AuditKeying(keyedFrom: keyedFrom, key: auditKey)
            }
        }
    }
}
