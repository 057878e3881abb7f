public import ArgumentParser
import Foundation
public import Logging

/// How `zonecast serve` writes its logs: `text` for a person at a terminal, `json` (one object per line) for a log
/// shipper. Both go to standard error, one line per event, written with a single write so lines from concurrent
/// requests never interleave.
enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

enum ServerLogging {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var bootstrapped = false

    /// Bootstraps swift-log once per process (LoggingSystem allows only one bootstrap); later calls do nothing.
    static func bootstrap(format: LogFormat, level: Logger.Level) {
        lock.lock()
        defer { lock.unlock() }
        guard !bootstrapped else { return }
        bootstrapped = true
        LoggingSystem.bootstrap { label in
            var handler = LineLogHandler(label: label, format: format, sink: .standardError)
            handler.logLevel = level
            return handler
        }
    }
}

/// A swift-log handler writing one line per event: `json` as an object with `ts` (ISO 8601, milliseconds, UTC),
/// `level`, `logger`, `msg` and the metadata's keys (strings; nested values flattened to text); `text` as
/// `2025-01-31T10:00:00.123Z info zonecast.http: request method=GET route=/ ...`.
struct LineLogHandler: LogHandler {
    enum Sink: Sendable {
        case standardError
        /// For tests: each line handed over.
        case lines(@Sendable (String) -> Void)
    }

    let label: String
    let format: LogFormat
    let sink: Sink
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, format: LogFormat, sink: Sink) {
        self.label = label
        self.format = format
        self.sink = sink
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        var all = metadata
        if let explicit { all.merge(explicit) { $1 } }
        let text = Self.line(format: format, date: Date(), level: level, label: label, message: message.description, metadata: all)
        switch sink {
        case .standardError: FileHandle.standardError.write(Data((text + "\n").utf8))
        case .lines(let f): f(text)
        }
    }

    static func line(format: LogFormat, date: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        let ts = timestamp(date)
        switch format {
        case .json:
            var fields: [(String, String)] = [("ts", ts), ("level", level.rawValue), ("logger", label), ("msg", message)]
            let reserved = Set(fields.map(\.0))
            for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where !reserved.contains(key) { fields.append((key, flatten(value))) }
            return "{" + fields.map { "\(jsonString($0.0)):\(jsonString($0.1))" }.joined(separator: ",") + "}"
        case .text:
            var out = "\(ts) \(level.rawValue) \(label): \(oneLine(message))"
            for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
                let v = oneLine(flatten(value))
                out += " \(key)=" + (v.isEmpty || v.contains(" ") || v.contains("\"") ? jsonString(v) : v)
            }
            return out
        }
    }

    static func flatten(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let a): "[" + a.map(flatten).joined(separator: ", ") + "]"
        case .dictionary(let d): "{" + d.sorted { $0.key < $1.key }.map { "\($0.key): \(flatten($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Text with line breaks escaped, so one event stays one line (no forged log lines from user input).
    static func oneLine(_ s: String) -> String {
        s.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// UTC, milliseconds: formatted by hand (a formatter per line would cost more than the rest of the line).
    static func timestamp(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        var seconds = time_t(t.rounded(.down))
        let ms = min(999, Int(((t - t.rounded(.down)) * 1000).rounded(.down)))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), ms)
    }
}
