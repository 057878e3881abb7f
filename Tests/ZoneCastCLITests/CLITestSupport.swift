import Foundation
import ZoneCastTestSupport
import ZoneCastOperations
@testable import ZoneCastCLI

/// The package root, from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The built `zonecast` executable beside the test bundle (`swift build --build-tests` builds it).
let zonecastBinary: String? = {
    for config in ["debug", "release"] {
        let p = packageRoot.appendingPathComponent(".build/\(config)/zonecast").path
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}()

func temporaryDirectory() throws -> URL {
    let dir = try TestDirectory.make("zonecast-cli")
    return dir
}

/// The environment the binary runs with in a test directory: its default audit key and checkpoints live under
/// `dir/config`, never in the user's own ~/.config.
func zonecastEnvironment(in dir: URL) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["XDG_CONFIG_HOME"] = dir.appendingPathComponent("config").path
    return environment
}

/// The audit key the binary keyed `dir`'s databases with (its default key there), to verify chains in-process.
func cliAuditKey(in dir: URL) throws -> AuditKey {
    try AuditKeyFile.load(AuditKeyFile.defaultPath(environment: zonecastEnvironment(in: dir)), create: false)
}

/// Runs the binary to completion in `dir` (by default with `zonecastEnvironment(in:)`), returning exit status, stdout
/// and stderr.
func runZonecast(_ arguments: [String], in dir: URL, environment: [String: String]? = nil) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: zonecastBinary!)
    p.arguments = arguments
    p.currentDirectoryURL = dir
    p.environment = environment ?? zonecastEnvironment(in: dir)
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// A mapping file for simple test CSVs: id,date,time,offence,lat,lon.
let simpleMapping = """
{
  "name": "simple", "source": "simple", "jurisdiction": "kansas-city",
  "recordID": {"columns": ["id"]},
  "occurred": {"date": {"column": "date", "formats": ["yyyy-MM-dd"]}, "time": {"column": "time", "formats": ["HH:mm"]}},
  "offence": "offence",
  "categories": [{"when": {"offence": ["shooting"]}, "category": "non_fatal_shooting"}, {"when": {"offence": ["robbery"]}, "category": "robbery"}],
  "location": [{"latitude": "lat", "longitude": "lon"}]
}
"""

/// `rows` simple rows spread over Kansas City in 2017.
func simpleCSV(rows: Int, offset: Int = 0) -> String {
    var s = "id,date,time,offence,lat,lon\n"
    s.reserveCapacity(rows * 48)
    for i in offset..<(offset + rows) {
        let day = 1 + i % 28, month = 1 + (i / 28) % 12
        let lat = 39.0 + Double(i % 1000) * 0.0002, lon = -94.6 + Double((i / 1000) % 1000) * 0.0002
        s += "\(i),2017-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day),\(10 + i % 12):\(10 + i % 50),\(i % 3 == 0 ? "robbery" : "shooting"),\(lat),\(lon)\n"
    }
    return s
}

/// Runs a parsed command in this process, as `ZoneCastCommand.main()` would.
func runInProcess(_ command: Any) async throws {
    try await ZoneCastCommand.run(parsed: command)
}
