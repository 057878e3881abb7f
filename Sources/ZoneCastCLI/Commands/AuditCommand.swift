import ArgumentParser
import Foundation
import ZoneCastOperations
import ZoneCastSQLite
import ZoneCastStore
import ZoneCastCore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the audit log's hash chain, or list its entries (who did or saw what, and when).",
        subcommands: [Verify.self, Checkpoint.self, List.self, NewKey.self], defaultSubcommand: Verify.self)

    /// Exit status of `audit verify` when the chain is broken: the data is not what was written (EX_DATAERR).
    static let brokenChainExitCode: Int32 = 65

    static func openExisting(_ database: DatabaseOptions) async throws -> any AppStore {
        try await database.openExistingStore()
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every entry's keyed hash and link and compare with the signed checkpoints; exit 0 when intact, "
                + "\(AuditCommand.brokenChainExitCode) at the first problem.",
            discussion: """
                Entries carry an HMAC-SHA256 of their fields and the previous entry's hash, under the audit key (kept outside \
                the database, see --audit-key-file), so editing, deleting, inserting or reordering any entry breaks the chain, \
                and without the key nobody can re-chain it. Entries written before the database was first opened with a key \
                keep plain SHA-256 hashes (the first keyed entry is printed). The checkpoints (zonecast audit checkpoint; by \
                default every line for this database in the checkpoint file beside the key) also catch a log cut short at the \
                end, wiped, or rewritten from the start.
                Example: zonecast audit verify --db kc.sqlite
                Example: zonecast audit verify --db kc.sqlite --checkpoint zc-audit-1.5120.9f...
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "A checkpoint's text (zc-audit-1...), or a file of them (default: the checkpoint file, if it exists).") var checkpoint: String?
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws { try await CLIFailure.run(perform) }

        func perform() async throws {
            let store = try await AuditCommand.openExisting(database)
            let key = try database.auditKey()
            let result = try await store.verifyAuditChain()
            let (source, checkpoints) = try AuditCheckpoints.load(checkpoint, database: database)
            let checkpointProblem = await result.isIntact ? try AuditCheckpoints.problem(checkpoints, verification: result, store: store, key: key) : nil
            let newest = checkpoints.max { $0.entries < $1.entries }
            if json {
                struct Out: Encodable {
                    var intact: Bool; var entriesChecked: Int; var headHash: String; var keyedFrom: Int64?; var brokenSequence: Int64?; var reason: String?
                    var checkpointsChecked: Int; var checkpointProblem: String?
                }
                try printJSON(Out(intact: result.isIntact && checkpointProblem == nil, entriesChecked: result.entriesChecked, headHash: result.headHash,
                                  keyedFrom: result.keyedFrom, brokenSequence: result.problem?.sequence, reason: result.problem?.reason,
                                  checkpointsChecked: checkpoints.count, checkpointProblem: checkpointProblem))
            } else if let problem = result.problem {
                print("Audit chain BROKEN at entry \(problem.sequence): \(problem.reason).")
                print("\(result.entriesChecked) entries before it are intact; last good hash \(result.headHash).")
            } else {
                print("Audit chain \(checkpointProblem == nil ? "intact" : "links intact"): "
                      + "\(result.entriesChecked) entries checked\(Self.keyedText(result)).")
                print("Head hash: \(result.headHash)")
                if let checkpointProblem {
                    print("Checkpoints: FAILED: \(checkpointProblem).")
                } else if let newest {
                    print("Checkpoints: \(checkpoints.count) from \(source) hold; "
                          + "newest \(newest.entries) entries at \(ISO8601DateFormatter().string(from: newest.at)).")
                } else {
                    print("Checkpoints: none (\(source)); record one with zonecast audit checkpoint to detect a truncated or rewritten log.")
                }
            }
            if let problem = result.problem {
                FileHandle.standardError.write(Data("zonecast: error: the audit log was altered: entry \(problem.sequence): \(problem.reason)\n".utf8))
                throw ExitCode(AuditCommand.brokenChainExitCode)
            }
            if let checkpointProblem {
                FileHandle.standardError.write(Data("zonecast: error: the audit log was altered: \(checkpointProblem)\n".utf8))
                throw ExitCode(AuditCommand.brokenChainExitCode)
            }
        }

        static func keyedText(_ r: AuditVerification) -> String {
            guard let from = r.keyedFrom else { return " (not keyed)" }
            return from <= 1 ? ", all keyed" : "; entries 1-\(from - 1) predate the audit key (plain SHA-256), keyed from \(from)"
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the chain, then sign a checkpoint of it (entry count and head hash, HMAC'd with the audit key), "
                + "append it to the checkpoint file and print it.",
            discussion: """
                Keep the printed line somewhere the database's host cannot change (a ticket, an e-mail, paper): \
                zonecast audit verify --checkpoint LINE then detects entries removed from the end, a wiped log, or a log \
                rewritten and re-chained. zonecast serve appends one when it starts and when it stops.
                Example: zonecast audit checkpoint --db kc.sqlite
                """)
        @OptionGroup var database: DatabaseOptions

        func run() async throws { try await CLIFailure.run(perform) }

        func perform() async throws {
            let store = try await AuditCommand.openExisting(database)
            let (result, checkpoint) = try await AuditCheckpoints.record(store: store, database: database, at: Date())
            guard let checkpoint else {
                let problem = result.problem.map { "entry \($0.sequence): \($0.reason)" } ?? "unknown"
                FileHandle.standardError.write(Data("zonecast: error: the audit chain is broken (\(problem)); no checkpoint signed\n".utf8))
                throw ExitCode(AuditCommand.brokenChainExitCode)
            }
            print(checkpoint.text)
            FileHandle.standardError.write(Data("Checkpoint of \(checkpoint.entries) entries appended to \(database.checkpointPath).\n".utf8))
        }
    }

    struct NewKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new-key",
            abstract: "Create a new random audit key file (0600) at --audit-key-file or $ZONECAST_AUDIT_KEY_FILE; never overwrites.",
            discussion: "Example: zonecast audit new-key --audit-key-file /etc/zonecast/audit.key")
        @OptionGroup var database: DatabaseOptions

        func run() async throws { try await CLIFailure.run(perform) }

        func perform() async throws {
            let path = database.auditKeyPath.path
            guard !FileManager.default.fileExists(atPath: path) else { throw AuditKeyFileError("\(path) already exists; an audit key is never overwritten") }
            try AuditKeyFile.write(newKeyAt: path)
            print("Audit key \(try AuditKeyFile.load(path, create: false).id) written to \(path) (mode 0600). "
                  + "Back it up: without it the keyed entries cannot be verified.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List audit entries, newest first, optionally filtered by actor, action or subject.",
            discussion: """
                --actor matches an account and its API tokens; --action location-access lists every view and export of zone \
                locations (view-zones, view-zone, view-briefing, export).
                Example: zonecast audit list --db kc.sqlite --action location-access --limit 50
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Most entries to list (1-100000).") var limit = 50
        @Option(help: "Only this account (and its API tokens).") var actor: String?
        @Option(help: "Only this action (\(AuditAction.allCases.map(\.rawValue).joined(separator: ", ")), or location-access).") var action: String?
        @Option(help: "Only entries whose subject contains this text.") var subject: String?
        @Flag(help: "Print as JSON.") var json = false

        func validate() throws {
            guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 100000 (got \(limit))") }
            if let action, action != "location-access", AuditAction(rawValue: action) == nil {
                throw ValidationError("--action \"\(action)\" is not an audit action: "
                                      + "\(AuditAction.allCases.map(\.rawValue).joined(separator: ", ")) or location-access")
            }
        }

        func run() async throws { try await CLIFailure.run(perform) }

        func matches(_ e: AuditEntry) -> Bool {
            if let actor {
                let account = e.actor.range(of: " (token ").map { String(e.actor[..<$0.lowerBound]) } ?? e.actor
                guard e.actor == actor || account == actor else { return false }
            }
            if let action {
                let locationAccess: Set<String> = [AuditAction.viewZones.rawValue, AuditAction.viewZone.rawValue, AuditAction.viewBriefing.rawValue,
                                                   AuditAction.export.rawValue]
                guard action == "location-access" ? locationAccess.contains(e.action) : e.action == action else { return false }
            }
            if let subject, e.subject.range(of: subject, options: .caseInsensitive) == nil { return false }
            return true
        }

        func perform() async throws {
            let store = try await AuditCommand.openExisting(database)
            var out: [AuditEntry] = []
            if var cursor = try await store.latestAuditEntries(limit: 1).first.map({ $0.sequence + 1 }) {
                scan: while cursor > 1 {
                    let from = max(1, cursor - 5_000)
                    for e in try await store.auditEntries(from: from, limit: Int(cursor - from)).reversed() where matches(e) {
                        out.append(e)
                        if out.count == limit { break scan }
                    }
                    cursor = from
                }
            }
            if json {
                struct Row: Encodable {
                    var sequence: Int64; var at: Date; var actor: String; var action: String; var subject: String; var detail: String; var hash: String
                }
                try printJSON(out.map {
                    Row(sequence: $0.sequence, at: $0.at, actor: $0.actor, action: $0.action, subject: $0.subject, detail: $0.detail, hash: $0.hash)
                })
                return
            }
            if out.isEmpty { print("No audit entries\(actor != nil || action != nil || subject != nil ? " match" : "").") ; return }
            // The jurisdiction's zone with the abbreviation people there write ("CST", not "GMT-6"), as `zonecast summary` does.
            let zone = TimeZone(identifier: try await store.jurisdiction()?.timeZoneIdentifier ?? "UTC") ?? .gmt
            for e in out {
                let at = DateTexts.shared.string(e.at, format: "yyyy-MM-dd HH:mm:ss zzz", timeZone: zone)
                let line = "\(String(e.sequence).padding(toLength: 7, withPad: " ", startingAt: 0)) \(at)  "
                    + "\(e.actor)  \(e.action)  \(e.subject)\(e.detail.isEmpty ? "" : "  (\(e.detail))")"
                // Entries hold text people typed: never let it drive the terminal.
                print(String(line.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? " " : Character($0) }))
            }
        }
    }
}
