public import Foundation

/// What an admin can do to an existing account, from `zonecast users` or the Accounts page: both go through here,
/// so the rules and the audit wording are the same. Pure: time and the new password hash are passed in.
public enum AccountChange: Sendable, Equatable {
    case disable
    case enable
    /// A new one-time password (its hash): the next sign-in must choose a new one.
    case resetPassword(hash: String)
    case setRole(Role)
    case setUnits(Set<PatrolUnit>)
    /// Failed sign-ins so far stop counting (see `SignInThrottle`).
    case unlock

    /// The verb the audit entry and the CLI print.
    public var summary: String {
        switch self {
        case .disable: "disabled"
        case .enable: "enabled"
        case .resetPassword: "password reset (one-time password issued, must change at next sign-in)"
        case .setRole(let r): "role set to \(r.rawValue)"
        case .setUnits(let u): u.isEmpty ? "units cleared" : "units set to \(u.sorted().map(\.name).joined(separator: ", "))"
        case .unlock: "unlocked (failed sign-ins cleared)"
        }
    }

    /// `account` after the change at `now`. Disabling, a password reset and a role change end the account's sessions
    /// (its `sessionsRevokedAt` moves). Refused: an officer without units, and anything that would leave no enabled
    /// admin (`others`: every account, to count the admins).
    public func applied(to account: Account, at now: Date, among others: [Account]) throws(AccessError) -> Account {
        var a = account
        switch self {
        case .disable:
            a.disabled = true
            a.revokeSessions(at: now)
        case .enable:
            a.disabled = false
            a.failuresClearedAt = now
        case .resetPassword(let hash):
            a.passwordHash = hash
            a.mustChangePassword = true
            a.failuresClearedAt = now
            a.revokeSessions(at: now)
        case .setRole(let role):
            a.role = role
            if role != account.role { a.revokeSessions(at: now) }
        case .setUnits(let units):
            a.units = units
        case .unlock:
            a.failuresClearedAt = now
        }
        if a.role == .officer && a.units.isEmpty {
            throw .refusedChange("an officer needs at least one unit (officers see only their units' zones): \(account.username) would have none")
        }
        try Self.keepsAnAdmin(without: account, replacedBy: a, among: others)
        return a
    }

    /// Refuses a change (or a deletion: `replacedBy` nil) that would leave no enabled admin to manage accounts.
    public static func keepsAnAdmin(without account: Account, replacedBy new: Account?, among others: [Account]) throws(AccessError) {
        guard account.role == .admin && !account.disabled else { return }
        if let new, new.role == .admin && !new.disabled { return }
        let remaining = others.filter { $0.username != account.username && $0.role == .admin && !$0.disabled }
        if remaining.isEmpty {
            throw .refusedChange("\(account.username) is the only enabled admin: add or enable another admin first")
        }
    }
}
