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
    func stamps(kind: StoreKind) async throws {
        let s = try await kind.make()
        try await s.addAccount(account("a.lee", .analyst))
        await #expect(try s.account(username: "a.lee")?.sessionsRevokedAt == nil)
        var a = try await #require(try s.account(username: "a.lee"))
        a.sessionsRevokedAt = t0.addingTimeInterval(12.345)
        a.failuresClearedAt = t0.addingTimeInterval(67.891)
        try await s.updateAccount(a)
        await #expect(try s.account(username: "a.lee") == a)
        await #expect(try s.accounts().first == a)
        a.sessionsRevokedAt = nil
        a.failuresClearedAt = nil
        try await s.updateAccount(a)
        await #expect(try s.account(username: "a.lee") == a)
        let created = Account(username: "o.ruiz", displayName: "O", role: .officer, units: [.traffic], passwordHash: "h", mustChangePassword: true, createdAt: t0,
                              sessionsRevokedAt: t0, failuresClearedAt: t0.addingTimeInterval(1))
        try await s.addAccount(created)
        await #expect(try s.account(username: "o.ruiz") == created)
    }

    @Test("given sessions stamped from a real clock reading (not a round number), when the account's stamp goes through the store and back, then the session still matches it; a second revocation in the same millisecond does not", arguments: StoreKind.available)
    func stampFromARealClockMatchesAfterTheStore(kind: StoreKind) async throws {
        // A Date read from the clock does not survive seconds-since-1970 as a Double to the last bit: the browser
        // test saw every session end right after its own password change when stamps were compared with ==.
        let s = try await kind.make()
        try await s.addAccount(account("a.lee", .analyst))
        var a = try await #require(try s.account(username: "a.lee"))
        let now = Date(timeIntervalSinceReferenceDate: 786_349_123.456_789_123)
        a.revokeSessions(at: now)
        let sessionStamp = a.sessionsRevokedAt
        try await s.updateAccount(a)
        let stored = try await #require(try s.account(username: "a.lee"))
        #expect(stored.sessionStampMatches(sessionStamp))
        var again = stored
        again.revokeSessions(at: now)
        #expect(!again.sessionStampMatches(sessionStamp), "a later revocation must end the sessions of the earlier stamp")
        try await s.updateAccount(again)
        await #expect(try #require(try s.account(username: "a.lee")).sessionStampMatches(again.sessionsRevokedAt))
        #expect(!stored.sessionStampMatches(nil) && a.sessionStampMatches(a.sessionsRevokedAt))
    }

    @Test("given accounts with audit entries, when one is deleted, then it is gone, the others stay, deleting it again is refused, and its audit entries remain and name it", arguments: StoreKind.available)
    func delete(kind: StoreKind) async throws {
        let s = try await kind.make()
        try await s.addAccount(account("admin", .admin))
        try await s.addAccount(account("o.ruiz", .officer, units: [.traffic]))
        try await s.audit(AuditDraft(at: t0, actor: "o.ruiz", action: .signIn, subject: "o.ruiz", detail: "officer"))
        try await s.deleteAccount("o.ruiz", actor: "admin", at: t0.addingTimeInterval(60))
        await #expect(try s.account(username: "o.ruiz") == nil)
        await #expect(try s.accounts().map(\.username) == ["admin"])
        await #expect(throws: AccessError.unknownUsername("o.ruiz")) { try await s.deleteAccount(username: "o.ruiz") }
        let entries = try await s.latestAuditEntries(limit: 10)
        #expect(entries.contains { $0.actor == "o.ruiz" && $0.action == AuditAction.signIn.rawValue })
        #expect(entries.contains { $0.subject == "o.ruiz" && $0.action == AuditAction.manageAccount.rawValue && $0.detail.contains("deleted") && $0.actor == "admin" })
    }

    @Test("given the only enabled admin, when it would be deleted, disabled or demoted, then the store refuses and nothing changes; with a second admin it is allowed and audited", arguments: StoreKind.available)
    func lastAdmin(kind: StoreKind) async throws {
        let s = try await kind.make()
        try await s.addAccount(account("admin", .admin))
        try await s.addAccount(account("a.lee", .analyst))
        for change in [AccountChange.disable, .setRole(.analyst)] {
            await #expect(throws: AccessError.self) { try await s.changeAccount("admin", change: change, actor: "cli:root", at: t0) }
        }
        await #expect(throws: AccessError.self) { try await s.deleteAccount("admin", actor: "cli:root", at: t0) }
        await #expect(try s.account(username: "admin") == account("admin", .admin))
        await #expect(try s.latestAuditEntries(limit: 10).isEmpty)
        try await s.changeAccount("a.lee", change: .setRole(.admin), actor: "cli:root", at: t0)
        let disabled = try await s.changeAccount("admin", change: .disable, actor: "cli:root", at: t0.addingTimeInterval(1))
        #expect(disabled.disabled && disabled.sessionsRevokedAt == t0.addingTimeInterval(1))
        await #expect(try s.account(username: "admin") == disabled)
        await #expect(try s.latestAuditEntries(limit: 10).map(\.detail) == ["disabled", "role set to admin"])
    }
}
