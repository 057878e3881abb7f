import Crypto
import ZoneCastStore

/// SHA-256 based fingerprints for rows and identities (the first 128 bits).
enum Fingerprints {
    static func of(_ text: String) -> RowFingerprint {
        var t = text
        let digest = t.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        var high: UInt64 = 0, low: UInt64 = 0
        for (i, b) in digest.prefix(16).enumerated() {
            if i < 8 { high = high << 8 | UInt64(b) } else { low = low << 8 | UInt64(b) }
        }
        return RowFingerprint(high: high, low: low)
    }

    static func hex(of text: String) -> String {
        let f = of(text)
        return String(f.high, radix: 16).leftPadded(16) + String(f.low, radix: 16).leftPadded(16)
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
