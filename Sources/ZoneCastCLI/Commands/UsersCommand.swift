public import ArgumentParser
import Foundation
public import ZoneCastAccess
import ZoneCastOperations
import ZoneCastSQLite
import ZoneCastStore

extension Role: ExpressibleByArgument {}

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Local accounts: add, list, disable, enable, reset a password, set role or units, unlock, delete.",
        discussion: """
            Every change is written to the audit log (actor cli:$USER). Disabling, a password reset, a role change and
            deleting end the account's signed-in sessions at once, also in a running server.
            """,
        subcommands: [Add.self, List.self, Disable.self, Enable.self, ResetPassword.self, SetRole.self, SetUnits.self, Unlock.self, Delete.self],
        defaultSubcommand: List.self)

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account with a role (admin, analyst, commander, officer, auditor) and, for officers, units.",
            discussion: """
                The one-time password is printed once and stored only as a bcrypt hash; the first sign-in must change it.
                Example: zonecast users add o.ruiz --role officer --unit "Traffic Division" --name "Officer Ruiz" --db kc.sqlite
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Username: lower-case letters, digits, dot, dash or underscore.") var username: String
        @Option(help: "Role.") var role: Role
        @Option(help: "Unit (repeatable): \(PatrolUnit.defaults.map(\.name).joined(separator: ", ")) or any other.") var unit: [String] = []
        @Option(help: "Name shown in the application and on printed briefings.") var name: String?

        func validate() throws {
            do { try Passwords.checkUsername(username) } catch { throw ValidationError("\(error)") }
            if role == .officer && unit.isEmpty { throw ValidationError("an officer needs at least one --unit (officers see only their units' zones)") }
        }

        func run() async throws { try await CLIFailure.run(perform) }

        func perform() async throws {
            let store = try await database.openStore()
            let units = Set(unit.map(PatrolUnit.init))
            let password = try await createAccount(store: store, username: username, displayName: name ?? username, role: role, units: units)
            try await store.audit(AuditDraft(at: Date(), actor: cliActor(), action: .manageAccount, subject: username,
                                       detail: "created \(role.rawValue) account"
                                           + "\(units.isEmpty ? "" : " (units: \(units.sorted().map(\.name).joined(separator: ", ")))")"))
            print("Created \(role.rawValue) account \(username). One-time password (shown once; change it at first sign-in): \(password)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.", discussion: "Example: zonecast users list --db kc.sqlite")
        @OptionGroup var database: DatabaseOptions

        func run() async throws { try await CLIFailure.run(perform) }

        func perform() async throws {
            let accounts = try await database.openStore().accounts()
            if accounts.isEmpty { print("No accounts: zonecast users add NAME --role ROLE"); return }
            for a in accounts {
                print("\(a.username.padding(toLength: 16, withPad: " ", startingAt: 0)) \(a.role.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) "
                      + "\(a.units.sorted().map(\.name).joined(separator: ", "))\(a.disabled ? " (disabled)" : "")"
                      + "\(a.mustChangePassword ? " (must change password)" : "")")
            }
        }
    }
}

/// The subcommands that change one existing account: the same rules as the web's Accounts page (`AccountChange`).
protocol AccountChangeCommand: AsyncParsableCommand {
    var database: DatabaseOptions { get }
    var username: String { get }
    /// The change, given a fresh one-time password (used only by reset-password).
    func change(oneTimePassword: String) throws -> AccountChange
}

extension AccountChangeCommand {
    func run() async throws { try await CLIFailure.run(perform) }

    func perform() async throws {
        let store = try await database.openStore()
        let password = Passwords.oneTime()
        let change = try change(oneTimePassword: password)
        let account = try await store.changeAccount(username, change: change, actor: cliActor(), at: Date())
        print("\(account.username): \(change.summary).")
        if case .resetPassword = change { print("One-time password (shown once; change it at next sign-in): \(password)") }
    }
}

extension UsersCommand {
    struct Disable: AccountChangeCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account: it can no longer sign in and its sessions end.",
                                                        discussion: "Example: zonecast users disable o.ruiz --db kc.sqlite")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Username.") var username: String
        func change(oneTimePassword: String) -> AccountChange { .disable }
    }

    struct Enable: AccountChangeCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account again (its failed sign-ins are cleared).",
                                                        discussion: "Example: zonecast users enable o.ruiz --db kc.sqlite")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Username.") var username: String
        func change(oneTimePassword: String) -> AccountChange { .enable }
    }

    struct ResetPassword: AccountChangeCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Give an account a new one-time password (printed once); its sessions end and it must choose a new password at next sign-in.",
            discussion: "Example: zonecast users reset-password o.ruiz --db kc.sqlite")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Username.") var username: String
        func change(oneTimePassword: String) -> AccountChange { .resetPassword(hash: Passwords.hash(oneTimePassword)) }
    }

    struct SetRole: AccountChangeCommand {
        static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Change an account's role (its sessions end).",
                                                        discussion: "Example: zonecast users set-role a.lee --role commander --db kc.sqlite")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Username.") var username: String
        @Option(help: "The new role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: Role
        func change(oneTimePassword: String) -> AccountChange { .setRole(role) }
    }

    struct SetUnits: AccountChangeCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-units", abstract: "Replace an account's units (officers need at least one).",
            discussion: "Example: zonecast users set-units o.ruiz --unit \"Traffic Division\" --unit \"Special Operations Division\" --db kc.sqlite")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Username.") var username: String
        @Option(help: "Unit (repeatable); none clears them.") var unit: [String] = []
        func validate() throws {
            if let bad = unit.first(where: {
                $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.count > 80 || !$0.unicodeScalars.allSatisfy({ $0.properties.generalCategory != .control })
            }) {
                throw ValidationError("--unit \"\(bad.prefix(80))\" must be 1-80 characters without control characters")
            }
        }
        func change(oneTimePassword: String) -> AccountChange { .setUnits(Set(unit.map(PatrolUnit.init))) }
    }

    struct Unlock: AccountChangeCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clear an account's failed sign-ins, so its sign-in back-off ends (a running server honours it at once).",
            discussion: "Example: zonecast users unlock demo-admin --db kc.sqlite")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Username.") var username: String
        func change(oneTimePassword: String) -> AccountChange { .unlock }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an account. Its audit entries stay (they name it); its sessions end.",
            discussion: "Example: zonecast users delete o.ruiz --db kc.sqlite")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Username.") var username: String

        func run() async throws { try await CLIFailure.run(perform) }

        func perform() async throws {
            try await database.openStore().deleteAccount(username, actor: cliActor(), at: Date())
            print("\(username): deleted (its audit entries remain).")
        }
    }
}

/// Who the audit log names for a command-line change: the operating-system user.
func cliActor() -> String { "cli:" + (EdgeConfiguration.process.environment["USER"] ?? "unknown") }

/// Creates an account with a fresh one-time password and returns the password.
func createAccount(store: any AccountStore, username: String, displayName: String, role: Role, units: Set<PatrolUnit>) async throws -> String {
    let password = Passwords.oneTime()
    try await store.addAccount(Account(username: username, displayName: displayName, role: role, units: units, passwordHash: Passwords.hash(password),
                                 mustChangePassword: true, createdAt: Date()))
    return password
}
