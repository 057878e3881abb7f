import Foundation
import ZoneCastOperations
import ZoneCastStore

/// Signed checkpoints at the edge: the file they are appended to (one `TOKEN DATABASE` line each, so one file
/// beside the key can serve several databases) and the comparisons `audit verify` makes.
enum AuditCheckpoints {
    /// Verifies the chain and, when intact, signs a checkpoint of it and appends it to the checkpoint file.
    /// Returns the verification and the checkpoint (nil when the chain is broken: a broken chain is never signed).
    static func record(store: any AppStore, database: DatabaseOptions, at now: Date) async throws -> (AuditVerification, AuditCheckpoint?) {
        let key = try database.auditKey()
        let verification = try await store.verifyAuditChain()
        guard verification.isIntact else { return (verification, nil) }
        let checkpoint = AuditCheckpoint.signed(verification, atMilliseconds: Int64((now.timeIntervalSince1970 * 1_000).rounded()), key: key)
        try PrivateTextFile.append(database.checkpointPath, line: "\(checkpoint.text) \(database.checkpointLabel)")
        return (verification, checkpoint)
    }

    /// The checkpoints `given` names: a checkpoint's text itself, or a file of them (lines for other databases
    /// skipped). Without `given`, the default checkpoint file's lines for this database, if the file exists.
    static func load(_ given: String?, database: DatabaseOptions) throws -> (source: String, checkpoints: [AuditCheckpoint]) {
        if let given, given.hasPrefix("zc-audit-") {
            do { return ("the checkpoint given", [try AuditCheckpoint(parsing: given)]) } catch { throw AuditKeyFileError("--checkpoint: \(error)") }
        }
        let path = given ?? database.checkpointPath
        guard FileManager.default.fileExists(atPath: path) else {
            if given != nil { throw AuditKeyFileError("--checkpoint \(path): no such file (pass a file of checkpoints or a checkpoint's text)") }
            return (path, [])
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw AuditKeyFileError("checkpoint file \(path) is unreadable: \(error.localizedDescription)")
        }
        var out: [AuditCheckpoint] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let token = line.prefix { $0 != " " }
            let label = line.dropFirst(token.count).trimmingCharacters(in: .whitespaces)
            guard label.isEmpty || label == database.checkpointLabel else { continue }
            do { out.append(try AuditCheckpoint(parsing: String(token))) } catch { throw AuditKeyFileError("checkpoint file \(path) line \(n + 1): \(error)") }
        }
        return (path, out)
    }

    /// The first thing the checkpoints say is wrong with the log now, if anything.
    static func problem(_ checkpoints: [AuditCheckpoint], verification: AuditVerification, store: any AppStore, key: AuditKey) async throws -> String? {
        for c in checkpoints {
            guard c.isSigned(by: key) else {
                return "the checkpoint recording \(c.entries) entries is not signed by this audit key (forged or altered, or made with another key)"
            }
            let entry = c.entries > 0 ? try await store.auditEntries(from: c.entries, limit: 1).first.flatMap { $0.sequence == c.entries ? $0 : nil } : nil
            if let problem = c.problem(with: verification, entryAtCheckpoint: entry) { return problem }
        }
        return nil
    }
}
