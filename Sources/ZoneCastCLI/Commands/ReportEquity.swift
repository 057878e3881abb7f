import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastIngest
import ZoneCastOversight
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastServices

/// `zonecast report equity`: how often each area (beats, tracts, neighbourhoods) was a zone against its share of
/// harm, over every approved cycle; the same audit as the oversight page.
struct ReportEquity: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "equity",
        abstract: "Equity audit: each area's share of zone cell-days against its share of harm, flagging over-selection.",
        discussion: """
            Areas come from --areas (a GeoJSON FeatureCollection of Polygon/MultiPolygon features with a name property),
            else the newest set uploaded on the oversight page. Exits 65 when the areas are invalid (naming the feature)
            and 1 when an area is flagged as over-selected with --fail-on-flag.
            Example: zonecast report equity --db kc.sqlite --areas beats.geojson --json
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "GeoJSON file of the areas (default: the newest set uploaded in the web application).") var areas: String?
    @Option(help: "Property holding each area's name (default: name, NAME, beat, tract, GEOID, ...).") var nameProperty: String?
    @Option(help: "Selection ratio at or above which an area may be flagged (default 1.5).") var threshold: Double = 1.5
    @Option(help: "Significance level of the binomial check (default 0.05).") var alpha: Double = 0.05
    @Option(help: "Fewest zone periods before anything is flagged (default 5).") var minimumPeriods: Int = 5
    @Option(help: "Audit up to this instant (ISO 8601; default: the database's time: now, or historical data's newest incident).") var now: String?
    @Flag(help: "Exit 1 when an area is flagged.") var failOnFlag = false
    @Flag(help: "Print as JSON.") var json = false

    func validate() throws {
        guard threshold > 1, threshold.isFinite else { throw ValidationError("--threshold \(threshold): must be greater than 1") }
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha \(alpha): must be between 0 and 1") }
        guard minimumPeriods >= 1 else { throw ValidationError("--minimum-periods \(minimumPeriods): must be at least 1") }
        if let now, ISO8601DateFormatter().date(from: now) == nil { throw ValidationError("--now \(now): not an ISO 8601 instant like 2024-06-02T12:00:00Z") }
    }

    func run() async throws {
        var flagged = false
        try await CLIFailure.run { flagged = try await perform() }
        if flagged && failOnFlag { throw ExitCode.failure }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func perform() async throws -> Bool {
        guard FileManager.default.fileExists(atPath: database.path) else { throw IngestError.fileNotFound(database.path) }
        let store = try database.edge.openSQLite(database.path)
        let list: [EquityArea]
        let label: String
        if let areas {
            guard FileManager.default.fileExists(atPath: areas) else { throw IngestError.fileNotFound(areas) }
            let data = try Data(contentsOf: URL(fileURLWithPath: areas))
            do { list = try EquityAreas.parse(data, nameProperty: nameProperty) } catch {
                FileHandle.standardError.write(Data("zonecast: error: \(areas): \(error)\n".utf8))
                throw ExitCode(65)
            }
            label = URL(fileURLWithPath: areas).lastPathComponent
        } else {
            guard let set = try await store.documents(EquityAreaSet.self).max(by: { $0.recordedAt < $1.recordedAt }) else {
                FileHandle.standardError.write(Data("zonecast: error: no areas: give --areas FILE.geojson or upload them on the oversight page\n".utf8))
                throw ExitCode(64)
            }
            list = try set.areas()
            label = set.label
        }
        let given = now.flatMap { ISO8601DateFormatter().date(from: $0) }
        let at = if let given { given } else { try await DatabaseTime.reportInstant(store) }
        let report = try await OversightData.equity(store: store, areas: list, areaSetLabel: label, now: at,
                                              settings: EquityAudit.Settings(threshold: threshold, alpha: alpha, minimumPeriods: minimumPeriods))
        if json {
            try printJSON(report)
        } else {
            print(render(report, synthetic: try await store.jurisdiction()?.isSynthetic ?? false))
        }
        return !report.audit.flagged.isEmpty
    }

    func render(_ r: OversightData.EquityReport, synthetic: Bool) -> String {
        var out: [String] = []
        if synthetic { out.append("SYNTHETIC DATA: fictional incidents from ZoneCast's generator.") }
        let f = ISO8601DateFormatter()
        let a = r.audit
        out.append("Equity audit against \(r.areaSet): \(r.cycles) approved cycle(s)"
                   + "\(r.from.map { " from \(f.string(from: $0))" } ?? "")\(r.to.map { " to \(f.string(from: $0))" } ?? "")")
        out.append(String(format: "%d zone periods, %.1f zone cell-days; harm %.0f (days; %@)",
                          a.zonePeriods, a.totalZoneCellDays, a.totalHarm, r.categories.joined(separator: ", ")))
        out.append("")
        let nameWidth = max(8, min(40, (a.rows.map(\.area.count) + [a.outside.area.count]).max() ?? 8)) + 2
        out.append("area".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "cell-days  zone share  incidents  harm share   ratio       p  flag")
        for row in a.rows + [a.outside] {
            let name = String(row.area.prefix(nameWidth - 2)).padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let ratio = row.ratio.map { String(format: "%7.2f", $0) } ?? "      -"
            let p = row.pValue.map { String(format: "%7.3g", $0) } ?? "      -"
            out.append(name + String(format: "%9.1f  %9.1f%%  %9d  %9.1f%%  ", row.zoneCellDays, 100 * row.zoneShare, row.incidents, 100 * row.harmShare)
                       + ratio + " " + p + "  " + (row.flag == .none ? "" : row.flag.rawValue))
        }
        out.append("")
        out.append(a.flagged.isEmpty ? "No area is flagged as over-selected (ratio ≥ \(a.settings.threshold), p < \(a.settings.alpha), "
                                       + "at least \(a.settings.minimumPeriods) zone periods)."
                   : "FLAGGED: " + a.flagged.map(\.area).joined(separator: ", "))
        return out.joined(separator: "\n")
    }
}
