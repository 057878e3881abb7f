import Foundation
import GRDB
public import ZoneCastAccess
public import ZoneCastStore

extension SQLiteIncidentStore: AccountStore {
    public func addAccount(_ a: Account) async throws {
        try await wrap {
            try await writer.write { db in
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE username = ?", arguments: [a.username]) == true {
                    throw AccessError.duplicateUsername(a.username)
                }
                try db.execute(sql: "INSERT INTO account(display_name, role, units_json, password_hash, must_change_password, created_at, disabled, "
                                   + "sessions_revoked_at, failures_cleared_at, username) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: Self.arguments(a))
            }
        }
    }

    public func updateAccount(_ a: Account) async throws {
        try await wrap {
            try await writer.write { db in
                try db.execute(sql: "UPDATE account SET display_name = ?, role = ?, units_json = ?, password_hash = ?, must_change_password = ?, "
                                   + "created_at = ?, disabled = ?, sessions_revoked_at = ?, failures_cleared_at = ? WHERE username = ?",
                               arguments: Self.arguments(a))
                guard db.changesCount == 1 else { throw AccessError.unknownUsername(a.username) }
            }
        }
    }

    public func deleteAccount(username: String) async throws {
        try await wrap {
            try await writer.write { db in
                try db.execute(sql: "DELETE FROM account WHERE username = ?", arguments: [username])
                guard db.changesCount == 1 else { throw AccessError.unknownUsername(username) }
            }
        }
    }

    public func account(username: String) async throws -> Account? {
        try await wrap {
            try await writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM account WHERE username = ?",
                arguments: [username]).map(Self.account(from:)) }
        }
    }

    public func accounts() async throws -> [Account] {
        try await wrap { try await writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY username").map(Self.account(from:)) } }
    }

    /// Column values in the order both statements list them: everything, then the username.
    static func arguments(_ a: Account) throws -> StatementArguments {
        let units = String(decoding: try JSONEncoder().encode(a.units.sorted().map(\.name)), as: UTF8.self)
        return [a.displayName, a.role.rawValue, units, a.passwordHash, a.mustChangePassword, a.createdAt.timeIntervalSince1970, a.disabled,
                a.sessionsRevokedAt?.timeIntervalSince1970, a.failuresClearedAt?.timeIntervalSince1970, a.username]
    }

    static func account(from row: Row) throws -> Account {
        let raw: String = row["role"]
        guard let role = Role(rawValue: raw) else { throw StoreError.corrupt("account role \(raw)") }
        let units: [String]
        do { units = try JSONDecoder().decode([String].self, from: Data((row["units_json"] as String).utf8)) } catch {
            throw StoreError.corrupt("account units: \(error)")
        }
        return Account(username: row["username"], displayName: row["display_name"], role: role, units: Set(units.map(PatrolUnit.init)),
                       passwordHash: row["password_hash"], mustChangePassword: row["must_change_password"],
                       createdAt: Date(timeIntervalSince1970: row["created_at"]),
                       disabled: row["disabled"], sessionsRevokedAt: (row["sessions_revoked_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                       failuresClearedAt: (row["failures_cleared_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }
}
