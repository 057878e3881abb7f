import ArgumentParser
import Foundation
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastServices

struct ReportEnforcement: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enforcement",
        abstract: "The non-enforcement monitor per zone and unit: minor-infraction citations, field interviews and arrests per patrol hour, "
            + "against outside-zone patrol and before the zone; alerts.",
        discussion: """
            Rates come from the officers' logged visits; visits logged with the zone "outside" (or no zone) are the units' \
            outside-zone comparison. The before/during figure counts police-initiated incidents recorded inside the zone per day, \
            during the cycle so far against the same length before it (a different measure). By default \
            \(EnforcementThresholds.standard.description); the environment variables \(EnforcementThresholds.minorPerHourVariable) \
            and \(EnforcementThresholds.ratioVariable) change them, --threshold sets the minor-citation rate for this report. \
            --notify posts the commanders' notices (once per zone, cycle and day, audited) as the web application does.
            Example: zonecast report enforcement --db kc.sqlite --threshold 0.05 --json
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Cycle id (default: the cycle in force, else the newest approved cycle).") var cycle: String?
    @Option(help: """
        Minor-infraction citations per patrol hour above which a zone or unit is alerted (default 0.1, or \
        $\(EnforcementThresholds.minorPerHourVariable)).
        """) var threshold: String?
    @Option(help: """
        Enforcement actions per community contact or business check above which a zone or unit is alerted (default 0.25, or \
        $\(EnforcementThresholds.ratioVariable)).
        """) var ratio: String?
    @Option(help: "As of this instant (ISO 8601 or a date; default: the database's time: now, or historical data's newest incident).") var at: String?
    @Flag(help: "Post the commanders' notices for the alerts (cycle in force only; once per zone and day).") var notify = false
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws { try await CLIFailure.run(perform) }

    func thresholds() throws -> EnforcementThresholds {
        do {
            var t = try database.edge.enforcementThresholds()
            if let threshold { t.maxMinorCitationsPerHour = try EnforcementThresholds.parse(threshold, field: "--threshold") }
            if let ratio { t.maxEnforcementPerContact = try EnforcementThresholds.parse(ratio, field: "--ratio") }
            return t
        } catch {
            // Only the thresholds' own parsing throws here (OversightInputError).
            throw ValidationError("\(error)")
        }
    }

    func perform() async throws {
        let (report, store) = try await PatrolReportInput.load(database, cycle: cycle, at: at, enforcement: try thresholds())
        let tz = TimeZone(identifier: report.timeZone) ?? .gmt
        var notices: [Notice] = []
        if notify { notices = try await PatrolOversight.raiseAlerts(report, store: store, now: report.asOf, timeZone: tz) }
        if json {
            struct Out: Encodable {
                var cycleID: String, status: String, asOf: Date, thresholds: EnforcementThresholds, outsideVisits: Int
                var contactsToEnforcement: String, zones: [ZoneEnforcement], noticesPosted: [String]
            }
            let a = report.activities
            try printJSON(Out(cycleID: report.cycleID, status: report.status, asOf: report.asOf, thresholds: report.enforcementThresholds,
                              outsideVisits: report.outsideVisits, contactsToEnforcement: "\(a.relationshipActions) : \(a.enforcementActions)",
                              zones: report.zones.map(\.enforcement), noticesPosted: notices.map(\.id)))
            return
        }
        var out = ["Non-enforcement monitor, cycle \(report.cycleID) (\(report.status)), as of \(reportTime(report.asOf, timeZone: tz))"]
        out.append("By these thresholds \(report.enforcementThresholds.description).")
        let a = report.activities
        out.append("All zones: community contacts and business checks : enforcement actions = \(a.relationshipActions) : \(a.enforcementActions).")
        if report.outsideVisits == 0 {
            out.append("No outside-zone patrol logged this cycle (visits with the zone \"outside\"): nothing to compare the zone rates with.")
        }
        out.append("")
        out.append("zone   who                              hours  minor/h   FI/h  arrests/h  contacts : enforcement")
        func line(_ zone: String, _ who: String, _ r: EnforcementRates) -> String {
            [zone.padding(toLength: 6, withPad: " ", startingAt: 0), who.padding(toLength: 30, withPad: " ", startingAt: 0),
             String(format: "%.1f", r.patrolHours).reportPad(7),
             String(format: "%.2f", r.minorCitationsPerHour).reportPad(8), String(format: "%.2f", r.fieldInterviewsPerHour).reportPad(6),
             String(format: "%.2f", r.arrestsPerHour).reportPad(10), "  " + r.contactsToEnforcement].joined(separator: " ")
        }
        for z in report.zones {
            let e = z.enforcement
            out.append(line(z.zoneID, "all units", e.overall))
            for u in e.units {
                out.append(line("", "\(u.unit) in the zone", u.inZone))
                out.append(u.outside.map { line("", "\(u.unit) outside zones", $0) } ?? "       \(u.unit) outside zones: no outside-zone patrol logged")
            }
            if let p = e.policeActivity {
                out.append(String(format: "       police-initiated records in the zone: %d in %.1f days (%.2f/day) vs %d before (%.2f/day)",
                                  p.during, p.days, p.duringPerDay, p.before, p.beforePerDay))
            }
            for alert in e.alerts { out.append("       ALERT: \(alert.text)") }
        }
        let alerted = report.zones.filter { $0.enforcement.alerted }.map(\.zoneID)
        out.append("")
        out.append(alerted.isEmpty ? "No enforcement alert." : "Enforcement alerts in: \(alerted.joined(separator: ", ")).")
        if notify {
            out.append(notices.isEmpty ? "No new notice posted."
                       : "Posted \(notices.count) notice(s) to commanders: \(notices.map(\.id).joined(separator: ", ")).")
        }
        print(out.joined(separator: "\n"))
    }
}
