import Foundation
import Testing
import ZoneCastCore
import ZoneCastOperations
import ZoneCastPostgres
import ZoneCastSQLite
@testable import ZoneCastStore

@Suite("PostgreSQL audit log")
struct PostgresAuditLogTests {
    @Test("given audit entries in PostgreSQL, then UPDATE, DELETE and TRUNCATE are refused by the database itself")
    func appendOnly() async throws {
        let s = try await PostgresTestDatabase.makeStore()
        try await s.audit(AuditDraft(at: Date(timeIntervalSince1970: 1), actor: "a", action: .signIn, subject: "a"))
        for sql in ["UPDATE audit_log SET actor = 'b'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
            let error = await #expect(throws: StoreError.self) { try await s.executeForTesting(sql) }
            #expect("\(error.map { "\($0)" } ?? "")".contains("append-only"), "\(sql)")
        }
        await #expect(try s.auditEntries(from: 1, limit: 10).map(\.actor) == ["a"])
        await #expect(try s.verifyAuditChain().isIntact)
    }

    @Test("given lone audit entries (appended by the database's audit_append) with awkward text, then each is the entry Swift would chain, hash included")
    func databaseHashMatchesSwift() async throws {
        let s = try await PostgresTestDatabase.makeStore()
        let details = ["", "plain", "Zoë · 東京 · 🚓 \"quoted\" 'single' \\ back", String(repeating: "long detail ", count: 2_000), "line\nbreak\ttab"]
        var previous: AuditEntry?
        for (i, detail) in details.enumerated() {
            let draft = AuditDraft(at: Date(timeIntervalSince1970: 1_700_000_000.123 + Double(i)), actor: i == 2 ? "Ünïcödé" : "a", action: .viewZone, subject: "Z\(i)", detail: detail)
            let appended = try await s.audit(draft)
            #expect(appended == draft.entry(after: previous), "entry \(i)")
            previous = appended
        }
        await #expect(try s.auditEntries(from: 1, limit: 10) == s.auditEntries(from: 1, limit: 10).map { var e = $0; e.hash = AuditChain.hash(of: e); return e })
        await #expect(try s.verifyAuditChain().isIntact)
    }

    @Test("given someone who drops the trigger and edits an entry, then verification names the entry")
    func tamperingIsDetected() async throws {
        let s = try await PostgresTestDatabase.makeStore()
        for i in 0..<5 { try await s.audit(AuditDraft(at: Date(timeIntervalSince1970: Double(i)), actor: "a", action: .viewZone, subject: "Z\(i)")) }
        try await s.executeForTesting("DROP TRIGGER audit_log_no_update ON audit_log")
        try await s.executeForTesting("UPDATE audit_log SET subject = 'nothing' WHERE sequence = 3")
        let result = try await s.verifyAuditChain()
        #expect(result.problem?.sequence == 3)
        #expect(result.entriesChecked == 2)
    }

    @Test("given two threads, and two store instances as two processes would, appending at once, then the chain stays one chain")
    func concurrentAppends() async throws {
        let url = try PostgresTestDatabase.requireURL()
        let schema = PostgresTestDatabase.newSchemaName()
        let first = try await PostgresIncidentStore(url: url, environment: testEnvironment, schema: schema)
        let second = try await PostgresIncidentStore(url: url, environment: testEnvironment, schema: schema)
        let perWriter = 40
        let writers: [(PostgresIncidentStore, String)] = [(first, "t1"), (first, "t2"), (second, "p1"), (second, "p2")]
        let failures = Failures()
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<(writers.count) {
                group.addTask {
                    let (store, actor) = writers[w]
                    for i in 0..<perWriter {
                        do {
                            // Some appends travel with a document, as the web layer's change lists do.
                            if i % 4 == 0 {
                                let d = DocumentData(kind: "note", id: "\(actor)-\(i)", group: actor, recordedAt: Date(timeIntervalSince1970: Double(i)), json: Data("{}".utf8))
                                try await store.apply([.saveDocument(d), .audit(AuditDraft(at: Date(timeIntervalSince1970: Double(i)), actor: actor, action: .logPatrol, subject: d.id))])
                            } else {
                                try await store.audit(AuditDraft(at: Date(timeIntervalSince1970: Double(i)), actor: actor, action: .viewZone, subject: "Z\(i)"))
                            }
                        } catch {
                            failures.add("\(actor) \(i): \(error)")
                        }
                    }
                }
            }
        }
        #expect(failures.all.isEmpty)
        let total = writers.count * perWriter
        let verified = try await first.verifyAuditChain(pageSize: 37)
        #expect(verified.isIntact, "\(verified.problem.map(\.reason) ?? "")")
        #expect(verified.entriesChecked == total)
        let entries = try await second.auditEntries(from: 1, limit: total + 10)
        #expect(entries.map(\.sequence) == Array(1...Int64(total)))
        for (_, actor) in writers { #expect(entries.filter { $0.actor == actor }.count == perWriter) }
        await #expect(try first.documents(kind: "note", group: nil).count == writers.count * perWriter / 4)
    }
}

@Suite("PostgreSQL store")
struct PostgresStoreTests {
    @Test("the contract suites also run against PostgreSQL (skipped, with the reason, when no server is configured)")
    func contractSuitesCoverPostgres() async throws {
        _ = try PostgresTestDatabase.requireURL()
        #expect(StoreKind.available.contains(.postgres))
    }

    @Test("given a migrated schema, then migrating again applies nothing, and a new schema gets every version in order")
    func migrations() async throws {
        let url = try PostgresTestDatabase.requireURL()
        let schema = PostgresTestDatabase.newSchemaName()
        let fresh = try await PostgresIncidentStore(url: url, environment: testEnvironment, schema: schema, migrate: false)
        let all = ["v1-incidents", "v2-cycles", "v3-accounts", "v4-operations", "v5-document-versions", "v6-audit-anchoring", "v6-account-security", "v6-import-hardening",
                   "v7-streets"]
        await #expect(try fresh.migrate() == all)
        await #expect(try fresh.migrate() == [])
        let reopened = try await PostgresIncidentStore(url: url, environment: testEnvironment, schema: schema)
        await #expect(try reopened.appliedMigrations() == all)
        await #expect(try reopened.summary().incidents == 0)
    }

    @Test("given two imports started at once on one store, then they run one after the other with their own batch ids")
    func concurrentImports() async throws {
        let store = try await PostgresTestDatabase.makeStore()
        let failures = Failures()
        await withTaskGroup(of: Void.self) { group in
            for k in 0..<(2) {
                group.addTask {
                    do {
                        let rows = (0..<300).map { makeIncident("K\(k)-\($0)", daysAfter: Double($0) / 10) }
                        try await importIncidents(rows, into: store)
                    } catch {
                        failures.add("\(error)")
                    }
                }
            }
        }
        #expect(failures.all.isEmpty)
        #expect(try await store.batches().map(\.id).sorted() == [1, 2])
        #expect(try await store.countIncidents(.all) == 600)
    }

    @Test("given instants with fractions of a second, then cycles and documents read back as SQLite returns them, within a microsecond of what was saved")
    func instantsRoundTrip() async throws {
        // Both keep seconds since 1970 as a double; `Date` holds seconds since 2001, so the conversion can move an
        // instant by one ulp (about 1e-7 s): both stores return the same value, the in-memory store the original.
        let postgres = try await PostgresTestDatabase.makeStore()
        let sqlite = try SQLiteIncidentStore()
        let t = Date(timeIntervalSince1970: 1_700_000_000.123_456_789)
        let c = CycleRecord(id: "C", status: .proposed, startsAt: t, endsAt: t + 0.5, createdAt: t - 1e-3, document: Data([0, 1, 2, 255]))
        let d = DocumentData(kind: "k", id: "i", group: "g", recordedAt: t - 1e-3, json: Data("{\"a\":\"é\"}".utf8))
        for store in [postgres, sqlite] as [any AppStore] {
            try await store.saveCycle(c)
            try await store.apply([.saveDocument(d)])
        }
        let back = try await #require(try postgres.cycle(id: "C"))
        await #expect(back == (try sqlite.cycle(id: "C")))
        #expect(back.document == c.document && abs(back.createdAt.timeIntervalSince(c.createdAt)) < 1e-6 && back.startsAt == c.startsAt)
        let doc = try await #require(try postgres.document(kind: "k", id: "i"))
        await #expect(doc == (try sqlite.document(kind: "k", id: "i")))
        #expect(doc.json == d.json && abs(doc.recordedAt.timeIntervalSince(d.recordedAt)) < 1e-6)
    }

    @Test("given a batch of several thousand rows with every kind of repeat across write chunks, then PostgreSQL decides as the in-memory store")
    func largeBatchMatchesInMemory() async throws {
        let postgres = try await PostgresTestDatabase.makeStore()
        let reference = InMemoryIncidentStore()
        // Rows that repeat, conflict and merge across chunk boundaries, and a second batch that repeats the first.
        var rows: [ImportRow] = []
        for n in 0..<5_000 {
            let id = n % 3_000
            let keyed = id % 7 == 0
            let raw = n % 11 == 0 && n >= 3_000 ? "R\(id),changed" : "R\(id),\(keyed ? "victim \(n / 3_000)" : "only")"
            let incident = makeIncident("R\(id)", category: n % 5 == 0 ? .robbery : .aggravatedAssault, daysAfter: Double(id) / 100, raw: raw)
            if n % 97 == 0 {
                let q = QuarantinedRow(batchID: 0, lineNumber: n + 2, source: "test", reason: .missingCoordinates, field: "lat", value: nil, message: "none", rawRow: "Q\(n % 500)")
                rows.append(.rejected(q, fingerprint: fingerprint(q.rawRow)))
            }
            rows.append(.incident(incident, fingerprint: fingerprint(raw), rowKey: keyed ? "\(n / 3_000)" : nil, lineNumber: n + 2))
        }
        func run(_ store: any IncidentStore, sha: String) async throws -> [RowDisposition] {
            var all: [RowDisposition] = []
            try await store.importBatch(batchInfo(sha: sha), weights: .cambridgeDefaults, clock: batchClock) { w in
                var c = ImportCounts()
                var start = 0
                for size in [1, 700, 2_048, 33, 2_048, 10_000] where start < rows.count {
                    let d = try await w.write(Array(rows[start..<min(rows.count, start + size)]))
                    d.forEach { c.count($0) }
                    all += d
                    start += size
                }
                return c
            }
            return all
        }
        for sha in ["one", "two"] {
            await #expect(try run(postgres, sha: sha) == run(reference, sha: sha))
        }
        await #expect(try postgres.summary() == reference.summary())
        await #expect(try postgres.incidents(.all) == reference.incidents(.all))
        await #expect(try postgres.quarantinedRows(batchID: nil, reason: nil, limit: 10_000, offset: 0) ==
                reference.quarantinedRows(batchID: nil, reason: nil, limit: 10_000, offset: 0))
        await #expect(try postgres.countsByCategoryAndMonth(.all) == reference.countsByCategoryAndMonth(.all))
    }

    @Test("given libpq-style URLs, then host, port, socket, credentials, sslmode and schema are read")
    func urls() async throws {
        let a = try PostgresStoreURL("postgres://zc:p%40ss@db.example:6543/zonecast?sslmode=disable&schema=tenant_a&pool_size=8", environment: [:])
        #expect(a.endpoint == .tcp(host: "db.example", port: 6543))
        #expect(a.username == "zc" && a.password == "p@ss" && a.database == "zonecast")
        #expect(a.sslMode == .disable && a.schema == "tenant_a" && a.poolSize == 8)
        #expect(a.description == "postgres://zc@db.example:6543/zonecast")
        let b = try PostgresStoreURL("postgresql://zc@%2Ftmp%2Fpg-sock:5433/zonecast", environment: ["PGPASSWORD": "env"])
        #expect(b.endpoint == .unixSocket(path: "/tmp/pg-sock/.s.PGSQL.5433"))
        #expect(b.password == "env" && b.sslMode == .prefer)
        let c = try PostgresStoreURL("postgres://zc@/zonecast?host=/var/run/postgresql", environment: [:])
        #expect(c.endpoint == .unixSocket(path: "/var/run/postgresql/.s.PGSQL.5432"))
        let d = try PostgresStoreURL("postgres://[::1]:5433/x", environment: ["USER": "me"])
        #expect(d.endpoint == .tcp(host: "::1", port: 5433) && d.username == "me")
        #expect(throws: StoreError.self) { try PostgresStoreURL("mysql://a@b/c", environment: [:]) }
        #expect(throws: StoreError.self) { try PostgresStoreURL("postgres://a@b/c?schema=Drop%20Table", environment: [:]) }
        #expect(throws: StoreError.self) { try PostgresStoreURL("postgres://a@b:99999/c", environment: [:]) }
    }

    @Test("given the test server's Unix socket directory, then the store connects through it")
    func unixSocket() async throws {
        _ = try PostgresTestDatabase.requireURL()
        let port = ProcessInfo.processInfo.environment["ZONECAST_PG_PORT"] ?? "5433"
        let dir = ProcessInfo.processInfo.environment["ZONECAST_PG_DIR"] ?? "/tmp/zonecast-pg-\(port)"
        guard FileManager.default.fileExists(atPath: "\(dir)/socket/.s.PGSQL.\(port)") else {
            try Test.cancel("no socket at \(dir)/socket: the server was not started by scripts/postgres-test-server here")
        }
        let s = try await PostgresIncidentStore(url: "postgres://zonecast@\(dir.replacingOccurrences(of: "/", with: "%2F"))%2Fsocket:\(port)/zonecast_test",
                                          environment: testEnvironment, schema: PostgresTestDatabase.newSchemaName())
        try await s.setHarmWeights(.cambridgeDefaults)
        await #expect(try s.harmWeights() == .cambridgeDefaults)
    }

    @Test("given the server drops the store's connections, then the store reconnects: at most the first call fails")
    func reconnects() async throws {
        let url = try PostgresTestDatabase.requireURL()
        let name = "zc_drop_\(UUID().uuidString.prefix(8).lowercased())"
        let schema = PostgresTestDatabase.newSchemaName()
        let store = try await PostgresIncidentStore(url: url + (url.contains("?") ? "&" : "?") + "application_name=\(name)", environment: testEnvironment, schema: schema)
        try await store.setHarmWeights(.cambridgeDefaults)
        let admin = try await PostgresIncidentStore(url: url, environment: testEnvironment, schema: schema)
        try await admin.executeForTesting("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(name)'")
        try await Task.sleep(for: .milliseconds(200))
        _ = try? await store.harmWeights()
        #expect(try await store.harmWeights() == .cambridgeDefaults)
        try await importIncidents([makeIncident("after")], into: store)
        #expect(try await store.countIncidents(.all) == 1)
    }

    @Test("given no server at the address, then opening fails with a database error naming it, without the password")
    func unreachable() async throws {
        let error = await #expect(throws: StoreError.self) {
            try await PostgresIncidentStore(url: "postgres://zc:secret@127.0.0.1:1/nowhere?sslmode=disable&connect_timeout=2", environment: [:])
        }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("127.0.0.1:1") && !text.contains("secret"), "\(text)")
    }

    /// Ad-hoc throughput: `ZONECAST_STORE_BENCH_ROWS=100000 swift test --filter importThroughput` (with the server).
    @Test("import throughput of SQLite and PostgreSQL (only with ZONECAST_STORE_BENCH_ROWS set)")
    func importThroughput() async throws {
        guard let n = ProcessInfo.processInfo.environment["ZONECAST_STORE_BENCH_ROWS"].flatMap(Int.init) else {
            try Test.cancel("set ZONECAST_STORE_BENCH_ROWS to measure import throughput")
        }
        for kind in StoreKind.available where kind == .sqliteFile || kind == .postgres {
            try await measureImport(kind: kind, rows: n)
        }
    }

    func measureImport(kind: StoreKind, rows n: Int) async throws {
        let store = try await kind.make()
        let rows: [ImportRow] = (0..<n).map { k in
            var i = makeIncident(String(format: "B%08d", k), category: k % 9 == 0 ? .robbery : .aggravatedAssault, daysAfter: Double(k) / 300,
                                 metersEast: Double(k % 5_000), metersNorth: Double(k % 3_000), raw: "B\(k),2017-01-01 00:00,ROBBERY,1200 BLOCK OAK AVE,39.1,-94.5,\(k)")
            i.address = "1200 BLOCK OAK AVE"
            return .incident(i, fingerprint: fingerprint(i.rawRow), rowKey: nil, lineNumber: k + 2)
        }
        let started = Date()
        let batch = try await store.importBatch(batchInfo(sha: "bench"), weights: .cambridgeDefaults, clock: batchClock) { w in
            var c = ImportCounts()
            var start = 0
            while start < rows.count {
                for d in try await w.write(Array(rows[start..<min(rows.count, start + 2_048)])) { c.count(d) }
                start += 2_048
            }
            return c
        }
        let seconds = Date().timeIntervalSince(started)
        #expect(batch.counts.incidentsImported == n)
        print("import throughput \(kind.rawValue): \(n) rows in \(String(format: "%.2f", seconds)) s = \(Int(Double(n) / seconds)) rows/s")
        let queryStart = Date()
        let all = try await store.incidents(IncidentQuery(includeRawRow: false))
        print("read back \(kind.rawValue): \(all.count) incidents in \(String(format: "%.2f", Date().timeIntervalSince(queryStart))) s")
    }
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    func add(_ m: String) {
        lock.lock()
        messages.append(m)
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return messages
    }
}
