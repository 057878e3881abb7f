import PostgresNIO
import ZoneCastStore

// MARK: Fingerprints as bytea

extension PostgresImportWriter {
    static func buffer(_ f: RowFingerprint) -> ByteBuffer {
        var b = ByteBuffer()
        b.reserveCapacity(16)
        b.writeInteger(f.high)
        b.writeInteger(f.low)
        return b
    }

    static func fingerprint(_ buffer: ByteBuffer) throws -> RowFingerprint {
        var b = buffer
        guard b.readableBytes == 16, let high = b.readInteger(as: UInt64.self), let low = b.readInteger(as: UInt64.self) else {
            throw StoreError.corrupt("a fingerprint of \(buffer.readableBytes) bytes")
        }
        return RowFingerprint(high: high, low: low)
    }
}
