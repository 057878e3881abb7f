import Foundation
import ZoneCastCore

/// Checks on decoded parameters and fields that the generated code does not make (ranges, dates, text), with
/// errors that name the parameter or field and the value.
enum APIQuery {
    static func invalid(_ parameter: String, _ value: String, _ why: String) -> WebError {
        WebError(.badRequest, "\(parameter) \"\(value.prefix(80))\": \(why)", api: true)
    }

    /// A text parameter without its surrounding spaces; nil when absent or blank.
    static func text(_ value: String?) -> String? {
        guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        return v
    }

    static func integer(_ value: Int?, _ name: String, range: ClosedRange<Int>, default fallback: Int) throws(WebError) -> Int {
        guard let value else { return fallback }
        guard range.contains(value) else { throw invalid(name, String(value), "must be between \(range.lowerBound) and \(range.upperBound)") }
        return value
    }

    /// An ISO 8601 instant ("2024-06-02T14:30:00Z", with an offset or fractional seconds), or a date
    /// ("2024-06-02", midnight in the jurisdiction's time zone). Strict (`StrictDates`): 2026-02-30, hour 24 or
    /// year 20240 are refused, never rolled over.
    static func instant(_ value: String?, _ name: String, timeZone: TimeZone) throws(WebError) -> Date? {
        guard let raw = text(value) else { return nil }
        guard let d = StrictDates.instant(raw, timeZone: timeZone) else {
            let years = "\(StrictDates.years.lowerBound)-\(StrictDates.years.upperBound)"
            throw invalid(name, raw, "not a calendar date like 2024-06-02 or a date-time like 2024-06-02T14:30:00Z (years \(years))")
        }
        return d
    }

    /// Rounds to `places` decimal places (coordinates to 1e-6 or 1e-7 degrees, areas to 1e-4 km²).
    static func rounded(_ x: Double, _ places: Double) -> Double { (x * places).rounded() / places }
}
