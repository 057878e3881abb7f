import Foundation
import ZoneCastCore
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastPlanning
import ZoneCastPostgres
import ZoneCastStore

extension LoadBenchmark {
    static let analyst = "load-analyst"
    static let unit = PatrolUnit.violentCrimesEnforcement
    /// A patrol visit lasts 10 minutes; each officer's visits are 11 minutes apart, back from now.
    static let visitSeconds = 600.0, slotSeconds = 660.0

    static func officerName(_ i: Int) -> String { "load-officer-\(i + 1)" }

    /// "2025-01-31T10:00:00Z" for seconds since 1970 (thread-safe, unlike a shared ISO8601DateFormatter).
    static func isoSeconds(_ t: Double) -> String {
        var seconds = time_t(t.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    // MARK: Database

    struct Setup {
        var password: String
        var cycle: ZoneCycle
        var zones: [String]
    }

    func openStore(db: String, context: BenchContext) async throws -> any AppStore {
        guard let database else { return try context.openSQLite(db) }
        let url = try PostgresStoreURL(database, environment: context.environment)
        guard let schema = url.schema else { throw BenchError("--database must name a schema of its own (&schema=benchload)") }
        let bare = try await PostgresIncidentStore(url, migrate: false)
        try await bare.executeForTesting("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE")   // a name of lower-case letters, digits and _
        return try await PostgresIncidentStore(url)
    }

    /// The synthetic city ending yesterday; a proposal that began `cycleAge` hours ago, approved; the unit deployed
    /// to every zone; one analyst and the officers (one password, hashed once).
    func buildDatabase(db: String, csv: String, context: BenchContext) async throws -> Setup {
        let store = try await openStore(db: db, context: context)
        let now = Date()
        let origin = Date(timeIntervalSince1970: ((now.timeIntervalSince1970 - cycleAge * 3_600) / 3_600).rounded(.down) * 3_600)
        let cycle = try await BenchCity.approvedCycle(in: store, context: context, rows: rows, seed: seed, csv: csv, origin: origin,
                                                reason: "approved as proposed (bench load)")
        let zones = cycle.zones.map(\.id)
        for zone in zones {
            try await store.save(Deployment(id: "D-load-\(zone)", cycleID: cycle.id, zoneID: zone, units: [Self.unit], assignedBy: "bench", assignedAt: now,
                                      reason: "bench load"), audit: nil)
        }
        let password = Passwords.oneTime()
        let hash = Passwords.hash(password)
        try await store.addAccount(Account(username: Self.analyst, displayName: "Load analyst", role: .analyst, passwordHash: hash, mustChangePassword: false,
                                     createdAt: now))
        for i in 0..<officers {
            try await store.addAccount(Account(username: Self.officerName(i), displayName: "Load officer \(i + 1)", role: .officer, units: [Self.unit],
                                         passwordHash: hash, mustChangePassword: false, createdAt: now))
        }
        return Setup(password: password, cycle: cycle, zones: zones)
    }

    func countVisits(cycle: String, db: String, context: BenchContext) async throws -> Int {
        let store: any AppStore = if let database {
            try await PostgresIncidentStore(url: database, environment: context.environment)
        } else {
            try context.openSQLite(db)
        }
        return try await store.documents(kind: PatrolVisit.kind, group: cycle).count
    }

    // MARK: Traffic

    /// The patrol visit (seconds since 1970) that connection `c` logs on its n-th POST. Visits go back from `anchor`
    /// (a few minutes ago), one 11-minute slot each; slot numbers are unique per officer (connection c is officer
    /// c mod officers; its n-th visit takes slot n * sharing + c / officers). A connection number beyond the workers'
    /// (the check before the run) gets a 3-minute visit after the anchor, where no worker's slot lies.
    static func visit(connection c: Int, use n: Int, connections: Int, officers: Int, anchor: Double) -> (start: Double, end: Double) {
        if c >= connections { return (anchor + 60, anchor + 240) }
        let sharing = (connections + officers - 1) / officers
        let slot = n * sharing + c / officers
        return (anchor - Double(slot) * slotSeconds - visitSeconds, anchor - Double(slot) * slotSeconds)
    }

    /// In turn, per connection: GET / and GET /zones/{cycle}/{zone} as the analyst (2 turns each), GET /api/zones,
    /// GET /officer, POST /api/patrols (a new visit each time, 2 turns) and GET /api/patrols as the connection's officer.
    func makeTargets(analyst: String, officers: [(session: String, csrf: String)], cycle: String, zones: [String]) -> [LoadTarget] {
        let connections = self.connections
        let officerCount = officers.count
        let anchor = (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 - 300
        let officer: @Sendable (Int) -> (session: String, csrf: String) = { officers[$0 % officerCount] }
        return [
            LoadTarget(name: "GET /", request: BenchServer.get("/", session: analyst), weight: 2),
            LoadTarget(name: "GET /zones/{c}/{z}", weight: 2) { c, n in BenchServer.get("/zones/\(cycle)/\(zones[(c + n) % zones.count])", session: analyst) },
            LoadTarget(name: "GET /api/zones", request: BenchServer.get("/api/zones", session: analyst)),
            LoadTarget(name: "GET /officer") { c, _ in BenchServer.get("/officer", session: officer(c).session) },
            LoadTarget(name: "POST /api/patrols", expectedStatus: 201, weight: 2) { c, n in
                let o = officer(c)
                let (start, end) = Self.visit(connection: c, use: n, connections: connections, officers: officerCount, anchor: anchor)
                let body = "{\"cycle\":\"\(cycle)\",\"zone\":\"\(zones[(c + n) % zones.count])\",\"startedAt\":\"\(Self.isoSeconds(start))\","
                    + "\"endedAt\":\"\(Self.isoSeconds(end))\",\"activities\":{\"communityContacts\":\(n % 4),\"businessChecks\":\(n % 3)},"
                    + "\"notes\":\"bench load visit \(n) of connection \(c)\"}"
                return BenchRequest(method: "POST", path: "/api/patrols",
                                    headers: [("Cookie", "zc_session=\(o.session)"), ("X-CSRF-Token", o.csrf), ("Content-Type", "application/json")],
                                    body: Array(body.utf8))
            },
            LoadTarget(name: "GET /api/patrols") { c, _ in BenchServer.get("/api/patrols", session: officer(c).session) },
        ]
    }

    /// One request of each kind before the load (as a connection beyond the workers', whose patrol visit lies after
    /// every worker's), so the figures are about real pages and not error pages.
    func checkTargets(_ targets: [LoadTarget], client: BenchHTTPClient, server: ChildCommand, say: (String) -> Void) async throws {
        var seen: [String] = []
        for target in targets {
            let t0 = monotonicNanos()
            let r = try await client.send(target.request(connection: connections + 1_000, use: 0), timeoutSeconds: 30)
            let ms = Double(monotonicNanos() - t0) / 1e6
            guard r.status == target.expectedStatus else {
                throw BenchError("\(target.name) answered \(r.status), not \(target.expectedStatus): \(r.bodyText.prefix(300))\(server.logTail())")
            }
            seen.append(String(format: "%@ %@ B %.0f ms", target.name, FixedText.grouped(r.body.count), ms))
        }
        say("  first request of each (cold caches): " + seen.joined(separator: "; "))
    }
}
