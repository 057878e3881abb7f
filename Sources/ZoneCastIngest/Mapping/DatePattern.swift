public import ZoneCastCore

/// A compiled date/time pattern ("MM/dd/yyyy hh:mm:ss a"). Parsing is a single pass over UTF-8 bytes with no
/// allocation: DateFormatter costs microseconds per call and a million rows cannot afford it.
/// Numeric fields other than yyyy take one or two digits; "SSS" skips any run of digits (fractions);
/// the whole value must be consumed (trailing spaces allowed). "Z", "ZZ", "ZZZ", "X", "XX" or "XXX" reads an ISO 8601 UTC
/// designator or offset: "Z" (UTC) or "+hh:mm", "+hhmm", "+hh" (also "-"), so "yyyy-MM-ddTHH:mm:ssXXX" reads
/// "2017-03-01T14:05:00Z" and "2017-03-01T09:05:00-05:00" as the same instant; a parsed value then carries
/// `offsetSeconds` and is an instant, not a wall-clock reading.
public struct DatePattern: Sendable, Equatable {
    enum Token: Equatable, Sendable {
        case year4, year2, month, day, hour24, hour12, minute, second, fraction, ampm, zoneOffset, literal(UInt8)
    }

    let tokens: [Token]
    public let text: String

    public var hasHour: Bool { tokens.contains(.hour24) || tokens.contains(.hour12) }
    public var hasMinute: Bool { tokens.contains(.minute) }
    public var hasDate: Bool { tokens.contains(.day) }
    /// Whether values carry a UTC designator or offset (then they are instants).
    public var hasOffset: Bool { tokens.contains(.zoneOffset) }

    public init(_ pattern: String) throws(IngestError) {
        text = pattern
        var out: [Token] = []
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            var run = 1
            while i + run < chars.count, chars[i + run] == c { run += 1 }
            switch (c, run) {
            case ("y", 4): out.append(.year4)
            case ("y", 2): out.append(.year2)
            case ("M", 1), ("M", 2): out.append(.month)
            case ("d", 1), ("d", 2): out.append(.day)
            case ("H", 1), ("H", 2): out.append(.hour24)
            case ("h", 1), ("h", 2): out.append(.hour12)
            case ("m", 1), ("m", 2): out.append(.minute)
            case ("s", 1), ("s", 2): out.append(.second)
            case ("S", _): out.append(.fraction)
            case ("a", 1): out.append(.ampm)
            case ("Z", 1...3), ("X", 1...3): out.append(.zoneOffset)
            case ("y", _), ("M", _), ("d", _), ("H", _), ("h", _), ("m", _), ("s", _), ("a", _), ("Z", _), ("X", _):
                throw .invalidMapping(file: "date format", reason: "unsupported field \"\(String(repeating: c, count: run))\" in \"\(pattern)\"")
            default:
                guard let ascii = c.asciiValue else {
                    throw .invalidMapping(file: "date format", reason: "non-ASCII literal in \"\(pattern)\"")
                }
                for _ in 0..<run { out.append(.literal(ascii)) }
            }
            i += run
        }
        tokens = out
    }

    /// Parsed fields (missing ones are nil; `offsetSeconds` east of UTC when the pattern reads an offset), or nil if
    /// the text does not fit the pattern. An offset beyond +-18:00 or with minutes over 59 does not fit.
    public func parse(_ s: String) -> (date: LocalDate?, hour: Int?, minute: Int?, second: Int?, offsetSeconds: Int?)? {
        var text = s
        return text.withUTF8 { bytes -> (LocalDate?, Int?, Int?, Int?, Int?)? in
            var i = 0
            let n = bytes.count
            var year: Int?, month: Int?, day: Int?, hour: Int?, minute: Int?, second: Int?
            var pm: Bool?
            var offset: Int?
            func digits(_ maxCount: Int, exact: Bool = false) -> Int? {
                var v = 0, k = 0
                while k < maxCount, i < n, bytes[i] >= 48, bytes[i] <= 57 {
                    v = v * 10 + Int(bytes[i] - 48)
                    i += 1
                    k += 1
                }
                if k == 0 || (exact && k != maxCount) { return nil }
                return v
            }
            for t in tokens {
                switch t {
                case .year4: guard let v = digits(4, exact: true) else { return nil }; year = v
                case .year2: guard let v = digits(2, exact: true) else { return nil }; year = v < 70 ? 2000 + v : 1900 + v
                case .month: guard let v = digits(2) else { return nil }; month = v
                case .day: guard let v = digits(2) else { return nil }; day = v
                case .hour24: guard let v = digits(2) else { return nil }; hour = v
                case .hour12: guard let v = digits(2), v >= 1, v <= 12 else { return nil }; hour = v
                case .minute: guard let v = digits(2) else { return nil }; minute = v
                case .second: guard let v = digits(2) else { return nil }; second = v
                case .fraction: guard digits(12) != nil else { return nil }
                case .ampm:
                    guard i + 1 < n else { return nil }
                    let a = bytes[i] | 0x20, m = bytes[i + 1] | 0x20
                    guard m == UInt8(ascii: "m"), a == UInt8(ascii: "a") || a == UInt8(ascii: "p") else { return nil }
                    pm = a == UInt8(ascii: "p")
                    i += 2
                case .zoneOffset:
                    guard i < n else { return nil }
                    if bytes[i] == UInt8(ascii: "Z") || bytes[i] == UInt8(ascii: "z") { offset = 0; i += 1; break }
                    guard bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") else { return nil }
                    let sign = bytes[i] == UInt8(ascii: "-") ? -1 : 1
                    i += 1
                    guard let hh = digits(2, exact: true), hh <= 18 else { return nil }
                    var mm = 0
                    if i < n, bytes[i] == UInt8(ascii: ":") { i += 1; guard let v = digits(2, exact: true) else { return nil }; mm = v }
                    else if i < n, bytes[i] >= 48, bytes[i] <= 57 { guard let v = digits(2, exact: true) else { return nil }; mm = v }
                    guard mm < 60, hh * 60 + mm <= 18 * 60 else { return nil }
                    offset = sign * (hh * 3_600 + mm * 60)
                case .literal(let c):
                    guard i < n, bytes[i] == c else { return nil }
                    i += 1
                }
            }
            while i < n, bytes[i] == 32 { i += 1 }
            guard i == n else { return nil }
            if let isPM = pm, let h = hour { hour = (h % 12) + (isPM ? 12 : 0) }
            var date: LocalDate?
            if let y = year, let m = month, let d = day { date = LocalDate(year: y, month: m, day: d) }
            return (date, hour, minute, second, offset)
        }
    }
}
