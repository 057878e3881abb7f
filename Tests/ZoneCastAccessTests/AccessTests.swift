import Foundation
import Testing
@testable import ZoneCastAccess

@Suite("Accounts, roles and passwords")
struct AccessTests {
    @Test("given a password, when hashed with bcrypt, then only that password verifies and the hash never contains it")
    func bcrypt() async {
        let hash = Passwords.hash("correct horse battery staple", cost: 4)
        #expect(hash.hasPrefix("$2"))
        #expect(!hash.contains("horse"))
        #expect(Passwords.verify("correct horse battery staple", hash: hash))
        #expect(!Passwords.verify("correct horse battery stapl", hash: hash))
        #expect(Passwords.hash("same", cost: 4) != Passwords.hash("same", cost: 4)) // salted
    }

    @Test("given weak passwords and bad usernames, then each is refused with the reason")
    func policy() async {
        #expect(throws: AccessError.weakPassword("use at least 12 characters")) { try Passwords.check("short", username: "ana") }
        #expect(throws: AccessError.weakPassword("use more than two different characters")) { try Passwords.check("aaaaaaaaaaaaaab", username: "ana") }
        #expect(throws: AccessError.weakPassword("do not include the username")) { try Passwords.check("xxana-secret-words", username: "ana") }
        #expect(throws: Never.self) { try Passwords.check("a long passphrase here", username: "ana") }
        #expect(throws: AccessError.invalidUsername("Ana Smith")) { try Passwords.checkUsername("Ana Smith") }
        #expect(throws: Never.self) { try Passwords.checkUsername("ana.smith") }
    }

    @Test("one-time passwords are 20 characters from the unambiguous alphabet and differ every time")
    func oneTime() async {
        let a = Passwords.oneTime(), b = Passwords.oneTime()
        #expect(a.count == 20 && b.count == 20 && a != b)
        #expect(!a.contains { "0O1lI".contains($0) })
        #expect(throws: Never.self) { try Passwords.check(a, username: "someone") }
    }

    @Test("the permission matrix: only analysts and commanders run forecasts; only commanders decide; auditors see the audit log but no zone")
    func matrix() async {
        #expect(Role.allCases.filter { $0.may(.runForecasts) } == [.analyst, .commander])
        #expect(Role.allCases.filter { $0.may(.decideZones) } == [.commander])
        #expect(Role.allCases.filter { $0.may(.viewAuditLog) }.sorted() == [.admin, .auditor])
        #expect(!Role.auditor.may(.viewZoneLocations))
        #expect(Role.allCases.filter { $0.may(.manageAccounts) } == [.admin])
        #expect(Role.allCases.filter { $0.may(.logPatrols) } == [.officer])
    }

    @Test("officers see only the zones of their units; analysts see all; disabled accounts and auditors see none")
    func zoneVisibility() async {
        func account(_ r: Role, _ units: Set<PatrolUnit> = [], disabled: Bool = false) -> Account {
            Account(username: "u", displayName: "U", role: r, units: units, passwordHash: "", mustChangePassword: false, createdAt: Date(), disabled: disabled)
        }
        #expect(account(.officer, [.traffic]).maySeeZone(assignedTo: [.traffic, .specialOperations]))
        #expect(!account(.officer, [.traffic]).maySeeZone(assignedTo: [.violentCrimesEnforcement]))
        #expect(!account(.officer, [.traffic]).maySeeZone(assignedTo: []))
        #expect(account(.analyst).maySeeZone(assignedTo: []))
        #expect(!account(.auditor).maySeeZone(assignedTo: [.traffic]))
        #expect(!account(.commander, disabled: true).maySeeZone(assignedTo: [.traffic]))
    }
}
