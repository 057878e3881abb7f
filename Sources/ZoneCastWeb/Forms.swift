import Foundation
import ZoneCastCore
import Hummingbird

/// A submitted form (application/x-www-form-urlencoded). Repeated names keep every value (multi-selects).
/// Accessors validate and throw a `WebError` that names the field and the value.
struct Form {
    private(set) var values: [String: [String]] = [:]
    /// The file of a multipart/form-data form that takes one (`FormLimit.fileBytes`, see `MultipartForm`).
    var file: UploadedFile?

    static let maxBytes = 256 * 1024

    /// The fields that hold free text of several lines (text areas): only these may contain tab, line feed or
    /// carriage return. Every other field is one line. One list for every form, since field names mean the same
    /// thing on every page.
    static let multilineFields: Set<String> = ["summary", "note", "notes", "what", "attendees", "minutes", "reason", "points", "cells", "geojson"]

    /// A query string the edge (`InputEdgeMiddleware`) has already checked, or a value ZoneCast built itself.
    /// Lenient: broken percent-encoding reads as an empty value.
    init(_ text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            values[kv[0], default: []].append(kv.count == 2 ? kv[1] : "")
        }
    }

    /// A submitted body, strictly: broken percent-encoding, bytes that are not UTF-8 and control characters
    /// (tab and new lines allowed only in `multilineFields`) are refused with a 400 naming the field.
    init(strict bytes: [UInt8]) throws(WebError) {
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let kv = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawName = InputText.utf8(kv[0]) else { throw WebError(.badRequest, "a field name is not valid UTF-8") }
            let name = try InputText.decodeComponent(rawName, what: "field name", multiline: false, api: false)
            var value = ""
            if kv.count == 2 {
                guard let rawValue = InputText.utf8(kv[1]) else { throw WebError(.badRequest, "\(name): not valid UTF-8") }
                value = try InputText.decodeComponent(rawValue, what: name, multiline: Self.multilineFields.contains(name), api: false)
            }
            values[name, default: []].append(value)
        }
    }

    /// A form body of a public route (sign-in, tips), read with the standard limit (see `read(_:limit:)`).
    static func read(_ request: Request) async throws -> Form {
        var request = request
        return try await read(&request)
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

    /// A local date and time from an `<input type="datetime-local">` ("2024-06-02T14:30"), in `timeZone`: strictly
    /// (`StrictDates`), so 2026-02-30 or 25:00 is refused rather than rolled over.
    func localDateTime(_ name: String, label: String? = nil, timeZone: TimeZone) throws -> Date {
        let raw = (self[name] ?? "").trimmingCharacters(in: .whitespaces)
        guard let d = StrictDates.localDateTime(raw, timeZone: timeZone) else {
            throw WebError.invalid(label ?? name, raw, "not a calendar date and time like 2024-06-02T14:30")
        }
        return d
    }
}

/// Formats a date for a `datetime-local` input in the jurisdiction's time zone.
func localInputValue(_ date: Date, timeZone: TimeZone) -> String {
    DateTexts.shared.string(date, format: "yyyy-MM-dd'T'HH:mm", timeZone: timeZone)
}

/// A date and time as people read it, in the jurisdiction's time zone.
func localText(_ date: Date, timeZone: TimeZone) -> String {
    DateTexts.shared.local(date, timeZone: timeZone)
}
