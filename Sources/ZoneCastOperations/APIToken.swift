import Crypto
public import ZoneCastAccess
public import Foundation
import ZoneCastCore

/// A bearer token for integrations. The secret is shown once; only its SHA-256 is kept (a token is 256 random
/// bits, so a slow hash adds nothing). A token acts as its account, with that account's role.
public struct APIToken: StoredDocument, Hashable {
    public static let kind = "api-token"

    /// The public part of the token ("zc_<id>_<secret>"), also the record id.
    public var id: String
    public var username: String
    public var name: String
    public var secretSHA256: String
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?

    public init(id: String, username: String, name: String, secretSHA256: String, createdAt: Date, expiresAt: Date) {
        self.id = id
        self.username = username
        self.name = name
        self.secretSHA256 = secretSHA256
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = nil
    }

    public var group: String { username }
    public var recordedAt: Date { createdAt }

    public static func digest(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hexText
    }

    public func isValid(at now: Date) -> Bool { revokedAt == nil && now < expiresAt }

    /// Whether the token still acts for `account`: neither revoked nor expired, nor ended with the account's sessions.
    public func isValid(at now: Date, for account: Account) -> Bool {
        isValid(at: now) && account.username == username && !account.disabled && !isEnded(by: account)
    }

    /// A token ends with its account's sessions (password changed or reset, role changed, disabled): one made with a
    /// stolen password must not outlive the reset that locks the thief out. One made before the account was created
    /// belonged to an earlier, deleted account of the same name and must not act for the new one. Stamps travel
    /// through the databases as floating-point seconds, so half a millisecond either way is the same instant.
    public func isEnded(by account: Account) -> Bool {
        let made = createdAt.addingTimeInterval(0.0005)
        return made < account.createdAt || account.sessionsRevokedAt.map { made < $0 } ?? false
    }
}
