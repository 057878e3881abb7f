/// Lower-case hexadecimal text of bytes (digests, tokens, request ids), two digits a byte: what
/// `String(format: "%02x")` per byte gave, without formatting each byte through Foundation (an audit entry's hash
/// and every request id are on the server's hot path).
extension Sequence where Element == UInt8 {
    public var hexText: String {
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)
