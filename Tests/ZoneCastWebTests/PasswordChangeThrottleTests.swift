import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

/// The password change form checks the current password under the sign-in throttle and audits every wrong one. An
/// attacker's pass guessed 25 current passwords through it in 11 s, with no back-off and nothing in the audit log.
@Suite("Password change: wrong current passwords are throttled and audited")
struct PasswordChangeThrottleTests {
    @Test("given a signed-in auditor and 3 free failures, when 3 wrong current passwords are sent, then each is refused and audited, and the next try, even with the right password, waits (429, Retry-After) without being checked")
    func wrongCurrentPasswordsBackOff() async throws {
        // Given
        let store = try await WebFixture.store()
        try await Application(router: buildRouter(WebFixture.environment(store))).test(.router) { client in
            let session = try await TestSession.start(client, as: "auditor")
            // When
            for guess in 1...3 {
                let r = try await session.post(client, "/account/password", ["current": "guess \(guess)", "new": "a new passphrase 1", "confirm": "x"])
                #expect(r.status == .badRequest && r.text.contains("The current password is wrong."))
            }
            // Then
            let held = try await session.post(client, "/account/password",
                                               ["current": WebFixture.password, "new": "a new passphrase 1", "confirm": "a new passphrase 1"])
            #expect(held.status == .tooManyRequests, "\(held.status)")
            #expect(held.text.contains("Too many wrong passwords") && held.headers[.retryAfter] != nil)
            let entries = try await store.latestAuditEntries(limit: 10).filter { $0.action == "sign-in-failed" && $0.actor == "auditor" }
            #expect(entries.filter { $0.detail.hasPrefix("wrong current password on the password change form") }.count == 3)
            #expect(entries.contains { $0.detail.hasPrefix("password change refused without checking the current password") })
            let account = try #require(try await store.account(username: "auditor"))
            #expect(Passwords.verify(WebFixture.password, hash: account.passwordHash), "the password changed during the back-off")
        }
    }
}
