import ArgumentParser
import Foundation
import ZoneCastOperations
import ZoneCastSQLite
import ZoneCastStore

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the audit log's hash chain, or list its entries (who did or saw what, and when).",
        subcommands: [Verify.self, List.self], defaultSubcommand: Verify.self)

    /// Exit status of `audit verify` when the chain is broken: the data is not what was written (EX_DATAERR).
    static let brokenChainExitCode: Int32 = 65

    static func openExisting(_ database: DatabaseOptions) throws -> any AppStore {
        try database.openExistingStore()
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every entry's hash and link; exit 0 when the chain is intact, \(AuditCommand.brokenChainExitCode) at the first broken entry.",
            discussion: """
                Each entry carries the hash of the one before, so editing, deleting, inserting or reordering any entry in the \
                database file breaks the chain from there on. Record the printed head hash elsewhere (a ticket, a briefing) to \
                anchor the newest entries too.
                Example: zonecast audit verify --db kc.sqlite
                """)
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Print as JSON.") var json = false

        func run() throws { try CLIFailure.run(perform) }

        func perform() throws {
            let store = try AuditCommand.openExisting(database)
            let result = try store.verifyAuditChain()
            if json {
                struct Out: Encodable { var intact: Bool; var entriesChecked: Int; var headHash: String; var brokenSequence: Int64?; var reason: String? }
                try printJSON(Out(intact: result.isIntact, entriesChecked: result.entriesChecked, headHash: result.headHash,
                                  brokenSequence: result.problem?.sequence, reason: result.problem?.reason))
            } else if let problem = result.problem {
                print("Audit chain BROKEN at entry \(problem.sequence): \(problem.reason).")
                print("\(result.entriesChecked) entries before it are intact; last good hash \(result.headHash).")
            } else {
                print("Audit chain intact: \(result.entriesChecked) entries checked.")
                print("Head hash: \(result.headHash)")
            }
            if let problem = result.problem {
                FileHandle.standardError.write(Data("zonecast: error: the audit log was altered: entry \(problem.sequence): \(problem.reason)\n".utf8))
                throw ExitCode(AuditCommand.brokenChainExitCode)
            }
        }
    }

    struct List: ParsableCommand {
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
                throw ValidationError("--action \"\(action)\" is not an audit action: \(AuditAction.allCases.map(\.rawValue).joined(separator: ", ")) or location-access")
            }
        }

        func run() throws { try CLIFailure.run(perform) }

        func matches(_ e: AuditEntry) -> Bool {
            if let actor {
                let account = e.actor.range(of: " (token ").map { String(e.actor[..<$0.lowerBound]) } ?? e.actor
                guard e.actor == actor || account == actor else { return false }
            }
            if let action {
                let locationAccess: Set<String> = [AuditAction.viewZones.rawValue, AuditAction.viewZone.rawValue, AuditAction.viewBriefing.rawValue, AuditAction.export.rawValue]
                guard action == "location-access" ? locationAccess.contains(e.action) : e.action == action else { return false }
            }
            if let subject, e.subject.range(of: subject, options: .caseInsensitive) == nil { return false }
            return true
        }

        func perform() throws {
            let store = try AuditCommand.openExisting(database)
            var out: [AuditEntry] = []
            if var cursor = try store.latestAuditEntries(limit: 1).first.map({ $0.sequence + 1 }) {
                scan: while cursor > 1 {
                    let from = max(1, cursor - 5_000)
                    for e in try store.auditEntries(from: from, limit: Int(cursor - from)).reversed() where matches(e) {
                        out.append(e)
                        if out.count == limit { break scan }
                    }
                    cursor = from
                }
            }
            if json {
                struct Row: Encodable { var sequence: Int64; var at: Date; var actor: String; var action: String; var subject: String; var detail: String; var hash: String }
                try printJSON(out.map { Row(sequence: $0.sequence, at: $0.at, actor: $0.actor, action: $0.action, subject: $0.subject, detail: $0.detail, hash: $0.hash) })
                return
            }
            if out.isEmpty { print("No audit entries\(actor != nil || action != nil || subject != nil ? " match" : "").") ; return }
            let zone = TimeZone(identifier: try store.jurisdiction()?.timeZoneIdentifier ?? "UTC") ?? .gmt
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = zone
            f.dateFormat = "yyyy-MM-dd HH:mm:ss zzz"
            for e in out {
                let line = "\(String(e.sequence).padding(toLength: 7, withPad: " ", startingAt: 0)) \(f.string(from: e.at))  \(e.actor)  \(e.action)  \(e.subject)\(e.detail.isEmpty ? "" : "  (\(e.detail))")"
                // Entries hold text people typed: never let it drive the terminal.
                print(String(line.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? " " : Character($0) }))
            }
        }
    }
}
