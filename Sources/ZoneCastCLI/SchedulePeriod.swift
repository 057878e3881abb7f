import ArgumentParser
import Foundation

/// How often `serve`'s scheduler checks: a number of minutes as before (`10`), or a number with a unit (`30s`, `5m`,
/// `2h`). Seconds exist so a walk-through or a test sees the scheduler act within seconds instead of waiting a minute;
/// five seconds is the floor because each check reads the cycle in force and may fit a proposal.
struct SchedulePeriod: ExpressibleByArgument, Equatable, CustomStringConvertible {
    static let allowedSeconds = 5...86_400

    let seconds: Int

    init(seconds: Int) { self.seconds = seconds }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        let unit: Int
        let digits: Substring
        switch text.last {
        case "s": (unit, digits) = (1, text.dropLast())
        case "m": (unit, digits) = (60, text.dropLast())
        case "h": (unit, digits) = (3_600, text.dropLast())
        default: (unit, digits) = (60, Substring(text))
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), digits.count <= 6, let count = Int(digits),
              Self.allowedSeconds.contains(count * unit) else { return nil }
        seconds = count * unit
    }

    var defaultValueDescription: String { description }

    var description: String {
        if seconds % 3_600 == 0 { return "\(seconds / 3_600) h" }
        if seconds % 60 == 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }
}
