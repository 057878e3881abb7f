import Foundation

/// Writes the `[String: Any]` trees the API routes build as JSON text, byte for byte as `JSONSerialization` does
/// with `.sortedKeys` and `.withoutEscapingSlashes` (for the keys and values the routes use), without its cost:
/// Foundation bridges every dictionary to `NSDictionary` and sorts the keys with a locale-aware `NSString`
/// comparison, which took a quarter of the server's CPU under `zonecast bench load` (officers' patrol lists).
enum JSONText {
    /// A value that has no JSON form (a `Date`, a struct, an infinite or NaN number).
    struct Unsupported: Error, CustomStringConvertible {
        var value: String
        var description: String { "no JSON form for \(value)" }
    }

    static func bytes(_ object: Any) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1_024)
        try write(object, to: &out)
        return out
    }

    static func string(_ object: Any) throws -> String { String(decoding: try bytes(object), as: UTF8.self) }

    private static func write(_ value: Any, to out: inout [UInt8]) throws {
        switch value {
        case let s as String: writeString(s, to: &out)
        case let n as Int: out.append(contentsOf: String(n).utf8)
        case let d as Double: try writeDouble(d, to: &out)
        case let b as Bool: out.append(contentsOf: (b ? "true" : "false").utf8)
        case let o as [String: Any]: try writeObject(o, to: &out)
        case let a as [Any]: try writeArray(a, to: &out)
        case is NSNull: out.append(contentsOf: "null".utf8)
        case let s as Substring: writeString(String(s), to: &out)
        case let n as Int64: out.append(contentsOf: String(n).utf8)
        case let n as Int32: out.append(contentsOf: String(n).utf8)
        case let n as UInt64: out.append(contentsOf: String(n).utf8)
        case let n as UInt: out.append(contentsOf: String(n).utf8)
        case let f as Float: try writeDouble(Double(f), to: &out)
        default:
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                if let wrapped = mirror.children.first?.value { try write(wrapped, to: &out) } else { out.append(contentsOf: "null".utf8) }
                return
            }
            throw Unsupported(value: "\(type(of: value))")
        }
    }

    private static func writeObject(_ object: [String: Any], to out: inout [UInt8]) throws {
        out.append(UInt8(ascii: "{"))
        var first = true
        for key in object.keys.sorted(by: keyPrecedes) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writeString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            try write(object[key]!, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private static func writeArray(_ array: [Any], to out: inout [UInt8]) throws {
        out.append(UInt8(ascii: "["))
        for (i, element) in array.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            try write(element, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Swift's shortest round-trip digits, without a trailing ".0" (as Foundation writes doubles).
    private static func writeDouble(_ d: Double, to out: inout [UInt8]) throws {
        guard d.isFinite else { throw Unsupported(value: "\(d)") }
        var text = d.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out.append(contentsOf: text.utf8)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// Quotes and escapes `"`, `\` and control characters; `/` and non-ASCII characters are written as they are.
    private static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 0x08: out.append(contentsOf: [92, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [92, UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20: out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Foundation's `.sortedKeys` order (ICU collation) as it falls for ASCII keys: punctuation before digits before
    /// letters, letters case-insensitive, runs of digits by value ("zone2" before "zone10"); ties go to fewer
    /// leading zeros, then to lower case at the first difference in case ("a" before "A"), then to byte order.
    /// Other keys fall back to String order.
    static func keyPrecedes(_ a: String, _ b: String) -> Bool {
        // Native strings lend their UTF-8 in place; only bridged ones are copied.
        var x = a, y = b
        return x.withUTF8 { xs in y.withUTF8 { ys in keyPrecedes(xs, ys, a, b) } }
    }

    private static func keyPrecedes(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>, _ a: String, _ b: String) -> Bool {
        guard x.allSatisfy({ $0 < 128 }), y.allSatisfy({ $0 < 128 }) else { return a < b }
        var i = 0, j = 0
        var zerosTie = 0, caseTie = 0      // -1: a first, +1: b first, 0: no tie-break yet
        while i < x.count, j < y.count {
            if isDigit(x[i]), isDigit(y[j]) {
                var ie = i, je = j
                while ie < x.count, isDigit(x[ie]) { ie += 1 }
                while je < y.count, isDigit(y[je]) { je += 1 }
                // Compare the runs' values: strip leading zeros, then the longer is larger, else digit by digit.
                var ia = i, jb = j
                while ia < ie - 1, x[ia] == 48 { ia += 1 }
                while jb < je - 1, y[jb] == 48 { jb += 1 }
                if ie - ia != je - jb { return ie - ia < je - jb }
                while ia < ie {
                    if x[ia] != y[jb] { return x[ia] < y[jb] }
                    ia += 1; jb += 1
                }
                if zerosTie == 0, ie - i != je - j { zerosTie = ie - i < je - j ? -1 : 1 }
                i = ie; j = je
                continue
            }
            let kx = kind(x[i]), ky = kind(y[j])
            if kx != ky { return kx < ky }
            let cx = lower(x[i]), cy = lower(y[j])
            if cx != cy { return cx < cy }
            if caseTie == 0, x[i] != y[j] { caseTie = x[i] > y[j] ? -1 : 1 }
            i += 1; j += 1
        }
        if x.count - i != y.count - j { return x.count - i < y.count - j }
        if zerosTie != 0 { return zerosTie < 0 }
        if caseTie != 0 { return caseTie < 0 }
        return x.lexicographicallyPrecedes(y)
    }

    /// 0: punctuation and symbols, 1: digits, 2: letters.
    private static func kind(_ c: UInt8) -> Int { isDigit(c) ? 1 : (lower(c) >= 97 && lower(c) <= 122 ? 2 : 0) }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    private static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }
}
