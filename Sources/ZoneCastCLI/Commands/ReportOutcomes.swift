import ArgumentParser
import Foundation
import ZoneCastIngest
import ZoneCastOversight
import ZoneCastSQLite
import ZoneCastServices

/// `zonecast report outcomes`: the outcomes page's figures (per place and all together, with intervals, the WDQ
/// and the total net effect) as a table or JSON.
struct ReportOutcomes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcomes",
        abstract: "Did harm fall where the zones were: against the same places before, against comparison places matched on forecast risk, "
            + "and in the buffer rings (WDQ).",
        discussion: "Example: zonecast report outcomes --db kc.sqlite --buffer 400 --json")
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Buffer ring width around each zone, metres (100-2000).") var buffer: Double = 400
    @Option(help: "As of this instant (ISO 8601; default: the database's time: now, or historical data's newest incident).") var now: String?
    @Flag(help: "Print as JSON.") var json = false

    func validate() throws {
        guard buffer.isFinite, OutcomeSettings.bufferRange.contains(buffer) else {
            throw ValidationError("--buffer \(buffer): the buffer width must be between 100 and 2000 metres")
        }
        if let now, ISO8601DateFormatter().date(from: now) == nil {
            throw ValidationError("--now \(now): not an ISO 8601 instant (e.g. 2024-06-05T12:00:00Z)")
        }
    }

    func run() async throws { try await CLIFailure.run(perform) }

    func perform() async throws {
        guard FileManager.default.fileExists(atPath: database.path) else { throw IngestError.fileNotFound(database.path) }
        let store = try database.edge.openSQLite(database.path)
        let given = now.flatMap { ISO8601DateFormatter().date(from: $0) }
        let at = if let given { given } else { try await DatabaseTime.reportInstant(store) }
        let result = try await OutcomesData.report(store: store, now: at, bufferMeters: buffer)
        if json {
            try printJSON(OutcomesJSON(synthetic: result.synthetic, otherGrid: result.otherGrid, method: OutcomesReport.methodText, report: result.report))
        } else {
            print(render(result.report, synthetic: result.synthetic, otherGrid: result.otherGrid))
        }
    }

    struct OutcomesJSON: Encodable {
        var synthetic: Bool
        var otherGrid: [String]
        var method: String
        var report: OutcomesReport
    }

    func render(_ r: OutcomesReport, synthetic: Bool, otherGrid: [String]) -> String {
        var out: [String] = []
        if synthetic { out.append("SYNTHETIC DATA: fictional incidents from ZoneCast's generator.") }
        guard !r.places.isEmpty else {
            out.append("No approved cycle has been in force yet, so there is nothing to measure.")
            return out.joined(separator: "\n")
        }
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s.padding(toLength: n, withPad: " ", startingAt: 0) }
        func wdq(_ w: WeightedDisplacementQuotient, _ measurable: Bool) -> String {
            guard measurable else { return "too few incidents to say" }
            return w.quotient.map { String(format: "%.2f", $0) + " (\(w.reading.text))" } ?? "undefined"
        }
        func tne(_ w: WeightedDisplacementQuotient, _ measurable: Bool) -> String {
            guard measurable else { return "-" }
            return w.totalNetEffect.map { String(format: "%+.1f", $0) } ?? "undefined"
        }
        let c = r.cumulative
        out.append("Outcomes: \(r.places.count) places, \(String(format: "%.1f", r.treatedDays)) zone-days; buffer \(Int(r.settings.bufferMeters)) m; "
                   + "\(r.settings.comparisonsPerZone) comparison places per zone")
        out.append("")
        out.append(pad("area", 20) + pad("violent before", 16) + pad("violent during", 16) + pad("harm before", 14) + "harm during")
        for (name, a) in [("zones", c.zone), ("buffer rings", c.buffer), ("comparison places", c.comparison)] {
            out.append(pad(name, 20) + pad(String(a.violentBefore), 16) + pad(String(a.violentDuring), 16) + pad(String(Int(a.harmBefore.rounded())), 14)
                       + String(Int(a.harmDuring.rounded())))
        }
        out.append("")
        out.append("All places, violent: zones during vs before \(c.violentBeforeDuring.text); against comparison places \(c.violentVersusComparison.text)")
        out.append("All places, harm: zones during vs before \(c.harmBeforeDuring.text); against comparison places \(c.harmVersusComparison.text)")
        out.append("WDQ (violent): \(wdq(c.violentWDQ, c.violentWDQMeasurable)); total net effect \(tne(c.violentWDQ, c.violentWDQMeasurable)) incidents")
        if c.violentWDQMeasurable { for p in Set(c.violentWDQ.problems).sorted() { out.append("  note: \(p)") } }
        out.append("")
        let idWidth = max(10, (r.places.map(\.id.count).max() ?? 0) + 2)
        out.append(pad("place", idWidth) + pad("days", 7) + pad("violent b→d", 13) + pad("zone change", 36) + pad("against comparison", 36)
                   + pad("buffer b→d", 12) + pad("WDQ", 40) + "TNE")
        for p in r.places {
            let e = p.estimates
            out.append(pad(p.id, idWidth) + pad(String(format: "%.1f", p.days), 7) + pad("\(e.zone.violentBefore)→\(e.zone.violentDuring)", 13)
                       + pad(e.violentBeforeDuring.text, 36) + pad(e.violentVersusComparison.text, 36)
                       + pad("\(e.buffer.violentBefore)→\(e.buffer.violentDuring)", 12)
                       + pad(wdq(e.violentWDQ, e.violentWDQMeasurable), 40) + tne(e.violentWDQ, e.violentWDQMeasurable))
        }
        if !r.cyclesNotRun.isEmpty { out.append("Approved but never in force before now (not measured): \(r.cyclesNotRun.joined(separator: ", "))") }
        if !otherGrid.isEmpty { out.append("Recorded on another grid cell size and left out: \(otherGrid.joined(separator: ", "))") }
        out.append("")
        out.append(OutcomesReport.methodText)
        return out.joined(separator: "\n")
    }
}
