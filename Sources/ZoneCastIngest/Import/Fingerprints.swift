import Crypto
import ZoneCastStore

/// SHA-256 based fingerprints for rows and identities (the first 128 bits).
enum Fingerprints {
    /// The fingerprint of a row's text salted with its source, hashed without concatenating the two.
    static func of(source: String, row: String) -> RowFingerprint {
        var hasher = SHA256()
        var s = source, r = row
        s.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        hasher.update(data: [UInt8(0x1F)])
        r.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return fingerprint(hasher.finalize())
    }

    static func fingerprint(_ digest: SHA256.Digest) -> RowFingerprint {
        var high: UInt64 = 0, low: UInt64 = 0
        for (i, b) in digest.prefix(16).enumerated() {
            if i < 8 { high = high << 8 | UInt64(b) } else { low = low << 8 | UInt64(b) }
        }
        return RowFingerprint(high: high, low: low)
    }

    static func hex(_ f: RowFingerprint) -> String {
        return String(f.high, radix: 16).leftPadded(16) + String(f.low, radix: 16).leftPadded(16)
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
