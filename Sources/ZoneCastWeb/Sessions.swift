import Crypto
import Foundation
import ZoneCastAccess

/// A signed-in session. The token travels only in an HttpOnly, SameSite=Strict cookie; the CSRF token is
/// embedded in every form and must come back with every POST.
public struct Session: Sendable, Hashable {
    public var token: String
    public var username: String
    public var csrfToken: String
    public var expires: Date
}

/// Sessions held in memory: a restart signs everyone out, which is acceptable for one server on a police
/// network and leaves nothing to steal from disk. Tokens are 256 random bits.
public actor SessionStore {
    private var sessions: [String: Session] = [:]
    public let lifetime: TimeInterval

    public init(lifetime: TimeInterval = 8 * 3_600) { self.lifetime = lifetime }

    public func create(username: String, now: Date) -> Session {
        let s = Session(token: randomToken(), username: username, csrfToken: randomToken(), expires: now.addingTimeInterval(lifetime))
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
}

/// Failed sign-ins per username: after `maxFailures` within `window`, the account is locked for `lockout`,
/// whatever password comes next (brute-force protection; the lock is not revealed as different from a wrong
/// password).
public actor LoginThrottle {
    private var failures: [String: [Date]] = [:]
    private var lockedUntil: [String: Date] = [:]
    public let maxFailures: Int, window: TimeInterval, lockout: TimeInterval

    public init(maxFailures: Int = 5, window: TimeInterval = 900, lockout: TimeInterval = 900) {
        self.maxFailures = maxFailures
        self.window = window
        self.lockout = lockout
    }

    public func isLocked(_ username: String, now: Date) -> Bool { (lockedUntil[username] ?? .distantPast) > now }

    public func recordFailure(_ username: String, now: Date) {
        var list = (failures[username] ?? []).filter { now.timeIntervalSince($0) < window }
        list.append(now)
        failures[username] = list
        if list.count >= maxFailures { lockedUntil[username] = now.addingTimeInterval(lockout) }
    }

    public func recordSuccess(_ username: String) { failures[username] = nil }
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
