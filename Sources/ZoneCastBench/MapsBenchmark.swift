import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastIngest
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastStreets
import ZoneCastSynthetic

/// `zonecast bench maps`: server time of pages that draw streets. A fresh SQLite database (the synthetic city, a
/// proposal approved and in force, the synthetic street network imported as `zonecast demo` does) is served by
/// `zonecast serve` in a child process with its JSON request log on; an analyst requests each route one at a time
/// on one keep-alive connection, `iterations` times after a warm-up. Each request carries its own X-Request-Id, and
/// its server time is the `duration_ms` the server logged for that id (routing, the store reads, rendering: the
/// handler's whole time); the round trip seen by the client is printed beside it. Goal: the zone page under
/// 100 ms server time at p99.
public struct MapsBenchmark: Sendable {
    public var iterations: Int
    public var warmup: Int
    public var rows: Int
    public var seed: UInt64
    /// Each street segment cut into this many (1: the network as the demo imports it), to try a denser city.
    public var streetPieces: Int
    public var port: Int
    public var workDir: String?

    public init(iterations: Int, warmup: Int, rows: Int, seed: UInt64, streetPieces: Int, port: Int, workDir: String?) {
        self.iterations = iterations
        self.warmup = warmup
        self.rows = rows
        self.seed = seed
        self.streetPieces = streetPieces
        self.port = port
        self.workDir = workDir
    }

    static let username = "bench-maps-analyst"

    public func run(_ context: BenchContext) async throws {
        let say = context.output
        let work = try BenchDirectory(workDir, name: "maps")
        defer { work.remove() }
        BenchServer.announce("bench maps", context: context)

        let db = work.freshDatabase("bench-maps.sqlite")
        let t0 = Date()
        let built = try await buildDatabase(db: db, csv: "\(work.path)/city.csv", context: context)
        say(String(format: "  database: %@ synthetic incidents, cycle %@ approved with %d zones, %@ streets (%@ segments) imported; built in %.1f s",
                   FixedText.grouped(rows), built.cycle.id, built.cycle.zones.count, FixedText.grouped(built.streets),
                   FixedText.grouped(built.segments), Date().timeIntervalSince(t0)))

        let log = "\(work.path)/server.log"
        let (server, serverPort, startup) = try await BenchServer.start(["--db", db, "--no-scheduler", "--log-format", "json"], port: port, log: log,
                                                                        context: context)
        defer { server.stop() }
        say("  server: zonecast serve in child process \(server.pid) on 127.0.0.1:\(serverPort), healthy after \(String(format: "%.2f", startup)) s")

        let zones = built.cycle.zones.map(\.id)
        let routes: [(name: String, path: (Int) -> String)] = [
            ("zone page", { "/zones/\(built.cycle.id)/\(zones[$0 % zones.count])" }),
            ("zone page, zoom -2", { "/zones/\(built.cycle.id)/\(zones[$0 % zones.count])?zoom=-2" }),
            ("dashboard (city)", { _ in "/" }),
        ]
        let results = try await BenchHTTPClient.with(port: serverPort) { client in
            var results: [(name: String, server: LatencySummary, client: LatencySummary, bytes: Int)] = []
            let session: String
            do { session = try await LoadSession.signIn(client, username: Self.username, password: built.password).session } catch {
                throw BenchError("\(error)\(server.logTail())")
            }
            for (r, route) in routes.enumerated() {
                let first = try await client.send(BenchServer.get(route.path(0), session: session))
                try check(first, route: route.path(0), server: server, say: say)
                for i in 0..<warmup { _ = try await client.send(BenchServer.get(route.path(i), session: session)) }
                var clientNanos: [UInt64] = [], ids: [String] = []
                for i in 0..<iterations {
                    let id = "bench-maps-\(r)-\(i)"
                    var request = BenchServer.get(route.path(i), session: session)
                    request.headers.append((name: "X-Request-Id", value: id))
                    let t = monotonicNanos()
                    let response = try await client.send(request)
                    clientNanos.append(monotonicNanos() - t)
                    guard response.status == 200 else { throw BenchError("GET \(request.path) answered \(response.status)\(server.logTail())") }
                    ids.append(id)
                }
                let logged = try Self.serverNanos(log: log, ids: Set(ids))
                guard logged.count == ids.count else {
                    throw BenchError("the server log has \(logged.count) of \(ids.count) request lines for \(route.name)\(server.logTail())")
                }
                results.append((route.name, LatencySummary(samples: Array(logged.values)), LatencySummary(samples: clientNanos), first.body.count))
            }
            return results
        }
        report(results, say: say)
    }

    /// The first response of a route must be a page whose maps draw and name streets, or the timings mean nothing.
    func check(_ response: BenchResponse, route: String, server: ChildCommand, say: (String) -> Void) throws {
        let text = response.bodyText
        let labels = text.components(separatedBy: "data-labels=\"streets\"").dropFirst()
            .map { ($0.components(separatedBy: "</g>").first ?? "").components(separatedBy: "</text>").count - 1 }.reduce(0, +)
        guard response.status == 200, text.contains("data-layer=\"streets-"), labels > 0 else {
            throw BenchError("GET \(route) answered \(response.status) without streets drawn and named: \(text.prefix(300))\(server.logTail())")
        }
        say("  GET \(route): \(FixedText.grouped(response.body.count)) bytes, \(labels) street labels")
    }

    func report(_ results: [(name: String, server: LatencySummary, client: LatencySummary, bytes: Int)], say: (String) -> Void) {
        let ms = BenchServer.milliseconds
        say("")
        say("  " + ["route".padding(toLength: 20, withPad: " ", startingAt: 0), "requests".leftPadded(9), "server p50".leftPadded(11),
                    "p99".leftPadded(7), "max".leftPadded(7), "client p50".leftPadded(11), "p99".leftPadded(7), "bytes".leftPadded(10)].joined(separator: " ")
            + "   (ms; one request at a time)")
        for r in results {
            say("  " + [r.name.padding(toLength: 20, withPad: " ", startingAt: 0), FixedText.grouped(r.server.count).leftPadded(9),
                        ms(r.server.p50).leftPadded(11), ms(r.server.p99).leftPadded(7), ms(r.server.max).leftPadded(7),
                        ms(r.client.p50).leftPadded(11), ms(r.client.p99).leftPadded(7), FixedText.grouped(r.bytes).leftPadded(10)].joined(separator: " "))
        }
        if let zone = results.first {
            let met = zone.server.count > 0 && zone.server.p99 < 100_000_000
            say("")
            say("  goal: zone page with streets < 100 ms server time: \(met ? "met" : "NOT met") (p50 \(ms(zone.server.p50)) ms, "
                + "p99 \(ms(zone.server.p99)) ms over \(FixedText.grouped(zone.server.count)) requests)")
        }
    }

    /// Server time per request id, from the JSON request log (`duration_ms`, to a tenth of a millisecond).
    static func serverNanos(log: String, ids: Set<String>) throws -> [String: UInt64] {
        let text = try String(contentsOfFile: log, encoding: .utf8)
        var found: [String: UInt64] = [:]
        struct Line: Decodable {
            var request_id: String
            var duration_ms: String
        }
        for line in text.split(separator: "\n") where line.contains("\"request_id\"") {
            guard let entry = try? JSONDecoder().decode(Line.self, from: Data(line.utf8)), ids.contains(entry.request_id),
                  let ms = Double(entry.duration_ms) else { continue }
            found[entry.request_id] = UInt64((ms * 1e6).rounded())
        }
        return found
    }

    struct Built {
        var password: String
        var cycle: ZoneCycle
        var streets: Int
        var segments: Int
    }

    /// The synthetic city ending yesterday, a proposal starting this hour (approved), the synthetic streets as the
    /// demo imports them (read from the generator's GeoJSON, clipped to the jurisdiction), and an analyst.
    func buildDatabase(db: String, csv: String, context: BenchContext) async throws -> Built {
        let store = try context.openSQLite(db)
        let origin = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 3_600).rounded(.down) * 3_600)
        let cycle = try await BenchCity.approvedCycle(in: store, context: context, rows: rows, seed: seed, csv: csv, origin: origin,
                                                      reason: "approved as proposed (bench maps)")
        let city = SyntheticCity()
        let read = try StreetReaders.osm(SyntheticStreetNetwork(seed: seed, city: city).geoJSON(), source: "synthetic street network")
        let kept = StreetImport.clip(read, to: city.jurisdiction)
        let streets = kept.streets.map { Self.cut($0, into: streetPieces) }
        try await store.replaceStreetLayer(StoredStreetLayer(streets: streets, landmarks: kept.landmarks, source: "synthetic street network",
                                                             importedAt: Date()))
        let password = Passwords.oneTime()
        try await store.addAccount(Account(username: Self.username, displayName: "Bench maps analyst", role: .analyst, passwordHash: Passwords.hash(password),
                                           mustChangePassword: false, createdAt: Date()))
        return Built(password: password, cycle: cycle, streets: streets.count, segments: streets.map { $0.points.count - 1 }.reduce(0, +))
    }

    /// A street with each segment cut into `pieces` equal parts (straight lines in degrees, which at a block's length
    /// are straight on the ground to well under a centimetre).
    static func cut(_ street: Street, into pieces: Int) -> Street {
        guard pieces > 1 else { return street }
        var points = [street.points[0]]
        for (a, b) in zip(street.points, street.points.dropFirst()) {
            for k in 1...pieces {
                let t = Double(k) / Double(pieces)
                points.append(GeoPoint(latitude: a.latitude + (b.latitude - a.latitude) * t, longitude: a.longitude + (b.longitude - a.longitude) * t))
            }
        }
        return Street(name: street.name, streetClass: street.streetClass, points: points)
    }
}
