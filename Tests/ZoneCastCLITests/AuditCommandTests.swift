import Foundation
import Testing
import ZoneCastOperations
import ZoneCastSQLite
import ZoneCastStore

@Suite("zonecast audit")
struct AuditCommandTests {
    /// A database with a short audit log written through the store (as the web application writes it).
    static func database(in dir: URL) async throws -> (path: String, store: SQLiteIncidentStore) {
        let path = dir.appendingPathComponent("audit.sqlite").path
        let store = try SQLiteIncidentStore(path: path)
        let t = ISO8601DateFormatter().date(from: "2024-06-02T12:00:00Z")!
        try await store.audit(AuditDraft(at: t, actor: "analyst", action: .propose, subject: "C1", detail: "4 zones"))
        try await store.audit(AuditDraft(at: t.addingTimeInterval(60), actor: "commander", action: .viewZone, subject: "C1/Z1"))
        try await store.audit(AuditDraft(at: t.addingTimeInterval(120), actor: "analyst (token abcdefghjkmn)", action: .viewZones, subject: "C1", detail: "api"))
        try await store.audit(AuditDraft(at: t.addingTimeInterval(180), actor: "commander", action: .decideZone, subject: "C1/Z2", detail: "approve"))
        return (path, store)
    }

    @Test("verify: an intact chain exits 0 with the entries checked and the head hash; an entry edited in the file exits 65 naming its sequence",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built"))
    func verify() async throws {
        let dir = try temporaryDirectory()
        let (path, store) = try await Self.database(in: dir)
        let head = try await #require(try store.latestAuditEntries(limit: 1).first)

        let intact = try runZonecast(["audit", "verify", "--db", path], in: dir)
        #expect(intact.status == 0, "\(intact.err)")
        #expect(intact.out.contains("intact: 4 entries checked") && intact.out.contains(head.hash))
        let json = try runZonecast(["audit", "verify", "--db", path, "--json"], in: dir)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        #expect(object["intact"] as? Bool == true && object["entriesChecked"] as? Int == 4 && object["headHash"] as? String == head.hash)

        // Someone with the file drops the append-only trigger and rewrites who looked at a zone.
        try await store.executeForTesting("DROP TRIGGER audit_log_no_update")
        try await store.executeForTesting("UPDATE audit_log SET actor = 'nobody' WHERE sequence = 2")
        let broken = try runZonecast(["audit", "verify", "--db", path], in: dir)
        #expect(broken.status == 65)
        #expect(broken.out.contains("BROKEN at entry 2") && broken.out.contains("1 entries before it are intact"))
        #expect(broken.err.contains("entry 2"))
        let brokenJSON = try runZonecast(["audit", "verify", "--db", path, "--json"], in: dir)
        let b = try #require(try JSONSerialization.jsonObject(with: Data(brokenJSON.out.utf8)) as? [String: Any])
        #expect(brokenJSON.status == 65 && b["intact"] as? Bool == false && b["brokenSequence"] as? Int == 2)
    }

    @Test("verify: a deleted entry is caught too; a missing database is a usage error, not an empty intact chain",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built"))
    func deletedEntryAndMissingDatabase() async throws {
        let dir = try temporaryDirectory()
        let (path, store) = try await Self.database(in: dir)
        try await store.executeForTesting("DROP TRIGGER audit_log_no_delete")
        try await store.executeForTesting("DELETE FROM audit_log WHERE sequence = 3")
        let r = try runZonecast(["audit", "verify", "--db", path], in: dir)
        #expect(r.status == 65 && r.out.contains("BROKEN at entry 4"))

        let missing = try runZonecast(["audit", "verify", "--db", dir.appendingPathComponent("nope.sqlite").path], in: dir)
        #expect(missing.status == 64 && missing.err.contains("no database"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("nope.sqlite").path))
    }

    @Test("list: newest first, filtered by actor (with the actor's tokens), action (or location-access) and limit; JSON; a bad action is a usage error",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built"))
    func list() async throws {
        let dir = try temporaryDirectory()
        let (path, _) = try await Self.database(in: dir)
        func sequences(_ args: [String]) throws -> [Int] {
            let r = try runZonecast(["audit", "list", "--db", path, "--json"] + args, in: dir)
            #expect(r.status == 0, "\(r.err)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
            return rows.compactMap { $0["sequence"] as? Int }
        }
        #expect(try sequences([]) == [4, 3, 2, 1])
        #expect(try sequences(["--limit", "2"]) == [4, 3])
        #expect(try sequences(["--actor", "analyst"]) == [3, 1])
        #expect(try sequences(["--action", "location-access"]) == [3, 2])
        #expect(try sequences(["--actor", "commander", "--subject", "z2"]) == [4])

        let text = try runZonecast(["audit", "list", "--db", path, "--limit", "1"], in: dir)
        #expect(text.status == 0 && text.out.contains("commander") && text.out.contains("decide-zone") && text.out.contains("C1/Z2"))
        let bad = try runZonecast(["audit", "list", "--db", path, "--action", "teleport"], in: dir)
        #expect(bad.status == 64 && bad.err.contains("teleport"))
    }

    /// Runs the binary with its audit key and checkpoints under `dir` (never the user's own ~/.config).
    static func run(_ arguments: [String], in dir: URL, keyFile: String? = nil) throws -> (status: Int32, out: String, err: String) {
        var environment = zonecastEnvironment(in: dir)
        environment["ZONECAST_AUDIT_KEY_FILE"] = keyFile
        return try runZonecast(arguments, in: dir, environment: environment)
    }

    @Test("checkpoint: signs the chain into a 0600 file beside the default key (created 0600); verify then catches the tail cut off in the file, by the file and by the printed line, and a forged line",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built"))
    func checkpointCatchesTruncation() async throws {
        let dir = try temporaryDirectory()
        let (path, store) = try await Self.database(in: dir)
        let made = try Self.run(["audit", "checkpoint", "--db", path], in: dir)
        #expect(made.status == 0, "\(made.err)")
        let line = made.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.hasPrefix("zc-audit-1.4."))
        let config = dir.appendingPathComponent("config/zonecast")
        for file in ["audit.key", "audit-checkpoints"] {
            let mode = (try FileManager.default.attributesOfItem(atPath: config.appendingPathComponent(file).path)[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600, "\(file)")
        }
        let intact = try Self.run(["audit", "verify", "--db", path], in: dir)
        #expect(intact.status == 0 && intact.out.contains("Checkpoints: 1"), "\(intact.out)\(intact.err)")

        // Someone with the file removes the newest entry: the remaining chain is intact, the checkpoint is not.
        try await store.executeForTesting("DROP TRIGGER audit_log_no_delete")
        try await store.executeForTesting("DELETE FROM audit_log WHERE sequence = 4")
        let byFile = try Self.run(["audit", "verify", "--db", path], in: dir)
        #expect(byFile.status == 65 && byFile.err.contains("removed from the end"), "\(byFile.out)\(byFile.err)")
        let byLine = try Self.run(["audit", "verify", "--db", path, "--checkpoint", line], in: dir)
        #expect(byLine.status == 65 && byLine.err.contains("removed from the end"))
        let forged = line.replacingOccurrences(of: "zc-audit-1.4.", with: "zc-audit-1.3.")
        let byForged = try Self.run(["audit", "verify", "--db", path, "--checkpoint", forged], in: dir)
        #expect(byForged.status == 65 && byForged.err.contains("not signed by this audit key"))
    }

    @Test("audit key: a named key file that is missing, readable by others or not a key is a clear error naming it; new-key creates it 0600 and never overwrites",
          .enabled(if: zonecastBinary != nil, "the zonecast executable is not built"))
    func keyFileErrors() async throws {
        let dir = try temporaryDirectory()
        let (path, _) = try await Self.database(in: dir)
        let keyFile = dir.appendingPathComponent("keys/audit.key").path
        let missing = try Self.run(["audit", "verify", "--db", path], in: dir, keyFile: keyFile)
        #expect(missing.status == 78 && missing.err.contains("no audit key at \(keyFile)") && missing.err.contains("new-key"))
        let created = try Self.run(["audit", "new-key", "--audit-key-file", keyFile], in: dir)
        #expect(created.status == 0, "\(created.err)")
        #expect((try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let again = try Self.run(["audit", "new-key", "--audit-key-file", keyFile], in: dir)
        #expect(again.status != 0 && again.err.contains("never overwritten"))
        #expect(try Self.run(["audit", "verify", "--db", path], in: dir, keyFile: keyFile).status == 0)
        // Another key for a database keyed with this one is refused, not silently appended with.
        let otherKey = dir.appendingPathComponent("other.key").path
        _ = try Self.run(["audit", "new-key", "--audit-key-file", otherKey], in: dir)
        let wrong = try Self.run(["audit", "verify", "--db", path, "--audit-key-file", otherKey], in: dir)
        #expect(wrong.status != 0 && wrong.err.contains("keyed with audit key"))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile)
        let open = try Self.run(["audit", "verify", "--db", path], in: dir, keyFile: keyFile)
        #expect(open.status == 78 && open.err.contains("chmod 600 \(keyFile)"))
        let junk = dir.appendingPathComponent("junk.key").path
        FileManager.default.createFile(atPath: junk, contents: Data("not a key\n".utf8), attributes: [.posixPermissions: 0o600])
        let bad = try Self.run(["audit", "verify", "--db", path, "--audit-key-file", junk], in: dir)
        #expect(bad.status != 0 && bad.err.contains("hexadecimal"))
    }
}
