import Crypto
public import Foundation
public import ZoneCastAccess

/// A signed-in session. The token travels only in an HttpOnly, SameSite=Strict cookie; the CSRF token is
/// embedded in every form and must come back with every POST.
public struct Session: Sendable, Hashable {
    public var token: String
    public var username: String
    public var csrfToken: String
    public var expires: Date
    /// The account's `sessionsRevokedAt` when the session began: once the account carries another, it has ended.
    public var accountStamp: Date?
}

/// Sessions held in memory: a restart signs everyone out, which is acceptable for one server on a police
/// network and leaves nothing to steal from disk. Tokens are 256 random bits.
public actor SessionStore {
    private var sessions: [String: Session] = [:]
    public let lifetime: TimeInterval

    public init(lifetime: TimeInterval = 8 * 3_600) { self.lifetime = lifetime }

    public func create(username: String, now: Date, accountStamp: Date? = nil) -> Session {
        let s = Session(token: randomToken(), username: username, csrfToken: randomToken(), expires: now.addingTimeInterval(lifetime),
                        accountStamp: accountStamp)
        sessions[s.token] = s
        return s
    }

    /// The live session for a token; expired ones are dropped.
    public func session(_ token: String, now: Date) -> Session? {
        guard let s = sessions[token] else { return nil }
        guard s.expires > now else { sessions[token] = nil; return nil }
        return s
    }

    public func end(_ token: String) { sessions[token] = nil }

    /// Moves one session under the account's new stamp (the session that changed its own password goes on; the
    /// account's other sessions end).
    public func restamp(_ token: String, accountStamp: Date?) { sessions[token]?.accountStamp = accountStamp }
}

/// Sign-in attempts as the server remembers them (in memory): the throttle (`SignInThrottle`, back-off per
/// address and per account) and the failed sign-ins the audit log has yet to be told about (`FailedSignInDigest`).
/// Both maps are bounded, whatever an anonymous flood sends.
public actor LoginThrottle {
    private var throttle: SignInThrottle
    private var digest: FailedSignInDigest

    public init(policy: SignInPolicy = SignInPolicy(), auditWindow: TimeInterval = 900) {
        throttle = SignInThrottle(policy: policy)
        digest = FailedSignInDigest(length: auditWindow, capacity: policy.maxTracked)
    }

    /// The default policy with `maxFailures` free failures per account (and four times as many per address).
    public init(maxFailures: Int) {
        var policy = SignInPolicy()
        policy.accountFreeFailures = max(1, maxFailures)
        policy.addressFreeFailures = max(1, maxFailures) * 4
        self.init(policy: policy)
    }

    public var policy: SignInPolicy { throttle.policy }

    /// Addresses, accounts, turns and audit windows remembered.
    public var tracked: (addresses: Int, accounts: Int, turns: Int, auditWindows: Int) {
        let t = throttle.tracked
        return (t.addresses, t.accounts, t.turns, digest.count)
    }

    func check(account: String, address: String, clearedAt: Date?, now: Date) -> SignInThrottle.Decision {
        throttle.check(account: account, address: address, clearedAt: clearedAt, now: now)
    }

    /// A failed attempt whose password was checked: it counts. Returns what the audit log must record.
    func failed(account: String, address: String, auditAs: String, now: Date) -> FailedSignInDigest.Outcome {
        throttle.recordFailure(account: account, address: address, now: now)
        return digest.failure(account: auditAs, address: address, now: now)
    }

    /// An attempt refused during a back-off: not counted by the throttle, but counted for the audit log.
    func refused(address: String, auditAs: String, now: Date) -> FailedSignInDigest.Outcome {
        digest.failure(account: auditAs, address: address, now: now)
    }

    /// A correct password: returns the summaries due.
    func succeeded(account: String, address: String, now: Date) -> [FailedSignInDigest.Summary] {
        throttle.recordSuccess(account: account, address: address)
        return digest.closeDue(now: now)
    }
}

func randomToken() -> String {
    SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
        .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
}

/// Compares secrets in time independent of where they differ.
func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in x.indices { diff |= x[i] ^ y[i] }
    return diff == 0
}

/// How sign-in checks a password: bcrypt against the account's hash, or against `dummyHash` when there is no
/// account (so unknown and invalid usernames cost the same bcrypt comparison as real ones, and the time does not
/// tell which names exist). Injectable so tests can see that the comparison ran.
public struct PasswordCheck: Sendable {
    public var verify: @Sendable (_ password: String, _ hash: String) -> Bool
    public var dummyHash: @Sendable () -> String

    public init(verify: @escaping @Sendable (String, String) -> Bool, dummyHash: @escaping @Sendable () -> String) {
        self.verify = verify
        self.dummyHash = dummyHash
    }

    /// bcrypt, with a dummy hash at the default cost (the cost `zonecast users` hashes with).
    public static let bcrypt = PasswordCheck(verify: { Passwords.verify($0, hash: $1) }, dummyHash: { Passwords.dummyHash })

    /// bcrypt, with a dummy hash at `dummyCost`: for accounts hashed at another cost (test fixtures use 4), so an
    /// unknown name still takes as long as a wrong password for a real account.
    public static func bcrypt(dummyCost: UInt8) -> PasswordCheck {
        let dummy = Passwords.hash(Passwords.oneTime(), cost: dummyCost)
        return PasswordCheck(verify: { Passwords.verify($0, hash: $1) }, dummyHash: { dummy })
    }
}
