import Foundation
import Testing

/// Issue #13, item 6, "explicit inputs": the process environment and standard error belong to the command-line edge
/// (Sources/ZoneCastCLI and Sources/zonecast), which reads them once and hands the modules below plain values, a
/// `Logger` and a clock; and the modules that store, import, plan, forecast and oversee never read the wall clock
/// themselves. These tests scan the source text, so a new read fails here naming its file and line.
@Suite("Explicit inputs")
struct ExplicitInputsTests {
    /// The repository: three levels above this file (Tests/ZoneCastCLITests/ExplicitInputsTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The modules that are the edge: they may read the environment and write to standard error.
    static let edgeModules: Set<String> = ["ZoneCastCLI", "zonecast"]
    /// The modules that take the time from their caller.
    static let clockFreeModules: Set<String> = [
        "ZoneCastPlanning", "ZoneCastForecast", "ZoneCastIngest", "ZoneCastStore", "ZoneCastSQLite", "ZoneCastPostgres", "ZoneCastOversight",
    ]

    struct Rule: Sendable {
        let name: String
        nonisolated(unsafe) let regex: NSRegularExpression

        init(name: String, pattern: String) {
            self.name = name
            regex = try! NSRegularExpression(pattern: pattern)
        }
    }

    /// Reading the process environment (Foundation's or C's).
    static let environmentRule = Rule(name: "reads the process environment",
                                      pattern: #"ProcessInfo\s*(\.\s*processInfo|\(\s*\))\s*\.\s*environment|(?<![A-Za-z0-9_])(getenv|setenv|unsetenv)\s*\("#)
    /// Writing to standard error (Foundation's handle, the C stream or the descriptor).
    static let standardErrorRule = Rule(name: "writes to standard error",
                                        pattern: #"FileHandle\s*\.\s*standardError|(?<![A-Za-z0-9_])(stderr|STDERR_FILENO)(?![A-Za-z0-9_])"#)
    /// Reading the wall clock through `Date` (`Date()`, `Date.init()`, `Date.now`, `Date(timeIntervalSinceNow:)`).
    static let wallClockRule = Rule(name: "reads the wall clock",
                                    pattern: #"(?<![A-Za-z0-9_])Date\s*(\.\s*init\s*)?\(\s*\)|(?<![A-Za-z0-9_])Date\s*\.\s*now(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])Date\s*\(\s*timeIntervalSinceNow\s*:"#)

    /// Reads left in files that other work owns and this change could not edit. Each entry must still match a
    /// finding (the test fails when it no longer does, so the entry is removed as soon as its file is fixed).
    static let pending: [(file: String, rule: String)] = []

    struct Finding: Hashable, CustomStringConvertible {
        var file: String
        var line: Int
        var rule: String
        var text: String
        var description: String { "\(file):\(line): \(rule): \(text)" }
    }

    /// Every Swift file under Sources/, by module (its first folder) and path relative to the repository.
    static func sourceFiles() throws -> [(module: String, path: String, text: String)] {
        let sources = root.appendingPathComponent("Sources")
        var out: [(String, String, String)] = []
        let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(sources.standardizedFileURL.path.count + 1))
            guard let module = relative.split(separator: "/").first else { continue }
            out.append((String(module), "Sources/" + relative, try String(contentsOf: url, encoding: .utf8)))
        }
        return out.sorted { $0.1 < $1.1 }
    }

    /// A line without its comment: whole-line comments are dropped, and a trailing `//` outside string quotes.
    static func code(_ line: Substring) -> Substring {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        if trimmed.hasPrefix("//") || trimmed.hasPrefix("/*") { return "" }
        var quotes = 0, previous: Character = " "
        for index in line.indices {
            let c = line[index]
            if c == "\"" { quotes += 1 }
            if c == "/", previous == "/", quotes % 2 == 0 { return line[..<line.index(before: index)] }
            previous = c
        }
        return line
    }

    static func findings(in text: String, file: String, rules: [Rule]) -> [Finding] {
        var out: [Finding] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(code(raw))
            guard !line.isEmpty else { continue }
            for rule in rules where rule.regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil {
                out.append(Finding(file: file, line: number + 1, rule: rule.name, text: raw.trimmingCharacters(in: .whitespaces)))
            }
        }
        return out
    }

    /// What the rules find under Sources/ outside the edge.
    static func allFindings() throws -> [Finding] {
        try sourceFiles().flatMap { module, path, text -> [Finding] in
            guard !edgeModules.contains(module) else { return [] }
            let rules = [environmentRule, standardErrorRule] + (clockFreeModules.contains(module) ? [wallClockRule] : [])
            return findings(in: text, file: path, rules: rules)
        }
    }

    @Test("the scanner finds the reads it looks for and passes over look-alikes")
    func scannerSeesReads() async {
        let all = [Self.environmentRule, Self.standardErrorRule, Self.wallClockRule]
        let reads = [
            "let env = ProcessInfo.processInfo.environment[\"X\"]", "let env = ProcessInfo().environment", "let v = getenv(\"HOME\")",
            "FileHandle.standardError.write(data)", "fputs(text, stderr)", "write(STDERR_FILENO, p, n)",
            "let t = Date()", "let t = Date.init()", "let t = Date.now", "let t = Date(timeIntervalSinceNow: -5)", "f(at: Date ())",
            "let u = \"http://x\"; let t = Date()", "let t = Foundation.Date()",
        ]
        for line in reads {
            #expect(!Self.findings(in: line, file: "f.swift", rules: all).isEmpty, "not found: \(line)")
        }
        let lookAlikes = [
            "let d = LocalDate()", "let d = Date(timeIntervalSince1970: 0)", "let se = fit.standardError", "process.standardError = FileHandle.nullDevice",
            "/// Reads Date() and ProcessInfo.processInfo.environment", "// FileHandle.standardError", "let s = \"http://x\" // Date()",
            "let e = environment[\"PGUSER\"]", "let n = clock.now", "let d = birthDate()",
        ]
        for line in lookAlikes {
            #expect(Self.findings(in: line, file: "f.swift", rules: all).isEmpty, "found in a look-alike: \(line)")
        }
    }

    @Test("outside the command-line edge, nothing under Sources reads the environment or writes to standard error, and the storing, importing, planning, forecasting and oversight modules read no wall clock")
    func inputsAreExplicit() async throws {
        let files = try Self.sourceFiles()
        #expect(files.count > 100, "expected the package's sources under \(Self.root.path)/Sources, found \(files.count) files")
        #expect(Set(files.map(\.module)).isSuperset(of: Self.clockFreeModules.union(Self.edgeModules)))
        let findings = try Self.allFindings()
        let isPending = { (f: Finding) in Self.pending.contains { $0.file == f.file && $0.rule == f.rule } }
        let unexpected = findings.filter { !isPending($0) }
        if !unexpected.isEmpty {
            Issue.record("""
                Pass these in from the edge instead (an options value, a `Logger`, a clock parameter; see \
                Sources/ZoneCastCLI/EdgeConfiguration.swift):
                \(unexpected.map(\.description).joined(separator: "\n"))
                """)
        }
        for entry in Self.pending where !findings.contains(where: { $0.file == entry.file && $0.rule == entry.rule }) {
            Issue.record("\(entry.file) no longer \(entry.rule): remove it from ExplicitInputsTests.pending")
        }
    }
}
