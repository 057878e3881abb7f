import Foundation
import Testing
@testable import ZoneCastBench

/// `bench maps` reads each request's server time from the server's JSON request log by the X-Request-Id it sent.
@Suite("bench maps: server time from the request log")
struct MapsBenchmarkTests {
    @Test("given a JSON request log with other requests, other lines and a broken line, then exactly the asked ids' durations are read, in nanoseconds")
    func readsServerTimes() throws {
        // Given: lines as `zonecast serve --log-format json` writes them (metadata values are strings).
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("maps-bench-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let lines = [
            #"{"ts":"2026-12-02T16:00:00.000Z","level":"info","logger":"zonecast.http","msg":"request","duration_ms":"12.3","method":"GET","#
                + #""request_id":"bench-maps-0-0","route":"/zones/{cycle}/{zone}","status":"200","user":"a"}"#,
            #"{"ts":"2026-12-02T16:00:00.100Z","level":"info","logger":"zonecast.http","msg":"request","duration_ms":"0.4","request_id":"other"}"#,
            #"{"ts":"2026-12-02T16:00:00.200Z","level":"info","msg":"server started"}"#,
            #"{"request_id":"bench-maps-0-1","duration_ms":"#,
            #"{"msg":"request","duration_ms":"95.0","request_id":"bench-maps-0-2"}"#,
        ]
        try lines.joined(separator: "\n").write(to: log, atomically: true, encoding: .utf8)
        // When
        let found = try MapsBenchmark.serverNanos(log: log.path, ids: ["bench-maps-0-0", "bench-maps-0-1", "bench-maps-0-2"])
        // Then: the broken line is skipped (the bench then reports the missing id instead of timing it).
        #expect(found == ["bench-maps-0-0": 12_300_000, "bench-maps-0-2": 95_000_000])
    }
}
