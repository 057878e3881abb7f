import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

@Suite("Accounts page and ending sessions", .serialized)
struct AccountsPageTests {
    func environment(_ store: SQLiteIncidentStore, clock: TestClock) -> WebEnvironment {
        WebEnvironment(store: store, throttle: LoginThrottle(maxFailures: 5), passwordCheck: CountingPasswordCheck().check, clock: { clock.now })
    }

    func status(_ client: some TestClientProtocol, _ session: TestSession) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/account/password", method: .get, headers: session.headers).status
    }

    @Test("given an analyst signed in twice, when one session changes the password, then the other session ends at once and the changing one goes on")
    func passwordChangeEndsOtherSessions() async throws {
        let (store, _) = try await SignInFixture.store()
        let clock = TestClock(WebFixture.now)
        try await Application(router: buildRouter(environment(store, clock: clock))).test(.router) { client in
            let laptop = try await TestSession.start(client, as: "analyst"), phone = try await TestSession.start(client, as: "analyst")
            let changed = try await laptop.post(client, "/account/password", ["current": WebFixture.password, "new": "a-new-long-passphrase-7", "confirm": "a-new-long-passphrase-7"])
            #expect(changed.status == .seeOther)
            #expect(try await status(client, phone) == .seeOther, "the other session still works")
            #expect(try await status(client, laptop) == .ok)
        }
    }

    @Test("given sessions of an officer, a commander and an auditor, when zonecast users (another process, the same database) disables, changes the role of, or resets the password of each, then each session ends at once; a units change does not end one")
    func cliChangesEndSessions() async throws {
        let (store, path) = try await SignInFixture.store()
        let clock = TestClock(WebFixture.now)
        try await Application(router: buildRouter(environment(store, clock: clock))).test(.router) { client in
            let officer = try await TestSession.start(client, as: "officer"), commander = try await TestSession.start(client, as: "commander")
            let auditor = try await TestSession.start(client, as: "auditor"), analyst = try await TestSession.start(client, as: "analyst")
            let cli = try SQLiteIncidentStore(path: path)
            clock.advance(60)
            try await cli.changeAccount("officer", change: .disable, actor: "cli:root", at: clock.now)
            try await cli.changeAccount("commander", change: .setRole(.analyst), actor: "cli:root", at: clock.now)
            try await cli.changeAccount("auditor", change: .resetPassword(hash: Passwords.hash("another-one-time-pw", cost: 4)), actor: "cli:root", at: clock.now)
            try await cli.changeAccount("analyst", change: .setUnits([.traffic]), actor: "cli:root", at: clock.now)
            for (name, s) in [("officer", officer), ("commander", commander), ("auditor", auditor)] {
                #expect(try await status(client, s) == .seeOther, "\(name)'s session survived")
            }
            #expect(try await status(client, analyst) == .ok)
            // Deleting ends the session too, and the account's audit entries stay.
            try await cli.deleteAccount("analyst", actor: "cli:root", at: clock.now)
            #expect(try await status(client, analyst) == .seeOther)
            #expect(try await store.latestAuditEntries(limit: 50).contains { $0.actor == "analyst" && $0.action == AuditAction.signIn.rawValue })
        }
    }

    @Test("given the admin on the Accounts page, then every value is escaped, every form carries the CSRF token, and each action (disable, enable, unlock, reset, role, units, delete) takes effect and is audited")
    func adminActions() async throws {
        let (store, _) = try await SignInFixture.store()
        let clock = TestClock(WebFixture.now)
        try await Application(router: buildRouter(environment(store, clock: clock))).test(.router) { client in
            let admin = try await TestSession.start(client, as: "admin")
            let page = try await client.execute(uri: "/accounts", method: .get, headers: admin.headers)
            #expect(page.status == .ok)
            #expect(!page.text.contains("<script>alert(1)</script>") && page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            let forms = FormScraper.forms(in: page.text).filter { $0.action.hasPrefix("/accounts/") }
            #expect(forms.count == Role.allCases.count * 6)
            #expect(forms.allSatisfy { $0.fields.contains { $0.name == "csrf" && $0.value == admin.csrf } })

            let officer = try await TestSession.start(client, as: "officer")
            #expect(try await admin.post(client, "/accounts/officer/disable", [:]).status == .seeOther)
            #expect(try await store.account(username: "officer")?.disabled == true)
            #expect(try await status(client, officer) == .seeOther)
            #expect(try await admin.post(client, "/accounts/officer/enable", [:]).status == .seeOther)
            #expect(try await store.account(username: "officer")?.disabled == false)
            #expect(try await admin.post(client, "/accounts/officer/set-units", ["unit": "Special Operations Division", "other": "Night <Watch>"]).status == .seeOther)
            #expect(try await store.account(username: "officer")?.units == [.specialOperations, PatrolUnit("Night <Watch>")])
            #expect(try await admin.post(client, "/accounts/officer/set-units", [:]).status == .conflict, "an officer without units is refused")
            #expect(try await admin.post(client, "/accounts/commander/set-role", ["role": "auditor"]).status == .seeOther)
            #expect(try await store.account(username: "commander")?.role == .auditor)
            #expect(try await admin.post(client, "/accounts/commander/set-role", ["role": "root"]).status == .badRequest)
            clock.advance(5)
            #expect(try await admin.post(client, "/accounts/commander/unlock", [:]).status == .seeOther)
            #expect(try await store.account(username: "commander")?.failuresClearedAt == clock.now)
            let reset = try await admin.post(client, "/accounts/auditor/reset-password", [:])
            let password = try #require(reset.text.range(of: "id=\"one-time-password\" value=\"").map { String(reset.text[$0.upperBound...].prefix { $0 != "\"" }) })
            #expect(password.count == 20)
            #expect(try await store.account(username: "auditor")?.mustChangePassword == true)
            let signedIn = try await signIn(client, as: "auditor", password: password, from: "192.0.2.50")
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/account/password")
            #expect(try await admin.post(client, "/accounts/analyst/delete", ["confirm": "nope"]).status == .badRequest)
            #expect(try await admin.post(client, "/accounts/analyst/delete", ["confirm": "analyst"]).status == .seeOther)
            #expect(try await store.account(username: "analyst") == nil)
            #expect(try await admin.post(client, "/accounts/admin/delete", ["confirm": "admin"]).status == .conflict, "the only admin stays")
            #expect(try await admin.post(client, "/accounts/ghost/disable", [:]).status == .notFound)
            let audit = try await store.latestAuditEntries(limit: 30).filter { $0.action == AuditAction.manageAccount.rawValue && $0.actor == "admin" }
            #expect(Set(audit.map(\.subject)) == ["officer", "commander", "auditor", "analyst"])
            #expect(audit.count == 7)
        }
    }
}
