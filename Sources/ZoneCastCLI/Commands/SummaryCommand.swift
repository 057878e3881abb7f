import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastIngest
import ZoneCastSQLite
import ZoneCastStore

struct SummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Counts by category and month, the date range, and quarantine totals.",
        discussion: "Example: zonecast summary --db kc.sqlite")

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws { try await CLIFailure.run(perform) }

    func perform() async throws {
        guard database.postgresURL != nil || FileManager.default.fileExists(atPath: database.path) else { throw IngestError.fileNotFound(database.path) }
        let store = try await database.openStore()
        let summary = try await store.summary()
        let monthly = try await store.countsByCategoryAndMonth(.all)
        let jurisdiction = try await store.jurisdiction()
        if json {
            try printJSON(SummaryJSON(summary: summary, monthly: monthly, synthetic: jurisdiction?.isSynthetic ?? false))
        } else {
            print(render(summary, monthly, jurisdiction, time: try DataTime(clock: Date(), newestRecord: summary.lastOccurredAt)))
        }
    }

    /// The summary as text. Times are in the jurisdiction's zone with the abbreviation people write ("CST", not
    /// Foundation's "GMT-6" on Linux: `DateTexts` formats with the POSIX locale); UTC for a database without one.
    /// `time` is the database's time: on historical data the summary says it runs as an exercise.
    func render(_ s: StoreSummary, _ monthly: [CategoryMonthCount], _ j: Jurisdiction?, time: DataTime? = nil) -> String {
        var out: [String] = []
        if j?.isSynthetic == true { out.append("SYNTHETIC DATA: fictional incidents from ZoneCast's generator.") }
        out.append("Jurisdiction: \(j?.displayName ?? "(none)")")
        let tz = j.flatMap { TimeZone(identifier: $0.timeZoneIdentifier) } ?? TimeZone(identifier: "UTC")!
        let when = { (d: Date) in DateTexts.shared.string(d, format: "yyyy-MM-dd HH:mm zzz", timeZone: tz) }
        out.append("Incidents: \(FixedText.grouped(s.incidents)) (\(FixedText.grouped(s.policeInitiatedIncidents)) police-initiated), "
                   + "from \(s.firstOccurredAt.map(when) ?? "-") to \(s.lastOccurredAt.map(when) ?? "-"); \(s.batches) import batches")
        if let banner = time?.banner(timeZone: tz) { out.append(banner) }
        let months = Array(Set(monthly.map(\.month))).sorted()
        let categories = HarmCategory.allCases.filter { s.incidentsByCategory[$0] != nil }
        if !months.isEmpty {
            // Wide enough for the longest category name shown: cut names ("homicid") were misread.
            let width = max(8, (categories.map(\.rawValue.count).max() ?? 0) + 1)
            var header = "month".padding(toLength: 9, withPad: " ", startingAt: 0)
            for c in categories { header += c.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) }
            out.append("")
            out.append(header + "total")
            var grid: [YearMonth: [HarmCategory: Int]] = [:]
            for m in monthly { grid[m.month, default: [:]][m.category] = m.incidents }
            for month in months {
                var line = month.description.padding(toLength: 9, withPad: " ", startingAt: 0)
                var total = 0
                for c in categories {
                    let n = grid[month]?[c] ?? 0
                    total += n
                    line += String(n).padding(toLength: width, withPad: " ", startingAt: 0)
                }
                out.append(line + String(total))
            }
            var line = "total".padding(toLength: 9, withPad: " ", startingAt: 0)
            for c in categories { line += String(s.incidentsByCategory[c] ?? 0).padding(toLength: width, withPad: " ", startingAt: 0) }
            out.append(line + String(s.incidents))
        }
        out.append("")
        let q = s.quarantinedByReason.values.reduce(0, +)
        out.append("Quarantined rows: \(FixedText.grouped(q))")
        for (reason, n) in s.quarantinedByReason.sorted(by: { $0.key < $1.key }) {
            out.append("  \(reason.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0)) \(FixedText.grouped(n))")
        }
        return out.joined(separator: "\n")
    }
}

struct SummaryJSON: Encodable {
    var summary: StoreSummary
    var monthly: [CategoryMonthCount]
    var synthetic: Bool

    enum Key: String, CodingKey {
        case jurisdiction, synthetic, incidents, policeInitiated, firstOccurredAt, lastOccurredAt, byCategory, byCategoryAndMonth,
             quarantinedByReason, quarantined, batches
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(summary.jurisdictionName, forKey: .jurisdiction)
        try c.encode(synthetic, forKey: .synthetic)
        try c.encode(summary.incidents, forKey: .incidents)
        try c.encode(summary.policeInitiatedIncidents, forKey: .policeInitiated)
        try c.encode(summary.firstOccurredAt, forKey: .firstOccurredAt)
        try c.encode(summary.lastOccurredAt, forKey: .lastOccurredAt)
        try c.encode(Dictionary(uniqueKeysWithValues: summary.incidentsByCategory.map { ($0.key.rawValue, $0.value) }), forKey: .byCategory)
        try c.encode(monthly.map { ["category": $0.category.rawValue, "month": $0.month.description, "incidents": String($0.incidents)] },
                     forKey: .byCategoryAndMonth)
        try c.encode(Dictionary(uniqueKeysWithValues: summary.quarantinedByReason.map { ($0.key.rawValue, $0.value) }), forKey: .quarantinedByReason)
        try c.encode(summary.quarantinedByReason.values.reduce(0, +), forKey: .quarantined)
        try c.encode(summary.batches, forKey: .batches)
    }
}
