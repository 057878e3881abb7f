import Crypto
public import Foundation
import ZoneCastCore

/// The secret that keys the audit chain (HMAC-SHA256). Kept outside the database (a 0600 file, see the CLI's
/// `--audit-key-file`), so whoever can write the database file but not read the key can no longer recompute the
/// hashes of edited, inserted or re-chained entries. Only ever built from bytes read at the program's edge.
public struct AuditKey: Sendable, Hashable {
    public let bytes: [UInt8]

    /// At least 32 bytes (SHA-256's strength), at most 64 (one SHA-256 block, so the HMAC pads below are the key
    /// itself XOR the constants, which the PostgreSQL function relies on).
    public static let byteCounts = 32...64

    public init(bytes: [UInt8]) throws(AuditError) {
        guard Self.byteCounts.contains(bytes.count) else {
            throw .badKey("must be \(Self.byteCounts.lowerBound)-\(Self.byteCounts.upperBound) bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// HMAC-SHA256 of `data`, lower-case hex.
    public func mac(_ data: some DataProtocol) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: bytes))).hexText
    }

    /// Names the key without revealing it: a database records the id of the key its chain was keyed with, so
    /// opening it with another key is a clear error instead of a chain that silently stops verifying.
    public var id: String { String(mac(Data("zonecast audit key id".utf8)).prefix(16)) }

    /// HMAC's inner and outer pads (key XOR 0x36 / 0x5c, zero-padded to SHA-256's 64-byte block):
    /// HMAC(K, m) = SHA256(outer || SHA256(inner || m)). PostgreSQL's `audit_append` takes these so it can key an
    /// entry inside its one statement with only the built-in `sha256()` (no pgcrypto).
    public var hmacPads: (inner: [UInt8], outer: [UInt8]) {
        let block = bytes + [UInt8](repeating: 0, count: 64 - bytes.count)
        return (block.map { $0 ^ 0x36 }, block.map { $0 ^ 0x5c })
    }
}

/// How a chain is keyed: entries from `keyedFrom` on carry HMAC-SHA256 hashes, earlier ones (written before the
/// database was first opened with a key) plain SHA-256. `key` is what this process appends and verifies with.
public struct AuditKeying: Sendable, Hashable {
    public var keyedFrom: Int64?
    public var key: AuditKey?

    public init(keyedFrom: Int64?, key: AuditKey?) {
        self.keyedFrom = keyedFrom
        self.key = key
    }

    public static let unkeyed = AuditKeying(keyedFrom: nil, key: nil)

    /// Whether entry `sequence` is keyed.
    public func isKeyed(_ sequence: Int64) -> Bool { keyedFrom.map { sequence >= $0 } ?? false }
}
