import Foundation
import Testing

/// `zonecast factors` ends with a one-line verdict per lead-lag pair and says which p-value to trust (issue #15).
/// End to end on a 5,000-incident demo: the last 180 days on a 1 km grid keep the run to seconds in a debug build
/// (the whole two years on 300 m cells took 161 s); the verdict's rules are covered by LeadLagVerdictTests.
@Suite("factors: a verdict per lead-lag pair", .serialized)
struct FactorsVerdictTests {
    @Test("given a demo database, when factors runs over its last 180 days, then every lead-lag row has one verdict line naming its pair, the text says to trust p(perm), and --json carries the same verdicts",
          .enabled(if: zonecastBinary != nil, "build the zonecast binary first (swift build --build-tests)"))
    func verdictPerPair() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let demo = try runZonecast(["demo", "--no-serve", "--incidents", "5000", "--db", "z.sqlite"], in: dir)
        try #require(demo.status == 0, "\(demo.err)")
        let from = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-180 * 86_400)).prefix(10)
        let args = ["factors", "--db", "z.sqlite", "--permutations", "9", "--lead-lag-permutations", "9", "--minimum-events", "20",
                    "--cell", "1000", "--from", String(from)]
        let text = try runZonecast(args, in: dir)
        try #require(text.status == 0, "\(text.err)")
        #expect(text.out.contains("Which p-value to trust: p(perm)."))
        let lines = text.out.components(separatedBy: "\n")
        let tableStart = try #require(lines.firstIndex { $0.hasPrefix("leader A") })
        let verdictStart = try #require(lines.firstIndex { $0 == "Verdict per pair:" })
        let rows = lines[(tableStart + 1)...].prefix { !$0.isEmpty }
        let verdicts = lines[(verdictStart + 1)...].prefix { $0.hasPrefix("  ") }
        #expect(!rows.isEmpty && rows.count == verdicts.count)
        for (row, verdict) in zip(rows, verdicts) {
            let names = row.split(separator: " ").prefix(2).map { $0.replacingOccurrences(of: "_", with: " ") }
            #expect(verdict.hasPrefix("  \(names[0]) -> \(names[1]): "), "\(row) / \(verdict)")
        }

        let json = try runZonecast(args + ["--json"], in: dir)
        try #require(json.status == 0, "\(json.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let jsonVerdicts = try #require(object["verdicts"] as? [[String: Any]])
        #expect(jsonVerdicts.count == rows.count)
        #expect(jsonVerdicts.allSatisfy { ["p(perm)", "p(chi2)"].contains($0["trusted"] as? String ?? "") })
    }
}
