import Foundation
import ZoneCastCore

enum TimeReading {
    /// A reading; `offsetSeconds` is set when the value carried a UTC designator or offset (ISO 8601 "Z", "+02:00"):
    /// the reading is then a wall clock at that offset, not in the jurisdiction's zone.
    case ok(LocalDateTime, TimePrecision, warning: String?, offsetSeconds: Int? = nil)
    case missing(field: String)
    case unparseable(field: String, value: String)
    case unknownTime(field: String, value: String)
}

/// A `TimeSpec` bound to column indices with compiled patterns.
struct CompiledTime: Sendable {
    enum Shape: Sendable {
        case dateTime(index: Int, patterns: [DatePattern])
        case dateAndTime(dateIndex: Int, datePatterns: [DatePattern], timeIndex: Int?, timePatterns: [DatePattern])
        case components(year: Int, month: Int, day: Int, hour: Int?, minute: Int?)
    }

    let shape: Shape
    let fieldName: String
    let unknownTimeValues: Set<String>
    let unknownMinuteValues: Set<String>
    let rejectUnknownTime: Bool
    let formatsDescription: String

    /// A column the spec needs is absent and `find` did not throw (an optional spec such as `occurredFallback`).
    struct ColumnAbsent: Error {}

    /// An optional spec (fallback, reported time): nil when its columns are not in this file's header.
    static func optional(_ spec: TimeSpec?, field: String, find: (ColumnList?, String, Bool) throws -> Int?) throws -> CompiledTime? {
        guard let spec else { return nil }
        do { return try CompiledTime(spec, field: field, find: find) } catch is ColumnAbsent { return nil }
    }

    init(_ spec: TimeSpec, field: String, find: (ColumnList?, String, Bool) throws -> Int?) throws {
        func patterns(_ f: FormattedColumn) throws -> [DatePattern] { try f.formats.map { try DatePattern($0) } }
        func required(_ list: ColumnList, _ name: String) throws -> Int {
            guard let i = try find(list, name, true) else { throw ColumnAbsent() }
            return i
        }
        if let dt = spec.dateTime {
            let i = try required(dt.column, "\(field).dateTime")
            shape = .dateTime(index: i, patterns: try patterns(dt))
            fieldName = dt.column.names[0]
            formatsDescription = dt.formats.description
        } else if let d = spec.date {
            let i = try required(d.column, "\(field).date")
            let t = try spec.time.map { (try find($0.column, "\(field).time", false), try patterns($0)) }
            shape = .dateAndTime(dateIndex: i, datePatterns: try patterns(d), timeIndex: t?.0 ?? nil, timePatterns: t?.1 ?? [])
            fieldName = d.column.names[0]
            formatsDescription = (d.formats + (spec.time?.formats ?? [])).description
        } else if let c = spec.components {
            shape = .components(
                year: try required(c.year, "\(field).year"), month: try required(c.month, "\(field).month"),
                day: try required(c.day, "\(field).day"), hour: try find(c.hour, "\(field).hour", false) ?? nil,
                minute: try find(c.minute, "\(field).minute", false) ?? nil)
            fieldName = c.year.names[0]
            formatsDescription = "numeric components"
        } else {
            throw IngestError.invalidMapping(file: field, reason: "\(field) needs dateTime, date or components")
        }
        unknownTimeValues = Set((spec.unknownTimeValues ?? []).map(canonicalValue))
        unknownMinuteValues = Set((spec.unknownMinuteValues ?? []).map(canonicalValue))
        rejectUnknownTime = spec.unknownTime == .reject
    }

    func read(_ cells: Cells, header: [String]) -> TimeReading {
        let f = cells.fields
        switch shape {
        case .dateTime(let i, let patterns):
            guard let v = cells.value(i) else { return .missing(field: header[i]) }
            for p in patterns {
                if let r = p.parse(v), let date = r.date, date.isValid {
                    let dt = LocalDateTime(date: date, hour: r.hour ?? 0, minute: r.minute ?? 0, second: r.second ?? 0)
                    guard dt.isValid else { continue }
                    return .ok(dt, p.hasMinute ? .exact : (p.hasHour ? .hour : .day), warning: nil, offsetSeconds: r.offsetSeconds)
                }
            }
            return .unparseable(field: header[i], value: v)
        case .dateAndTime(let di, let datePatterns, let ti, let timePatterns):
            guard let v = cells.value(di) else { return .missing(field: header[di]) }
            var parsed: (LocalDate, DatePattern)?
            for p in datePatterns {
                if let r = p.parse(v), let date = r.date, date.isValid { parsed = (date, p); break }
            }
            guard let (date, datePattern) = parsed else { return .unparseable(field: header[di], value: v) }
            // A date column may carry a time itself ("2017-01-01T00:00:00"): the time column, when present, wins.
            guard let ti, let tv = cells.value(ti) else {
                if ti != nil, let tiIndex = ti {
                    if rejectUnknownTime { return .unknownTime(field: header[tiIndex], value: f[tiIndex]) }
                    return .ok(LocalDateTime(date: date), .day, warning: "time_missing_day_precision")
                }
                return .ok(LocalDateTime(date: date), datePattern.hasHour ? .hour : .day, warning: nil)
            }
            if unknownTimeValues.contains(canonicalValue(tv)) {
                if rejectUnknownTime { return .unknownTime(field: header[ti], value: tv) }
                return .ok(LocalDateTime(date: date), .day, warning: "time_unknown_day_precision")
            }
            for p in timePatterns {
                if let r = p.parse(tv), let h = r.hour {
                    let dt = LocalDateTime(date: date, hour: h, minute: r.minute ?? 0, second: r.second ?? 0)
                    guard dt.isValid else { continue }
                    return .ok(dt, p.hasMinute ? .exact : .hour, warning: nil, offsetSeconds: r.offsetSeconds)
                }
            }
            return .unparseable(field: header[ti], value: tv)
        case .components(let yi, let mi, let di, let hi, let mini):
            guard let ys = cells.value(yi), let ms = cells.value(mi), let ds = cells.value(di) else { return .missing(field: header[yi]) }
            guard let y = Int(ys), let m = Int(ms), let d = Int(ds) else { return .unparseable(field: header[yi], value: "\(ys)-\(ms)-\(ds)") }
            let date = LocalDate(year: y, month: m, day: d)
            guard date.isValid else { return .unparseable(field: header[yi], value: "\(ys)-\(ms)-\(ds)") }
            guard let hi else { return .ok(LocalDateTime(date: date), .day, warning: nil) }
            guard let hs = cells.value(hi) else { return .ok(LocalDateTime(date: date), .day, warning: "time_missing_day_precision") }
            if unknownTimeValues.contains(canonicalValue(hs)) {
                if rejectUnknownTime { return .unknownTime(field: header[hi], value: hs) }
                return .ok(LocalDateTime(date: date), .day, warning: "time_unknown_day_precision")
            }
            guard let h = Int(hs), (0..<24).contains(h) else { return .unparseable(field: header[hi], value: hs) }
            guard let mini, let mins = cells.value(mini) else { return .ok(LocalDateTime(date: date, hour: h), .hour, warning: nil) }
            if unknownMinuteValues.contains(canonicalValue(mins)) {
                return .ok(LocalDateTime(date: date, hour: h), .hour, warning: "minute_unknown_hour_precision")
            }
            guard let mm = Int(mins), (0..<60).contains(mm) else { return .unparseable(field: header[mini], value: mins) }
            return .ok(LocalDateTime(date: date, hour: h, minute: mm), .exact, warning: nil)
        }
    }
}

extension LocalTimeConverter {
    /// The instant of a reading: in this zone, or at the offset the value carried (then it is an instant already, and
    /// the wall clock returned is the jurisdiction's own at that instant, for its local date). Daylight-saving edges
    /// need no rule for an offset reading: "01:30-05:00" and "01:30-06:00" on the night clocks fall back are two
    /// instants an hour apart.
    mutating func resolve(_ local: LocalDateTime, offsetSeconds: Int?) -> (instant: Date, local: LocalDateTime) {
        guard let offset = offsetSeconds else { return (instant(local), local) }
        let instant = Date(timeIntervalSince1970: TimeInterval(local.secondsSinceEpochIgnoringZone - Int64(offset)))
        let wall = Int64(instant.timeIntervalSince1970) + Int64(timeZone.secondsFromGMT(for: instant))
        let days = wall >= 0 ? wall / 86_400 : (wall - 86_399) / 86_400
        let s = Int(wall - days * 86_400)
        return (instant, LocalDateTime(date: LocalDate(daysSinceEpoch: Int(days)), hour: s / 3_600, minute: (s % 3_600) / 60, second: s % 60))
    }
}
