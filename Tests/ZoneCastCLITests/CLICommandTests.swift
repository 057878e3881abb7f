import Foundation
import Testing
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastCLI
import ZoneCastOperations
import ZoneCastCore
import ArgumentParser

@Suite("CLI commands", .serialized)
struct CLICommandTests {
    @Test("given a mapping file and CSV, when `import` runs in-process, then the database holds the incidents and the jurisdiction")
    func importInProcess() async throws {
        let dir = try temporaryDirectory()
        try simpleMapping.write(to: dir.appendingPathComponent("m.json"), atomically: true, encoding: .utf8)
        try simpleCSV(rows: 50).write(to: dir.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("z.sqlite").path
        let command = try ZoneCastCommand.parseAsRoot(["import", "--mapping", dir.appendingPathComponent("m.json").path, dir.appendingPathComponent("a.csv").path, "--db", db, "--json"])
        try await runInProcess(command)
        let store = try SQLiteIncidentStore(path: db)
        #expect(try await store.countIncidents(.all) == 50)
        #expect(try await store.jurisdiction()?.name == "kansas-city")
    }

    @Test("given both or neither of --preset and --mapping, then argument validation refuses")
    func presetXorMapping() async {
        #expect(throws: (any Error).self) { try ZoneCastCommand.parseAsRoot(["import", "x.csv"]) }
        #expect(throws: (any Error).self) { try ZoneCastCommand.parseAsRoot(["import", "--preset", "gva", "--mapping", "m.json", "x.csv"]) }
        #expect(throws: (any Error).self) { try ZoneCastCommand.parseAsRoot(["quarantine", "list", "--reason", "bogus"]) }
    }

    @Test("the binary: import prints a JSON summary, a second import changes nothing, summary and quarantine list read it back",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built (run swift build)"))
    func binaryRoundTrip() async throws {
        let dir = try temporaryDirectory()
        try simpleMapping.write(to: dir.appendingPathComponent("m.json"), atomically: true, encoding: .utf8)
        try (simpleCSV(rows: 20) + "bad,2017-01-01,10:00,arson,39.05,-94.55\n").write(to: dir.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        let first = try runZonecast(["import", "--mapping", "m.json", "a.csv", "--db", "z.sqlite", "--json"], in: dir)
        #expect(first.status == 0, "stderr: \(first.err)")
        let json = try JSONSerialization.jsonObject(with: Data(first.out.utf8)) as? [String: Any]
        #expect(json?["rowsRead"] as? Int == 21)
        #expect(json?["incidentsImported"] as? Int == 20)
        #expect((json?["rejectedByReason"] as? [String: Int])?["unmapped_offence"] == 1)
        #expect(json?["peakMemoryMiB"] as? Double ?? 0 > 0)
        let second = try runZonecast(["import", "--mapping", "m.json", "a.csv", "--db", "z.sqlite", "--json"], in: dir)
        let json2 = try JSONSerialization.jsonObject(with: Data(second.out.utf8)) as? [String: Any]
        #expect(json2?["alreadyImported"] as? Bool == true)
        let summary = try runZonecast(["summary", "--db", "z.sqlite", "--json"], in: dir)
        let s = try JSONSerialization.jsonObject(with: Data(summary.out.utf8)) as? [String: Any]
        #expect(s?["incidents"] as? Int == 20)
        #expect(s?["quarantined"] as? Int == 1)
        let q = try runZonecast(["quarantine", "list", "--db", "z.sqlite"], in: dir)
        #expect(q.out.contains("unmapped_offence") && q.out.contains("arson"))
    }

    @Test("the binary: forecast, backtest and propose run on a small database and print JSON with the documented fields",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built"))
    func forecastBacktestPropose() async throws {
        let dir = try temporaryDirectory()
        try simpleMapping.write(to: dir.appendingPathComponent("m.json"), atomically: true, encoding: .utf8)
        try simpleCSV(rows: 3_000).write(to: dir.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        #expect(try runZonecast(["import", "--mapping", "m.json", "a.csv", "--db", "z.sqlite"], in: dir).status == 0)
        let forecast = try runZonecast(["forecast", "--db", "z.sqlite", "--model", "naive", "--at", "2017-12-01", "--target", "non_fatal_shooting,robbery", "--json"], in: dir)
        #expect(forecast.status == 0, "stderr: \(forecast.err)")
        let f = try JSONSerialization.jsonObject(with: Data(forecast.out.utf8)) as? [String: Any]
        #expect((f?["top"] as? [Any])?.count == 10)
        let backtest = try runZonecast(["backtest", "--db", "z.sqlite", "--model", "naive,kde", "--from", "2017-06-01", "--to", "2017-09-01",
                                        "--target", "non_fatal_shooting,robbery", "--bootstrap", "50", "--json"], in: dir)
        #expect(backtest.status == 0, "stderr: \(backtest.err)")
        let b = try JSONSerialization.jsonObject(with: Data(backtest.out.utf8)) as? [String: Any]
        let models = b?["models"] as? [[String: Any]] ?? []
        #expect(models.count == 2)
        let budgets = models.first?["budgets"] as? [[String: Any]] ?? []
        #expect(budgets.count == 4)
        for key in ["areaFraction", "cells", "km2", "hits", "hitRate", "pai", "pei"] { #expect(budgets.first?[key] != nil, "missing \(key)") }
        for key in ["windows", "testEvents", "fitSeconds", "wallSeconds"] { #expect(models.first?[key] != nil, "missing \(key)") }
        let propose = try runZonecast(["propose", "--db", "z.sqlite", "--at", "2017-12-01", "--json", "--geojson", "zones.geojson"], in: dir)
        #expect(propose.status == 0, "stderr: \(propose.err)")
        let p = try JSONSerialization.jsonObject(with: Data(propose.out.utf8)) as? [String: Any]
        let zones = p?["zones"] as? [[String: Any]] ?? []
        #expect((1...4).contains(zones.count))
        for key in ["id", "status", "cells", "areaKm2", "forecastHarm", "explanation"] { #expect(zones.first?[key] != nil, "missing \(key)") }
        let geo = try String(contentsOf: dir.appendingPathComponent("zones.geojson"), encoding: .utf8)
        #expect(geo.contains("CONFIDENTIAL") && geo.contains("MultiPolygon"))
    }

    @Test("the binary: forecast --model boosted lists the features by gain, and a backtest with auto records the option selected in every window",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built"))
    func boostedAndAuto() async throws {
        let dir = try temporaryDirectory()
        try simpleMapping.write(to: dir.appendingPathComponent("m.json"), atomically: true, encoding: .utf8)
        try simpleCSV(rows: 3_000).write(to: dir.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        #expect(try runZonecast(["import", "--mapping", "m.json", "a.csv", "--db", "z.sqlite"], in: dir).status == 0)
        let boosted = try runZonecast(["forecast", "--db", "z.sqlite", "--model", "boosted", "--at", "2017-12-01", "--target", "non_fatal_shooting,robbery"], in: dir)
        #expect(boosted.status == 0, "stderr: \(boosted.err)")
        #expect(boosted.out.contains("Feature importance (total gain, share):"), "\(boosted.out)")
        #expect(boosted.out.contains("n.robbery."))
        let backtest = try runZonecast(["backtest", "--db", "z.sqlite", "--model", "naive,auto", "--set", "auto.windows=2", "--from", "2017-11-01", "--to", "2017-12-01",
                                        "--target", "non_fatal_shooting,robbery", "--training-days", "150", "--bootstrap", "50", "--json"], in: dir)
        #expect(backtest.status == 0, "stderr: \(backtest.err)")
        let b = try JSONSerialization.jsonObject(with: Data(backtest.out.utf8)) as? [String: Any]
        let models = b?["models"] as? [[String: Any]] ?? []
        let auto = models.first { $0["model"] as? String == "auto" }
        let windows = auto?["perWindow"] as? [[String: Any]] ?? []
        #expect(windows.count == 7)
        #expect(windows.allSatisfy { ($0["selected"] as? String)?.isEmpty == false })
    }

    @Test("the binary: errors name the problem and exit with distinct codes", .enabled(if: zonecastBinary != nil, "the zonecast executable is not built"))
    func exitCodes() async throws {
        let dir = try temporaryDirectory()
        let missing = try runZonecast(["import", "--preset", "gva", "nope.csv", "--db", "z.sqlite"], in: dir)
        #expect(missing.status == 66)
        #expect(missing.err.contains("file not found: nope.csv"))
        try "a,b\n1,2\n".write(to: dir.appendingPathComponent("x.csv"), atomically: true, encoding: .utf8)
        let badHeader = try runZonecast(["import", "--preset", "gva", "x.csv", "--db", "z.sqlite"], in: dir)
        #expect(badHeader.status == 65)
        #expect(badHeader.err.contains("incident_id") && badHeader.err.contains("[a, b]"))
        let preset = try runZonecast(["import", "--preset", "nosuch", "x.csv", "--db", "z.sqlite"], in: dir)
        #expect(preset.status == 64)
        #expect(preset.err.contains("unknown preset \"nosuch\""))
    }

    @Test("the binary: an import killed with SIGKILL half-way leaves no partial batch, and a retry completes",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built"))
    func killedImportLeavesNothing() async throws {
        let dir = try temporaryDirectory()
        try simpleMapping.write(to: dir.appendingPathComponent("m.json"), atomically: true, encoding: .utf8)
        let rows = 400_000
        try simpleCSV(rows: rows).write(to: dir.appendingPathComponent("big.csv"), atomically: true, encoding: .utf8)
        // A first, small import that must survive.
        try simpleCSV(rows: 10, offset: 10_000_000).write(to: dir.appendingPathComponent("small.csv"), atomically: true, encoding: .utf8)
        #expect(try runZonecast(["import", "--mapping", "m.json", "small.csv", "--db", "z.sqlite"], in: dir).status == 0)

        let p = Process()
        p.executableURL = URL(fileURLWithPath: zonecastBinary!)
        p.arguments = ["import", "--mapping", "m.json", "big.csv", "--db", "z.sqlite"]
        p.currentDirectoryURL = dir
        p.environment = zonecastEnvironment(in: dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Kill once the import is writing (the WAL has grown), well before it can finish.
        let wal = dir.appendingPathComponent("z.sqlite-wal").path
        let deadline = Date().addingTimeInterval(20)
        var walBytes: Int64 = 0
        repeat {
            usleep(50_000)
            walBytes = ((try? FileManager.default.attributesOfItem(atPath: wal)[.size]) as? NSNumber)?.int64Value ?? 0
        } while walBytes < 4_000_000 && p.isRunning && Date() < deadline
        let killedWhileRunning = p.isRunning
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(killedWhileRunning, "the import finished before it could be killed; grow the file")
        #expect(p.terminationReason == .uncaughtSignal)

        // Imports are audited (keyed with the CLI's default audit key), so the chain is verified with that key.
        let key = try cliAuditKey(in: dir)
        let store = try SQLiteIncidentStore(path: dir.appendingPathComponent("z.sqlite").path, auditKey: key)
        #expect(try await store.countIncidents(.all) == 10)
        #expect(try await store.batches().count == 1)
        #expect(try await store.quarantinedRows(batchID: nil, reason: nil, limit: 10, offset: 0).isEmpty)
        #expect(try await store.verifyAuditChain().isIntact)

        let retry = try runZonecast(["import", "--mapping", "m.json", "big.csv", "--db", "z.sqlite", "--json"], in: dir)
        #expect(retry.status == 0, "stderr: \(retry.err)")
        let report = try JSONSerialization.jsonObject(with: Data(retry.out.utf8)) as? [String: Any]
        let imported = report?["incidentsImported"] as? Int ?? -1
        #expect(report?["rowsRead"] as? Int == rows)
        #expect(imported + (report?["rowsRejected"] as? Int ?? -1) == rows)
        #expect(imported > rows - 1_000) // a few synthetic points land on the headquarters default location
        #expect(try await store.countIncidents(.all) == imported + 10)
        #expect(try await store.batches().count == 2)
        #expect(try await store.verifyAuditChain().isIntact)
    }
}
