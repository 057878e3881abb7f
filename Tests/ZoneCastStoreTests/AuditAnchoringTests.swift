import Foundation
import Testing
import ZoneCastTestSupport
import ZoneCastOperations
import ZoneCastPostgres
import ZoneCastSQLite
@testable import ZoneCastStore

/// The audit chain keyed with a key kept outside the database, checkpoints, and text with control characters, on
/// the SQLite file store and PostgreSQL (the backends an attacker with the files, or a NUL byte, can reach).
@Suite("Audit anchoring: keyed chain, checkpoints, stored text")
struct AuditAnchoringTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case sqlite, postgres
        var testDescription: String { rawValue }
        static var available: [Backend] { allCases.filter { $0 == .sqlite || PostgresTestDatabase.url != nil } }
    }

    /// One database that can be opened again, with or without a key, as separate processes would.
    struct Database {
        let backend: Backend
        let location: String

        init(_ backend: Backend) throws {
            self.backend = backend
            switch backend {
            case .sqlite:
                let dir = try TestDirectory.make("zonecast-anchor")
                location = dir.appendingPathComponent("a.sqlite").path
            case .postgres:
                _ = try PostgresTestDatabase.requireURL()
                location = PostgresTestDatabase.newSchemaName()
            }
        }

        func open(key: AuditKey?) async throws -> any AppStore {
            switch backend {
            case .sqlite: return try SQLiteIncidentStore(path: location, auditKey: key)
            case .postgres: return try await PostgresIncidentStore(url: try PostgresTestDatabase.requireURL(), environment: testEnvironment, schema: location, auditKey: key)
            }
        }

        /// Raw SQL as someone with write access to the database (its file, or its server) would run it.
        func attacker(_ statements: String...) async throws {
            for sql in statements {
                switch backend {
                case .sqlite: try await (try open(key: nil) as! SQLiteIncidentStore).executeForTesting(sql)
                case .postgres: try await (try open(key: nil) as! PostgresIncidentStore).executeForTesting(sql)
                }
            }
        }

        func dropTriggers() async throws {
            switch backend {
            case .sqlite: try await attacker("DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete")
            case .postgres: try await attacker("DROP TRIGGER audit_log_no_update ON audit_log", "DROP TRIGGER audit_log_no_delete ON audit_log")
            }
        }
    }

    static let key = try! AuditKey(bytes: Array(0..<32))
    static let otherKey = try! AuditKey(bytes: Array(100..<132))
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func draft(_ i: Int, actor: String = "ana", detail: String = "") -> AuditDraft {
        AuditDraft(at: t0 + Double(i), actor: actor, action: .viewZone, subject: "C1/Z\(i)", detail: detail)
    }

    /// Lone appends (PostgreSQL's one-statement path) and a change list (the transaction path).
    func append(_ store: any AppStore, from i: Int) async throws {
        try await store.audit(draft(i))
        try await store.apply([.audit(draft(i + 1)), .audit(draft(i + 2))])
    }

    @Test("given a database whose entries were chained with plain SHA-256, when it is opened with a key, then the old entries still verify and new ones are keyed from the recorded switch-over; a keyless append or another key is refused",
          arguments: Backend.available)
    func oldDatabaseSwitchesOver(backend: Backend) async throws {
        let db = try Database(backend)
        try await append(try db.open(key: nil), from: 0)                       // written before keys existed
        let keyed = try await db.open(key: Self.key)
        try await append(keyed, from: 3)
        let result = try await keyed.verifyAuditChain()
        #expect(result.isIntact, "\(String(describing: result.problem))")
        #expect(result.entriesChecked == 6 && result.keyedFrom == 4)
        let entries = try await keyed.auditEntries(from: 1, limit: 10)
        #expect(entries[2].hash == AuditChain.hash(of: entries[2]))     // old: plain SHA-256
        #expect(entries[3].hash == AuditChain.hash(of: entries[3], key: Self.key) && entries[3].hash != AuditChain.hash(of: entries[3]))
        // A process without the key, or with another one, cannot append to the keyed chain.
        await #expect(throws: StoreError.self) { try await db.open(key: nil).audit(draft(9)) }
        await #expect(throws: StoreError.self) { _ = try await db.open(key: Self.otherKey) }
        await #expect(try db.open(key: Self.key).verifyAuditChain().entriesChecked == 6)
    }

    @Test("given a keyed chain, when someone with the database but not the key edits an entry and re-chains everything after it with SHA-256 or another key, then verification names the entry",
          arguments: Backend.available)
    func rechainWithoutTheKeyIsCaught(backend: Backend) async throws {
        let db = try Database(backend)
        let store = try await db.open(key: Self.key)
        try await append(store, from: 0)
        try await append(store, from: 3)
        try await db.dropTriggers()
        // Re-chain from entry 3 on as the attacker can: every hash recomputed, links consistent.
        var entries = try await store.auditEntries(from: 1, limit: 10)
        entries[2].subject = "nothing to see"
        for i in 2..<entries.count {
            if i > 2 { entries[i].previousHash = entries[i - 1].hash }
            entries[i].hash = AuditChain.hash(of: entries[i], key: i % 2 == 0 ? nil : Self.otherKey)
        }
        for e in entries[2...] {
            try await db.attacker("UPDATE audit_log SET subject = '\(e.subject)', previous_hash = '\(e.previousHash)', hash = '\(e.hash)' WHERE sequence = \(e.sequence)")
        }
        let result = try await db.open(key: Self.key).verifyAuditChain()
        #expect(result.problem?.sequence == 3)
        #expect(result.entriesChecked == 2)
    }

    @Test("given a signed checkpoint, when the tail is cut off, the log wiped, or the log rewritten and re-chained from the start (switch-over setting removed), then the checkpoint names it; an intact longer log passes it",
          arguments: Backend.available)
    func checkpointsCatchTruncationWipeAndRewrite(backend: Backend) async throws {
        func checkpointProblem(_ store: any AppStore, _ c: AuditCheckpoint) async throws -> String? {
            let v = try await store.verifyAuditChain()
            #expect(v.isIntact, "\(String(describing: v.problem))")
            return c.problem(with: v, entryAtCheckpoint: try await store.auditEntries(from: c.entries, limit: 1).first)
        }
        func keyedLog() async throws -> (Database, AuditCheckpoint) {
            let db = try Database(backend)
            let store = try await db.open(key: Self.key)
            try await append(store, from: 0)
            try await append(store, from: 3)
            let c = AuditCheckpoint.signed(try await store.verifyAuditChain(), atMilliseconds: 1_700_000_999_000, key: Self.key)
            #expect(c.entries == 6 && c.isSigned(by: Self.key))
            try await store.audit(draft(7))
            await #expect(try checkpointProblem(store, c) == nil)
            try await db.dropTriggers()
            return (db, c)
        }

        let (cut, c1) = try await keyedLog()
        try await cut.attacker("DELETE FROM audit_log WHERE sequence >= 5")
        await #expect(try checkpointProblem(try cut.open(key: Self.key), c1)?.contains("removed from the end") == true)

        let (wiped, c2) = try await keyedLog()
        try await wiped.attacker("DELETE FROM audit_log")
        await #expect(try checkpointProblem(try wiped.open(key: Self.key), c2)?.contains("wiped") == true)

        let (rewritten, c3) = try await keyedLog()
        // Without the key the attacker writes a whole new plain SHA-256 chain and removes the switch-over record,
        // so the next open with the key anchors after it and the chain alone looks intact.
        try await rewritten.attacker("DELETE FROM audit_log", "DELETE FROM setting WHERE key IN ('audit_keyed_from', 'audit_key_id')")
        var forged: [AuditEntry] = []
        for i in 0..<7 { forged.append(draft(i, actor: "someone else").entry(after: forged.last)) }
        for e in forged {
            try await rewritten.attacker("INSERT INTO audit_log (sequence, at_ms, actor, action, subject, detail, previous_hash, hash) VALUES (\(e.sequence), \(e.atMilliseconds), '\(e.actor)', '\(e.action)', '\(e.subject)', '', '\(e.previousHash)', '\(e.hash)')")
        }
        let reopened = try await rewritten.open(key: Self.key)
        await #expect(try reopened.verifyAuditChain().isIntact)
        await #expect(try checkpointProblem(reopened, c3)?.contains("rewritten") == true)

        // A checkpoint altered by hand (or signed with another key) is not signed by this key.
        var altered = c3
        altered.entries = 2
        #expect(!altered.isSigned(by: Self.key))
        #expect(try AuditCheckpoint(parsing: c3.text) == c3)
    }

    @Test("given actor, subject and detail with NUL, ESC, CR, DEL and C1 controls, when appended alone and in a change list, then what is stored is what was hashed (escaped visibly) and the chain verifies",
          arguments: Backend.available.map { ($0, true) } + Backend.available.map { ($0, false) })
    func controlCharactersAreStoredAsHashed(backend: Backend, keyed: Bool) async throws {
        let db = try Database(backend)
        let store = try await db.open(key: keyed ? Self.key : nil)
        let hostile = "demo-admin\u{0}x \u{1B}[31mred\r\u{7F}\u{85} tab\tnew\nline"
        let lone = try await store.audit(AuditDraft(at: t0, actor: hostile, action: .signInFailed, subject: hostile, detail: hostile))
        let listed = try await store.apply([.audit(AuditDraft(at: t0 + 1, actor: "ana", action: .viewZone, subject: "C1\u{0}", detail: "\u{0}\u{1B}"))])
        let read = try await db.open(key: keyed ? Self.key : nil).auditEntries(from: 1, limit: 10)
        #expect(read == [lone] + listed)
        #expect(read[0].actor == "demo-admin\\u{00}x \\u{1B}[31mred\\u{0D}\\u{7F}\\u{85} tab\tnew\nline")
        #expect(read[1].subject == "C1\\u{00}" && read[1].detail == "\\u{00}\\u{1B}")
        let result = try await store.verifyAuditChain()
        #expect(result.isIntact && result.entriesChecked == 2, "\(String(describing: result.problem))")
    }
}
