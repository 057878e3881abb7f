import Foundation
import Testing
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastCLI
import ZoneCastOperations
import ZoneCastCore
import ArgumentParser

@Suite("CLI: import hardening")
struct ImportHardeningCLITests {
    @Test("given a new database, when the first `import` fails (the file lacks a mapped column), then the database is not bound to a jurisdiction; a later successful import binds it and leaves an audit entry naming who, file, batch and rows")
    func failedFirstImportLeavesNoBinding() async throws {
        let dir = try temporaryDirectory()
        try simpleMapping.write(to: dir.appendingPathComponent("m.json"), atomically: true, encoding: .utf8)
        try "id,date,time,offence,latitude,lon\n1,2017-01-01,10:00,shooting,39.05,-94.55\n".write(to: dir.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        try simpleCSV(rows: 10).write(to: dir.appendingPathComponent("good.csv"), atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("z.sqlite").path
        let failing = try ZoneCastCommand.parseAsRoot(["import", "--mapping", dir.appendingPathComponent("m.json").path, dir.appendingPathComponent("bad.csv").path, "--db", db])
        await #expect(throws: (any Error).self) { try await runInProcess(failing) }
        await #expect(try SQLiteIncidentStore(path: db).jurisdiction() == nil, "a failed first import must not bind the database")
        await #expect(try SQLiteIncidentStore(path: db).latestAuditEntries(limit: 5).isEmpty)

        let good = try ZoneCastCommand.parseAsRoot(["import", "--mapping", dir.appendingPathComponent("m.json").path, dir.appendingPathComponent("good.csv").path, "--db", db, "--json"])
        try await runInProcess(good)
        let store = try SQLiteIncidentStore(path: db)
        #expect(try await store.jurisdiction()?.name == "kansas-city")
        let entries = try await store.latestAuditEntries(limit: 5)
        #expect(entries.count == 1)
        let e = try #require(entries.first)
        #expect(e.action == "import" && e.actor.hasPrefix("cli:") && e.actor.hasSuffix("(zonecast import)"))
        #expect(e.subject == "import batch 1" && e.detail.contains("good.csv") && e.detail.contains("10 rows read") && e.detail.contains("10 incidents imported"), "\(e.detail)")
    }

    @Test("given --max-field-bytes 0, then argument validation refuses it")
    func limitsAreRangeChecked() async {
        #expect(throws: (any Error).self) { try ZoneCastCommand.parseAsRoot(["import", "--preset", "gva", "--max-field-bytes", "0", "x.csv"]) }
        #expect(throws: (any Error).self) { try ZoneCastCommand.parseAsRoot(["import", "--preset", "gva", "--max-record-bytes", "99999999999999999999", "x.csv"]) }
    }

    @Test("the binary: a row with terminal escapes is quarantined and `quarantine list` shows the escapes as text, never as raw control bytes",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built (run swift build)"))
    func quarantineListEscapes() async throws {
        let dir = try temporaryDirectory()
        try simpleMapping.write(to: dir.appendingPathComponent("m.json"), atomically: true, encoding: .utf8)
        let hostile = "99,2017-01-01,10:00,shoot\u{1B}]0;owned\u{7}\u{1B}[2J,39.05,-94.55\n"
        try (simpleCSV(rows: 3) + hostile).write(to: dir.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let imported = try runZonecast(["import", "--mapping", "m.json", "a.csv", "--db", "z.sqlite", "--json"], in: dir)
        #expect(imported.status == 0, "stderr: \(imported.err)")
        let list = try runZonecast(["quarantine", "list", "--db", "z.sqlite"], in: dir)
        #expect(list.status == 0)
        #expect(list.out.contains("control_character") && list.out.contains("ESC (U+001B)"), "\(list.out)")
        #expect(list.out.contains("\\u{1B}]0;owned\\u{7}\\u{1B}[2J"), "\(list.out)")
        #expect(!list.out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "raw control characters reached the terminal")
    }
}
