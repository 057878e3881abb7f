public import Foundation
public import ZoneCastCore

// A small seeded mutator for fuzz tests, shared by the test targets through this support library. Every draw comes
// from SplitMix64, so a seed gives the same inputs on every machine.

/// Seeded byte and JSON mutations: bit flips, inserted quotes, commas, newlines, NULs, invalid UTF-8, huge fields,
/// truncation, duplicated or swapped lines, and structural JSON edits (dropped, added, duplicated keys, changed types,
/// deep nesting, extreme numbers).
public struct FuzzMutator: Sendable {
    public var rng: SplitMix64

    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    public mutating func int(_ bound: Int) -> Int { bound <= 1 ? 0 : rng.index(below: bound) }
    public mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    public mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }

    /// Byte sequences that break parsers: separators, quotes, line ends, NUL, invalid UTF-8, a BOM, markup, SQL.
    static let tokens: [[UInt8]] = [
        [0x22], [0x2C], [0x0A], [0x0D, 0x0A], [0x0D], [0x00], [0x22, 0x22], [0x22, 0x2C, 0x22],
        [0xFF], [0xFE], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xEF, 0xBB, 0xBF],
        Array("\u{202E}".utf8), Array("😀".utf8), Array("\t".utf8), Array(" ".utf8), Array("\\".utf8),
        Array("NaN".utf8), Array("-0".utf8), Array("1e309".utf8), Array("-1e309".utf8), Array("99999999999999999999".utf8),
        Array("9223372036854775808".utf8), Array("0x1F".utf8), Array("2017-02-30".utf8), Array("24:61".utf8), Array("NULL".utf8),
        Array("' OR '1'='1".utf8), Array("\"; DROP TABLE incident; --".utf8), Array("<script>alert(1)</script>".utf8), Array("%00".utf8),
        Array("(39.1, -94.5)".utf8), Array("POINT (-94.5 39.1)".utf8), Array("(NaN, inf)".utf8), Array("POINT (1e400 -1e400)".utf8),
    ]

    /// `rounds` random edits of `input`.
    public mutating func mutate(_ input: [UInt8], rounds: Int) -> [UInt8] {
        var b = input
        for _ in 0..<max(1, rounds) {
            switch int(12) {
            case 0 where !b.isEmpty:  // flip a bit
                let i = int(b.count); b[i] ^= UInt8(1 << int(8))
            case 1 where !b.isEmpty:  // replace a byte
                b[int(b.count)] = UInt8(truncatingIfNeeded: rng.next())
            case 2, 3:  // insert a hostile token
                b.insert(contentsOf: pick(Self.tokens), at: int(b.count + 1))
            case 4 where !b.isEmpty:  // delete a range
                let i = int(b.count); let n = min(b.count - i, 1 + int(16)); b.removeSubrange(i..<(i + n))
            case 5 where !b.isEmpty:  // truncate
                b.removeSubrange(int(b.count)...)
            case 6:  // a huge field
                let filler: UInt8 = pick([0x41, 0x22, 0x2C, 0x39, 0x0A, 0xFF])
                b.insert(contentsOf: [UInt8](repeating: filler, count: pick([1_000, 20_000, 100_000])), at: int(b.count + 1))
            case 7:  // duplicate a line
                let lines = Self.lines(b)
                if let line = lines.isEmpty ? nil : pick(lines) {
                    b.insert(contentsOf: Array(b[line]) + [0x0A], at: line.lowerBound)
                }
            case 8:  // swap two lines
                var lines = Self.lines(b).map { Array(b[$0]) }
                if lines.count >= 2 {
                    let i = int(lines.count), j = int(lines.count)
                    lines.swapAt(i, j)
                    b = Array(lines.joined(separator: [0x0A]))
                }
            case 9 where !b.isEmpty:  // duplicate a short range in place
                let i = int(b.count); let n = min(b.count - i, 1 + int(64)); b.insert(contentsOf: Array(b[i..<(i + n)]), at: i)
            case 10:  // random bytes
                b.insert(contentsOf: (0..<(1 + int(12))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: int(b.count + 1))
            default:  // a digit changed to another (keeps the shape, breaks the values)
                let digits = b.indices.filter { b[$0] >= 0x30 && b[$0] <= 0x39 }
                if !digits.isEmpty { b[digits[int(digits.count)]] = 0x30 + UInt8(int(10)) }
            }
        }
        return b
    }

    public static func lines(_ b: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = [], start = 0
        for (i, x) in b.enumerated() where x == 0x0A { out.append(start..<i); start = i + 1 }
        if start < b.count { out.append(start..<b.count) }
        return out
    }

    /// A hostile string for a text field: markup, SQL, control characters, long or empty values, odd Unicode.
    public mutating func hostileText() -> String {
        switch int(8) {
        case 0: return pick(["", " ", "\u{0}", "\u{7}x", "\r\n", "null", "undefined", "-1", "0", "1e309", "NaN", "99999999999999999999"])
        case 1: return String(repeating: pick(["A", "é", "😀", "'", "\""]), count: pick([2_001, 10_000, 70_000]))
        case 2: return pick(["' OR '1'='1", "\"; DROP TABLE incident; --", "%27", "1 UNION SELECT username, password_hash FROM account --", "'); DELETE FROM audit_log; --"])
        case 3: return pick(["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "{{7*7}}", "${jndi:ldap://x}"])
        case 4: return pick(["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "C:\\Windows\\win.ini", "/dev/zero"])
        case 5: return pick(["2024-02-30T25:61", "0000-00-00T00:00", "9999-12-31T23:59", "2024-06-02T12:00:00Z", "yesterday", "2024-06-02"])
        case 6: return String(decoding: mutate(Array("ordinary value 42".utf8), rounds: 1 + int(3)), as: UTF8.self)
        default: return pick(["Z1", "Z9", "C1", "C9", "traffic", "approve", "reject", "modify", "dispute", "open", "1", "15", "-5", "0.5"])
        }
    }

    // MARK: JSON

    /// JSON as a tree that can hold what JSONSerialization cannot write: duplicate keys, raw number text.
    public indirect enum Tree: Sendable {
        case raw(String)  // null, true, a number's text, or anything else written verbatim
        case string(String)
        case array([Tree])
        case object([(String, Tree)])

        public init(_ v: JSONValue) {
            switch v {
            case .null: self = .raw("null")
            case .bool(let b): self = .raw(b ? "true" : "false")
            case .number(let n): self = .raw(n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : "\(n)")
            case .string(let s): self = .string(s)
            case .array(let a): self = .array(a.map(Tree.init))
            case .object(let o): self = .object(o.sorted { $0.key < $1.key }.map { ($0.key, Tree($0.value)) })
            }
        }

        public var text: String {
            switch self {
            case .raw(let r): r
            case .string(let s): Self.quote(s)
            case .array(let a): "[" + a.map(\.text).joined(separator: ",") + "]"
            case .object(let o): "{" + o.map { Self.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
            }
        }

        public static func quote(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                default: if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
                }
            }
            return out + "\""
        }
    }

    /// A random JSON value of any type, sometimes large or deeply nested, sometimes not valid JSON at all.
    public mutating func hostileJSON(depth: Int = 0) -> Tree {
        switch int(depth > 2 ? 7 : 10) {
        case 0: return .raw(pick(["null", "true", "false", "0", "-1", "1e309", "-1e309", "1e-400", "NaN", "Infinity", "18446744073709551616", "0.5", "-0"]))
        case 1, 2: return .string(hostileText())
        case 3: return .raw(String(pick(["-1", "0", "3", "14", "501", "10000", "9223372036854775807"])))
        case 4: return .string(pick(["2024-06-02T10:00:00Z", "2024-06-02T10:14:00Z", "2024-06-02T10:00:00+25:00", "2024-13-45T99:99:99Z", ""]))
        case 5: return .raw(String(repeating: "[", count: pick([50, 600, 5_000])) + String(repeating: "]", count: pick([50, 600, 5_000])))
        case 6: return .raw(pick(["", "{", "[1,]", "{\"a\":}", "'x'", "\u{0}"]))
        case 7: return .array((0..<int(4)).map { _ in hostileJSON(depth: depth + 1) })
        default: return .object((0..<int(4)).map { _ in (hostileText(), hostileJSON(depth: depth + 1)) })
        }
    }

    /// Structural edits of a JSON tree: a value replaced, a key dropped, added or duplicated, a value's type changed,
    /// the whole wrapped in arrays.
    public mutating func mutate(_ tree: Tree, rounds: Int) -> Tree {
        var t = tree
        for _ in 0..<max(1, rounds) { t = edit(t, depth: 0) }
        return t
    }

    private mutating func edit(_ tree: Tree, depth: Int) -> Tree {
        switch tree {
        case .object(var o):
            if !o.isEmpty && chance(60) {
                let i = int(o.count)
                switch int(5) {
                case 0: o.remove(at: i)
                case 1: o.append(o[i])  // duplicated key
                case 2: o[i].1 = hostileJSON()
                case 3: o[i].0 = hostileText()
                default: o[i].1 = edit(o[i].1, depth: depth + 1)
                }
            } else if chance(50) {
                o.append((hostileText(), hostileJSON()))
            } else {
                return chance(50) ? hostileJSON() : .array([tree])
            }
            return .object(o)
        case .array(var a):
            if !a.isEmpty && chance(60) {
                let i = int(a.count)
                a[i] = chance(50) ? edit(a[i], depth: depth + 1) : hostileJSON()
            } else if chance(50) && !a.isEmpty {
                a.remove(at: int(a.count))
            } else {
                a.append(hostileJSON())
            }
            return .array(a)
        default:
            return hostileJSON()
        }
    }
}
