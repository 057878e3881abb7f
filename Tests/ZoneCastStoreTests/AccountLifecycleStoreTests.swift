import Foundation
import Testing
import ZoneCastAccess
import ZoneCastOperations
@testable import ZoneCastStore

@Suite("AccountStore contract: lifecycle (stamps, delete, audited changes)")
struct AccountLifecycleStoreTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func account(_ name: String, _ role: Role, units: Set<PatrolUnit> = []) -> Account {
        Account(username: name, displayName: name, role: role, units: units, passwordHash: "h", mustChangePassword: false, createdAt: t0)
    }

    @Test("given an account, when its session and failure stamps are set, then they read back exactly (through another handle too), and clearing them reads back nil", arguments: StoreKind.available)
    func stamps(kind: StoreKind) throws {
        let s = try kind.make()
        try s.addAccount(account("a.lee", .analyst))
        #expect(try s.account(username: "a.lee")?.sessionsRevokedAt == nil)
        var a = try #require(try s.account(username: "a.lee"))
        a.sessionsRevokedAt = t0.addingTimeInterval(12.345)
        a.failuresClearedAt = t0.addingTimeInterval(67.891)
        try s.updateAccount(a)
        #expect(try s.account(username: "a.lee") == a)
        #expect(try s.accounts().first == a)
        a.sessionsRevokedAt = nil
        a.failuresClearedAt = nil
        try s.updateAccount(a)
        #expect(try s.account(username: "a.lee") == a)
        let created = Account(username: "o.ruiz", displayName: "O", role: .officer, units: [.traffic], passwordHash: "h", mustChangePassword: true, createdAt: t0,
                              sessionsRevokedAt: t0, failuresClearedAt: t0.addingTimeInterval(1))
        try s.addAccount(created)
        #expect(try s.account(username: "o.ruiz") == created)
    }

    @Test("given sessions stamped from a real clock reading (not a round number), when the account's stamp goes through the store and back, then the session still matches it; a second revocation in the same millisecond does not", arguments: StoreKind.available)
    func stampFromARealClockMatchesAfterTheStore(kind: StoreKind) throws {
        // A Date read from the clock does not survive seconds-since-1970 as a Double to the last bit: the browser
        // test saw every session end right after its own password change when stamps were compared with ==.
        let s = try kind.make()
        try s.addAccount(account("a.lee", .analyst))
        var a = try #require(try s.account(username: "a.lee"))
        let now = Date(timeIntervalSinceReferenceDate: 786_349_123.456_789_123)
        a.revokeSessions(at: now)
        let sessionStamp = a.sessionsRevokedAt
        try s.updateAccount(a)
        let stored = try #require(try s.account(username: "a.lee"))
        #expect(stored.sessionStampMatches(sessionStamp))
        var again = stored
        again.revokeSessions(at: now)
        #expect(!again.sessionStampMatches(sessionStamp), "a later revocation must end the sessions of the earlier stamp")
        try s.updateAccount(again)
        #expect(try #require(try s.account(username: "a.lee")).sessionStampMatches(again.sessionsRevokedAt))
        #expect(!stored.sessionStampMatches(nil) && a.sessionStampMatches(a.sessionsRevokedAt))
    }

    @Test("given accounts with audit entries, when one is deleted, then it is gone, the others stay, deleting it again is refused, and its audit entries remain and name it", arguments: StoreKind.available)
    func delete(kind: StoreKind) throws {
        let s = try kind.make()
        try s.addAccount(account("admin", .admin))
        try s.addAccount(account("o.ruiz", .officer, units: [.traffic]))
        try s.audit(AuditDraft(at: t0, actor: "o.ruiz", action: .signIn, subject: "o.ruiz", detail: "officer"))
        try s.deleteAccount("o.ruiz", actor: "admin", at: t0.addingTimeInterval(60))
        #expect(try s.account(username: "o.ruiz") == nil)
        #expect(try s.accounts().map(\.username) == ["admin"])
        #expect(throws: AccessError.unknownUsername("o.ruiz")) { try s.deleteAccount(username: "o.ruiz") }
        let entries = try s.latestAuditEntries(limit: 10)
        #expect(entries.contains { $0.actor == "o.ruiz" && $0.action == AuditAction.signIn.rawValue })
        #expect(entries.contains { $0.subject == "o.ruiz" && $0.action == AuditAction.manageAccount.rawValue && $0.detail.contains("deleted") && $0.actor == "admin" })
    }

    @Test("given the only enabled admin, when it would be deleted, disabled or demoted, then the store refuses and nothing changes; with a second admin it is allowed and audited", arguments: StoreKind.available)
    func lastAdmin(kind: StoreKind) throws {
        let s = try kind.make()
        try s.addAccount(account("admin", .admin))
        try s.addAccount(account("a.lee", .analyst))
        for change in [AccountChange.disable, .setRole(.analyst)] {
            #expect(throws: AccessError.self) { try s.changeAccount("admin", change: change, actor: "cli:root", at: t0) }
        }
        #expect(throws: AccessError.self) { try s.deleteAccount("admin", actor: "cli:root", at: t0) }
        #expect(try s.account(username: "admin") == account("admin", .admin))
        #expect(try s.latestAuditEntries(limit: 10).isEmpty)
        try s.changeAccount("a.lee", change: .setRole(.admin), actor: "cli:root", at: t0)
        let disabled = try s.changeAccount("admin", change: .disable, actor: "cli:root", at: t0.addingTimeInterval(1))
        #expect(disabled.disabled && disabled.sessionsRevokedAt == t0.addingTimeInterval(1))
        #expect(try s.account(username: "admin") == disabled)
        #expect(try s.latestAuditEntries(limit: 10).map(\.detail) == ["disabled", "role set to admin"])
    }
}
