import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZoneCastTestSupport
import ZoneCastAccess
import ZoneCastOperations
import ZoneCastOversight
import ZoneCastSQLite
import ZoneCastStore
@testable import ZoneCastWeb

@Suite("Expensive views: equity areas parsed once and capped, the audit chain verified incrementally, the audit CSV streamed", .serialized)
struct ExpensiveViewsTests {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    /// A FeatureCollection of `areas` square areas with `perSide` vertices on each side of each square.
    static func squares(_ areas: Int, perSide: Int = 1, name: String = "Area") -> String {
        var features: [String] = []
        for a in 0..<areas {
            let lon0 = -94.6 + Double(a) * 0.01, lat0 = 39.0
            var ring: [String] = []
            for side in 0..<4 {
                for k in 0..<perSide {
                    let f = Double(k) / Double(perSide)
                    let (x, y): (Double, Double) = [(f, 0), (1, f), (1 - f, 1), (0, 1 - f)][side]
                    ring.append(String(format: "[%.5f,%.5f]", lon0 + x * 0.01, lat0 + y * 0.01))
                }
            }
            ring.append(ring[0])
            features.append(#"{"type":"Feature","properties":{"name":"\#(name) \#(a)"},"geometry":{"type":"Polygon","coordinates":[[\#(ring.joined(separator: ","))]]}}"#)
        }
        return #"{"type":"FeatureCollection","features":[\#(features.joined(separator: ","))]}"#
    }

    static func upload(_ store: some OperationsStore, id: String, at: Date, geoJSON: String) async throws {
        let (set, _) = try EquityAreaSet.make(id: id, at: at, by: "admin", label: "beats \(id)", geoJSON: geoJSON)
        _ = try await store.apply([.save(set)])
    }

    @Test("given an uploaded area set, when the newest set is asked for on three views, then it is parsed once; a new upload is parsed once more, and re-uploaded identical text is not parsed again")
    func equityAreasParsedOncePerContent() async throws {
        let store = InMemoryIncidentStore()
        let cache = EquityAreaCache()
        await #expect(try cache.newest(in: store) == nil)
        try await Self.upload(store, id: "areas-1", at: Self.t0, geoJSON: Self.squares(3))
        for _ in 0..<3 {
            let newest = try await #require(try cache.newest(in: store))
            let areas = try newest.areas.get()
            #expect(newest.set.id == "areas-1" && areas.count == 3)
        }
        #expect(cache.parseCount == 1)
        // A different set: parsed once
        try await Self.upload(store, id: "areas-2", at: Self.t0 + 60, geoJSON: Self.squares(5))
        await #expect(try cache.newest(in: store)?.set.id == "areas-2")
        await #expect(try cache.newest(in: store)?.areas.get().count == 5)
        #expect(cache.parseCount == 2)
        // The first text uploaded again under a new id: the newest changes, the parse is a cache hit by content
        try await Self.upload(store, id: "areas-3", at: Self.t0 + 120, geoJSON: Self.squares(3))
        await #expect(try cache.newest(in: store)?.set.id == "areas-3")
        #expect(cache.parseCount == 2)
    }

    @Test("given area text over the vertex cap or the byte cap, when uploaded, then it is refused naming the limit and the value; a set stored before the cap is refused on reading, not parsed into the page")
    func equityAreaCaps() async throws {
        // 26 squares of 4 × 1,000 vertices (+1 closing each): 104,026 > 100,000
        let detailed = Self.squares(26, perSide: 1_000)
        do {
            _ = try EquityAreaSet.make(id: "a", at: Self.t0, by: "admin", label: "too fine", geoJSON: detailed)
            Issue.record("a set over the vertex cap was accepted")
        } catch {
            #expect("\(error)".contains("104026 coordinate positions, more than the limit of \(EquityAreaSet.maxVertices) vertices"), "\(error)")
        }
        let huge = Self.squares(1) + String(repeating: " ", count: EquityAreaSet.maxBytes)
        do {
            _ = try EquityAreaSet.make(id: "b", at: Self.t0, by: "admin", label: "too big", geoJSON: huge)
            Issue.record("a set over the byte cap was accepted")
        } catch {
            #expect("\(error)".contains("\(huge.utf8.count) bytes, more than the limit of \(EquityAreaSet.maxBytes) bytes"), "\(error)")
        }
        // Stored directly (as before the cap): the cache reports the error instead of areas
        let store = InMemoryIncidentStore()
        _ = try await store.apply([.save(EquityAreaSet(id: "old", recordedAt: Self.t0, recordedBy: "admin", label: "old", areaNames: [], geoJSON: detailed))])
        let newest = try await #require(try EquityAreaCache().newest(in: store))
        #expect(throws: EquityError.self) { try newest.areas.get() }
        // Under both caps it is accepted
        #expect(try EquityAreaSet.make(id: "c", at: Self.t0, by: "admin", label: "fine", geoJSON: Self.squares(20, perSide: 100)).1.count == 20)
    }

    static func sqliteStore(entries: Int) async throws -> SQLiteIncidentStore {
        let dir = try TestDirectory.make("zonecast-views")
        let store = try SQLiteIncidentStore(path: dir.appendingPathComponent("v.sqlite").path)
        try await store.addAccount(Account(username: "auditor", displayName: "The auditor", role: .auditor, units: [], passwordHash: Passwords.hash(WebFixture.password, cost: 4),
                                     mustChangePassword: false, createdAt: t0))
        try await append(store, entries, from: 0)
        return store
    }

    static func append(_ store: some OperationsStore, _ count: Int, from start: Int) async throws {
        let actions: [AuditAction] = [.viewZone, .decideZone, .export, .signIn]
        var batch: [StoreChange] = []
        for k in start..<(start + count) {
            batch.append(.audit(AuditDraft(at: t0 + Double(k), actor: k % 3 == 0 ? "analyst" : "=cmd|'/c calc'!A0", action: actions[k % actions.count],
                                           subject: "C\(k % 7)/Z\(k % 5)", detail: k % 5 == 0 ? "a, \"quoted\"\ndetail" : "d\(k)")))
            if batch.count == 500 { _ = try await store.apply(batch); batch = [] }
        }
        if !batch.isEmpty { _ = try await store.apply(batch) }
    }

    @Test("given a verified chain, when entries are appended and the page's status asked again, then only the new entries are read (no second full pass) and the result equals a full verification; an edited new entry or a rewritten verified tail is caught")
    func auditChainVerifiedIncrementally() async throws {
        let store = try await Self.sqliteStore(entries: 3_000)
        let monitor = AuditChainMonitor()
        let first = try await monitor.status(of: store, now: Self.t0)
        #expect(first.verification.isIntact && first.verification.entriesChecked == 3_000)
        #expect(monitor.counts.full == 1)
        // When nothing changed, a view reads nothing new
        _ = try await monitor.status(of: store, now: Self.t0 + 1)
        #expect(monitor.counts.full == 1 && monitor.counts.incremental == 0)
        // When 2,500 entries are appended (two pages), only they are read
        try await Self.append(store, 2_500, from: 3_000)
        let second = try await monitor.status(of: store, now: Self.t0 + 2)
        #expect(monitor.counts.full == 1 && monitor.counts.incremental == 2_500)
        #expect(second.verification == (try await store.verifyAuditChain()))
        #expect(second.fullCheckAt == Self.t0)
        // An entry appended and then edited behind the application is caught by the incremental check
        try await Self.append(store, 3, from: 5_500)
        try await store.executeForTesting("DROP TRIGGER IF EXISTS audit_log_no_update")
        try await store.executeForTesting("UPDATE audit_log SET detail = 'rewritten' WHERE sequence = 5502")
        let third = try await monitor.status(of: store, now: Self.t0 + 3)
        #expect(third.verification.problem?.sequence == 5_502 && monitor.counts.full == 1)
        #expect(third.verification == (try await store.verifyAuditChain()))
        // A full pass runs again after the interval, or when asked
        _ = try await monitor.status(of: store, now: Self.t0 + 4, full: true)
        #expect(monitor.counts.full == 2)
    }

    @Test("given an intact chain checked by a first view, when the verified tail is rewritten, then the next view re-reads the whole chain and shows it broken")
    func rewrittenTailForcesFullCheck() async throws {
        let store = try await Self.sqliteStore(entries: 50)
        let monitor = AuditChainMonitor()
        await #expect(try monitor.status(of: store, now: Self.t0).verification.isIntact)
        try await store.executeForTesting("DROP TRIGGER IF EXISTS audit_log_no_update")
        try await store.executeForTesting("UPDATE audit_log SET hash = '\(String(repeating: "a", count: 64))' WHERE sequence = 50")
        let after = try await monitor.status(of: store, now: Self.t0 + 1)
        #expect(monitor.counts.full == 2 && after.verification.problem?.sequence == 50)
    }

    /// The CSV as the export built it before streaming: every matching entry before the export, newest first.
    static func referenceCSV(_ entries: [AuditEntry], keep: (AuditEntry) -> Bool, timeZone: TimeZone) -> String {
        let time = AuditPage.timeFormatter(timeZone)
        var csv = "sequence,time_utc,time_local,actor,action,subject,detail,previous_hash,hash\r\n"
        for e in entries.reversed() where keep(e) {
            csv += [String(e.sequence), iso(e.at), time(e.at), e.actor, e.action, e.subject, e.detail, e.previousHash, e.hash]
                .map(AuditPage.csvField).joined(separator: ",") + "\r\n"
        }
        return csv
    }

    @Test("given a log of 4,600 entries (three store chunks), when /audit.csv is downloaded whole and filtered, then the streamed text equals what the in-memory export produced, and /audit views after the first read only new entries")
    func csvStreamsTheSameContent() async throws {
        let store = try await Self.sqliteStore(entries: 4_600)
        let env = WebEnvironment(store: store, clock: { Self.t0 + 10_000 })
        try await Application(router: buildRouter(env)).test(.router) { client in
            let auditor = try await TestSession.start(client, as: "auditor")
            let tz = try await env.timeZone()
            let before = try await store.auditEntries(from: 1, limit: 10_000)
            let whole = try await client.execute(uri: "/audit.csv", method: .get, headers: auditor.headers)
            #expect(whole.status == .ok && whole.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(whole.text == Self.referenceCSV(before, keep: { _ in true }, timeZone: tz))
            let export = try await #require(try store.latestAuditEntries(limit: 1).first)
            #expect(export.action == "export" && export.subject == "audit.csv" && export.detail.contains("through #\(before.count)"))

            let now = try await store.auditEntries(from: 1, limit: 10_000)
            let filtered = try await client.execute(uri: "/audit.csv?action=location-access&subject=z1", method: .get, headers: auditor.headers)
            let filter = AuditFilter(action: "location-access", subject: "z1")
            #expect(filtered.text == Self.referenceCSV(now, keep: filter.matches, timeZone: tz))
            #expect(filtered.text.split(separator: "\r\n").count > 100)
            // Read from the store a chunk at a time, never the whole log at once
            var chunks: [Int] = []
            try await AuditFilter().forEachChunk(store, through: Int64(before.count)) { chunks.append($0.count) }
            #expect(chunks.count == 3 && chunks.allSatisfy { $0 <= Int(AuditPage.csvChunk) } && chunks.reduce(0, +) == before.count)

            // The page: the chain is read in full once, then only what was added
            for _ in 0..<3 { #expect(try await client.execute(uri: "/audit", method: .get, headers: auditor.headers).text.contains("Audit chain intact")) }
            #expect(env.auditChain.counts.full == 1)
            #expect(env.auditChain.counts.incremental < 10)
        }
    }
}
