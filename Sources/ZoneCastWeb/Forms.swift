import Foundation
import Hummingbird

/// A submitted form (application/x-www-form-urlencoded). Repeated names keep every value (multi-selects).
/// Accessors validate and throw a `WebError` that names the field and the value.
struct Form {
    private(set) var values: [String: [String]] = [:]

    static let maxBytes = 256 * 1024

    init(_ text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            values[kv[0], default: []].append(kv.count == 2 ? kv[1] : "")
        }
    }

    static func read(_ request: Request) async throws -> Form {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: maxBytes) } catch {
            throw WebError(.payloadTooLarge, "the form is larger than \(maxBytes / 1024) KiB")
        }
        return Form(String(buffer: buffer))
    }

    subscript(_ name: String) -> String? { values[name]?.first }

    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// Trimmed text; `required` refuses empty; `maxLength` refuses longer.
    func text(_ name: String, label: String? = nil, required: Bool = true, maxLength: Int = 2_000) throws -> String {
        let v = (self[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if required && v.isEmpty { throw WebError(.badRequest, "\(label ?? name) is required") }
        if v.count > maxLength { throw WebError.invalid(label ?? name, v, "longer than \(maxLength) characters") }
        if v.unicodeScalars.contains(where: { $0.value < 32 && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
            throw WebError.invalid(label ?? name, v, "contains control characters")
        }
        return v
    }

    func integer(_ name: String, label: String? = nil, range: ClosedRange<Int> = 0...10_000, default value: Int? = nil) throws -> Int {
        let raw = (self[name] ?? "").trimmingCharacters(in: .whitespaces)
        if raw.isEmpty, let value { return value }
        guard let n = Int(raw) else { throw WebError.invalid(label ?? name, raw, "not a whole number") }
        guard range.contains(n) else { throw WebError.invalid(label ?? name, raw, "must be between \(range.lowerBound) and \(range.upperBound)") }
        return n
    }

    func double(_ name: String, label: String? = nil, range: ClosedRange<Double>) throws -> Double? {
        let raw = (self[name] ?? "").trimmingCharacters(in: .whitespaces)
        if raw.isEmpty { return nil }
        guard let x = Double(raw), x.isFinite else { throw WebError.invalid(label ?? name, raw, "not a number") }
        guard range.contains(x) else { throw WebError.invalid(label ?? name, raw, "must be between \(range.lowerBound) and \(range.upperBound)") }
        return x
    }

    func choice<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type, label: String? = nil) throws -> E where E.RawValue == String {
        let raw = self[name] ?? ""
        guard let v = E(rawValue: raw) else {
            throw WebError.invalid(label ?? name, raw, "choose one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return v
    }

    /// A local date and time from an `<input type="datetime-local">` ("2024-06-02T14:30"), in `timeZone`.
    func localDateTime(_ name: String, label: String? = nil, timeZone: TimeZone) throws -> Date {
        let raw = (self[name] ?? "").trimmingCharacters(in: .whitespaces)
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = timeZone
        for pattern in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"] {
            f.dateFormat = pattern
            if let d = f.date(from: raw) { return d }
        }
        throw WebError.invalid(label ?? name, raw, "not a date and time like 2024-06-02T14:30")
    }
}

/// Formats a date for a `datetime-local` input in the jurisdiction's time zone.
func localInputValue(_ date: Date, timeZone: TimeZone) -> String {
    DateTexts.shared.string(date, format: "yyyy-MM-dd'T'HH:mm", timeZone: timeZone)
}

/// A date and time as people read it, in the jurisdiction's time zone.
func localText(_ date: Date, timeZone: TimeZone) -> String {
    DateTexts.shared.string(date, format: "EEE d MMM yyyy HH:mm zzz", timeZone: timeZone)
}
