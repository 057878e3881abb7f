import Crypto
import Foundation
import HummingbirdBcrypt

public enum AccessError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidUsername(String)
    case weakPassword(String)
    case duplicateUsername(String)
    case unknownUsername(String)
    /// An account change that is not allowed (the reason says why).
    case refusedChange(String)

    public var description: String {
        switch self {
        case .invalidUsername(let u): "username \"\(u)\" must be 3-40 characters of lower-case letters, digits, dot, dash or underscore"
        case .weakPassword(let why): "password too weak: \(why)"
        case .duplicateUsername(let u): "an account named \(u) already exists"
        case .unknownUsername(let u): "no account named \(u)"
        case .refusedChange(let why): why
        }
    }
}

/// Password hashing with bcrypt (cost 12 by default: about a quarter of a second here, which is what makes a
/// stolen hash expensive to attack), a minimum policy, and one-time passwords drawn from the system's CSPRNG.
public enum Passwords {
    public static let defaultCost: UInt8 = 12

    public static func hash(_ password: String, cost: UInt8 = defaultCost) -> String { Bcrypt.hash(password, cost: cost) }

    /// bcrypt reads at most 72 bytes of a password and silently ignores the rest, so two long passwords sharing their
    /// first 72 bytes would both open the account. ZoneCast refuses longer passwords (when one is chosen, and at
    /// sign-in) instead of pre-hashing them, so a hash stays a plain bcrypt hash any other tool can check.
    public static let maxBytes = 72

    /// Whether `password` is the one `hash` was made from. A password longer than `maxBytes` is never accepted (no
    /// password that long can have been set), but the comparison still runs so the answer takes as long.
    public static func verify(_ password: String, hash: String) -> Bool {
        guard password.utf8.count <= maxBytes else {
            _ = Bcrypt.verify(String(decoding: password.utf8.prefix(maxBytes), as: UTF8.self), hash: hash)
            return false
        }
        return Bcrypt.verify(password, hash: hash)
    }

    /// A hash of a random password nobody knows, at the default cost: sign-in compares against it when the username
    /// is unknown or invalid, so those answers take as long as a wrong password for a real account (otherwise the
    /// time tells which usernames exist). Made once, on first use.
    public static let dummyHash: String = hash(oneTime())

    /// At least 12 characters and not a single repeated character; length beats composition rules (NIST SP 800-63B).
    /// At most `maxBytes` bytes of UTF-8 (bcrypt's limit, see there).
    public static func check(_ password: String, username: String) throws(AccessError) {
        guard password.count >= 12 else { throw .weakPassword("use at least 12 characters") }
        guard password.utf8.count <= maxBytes else {
            throw .weakPassword("use at most \(maxBytes) bytes (this one has \(password.utf8.count)): bcrypt would silently ignore the rest")
        }
        guard !password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .weakPassword("do not use control characters")
        }
        guard Set(password).count > 2 else { throw .weakPassword("use more than two different characters") }
        guard !password.lowercased().contains(username.lowercased()) else { throw .weakPassword("do not include the username") }
    }

    public static func checkUsername(_ username: String) throws(AccessError) {
        guard isValidUsername(username) else { throw .invalidUsername(username) }
    }

    /// 3-40 ASCII lower-case letters, digits, dot, dash or underscore: no control characters (a NUL would truncate
    /// the name in SQLite's C-string binding), no look-alikes.
    public static func isValidUsername(_ username: String) -> Bool {
        (3...40).contains(username.utf8.count) && username.utf8.allSatisfy {
            (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2D || $0 == 0x5F
        }
    }

    /// A random 20-character password from an unambiguous alphabet (no 0/O, 1/l/I), about 110 bits.
    public static func oneTime() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let key = SymmetricKey(size: .bits256)
        return key.withUnsafeBytes { bytes in
            // Rejection sampling keeps the choice uniform over the alphabet.
            var out = "", i = 0
            var pool = Array(bytes)
            while out.count < 20 {
                if i == pool.count { pool = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }; i = 0 }
                let b = Int(pool[i]); i += 1
                if b < 256 - 256 % alphabet.count { out.append(alphabet[b % alphabet.count]) }
            }
            return out
        }
    }
}
