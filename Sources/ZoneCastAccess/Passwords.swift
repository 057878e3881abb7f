import Crypto
import Foundation
import HummingbirdBcrypt

public enum AccessError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidUsername(String)
    case weakPassword(String)
    case duplicateUsername(String)
    case unknownUsername(String)

    public var description: String {
        switch self {
        case .invalidUsername(let u): "username \"\(u)\" must be 3-40 characters of lower-case letters, digits, dot, dash or underscore"
        case .weakPassword(let why): "password too weak: \(why)"
        case .duplicateUsername(let u): "an account named \(u) already exists"
        case .unknownUsername(let u): "no account named \(u)"
        }
    }
}

/// Password hashing with bcrypt (cost 12 by default: about a quarter of a second here, which is what makes a
/// stolen hash expensive to attack), a minimum policy, and one-time passwords drawn from the system's CSPRNG.
public enum Passwords {
    public static let defaultCost: UInt8 = 12

    public static func hash(_ password: String, cost: UInt8 = defaultCost) -> String { Bcrypt.hash(password, cost: cost) }

    public static func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// At least 12 characters and not a single repeated character; length beats composition rules (NIST SP 800-63B).
    public static func check(_ password: String, username: String) throws(AccessError) {
        guard password.count >= 12 else { throw .weakPassword("use at least 12 characters") }
        guard Set(password).count > 2 else { throw .weakPassword("use more than two different characters") }
        guard !password.lowercased().contains(username.lowercased()) else { throw .weakPassword("do not include the username") }
    }

    public static func checkUsername(_ username: String) throws(AccessError) {
        let ok = (3...40).contains(username.count) && username.allSatisfy { ($0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" }
        guard ok else { throw .invalidUsername(username) }
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
