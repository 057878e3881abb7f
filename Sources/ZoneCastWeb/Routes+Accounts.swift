import Foundation
import Hummingbird
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastStore

/// The admins' Accounts page: the same changes as `zonecast users` (disable, enable, reset a password, set role or
/// units, unlock, delete), through the same rules (`AccountChange`) and with the same audit entries. Every form
/// carries the session's CSRF token; only roles with `manageAccounts` reach these routes.
func addAccountsRoutes(to router: Router<AppRequestContext>, env: WebEnvironment) {
    router.pages(requiring: .manageAccounts, env: env).get("/accounts") { request, context -> Response in
        let viewer = try context.viewer
        let query = Form(request.uri.query ?? "")
        let notice = query["changed"].flatMap { $0.isEmpty ? nil : "\($0): done." }
        let tz = try await env.timeZone()
        let accounts = try await env.store.accounts()
        let knownUnits = Set(PatrolUnit.defaults).union(accounts.flatMap(\.units)).sorted()
        return html(AccountsView.page(viewer, accounts: accounts, knownUnits: knownUnits, timeZone: tz, notice: notice))
    }

    for action in AccountAction.allCases {
        router.pages(requiring: .manageAccounts, env: env).post("/accounts/{username}/\(action.rawValue)") { request, context -> Response in
            let viewer = try context.viewer
            let form = try context.form
            let username = try context.parameters.require("username")
            guard Passwords.isValidUsername(username), try await env.store.account(username: username) != nil else {
                throw WebError(.notFound, "There is no account named \(username.prefix(80)).")
            }
            let now = env.clock()
            let actor = env.draft(viewer, .manageAccount, username).actor
            do {
                switch action {
                case .delete:
                    guard form["confirm"] == username else {
                        throw WebError.invalid("Confirm", form["confirm"] ?? "", "type the username \(username) to delete the account")
                    }
                    try await env.store.deleteAccount(username, actor: actor, at: now)
                case .resetPassword:
                    let password = Passwords.oneTime()
                    try await env.store.changeAccount(username, change: .resetPassword(hash: Passwords.hash(password)), actor: actor, at: now)
                    return html(AccountsView.oneTimePassword(viewer, username: username, password: password))
                default:
                    try await env.store.changeAccount(username, change: try action.change(form), actor: actor, at: now)
                }
            } catch let error as AccessError {
                switch error {
                case .unknownUsername: throw WebError(.notFound, "\(error)")
                default: throw WebError(.conflict, "\(error)")
                }
            }
            var components = URLComponents()
            components.queryItems = [URLQueryItem(name: "changed", value: "\(username) \(action.label)")]
            return redirect("/accounts?\(components.percentEncodedQuery ?? "")")
        }
    }
}

/// The Accounts page's forms, one route each (`POST /accounts/{username}/<action>`).
enum AccountAction: String, CaseIterable, Sendable {
    case disable, enable, unlock, resetPassword = "reset-password", setRole = "set-role", setUnits = "set-units", delete

    var label: String {
        switch self {
        case .disable: "disabled"
        case .enable: "enabled"
        case .unlock: "unlocked"
        case .resetPassword: "password reset"
        case .setRole: "role changed"
        case .setUnits: "units changed"
        case .delete: "deleted"
        }
    }

    /// The change a form asks for (not for delete and reset-password, which the route handles).
    func change(_ form: Form) throws -> AccountChange {
        switch self {
        case .disable: return .disable
        case .enable: return .enable
        case .unlock: return .unlock
        case .setRole: return .setRole(try form.choice("role", Role.self, label: "Role"))
        case .setUnits:
            var units = Set(form.all("unit").filter { !$0.isEmpty }.map(PatrolUnit.init))
            let other = try form.text("other", label: "Other unit", required: false, maxLength: 80)
            if !other.isEmpty { units.insert(PatrolUnit(other)) }
            for u in units where u.name.count > 80 || !isPrintable(u.name) || u.name.trimmingCharacters(in: .whitespaces).isEmpty {
                throw WebError.invalid("Unit", u.name, "must be 1-80 printable characters")
            }
            return .setUnits(units)
        case .resetPassword, .delete: throw WebError(.badRequest, "not a simple change")
        }
    }
}
