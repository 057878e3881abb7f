import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastTestSupport
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

/// A small store for sign-in tests: one account per role (password `WebFixture.password`, bcrypt cost 4), no
/// incidents. Returns the database path too, so a test can open it a second time as `zonecast users` would.
enum SignInFixture {
    static func store() async throws -> (SQLiteIncidentStore, String) {
        let dir = try TestDirectory.make("zonecast-signin")
        let path = dir.appendingPathComponent("s.sqlite").path
        let store = try SQLiteIncidentStore(path: path)
        let hash = Passwords.hash(WebFixture.password, cost: 4)
        for role in Role.allCases {
            try await store.addAccount(Account(username: role.rawValue, displayName: role == .analyst ? "<script>alert(1)</script>" : "The \(role.rawValue)", role: role,
                                         units: role == .officer ? [.traffic] : [], passwordHash: hash, mustChangePassword: false, createdAt: WebFixture.now))
        }
        return (store, path)
    }
}

/// Counts bcrypt comparisons and the hashes they were made against.
final class CountingPasswordCheck: @unchecked Sendable {
    private let lock = NSLock()
    private var hashes: [String] = []
    static let dummy = Passwords.hash("nobody knows this one", cost: 4)

    var check: PasswordCheck {
        PasswordCheck(verify: { [self] password, hash in
            lock.lock(); hashes.append(hash); lock.unlock()
            return Passwords.verify(password, hash: hash)
        }, dummyHash: { Self.dummy })
    }
    var compared: [String] { lock.lock(); defer { lock.unlock() }; return hashes }
}

/// Signs in through the real form from a given client address (router tests have no socket: the address is the
/// right-most X-Forwarded-For entry, as `clientAddress` reads it without a peer).
func signIn(_ client: some TestClientProtocol, as username: String, password: String = WebFixture.password, from address: String) async throws -> TestResponse {
    let form = try await client.execute(uri: "/login", method: .get)
    let csrf = try #require(form.cookieValue("zc_login_csrf"))
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    let body = "csrf=\(csrf)&username=\(username.addingPercentEncoding(withAllowedCharacters: allowed)!)&password=\(password.addingPercentEncoding(withAllowedCharacters: allowed)!)"
    return try await client.execute(uri: "/login", method: .post,
                                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "zc_login_csrf=\(csrf)", HTTPField.Name("X-Forwarded-For")!: address],
                                    body: ByteBuffer(string: body))
}

@Suite("Sign-in: back-off instead of lockout, dummy bcrypt, unlock, aggregated audit", .serialized)
struct SignInTests {
    func environment(_ store: SQLiteIncidentStore, clock: TestClock, policy: SignInPolicy = SignInPolicy(), check: PasswordCheck? = nil) -> WebEnvironment {
        WebEnvironment(store: store, throttle: LoginThrottle(policy: policy), passwordCheck: check ?? CountingPasswordCheck().check, clock: { clock.now })
    }

    @Test("given an attacker failing on the admin from one address every time a back-off ends, then the admin from a clean address gets in after at most 30 s, and attempts refused during a back-off neither count nor extend it")
    func attackerCannotLockOut() async throws {
        let (store, _) = try await SignInFixture.store()
        let clock = TestClock(WebFixture.now)
        try await Application(router: buildRouter(environment(store, clock: clock))).test(.router) { client in
            // Given five failures on the account (the free ones) from the attacker's address.
            for _ in 0..<5 { #expect(try await signIn(client, as: "admin", password: "wrong password here", from: "10.6.6.6").status == .unauthorized) }
            // Then the account is held back: 1 s after the fifth failure. A hundred refused attempts change nothing.
            for _ in 0..<100 {
                let r = try await signIn(client, as: "admin", password: "wrong password here", from: "10.6.6.6")
                #expect(r.status == .tooManyRequests && r.headers[.retryAfter] == "1")
            }
            clock.advance(1)
            // The sixth counted failure doubles it (2 s), never more than 30 s however long the attacker keeps going.
            #expect(try await signIn(client, as: "admin", password: "wrong password here", from: "10.6.6.6").status == .unauthorized)
            #expect(try await signIn(client, as: "admin", password: "wrong password here", from: "10.6.6.6").headers[.retryAfter] == "2")
            var longest = 0
            for _ in 0..<12 {
                let r = try await signIn(client, as: "admin", password: "wrong password here", from: "10.6.6.6")
                let wait = Int(r.headers[.retryAfter] ?? "0") ?? 0
                if r.status == .tooManyRequests { longest = max(longest, wait); clock.advance(TimeInterval(wait)) }
            }
            #expect(longest == 30, "the account's back-off grows to its 30 s cap and no further")
            // When the owner tries from a clean address while the account is held back, they are told to wait...
            let first = try await signIn(client, as: "admin", from: "192.0.2.10")
            #expect(first.status == .tooManyRequests)
            let wait = try #require(Int(first.headers[.retryAfter] ?? ""))
            #expect(wait <= 30)
            // ...and the attacker failing again the moment the back-off ends does not move the owner's turn.
            clock.advance(TimeInterval(wait))
            #expect(try await signIn(client, as: "admin", password: "wrong password here", from: "10.6.6.6").status == .unauthorized)
            let second = try await signIn(client, as: "admin", from: "192.0.2.10")
            #expect(second.status == .seeOther && second.cookieValue("zc_session") != nil)
        }
    }

    @Test("given one address failing on many accounts, then that address is held back (up to 15 minutes) while other addresses still sign in")
    func addressBackOff() async throws {
        let (store, _) = try await SignInFixture.store()
        let clock = TestClock(WebFixture.now)
        try await Application(router: buildRouter(environment(store, clock: clock))).test(.router) { client in
            for k in 0..<20 { _ = try await signIn(client, as: "user\(k)", password: "wrong password here", from: "10.6.6.6") }
            let held = try await signIn(client, as: "analyst", from: "10.6.6.6")
            #expect(held.status == .tooManyRequests && held.cookieValue("zc_session") == nil)
            #expect(try await signIn(client, as: "analyst", from: "192.0.2.10").status == .seeOther)
            // Back-off doubles per counted failure up to the address cap of 900 s.
            var longest = 0
            for _ in 0..<30 {
                clock.advance(TimeInterval(longest) + 1)
                let r = try await signIn(client, as: "nobody", password: "wrong password here", from: "10.6.6.6")
                if r.status == .tooManyRequests { longest = max(longest, Int(r.headers[.retryAfter] ?? "0") ?? 0) }
            }
            #expect(longest > 30 && longest <= 900)
        }
    }

    @Test("given an account held back, when an admin unlocks it from another process (as zonecast users unlock does, in the database), then the running server lets its correct password in at once")
    func unlockFromAnotherProcess() async throws {
        let (store, path) = try await SignInFixture.store()
        let clock = TestClock(WebFixture.now)
        try await Application(router: buildRouter(environment(store, clock: clock))).test(.router) { client in
            for _ in 0..<8 { _ = try await signIn(client, as: "commander", password: "wrong password here", from: "10.6.6.6") }
            #expect(try await signIn(client, as: "commander", from: "10.6.6.6").status == .tooManyRequests)
            let cli = try SQLiteIncidentStore(path: path)
            try await cli.changeAccount("commander", change: .unlock, actor: "cli:root", at: clock.now)
            let after = try await signIn(client, as: "commander", from: "10.6.6.6")
            #expect(after.status == .seeOther && after.cookieValue("zc_session") != nil)
            #expect(try await store.latestAuditEntries(limit: 5).contains { $0.actor == "cli:root" && $0.subject == "commander" && $0.detail.hasPrefix("unlocked") })
        }
    }

    @Test("given unknown, invalid and disabled usernames, then each attempt runs exactly one bcrypt comparison (against the dummy hash when there is no account), as a known account's wrong password does")
    func unknownUsersCostABcrypt() async throws {
        let (store, _) = try await SignInFixture.store()
        var disabled = try await #require(try store.account(username: "auditor"))
        disabled.disabled = true
        try await store.updateAccount(disabled)
        let counter = CountingPasswordCheck()
        let clock = TestClock(WebFixture.now)
        try await Application(router: buildRouter(environment(store, clock: clock, check: counter.check))).test(.router) { client in
            let real = try await #require(try store.account(username: "analyst")).passwordHash
            let cases: [(String, String)] = [("no-such-user", CountingPasswordCheck.dummy), ("Not Valid!", CountingPasswordCheck.dummy),
                                             ("analyst\u{0}x", CountingPasswordCheck.dummy), (String(repeating: "a", count: 41), CountingPasswordCheck.dummy),
                                             ("auditor", real), ("analyst", real)]
            for (k, (name, expected)) in cases.enumerated() {
                let before = counter.compared.count
                let r = try await signIn(client, as: name, password: "wrong password here", from: "192.0.2.\(k)")
                #expect(r.status.code >= 400 && r.cookieValue("zc_session") == nil, "\(name)")
                if r.status == .unauthorized {
                    #expect(counter.compared.count == before + 1, "\(name.debugDescription): \(counter.compared.count - before) comparisons")
                    #expect(counter.compared.last == expected, "\(name.debugDescription) compared against the wrong hash")
                } else {
                    // Refused by the form parser before sign-in (NUL bytes): nothing compared, nothing signed in.
                    #expect(r.status == .badRequest && counter.compared.count == before, "\(name.debugDescription) → \(r.status)")
                }
            }
            // A disabled account's right password is refused too (after its comparison).
            let before = counter.compared.count
            #expect(try await signIn(client, as: "auditor", from: "192.0.2.99").status == .unauthorized)
            #expect(counter.compared.count == before + 1)
        }
    }

    @Test("given a NUL in the username (demo-analyst%00anything), then it never signs in: not past the account's back-off, and not as the account whose name it starts with")
    func nulUsernameCannotBypass() async throws {
        let (store, _) = try await SignInFixture.store()
        let clock = TestClock(WebFixture.now)
        try await Application(router: buildRouter(environment(store, clock: clock))).test(.router) { client in
            for _ in 0..<5 { _ = try await signIn(client, as: "analyst", password: "wrong password here", from: "10.6.6.6") }
            #expect(try await signIn(client, as: "analyst", from: "10.6.6.6").status == .tooManyRequests)
            for name in ["analyst\u{0}anything", "analyst\u{0}", "analyst\u{1}", "analyst\n"] {
                let r = try await signIn(client, as: name, from: "10.6.6.\(name.utf8.count)")
                #expect(r.cookieValue("zc_session") == nil && r.status != .seeOther, "\(name.debugDescription) → \(r.status)")
            }
            // The sign-in path on its own, below the form parser: the name it looks up and throttles on is the typed
            // one exactly, or none at all.
            #expect(signInName("analyst\u{0}anything") == nil && signInName("analyst\u{0}") == nil && signInName("Analyst") == nil)
            #expect(signInName("analyst") == "analyst")
        }
    }

    @Test("given 300 failed sign-ins in a minute from one address on one account and on unknown names, then the audit log gets one entry per source and account, plus one summary with the count once the window has closed")
    func auditAggregated() async throws {
        let (store, _) = try await SignInFixture.store()
        let clock = TestClock(WebFixture.now)
        var policy = SignInPolicy()
        policy.accountFreeFailures = 1_000
        policy.addressFreeFailures = 1_000
        try await Application(router: buildRouter(environment(store, clock: clock, policy: policy))).test(.router) { client in
            let before = try await store.latestAuditEntries(limit: 1).first?.sequence ?? 0
            for k in 0..<300 {
                _ = try await signIn(client, as: k % 2 == 0 ? "commander" : "made-up-\(k)", password: "wrong password here", from: "10.6.6.6")
                if k % 5 == 0 { clock.advance(1) }
            }
            let during = try await store.auditEntries(from: before + 1, limit: 1_000)
            #expect(during.count == 2, "\(during.map(\.detail))")
            #expect(during.allSatisfy { $0.action == AuditAction.signInFailed.rawValue && $0.detail.contains("10.6.6.6") })
            // When the 15-minute window has closed, the next sign-in event writes the summaries.
            clock.advance(900)
            #expect(try await signIn(client, as: "analyst", from: "192.0.2.1").status == .seeOther)
            let after = try await store.auditEntries(from: before + 1, limit: 1_000)
            let summaries = after.filter { $0.detail.contains("(summary)") }
            #expect(summaries.count == 2)
            #expect(summaries.contains { $0.subject == "commander" && $0.detail.hasPrefix("149 more failed sign-ins from 10.6.6.6") })
            #expect(summaries.contains { $0.subject == "(unknown username)" && $0.detail.hasPrefix("149 more failed sign-ins from 10.6.6.6") })
        }
    }

    @Test("given 20,000 failed sign-ins from 20,000 addresses on 20,000 names, then the throttle and the audit windows stay within their caps")
    func mapsBounded() async throws {
        var policy = SignInPolicy()
        policy.maxTracked = 500
        let throttle = LoginThrottle(policy: policy)
        let t = WebFixture.now
        for k in 0..<20_000 {
            let address = "10.\(k / 65_536).\(k / 256 % 256).\(k % 256)"
            _ = await throttle.check(account: "user\(k)", address: address, clearedAt: nil, now: t)
            _ = await throttle.failed(account: "user\(k)", address: address, auditAs: "(unknown username)", now: t)
        }
        let tracked = await throttle.tracked
        #expect(tracked.addresses <= 500 && tracked.accounts <= 500 && tracked.turns <= 500 && tracked.auditWindows <= 500)
        #expect(tracked.addresses >= 400, "eviction keeps the most recent, not nothing")
    }
}
