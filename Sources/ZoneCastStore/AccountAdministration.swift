public import Foundation
public import ZoneCastAccess
import ZoneCastOperations

/// Account changes made by an admin, with their audit entry: `zonecast users` and the web's Accounts page both call
/// these, so the rules (`AccountChange`) and the audit wording are the same wherever the change is made.
extension AccountStore where Self: OperationsStore {
    /// Applies `change` to an account and audits it (`manageAccount`, the account as subject).
    @discardableResult
    public func changeAccount(_ username: String, change: AccountChange, actor: String, at now: Date) async throws -> Account {
        guard let account = try await account(username: username) else { throw AccessError.unknownUsername(username) }
        let changed = try await change.applied(to: account, at: now, among: try accounts())
        try await updateAccount(changed)
        try await audit(AuditDraft(at: now, actor: actor, action: .manageAccount, subject: username, detail: change.summary))
        return changed
    }

    /// Deletes an account and audits it; refuses to delete the only enabled admin.
    public func deleteAccount(_ username: String, actor: String, at now: Date) async throws {
        guard let account = try await account(username: username) else { throw AccessError.unknownUsername(username) }
        try await AccountChange.keepsAnAdmin(without: account, replacedBy: nil, among: try accounts())
        try await deleteAccount(username: username)
        try await audit(AuditDraft(at: now, actor: actor, action: .manageAccount, subject: username,
                             detail: "deleted \(account.role.rawValue) account \(account.displayName) (its audit entries remain)"))
    }
}
