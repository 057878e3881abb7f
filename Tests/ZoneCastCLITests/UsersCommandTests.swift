import Foundation
import Testing
import ZoneCastAccess
import ZoneCastSQLite
import ZoneCastOperations

@Suite("zonecast users: lifecycle subcommands, each audited")
struct UsersCommandTests {
    @Test("given accounts made with users add, when every users subcommand runs, then each change is stored and audited (add too), reset-password prints a one-time password that must be changed, delete keeps the audit entries, and refusals exit 65 naming the reason")
    func lifecycle() async throws {
        guard zonecastBinary != nil else { Issue.record("build the zonecast binary first (swift build --build-tests)"); return }
        let dir = try temporaryDirectory()
        let db = dir.appendingPathComponent("u.sqlite").path
        func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) { try runZonecast(["users"] + args + ["--db", db], in: dir) }
        #expect(try run(["add", "root", "--role", "admin"]).status == 0)
        #expect(try run(["add", "o.ruiz", "--role", "officer", "--unit", "Traffic Division"]).status == 0)
        let store = try SQLiteIncidentStore(path: db)
        let before = try await #require(try store.account(username: "o.ruiz"))

        let reset = try run(["reset-password", "o.ruiz"])
        #expect(reset.status == 0)
        let password = try #require(reset.out.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        let afterReset = try await #require(try store.account(username: "o.ruiz"))
        #expect(afterReset.mustChangePassword && Passwords.verify(password, hash: afterReset.passwordHash) && !Passwords.verify(password, hash: before.passwordHash))
        #expect(afterReset.sessionsRevokedAt != nil)

        #expect(try run(["set-role", "o.ruiz", "--role", "analyst"]).status == 0)
        #expect(try run(["set-units", "o.ruiz", "--unit", "Special Operations Division"]).status == 0)
        #expect(try run(["disable", "o.ruiz"]).status == 0)
        #expect(try await store.account(username: "o.ruiz")?.disabled == true)
        #expect(try run(["enable", "o.ruiz"]).status == 0)
        #expect(try run(["unlock", "o.ruiz"]).status == 0)
        let changed = try await #require(try store.account(username: "o.ruiz"))
        #expect(changed.role == .analyst && changed.units == [.specialOperations] && !changed.disabled && changed.failuresClearedAt != nil)
        #expect(try run(["delete", "o.ruiz"]).status == 0)
        #expect(try await store.account(username: "o.ruiz") == nil)

        let missing = try run(["disable", "ghost"])
        #expect(missing.status == 65 && missing.err.contains("no account named ghost"))
        let lastAdmin = try run(["delete", "root"])
        #expect(lastAdmin.status == 65 && lastAdmin.err.contains("only enabled admin"))
        #expect(try run(["set-role", "root", "--role", "officer"]).status == 65)

        let entries = try await store.latestAuditEntries(limit: 50).filter { $0.action == "manage-account" }
        #expect(entries.allSatisfy { $0.actor.hasPrefix("cli:") })
        let details = entries.filter { $0.subject == "o.ruiz" }.map(\.detail).reversed()
        let expected: [String] = ["created offi", "password res", "role set to ", "units set to", "disabled", "enabled", "unlocked (fa", "deleted anal"]
        let prefixes: [String] = details.map { String($0.prefix(12)) }
        #expect(prefixes == expected)
        #expect(entries.contains { $0.subject == "root" && $0.detail == "created admin account" })
    }
}
