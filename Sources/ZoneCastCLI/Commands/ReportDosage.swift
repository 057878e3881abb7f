import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastServices

struct ReportDosage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dosage",
        abstract: "Patrol dosage per zone: visits, minutes, share of 10-16 minute visits, gaps, hours covered against the hours of the zone's harm, "
            + "low-patrol flags.",
        discussion: """
            The cycle in force by default (else the newest approved one); --cycle picks another. Harm by hour comes from the \
            incidents inside each zone over the forecast's training period before the cycle (police-initiated records left out, \
            weighted by the cycle's harm weights). Low patrol: \(DosageThresholds.standard.description).
            Example: zonecast report dosage --db kc.sqlite --json
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Cycle id (default: the cycle in force, else the newest approved cycle).") var cycle: String?
    @Option(help: "As of this instant (ISO 8601 or a date; default: the database's time: now, or historical data's newest incident).") var at: String?
    @Option(help: "Flag zones with fewer visits per day than this (default 2, or $\(DosageThresholds.minVisitsPerDayVariable)).")
    var minVisitsPerDay: String?
    @Option(help: "Flag zones with a gap without a visit longer than this many hours (default 24, or $\(DosageThresholds.maxGapHoursVariable)).")
    var maxGapHours: String?
    @Option(help: """
        Flag zones whose patrol hours hold less than this share (0-1) of the zone's harm (default 0.5, or \
        $\(DosageThresholds.minHarmHourCoverageVariable)).
        """) var minHarmCoverage: String?
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws { try await CLIFailure.run(perform) }

    func thresholds() throws -> DosageThresholds {
        do {
            var t = try database.edge.dosageThresholds()
            if let minVisitsPerDay { t.minVisitsPerDay = try EnforcementThresholds.parse(minVisitsPerDay, field: "--min-visits-per-day") }
            if let maxGapHours { t.maxGapHours = try EnforcementThresholds.parse(maxGapHours, field: "--max-gap-hours") }
            if let minHarmCoverage {
                t.minHarmHourCoverage = try EnforcementThresholds.parse(minHarmCoverage, field: "--min-harm-coverage")
                guard t.minHarmHourCoverage <= 1 else {
                    throw OversightInputError(field: "--min-harm-coverage", value: minHarmCoverage, reason: "expected a share from 0 to 1")
                }
            }
            return t
        } catch let e as OversightInputError {
            throw ValidationError(e.description)
        }
    }

    func perform() async throws {
        let (report, _) = try await PatrolReportInput.load(database, cycle: cycle, at: at, dosage: try thresholds(), enforcement: .standard)
        if json { try printJSON(report); return }
        let tz = TimeZone(identifier: report.timeZone) ?? .gmt
        var out = ["Patrol dosage, cycle \(report.cycleID) (\(report.status)), \(reportTime(report.startsAt, timeZone: tz)) "
                   + "to \(reportTime(report.endsAt, timeZone: tz)), as of \(reportTime(report.asOf, timeZone: tz))"]
        out.append("Low patrol is \(report.dosageThresholds.description).")
        out.append("")
        out.append("zone   visits  a day  minutes  10-16 min  longest gap  median gap  hours covered  harm in covered hours  flags")
        for z in report.zones {
            let d = z.dosage
            let cols = [z.zoneID.padding(toLength: 6, withPad: " ", startingAt: 0), String(d.visits).reportPad(6),
                        String(format: "%.1f", d.visitsPerDay).reportPad(6),
                        String(format: "%.0f", d.minutes).reportPad(8), String(format: "%.0f %%", d.recommendedShare * 100).reportPad(10),
                        String(format: "%.1f h", d.longestGapHours).reportPad(12), String(format: "%.1f h", d.medianGapHours).reportPad(11),
                        "\(d.hoursCovered.count)/24".reportPad(14), (d.harmHourCoverage.map { String(format: "%.0f %%", $0 * 100) } ?? "n/a").reportPad(22)]
            out.append(cols.joined(separator: " ") + "  " + (d.flags.isEmpty ? "-" : d.flags.map(\.text).joined(separator: "; ")))
            out.append("       hours with patrol: \(Oversight.hourRanges(d.hoursCovered)); most harm without patrol: "
                       + "\(d.topUncoveredHours.isEmpty ? "none" : d.topUncoveredHours.map { String(format: "%02d:00", $0) }.joined(separator: ", "))")
        }
        let flagged = report.zones.filter { $0.dosage.flagged }.map(\.zoneID)
        out.append("")
        out.append(flagged.isEmpty ? "No zone flagged for little patrol." : "Flagged for little patrol: \(flagged.joined(separator: ", ")).")
        print(out.joined(separator: "\n"))
    }
}

/// Opens the database, picks the cycle and computes dosage and the monitor (shared by `report dosage` and
/// `report enforcement`).
enum PatrolReportInput {
    static func load(_ database: DatabaseOptions, cycle id: String?, at: String?, dosage: DosageThresholds = .standard,
                     enforcement: EnforcementThresholds) async throws -> (CyclePatrolOversight, any AppStore) {
        let store = try await database.openExistingStore()
        guard let jurisdiction = try await store.jurisdiction() else { throw StoreError.noJurisdiction }
        let now = if let at { try parseInstant(at, timeZone: jurisdiction.timeZoneIdentifier, option: "--at") } else {
            try await DatabaseTime.reportInstant(store)
        }
        let record: CycleRecord
        if let id {
            guard let r = try await store.cycle(id: id) else {
                throw ValidationError("--cycle \"\(id)\": no such cycle (cycles: \(try await store.cycles().prefix(10).map(\.id).joined(separator: ", ")))")
            }
            record = r
        } else {
            let inForce = try await store.cycleInForce(at: now)
            let found: CycleRecord? = if let inForce { inForce } else {
                try await store.cycles().first(where: { [.approved, .active, .expired].contains($0.status(at: now)) && $0.startsAt <= now })
            }
            guard let r = found else {
                let tz = TimeZone(identifier: jurisdiction.timeZoneIdentifier) ?? .gmt
                throw ValidationError("no cycle in force or approved as of \(reportTime(now, timeZone: tz)): pass --cycle ID")
            }
            record = r
        }
        let cycle = try JSONDecoder.zoneCast.decode(ZoneCycle.self, from: record.document)
        let grid = Grid.covering(jurisdiction.boundary, projection: jurisdiction.projection, cellSizeMeters: cycle.provenance.cellSizeMeters)
        let tz = TimeZone(identifier: jurisdiction.timeZoneIdentifier) ?? .gmt
        let report = try await PatrolOversight.report(store: store, cycle: cycle, status: record.status(at: now),
            zones: PatrolOversight.zones(of: cycle), grid: grid,
                                                timeZone: tz, now: now, dosageThresholds: dosage, enforcementThresholds: enforcement)
        return (report, store)
    }
}

extension String {
    /// Right-aligned in `n` columns.
    func reportPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}

/// "2024-06-01 00:00 CDT" in the jurisdiction's time zone, with the abbreviation people there write ("CST", not
/// "GMT-6"), through `DateTexts` as `zonecast summary` writes its times.
func reportTime(_ date: Date, timeZone: TimeZone) -> String {
    DateTexts.shared.string(date, format: "yyyy-MM-dd HH:mm zzz", timeZone: timeZone)
}
