import ArgumentParser
import Foundation
import ZoneCastAccess
import ZoneCastSQLite
import ZoneCastStore

extension Role: ExpressibleByArgument {}

struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Local accounts: add one (a one-time password is printed once), or list them.",
        subcommands: [Add.self, List.self], defaultSubcommand: List.self)

    struct Add: ParsableCommand {
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

        func run() throws { try CLIFailure.run(perform) }

        func perform() throws {
            let store = try database.openStore()
            let password = try createAccount(store: store, username: username, displayName: name ?? username, role: role, units: Set(unit.map(PatrolUnit.init)))
            print("Created \(role.rawValue) account \(username). One-time password (shown once; change it at first sign-in): \(password)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.", discussion: "Example: zonecast users list --db kc.sqlite")
        @OptionGroup var database: DatabaseOptions

        func run() throws { try CLIFailure.run(perform) }

        func perform() throws {
            let accounts = try database.openStore().accounts()
            if accounts.isEmpty { print("No accounts: zonecast users add NAME --role ROLE"); return }
            for a in accounts {
                print("\(a.username.padding(toLength: 16, withPad: " ", startingAt: 0)) \(a.role.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(a.units.sorted().map(\.name).joined(separator: ", "))\(a.disabled ? " (disabled)" : "")\(a.mustChangePassword ? " (must change password)" : "")")
            }
        }
    }
}

/// Creates an account with a fresh one-time password and returns the password.
func createAccount(store: any AccountStore, username: String, displayName: String, role: Role, units: Set<PatrolUnit>) throws -> String {
    let password = Passwords.oneTime()
    try store.addAccount(Account(username: username, displayName: displayName, role: role, units: units, passwordHash: Passwords.hash(password),
                                 mustChangePassword: true, createdAt: Date()))
    return password
}
