import Foundation
import Testing
import ZoneCastTestSupport

/// Tries to get a run-time string into markup without escaping, the ways a hurried change might, and checks the
/// compiler refuses each one. The snippets are type-checked against the ZoneCastHTML module this test run built.
@Suite("Typed HTML: no unescaped entry for run-time text")
struct UnescapedEntryTests {
    static let attempts: [(name: String, code: String)] = [
        ("a String where markup is expected", "let page: HTML = name"),
        ("a String as the literal initialiser", "let page = HTML(stringLiteral: name)"),
        ("a run-time String as trusted markup", "let page = HTML.trusted(name)"),
        ("a String concatenated onto markup", "let page: HTML = \"<p>\" + name"),
        ("markup built by appending to a String", "var page: HTML = .empty; page += name"),
        ("a String in a list of markup", "let page: HTML = [\"<p>\", name].joined()"),
    ]

    @Test("given text from a record, when code tries to use it as markup without escaping, then it does not compile",
          arguments: attempts.map(\.name))
    func refused(_ name: String) async throws {
        let code = try #require(Self.attempts.first { $0.name == name }).code
        let result = try Self.typecheck(code)
        #expect(result.status != 0, "compiled, so run-time text could reach a page unescaped: \(code)")
        #expect(result.output.contains("error:"))
    }

    @Test("the harness itself: the escaping way compiles, so a refusal above is the type's doing")
    func escapingWayCompiles() async throws {
        let result = try Self.typecheck("let page: HTML = \"<p>\\(name)</p>\"; _ = page.rendered")
        #expect(result.status == 0, "\(result.output)")
    }

    static func typecheck(_ statement: String) throws -> (status: Int32, output: String) {
        let modules = try #require(modulesDirectory(), "the ZoneCastHTML module built for this test run was not found under .build")
        let dir = try TestDirectory.make("zonecast-typed-html")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("attempt.swift")
        try "import ZoneCastHTML\nfunc attempt(name: String) {\n    \(statement)\n}\n".write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swiftc", "-typecheck", "-swift-version", "6", "-I", modules.path, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The directory holding ZoneCastHTML.swiftmodule in this package's build folder (debug or release).
    static func modulesDirectory() -> URL? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for configuration in ["debug", "release"] {
            for sub in ["Modules", ""] {
                let dir = root.appendingPathComponent(".build/\(configuration)").appendingPathComponent(sub)
                if FileManager.default.fileExists(atPath: dir.appendingPathComponent("ZoneCastHTML.swiftmodule").path) { return dir }
            }
        }
        return nil
    }
}
