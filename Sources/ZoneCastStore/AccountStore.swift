import Foundation
public import ZoneCastAccess

/// Where accounts live; implemented by every store beside incidents.
public protocol AccountStore: Sendable {
    /// Adds a new account; refuses a username already taken.
    func addAccount(_ account: Account) async throws
    /// Replaces an existing account (password change, units, disabling, the session and failure stamps).
    func updateAccount(_ account: Account) async throws
    /// Removes an account (its audit entries stay: they name it as text); refuses an unknown username.
    func deleteAccount(username: String) async throws
    func account(username: String) async throws -> Account?
    /// All accounts by username.
    func accounts() async throws -> [Account]
}
