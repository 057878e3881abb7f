import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastAccess
import ZoneCastSQLite
import ZoneCastOperations
import ZoneCastStore
@testable import ZoneCastWeb

/// A token ends with its account's sessions and never passes to a later account of the same name. An attacker's pass
/// found a token minted with a stolen password still reading confidential zones after the admin's reset, and a
/// deleted commander's token acting as the officer who was later given the same username.
@Suite("API tokens end with a password reset and die with their account")
struct TokenLifecycleTests {
    @Test("given a commander's token that reads /api/zones, when an admin resets the password, then the token gets 401 and the tokens page calls it ended")
    func resetEndsTokens() async throws {
        // Given
        let store = try await WebFixture.store()
        let token = try await storeToken(store, username: "commander", id: "resetTok0001", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        try await Application(router: buildRouter(WebFixture.environment(store))).test(.router) { client in
            #expect(try await client.execute(uri: "/api/zones", method: .get, headers: bearer(token)).status == .ok)
            // When
            try await store.changeAccount("commander", change: .resetPassword(hash: Passwords.hash(WebFixture.password, cost: 4)), actor: "admin",
                                          at: WebFixture.now.addingTimeInterval(60))
            // Then
            let after = try await client.execute(uri: "/api/zones", method: .get, headers: bearer(token))
            #expect(after.status == .unauthorized)
            #expect(!after.text.contains("cells"))
            var commander = try #require(try await store.account(username: "commander"))
            commander.mustChangePassword = false
            try await store.updateAccount(commander)
            let session = try await TestSession.start(client, as: "commander")
            let page = try await client.execute(uri: "/account/tokens", method: .get, headers: session.headers)
            #expect(page.text.contains("ended: your password, role or status changed"))
            #expect(!page.text.contains("/account/tokens/resetTok0001/revoke"))
        }
    }

    @Test("given a commander's token, when the commander is deleted and the username given to a new officer, then the old token gets 401")
    func deletedAccountsTokensDoNotPassOn() async throws {
        // Given
        let store = try await WebFixture.store()
        let token = try await storeToken(store, username: "commander", id: "deleteTok001", expiresAt: WebFixture.now.addingTimeInterval(86_400))
        try await Application(router: buildRouter(WebFixture.environment(store))).test(.router) { client in
            #expect(try await client.execute(uri: "/api/zones", method: .get, headers: bearer(token)).status == .ok)
            // When
            try await store.deleteAccount("commander", actor: "admin", at: WebFixture.now.addingTimeInterval(60))
            #expect(try await client.execute(uri: "/api/zones", method: .get, headers: bearer(token)).status == .unauthorized)
            try await store.addAccount(Account(username: "commander", displayName: "Another person", role: .officer, units: [.traffic],
                                               passwordHash: Passwords.hash(WebFixture.password, cost: 4), mustChangePassword: false,
                                               createdAt: WebFixture.now.addingTimeInterval(120)))
            // Then
            #expect(try await client.execute(uri: "/api/zones", method: .get, headers: bearer(token)).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/patrols", method: .get, headers: bearer(token)).status == .unauthorized)
        }
    }
}
