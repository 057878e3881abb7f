import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastHTML
import ZoneCastReports

struct FactorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "factors",
        abstract: "Which kinds of harm play together: spatial co-location and lead-lag for every pair of categories, with permutation tests.",
        discussion: """
            Prints a table and writes an HTML page with SVG heat maps (--html FILE), which opens with no internet.
            Example: zonecast factors --db kc.sqlite --from 2017-01-01 --to 2018-01-01 --html factors.html
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Start of the period (yyyy-MM-dd, jurisdiction time, or ISO 8601).") var from: String?
    @Option(help: "End of the period (exclusive).") var to: String?
    @Option(help: "Cell size in metres for the lead-lag grid.") var cell = 300.0
    @Option(help: "Lead-lag window in days.") var windowDays = 7.0
    @Option(help: "Lead-lag history in days.") var lookbackDays = 28.0
    @Option(help: "Label permutations for the co-location test.") var permutations = 99
    @Option(help: "Time permutations for the lead-lag test (0: chi-squared p-values only).") var leadLagPermutations = 19
    @Option(help: "Categories with fewer incidents are left out.") var minimumEvents = 20
    @Option(help: "Random seed for the permutations.") var seed: UInt64 = 1
    @Flag(help: "Include police-initiated records (excluded by default: they measure where police looked).") var includePoliceInitiated = false
    @Option(help: "Write the HTML report here.") var html: String?
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws { try await CLIFailure.run(perform) }

    func perform() async throws {
        let jurisdiction = try await AnalysisData.jurisdiction(database: database)
        let tz = jurisdiction.timeZoneIdentifier
        let start = try from.map { try parseInstant($0, timeZone: tz, option: "--from") }
        let end = try to.map { try parseInstant($0, timeZone: tz, option: "--to") }
        let data = try await AnalysisData.load(database: database, from: start, to: end, includePoliceInitiated: includePoliceInitiated, cellSizeMeters: cell,
                                         extent: .data)
        var counts: [HarmCategory: Int] = [:]
        for c in data.events.category { counts[c, default: 0] += 1 }
        let kept = Set(counts.filter { $0.value >= minimumEvents }.keys)
        let events = data.events.only(kept)
        guard !events.isEmpty else { throw ValidationError("no category has at least \(minimumEvents) incidents in the period") }
        let coLocation = CoLocationAnalysis(events: events, permutations: permutations, seed: seed)
        let first = Date(timeIntervalSince1970: events.time.min()!), last = Date(timeIntervalSince1970: events.time.max()! + 1)
        let leadLag = LeadLagAnalysis(events: events, grid: data.grid, from: start ?? first, to: end ?? last, windowDays: windowDays,
                                      lookbackDays: lookbackDays, minimumEvents: minimumEvents, permutations: leadLagPermutations, seed: seed)
        let period = "\(FixedText.grouped(events.count)) incidents"
            + "\(includePoliceInitiated ? " (police-initiated records included)" : " (police-initiated records excluded)") "
            + "from \(from ?? "the first") to \(to ?? "the last"); \(data.jurisdiction.displayName)."
        if let html {
            try FactorReport.html(coLocation: coLocation, leadLag: leadLag, title: "ZoneCast factor analysis: \(data.jurisdiction.displayName)",
                                  synthetic: data.jurisdiction.isSynthetic, period: period).rendered.write(toFile: html, atomically: true, encoding: .utf8)
        }
        if json {
            struct Out: Encodable {
                var period: String; var coLocation: [CoLocationAnalysis.Pair]; var leadLag: [LeadLagAnalysis.Pair]; var verdicts: [LeadLagVerdict]
            }
            try printJSON(Out(period: period, coLocation: coLocation.pairs, leadLag: leadLag.pairs,
                              verdicts: leadLag.pairs.map { $0.verdict(permutations: leadLagPermutations, tests: leadLag.pairs.count) }))
            return
        }
        if data.jurisdiction.isSynthetic { print("SYNTHETIC DATA: fictional incidents from ZoneCast's generator.") }
        print(period)
        print("\nCo-location quotient CLQ(A -> B), p-value for attraction (\(permutations) label permutations):")
        print("A".padding(toLength: 22, withPad: " ", startingAt: 0) + "B".padding(toLength: 22, withPad: " ", startingAt: 0) + "    CLQ        p")
        for p in coLocation.pairs where p.from != p.to {
            print(p.from.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0) + p.to.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0)
                  + String(format: "%7.3f  %7.3f%@", p.quotient, p.pValueAttraction, p.pValueAttraction <= 0.05 ? " *" : ""))
        }
        print("\nLead-lag (A's last \(Int(lookbackDays)) days nearby -> B's next \(Int(windowDays)) days, beyond B's own history; "
              + "\(leadLag.windows) windows, \(leadLag.occupiedCells) cells):")
        print("leader A".padding(toLength: 22, withPad: " ", startingAt: 0) + "follower B".padding(toLength: 22, withPad: " ", startingAt: 0)
              + " effect     LR   p(chi2)  p(perm)")
        for p in leadLag.pairs.sorted(by: { $0.likelihoodRatio > $1.likelihoodRatio }) {
            print(p.leader.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0) + p.follower.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0)
                  + String(format: "%7.3f %7.2f %8.4f  %@", p.effect, p.likelihoodRatio, p.pValueChiSquared,
                           p.pValuePermutation.map { String(format: "%.3f", $0) } ?? "-"))
        }
        print("\nWhich p-value to trust: p(perm). p(chi2) treats clustered cell-windows as independent and credits A for B's places, so it runs "
              + "far too small; shuffling A's times keeps places and clustering and asks only whether A's timing foretells B.")
        print("Verdict per pair:")
        for p in leadLag.pairs.sorted(by: { $0.likelihoodRatio > $1.likelihoodRatio }) {
            print("  " + p.verdict(permutations: leadLagPermutations, tests: leadLag.pairs.count).text)
        }
        if let html { print("\nReport written to \(html)") }
    }
}
