import Foundation
import Testing
@testable import ZoneCastAccess

@Suite("Sign-in throttle, bounded maps, password limits, account changes")
struct SignInThrottleTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("given failures on an account, then the back-off starts after the free ones, doubles per counted failure and stops at 30 s; checks during it change nothing")
    func accountBackOff() async {
        var th = SignInThrottle()
        var now = t0
        for _ in 0..<4 {
            #expect(th.check(account: "admin", address: "a\(now.timeIntervalSince1970)", clearedAt: nil, now: now) == .proceed)
            th.recordFailure(account: "admin", address: "a\(now.timeIntervalSince1970)", now: now)
            now += 0.5
        }
        th.recordFailure(account: "admin", address: "x", now: now)
        var delays: [TimeInterval] = []
        for _ in 0..<10 {
            guard case .wait(let until, .account) = th.check(account: "admin", address: "x", clearedAt: nil, now: now) else { Issue.record("not held back"); return }
            // Asking again (a refused attempt) does not move the end.
            for _ in 0..<5 { #expect(th.check(account: "admin", address: "x", clearedAt: nil, now: now) == .wait(until: until, because: .account)) }
            delays.append(until.timeIntervalSince(now))
            now = until
            #expect(th.check(account: "admin", address: "x", clearedAt: nil, now: now) == .proceed)
            th.recordFailure(account: "admin", address: "x", now: now)
        }
        #expect(delays == [1, 2, 4, 8, 16, 30, 30, 30, 30, 30])
    }

    @Test("given an attacker failing on the account each time its back-off ends, then a clean address is told a turn at most 30 s away, and gets it however often the attacker fails meanwhile")
    func cleanAddressGetsATurn() async {
        var th = SignInThrottle()
        var now = t0
        func attack() {
            while case .wait(let until, _) = th.check(account: "admin", address: "evil", clearedAt: nil, now: now) { now = until }
            th.recordFailure(account: "admin", address: "evil", now: now)
        }
        for _ in 0..<12 { attack() }
        guard case .wait(let turn, .account) = th.check(account: "admin", address: "owner", clearedAt: nil, now: now) else { Issue.record("not held back"); return }
        #expect(turn.timeIntervalSince(now) <= 30)
        attack()  // the attacker fails exactly when the back-off ends
        now = turn
        #expect(th.check(account: "admin", address: "owner", clearedAt: nil, now: now) == .proceed)
        // An address with failures of its own gets no turn.
        #expect(th.check(account: "admin", address: "evil", clearedAt: nil, now: now) != .proceed)
    }

    @Test("given an address failing on many accounts, then it is held back by address (up to 15 minutes) and another address is not")
    func addressBackOff() async {
        var th = SignInThrottle()
        var now = t0
        var longest: TimeInterval = 0
        for k in 0..<40 {
            while case .wait(let until, let why) = th.check(account: "u\(k)", address: "evil", clearedAt: nil, now: now) {
                #expect(why == .address)
                longest = max(longest, until.timeIntervalSince(now))
                now = until
            }
            th.recordFailure(account: "u\(k)", address: "evil", now: now)
        }
        #expect(longest == 900)
        #expect(th.check(account: "u0", address: "evil", clearedAt: nil, now: now) != .proceed)
        #expect(th.check(account: "u0", address: "good", clearedAt: nil, now: now) == .proceed)
    }

    @Test("given an account held back, when its failures are cleared (an admin's unlock stamp), then it may proceed at once, also from the address that failed")
    func unlockStamp() async {
        var th = SignInThrottle()
        for k in 0..<8 { th.recordFailure(account: "admin", address: "me", now: t0 + Double(k)) }
        #expect(th.check(account: "admin", address: "me", clearedAt: nil, now: t0 + 8) != .proceed)
        #expect(th.check(account: "admin", address: "me", clearedAt: t0 + 8, now: t0 + 8) == .proceed)
    }

    @Test("given 20,000 distinct keys, then a bounded map never holds more than its capacity and keeps the newest")
    func boundedMap() async {
        var m = BoundedMap<Int, Int>(capacity: 1_000)
        var evicted = 0
        for k in 0..<20_000 {
            evicted += m.set(k, k).count
            #expect(m.count <= 1_000)
        }
        #expect(evicted == 20_000 - m.count)
        #expect(m[19_999] == 19_999 && m[0] == nil)
        var th = SignInThrottle(policy: { var p = SignInPolicy(); p.maxTracked = 300; return p }())
        for k in 0..<20_000 { th.recordFailure(account: "n\(k)", address: "10.0.\(k / 256 % 256).\(k % 256)", now: t0) }
        #expect(th.tracked.addresses <= 300 && th.tracked.accounts <= 300)
    }

    @Test("given passwords over 72 bytes, then choosing one is refused with the reason, and one sharing its first 72 bytes with the real one does not verify")
    func longPasswords() async throws {
        let base = String(repeating: "correct horse ", count: 6)  // 84 bytes
        #expect(throws: AccessError.self) { try Passwords.check(base, username: "ana") }
        do { try Passwords.check(base, username: "ana") } catch { #expect("\(error)".contains("72 bytes")) }
        #expect(throws: Never.self) { try Passwords.check(String(base.prefix(72)), username: "ana") }
        let hash = Passwords.hash(String(base.prefix(72)), cost: 4)
        #expect(Passwords.verify(String(base.prefix(72)), hash: hash))
        #expect(!Passwords.verify(base, hash: hash), "bcrypt alone ignores bytes after 72 and would accept this")
    }

    @Test("given usernames with control characters, upper case or non-ASCII digits, then they are not valid account names")
    func usernames() async {
        for bad in ["demo-analyst\u{0}anything", "analyst\u{0}", "ana\u{1b}[31m", "Analyst", "ana\u{663}", "ab", String(repeating: "a", count: 41)] {
            #expect(!Passwords.isValidUsername(bad), "\(bad.debugDescription)")
        }
        #expect(Passwords.isValidUsername("demo-analyst") && Passwords.isValidUsername("o.ruiz_2"))
    }

    @Test("given account changes, then disabling, a reset and a role change move the session stamp (distinct even at the same instant), units and unlock do not, and an officer without units is refused")
    func accountChanges() async throws {
        let admin = Account(username: "root", displayName: "R", role: .admin, passwordHash: "h", mustChangePassword: false, createdAt: t0)
        let officer = Account(username: "o", displayName: "O", role: .officer, units: [.traffic], passwordHash: "h", mustChangePassword: false, createdAt: t0)
        let all = [admin, officer]
        let disabled = try AccountChange.disable.applied(to: officer, at: t0, among: all)
        #expect(disabled.disabled && disabled.sessionsRevokedAt == t0)
        let again = try AccountChange.resetPassword(hash: "new").applied(to: disabled, at: t0, among: all)
        #expect(again.sessionsRevokedAt != disabled.sessionsRevokedAt && again.mustChangePassword && again.passwordHash == "new")
        #expect(try AccountChange.setRole(.analyst).applied(to: officer, at: t0, among: all).sessionsRevokedAt == t0)
        #expect(try AccountChange.setUnits([.specialOperations]).applied(to: officer, at: t0, among: all).sessionsRevokedAt == nil)
        #expect(try AccountChange.unlock.applied(to: officer, at: t0, among: all).failuresClearedAt == t0)
        #expect(throws: AccessError.self) { try AccountChange.setUnits([]).applied(to: officer, at: t0, among: all) }
        #expect(throws: AccessError.self) { try AccountChange.disable.applied(to: admin, at: t0, among: all) }
    }
}
