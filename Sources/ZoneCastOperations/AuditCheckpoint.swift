public import Foundation

/// A signed statement of how long the audit chain was and how it ended: entry count, head hash, the first keyed
/// entry and when, HMAC'd with the audit key. Kept outside the database (an append-only file beside the key, and
/// printed for a ticket or an off-site note), it catches what the chain alone cannot: a log cut short at the tail,
/// a wiped log, or a log rewritten and re-chained from the start.
///
/// Text form, one line: `zc-audit-1.<entries>.<head hash>.<keyed from, 0 for none>.<at ms>.<mac>`.
public struct AuditCheckpoint: Hashable, Sendable {
    public var entries: Int64
    public var headHash: String
    public var keyedFrom: Int64?
    public var atMilliseconds: Int64
    public var mac: String

    static let prefix = "zc-audit-1"

    /// A checkpoint of a verified chain, signed with `key`.
    public static func signed(_ verification: AuditVerification, atMilliseconds: Int64, key: AuditKey) -> AuditCheckpoint {
        var c = AuditCheckpoint(entries: Int64(verification.entriesChecked), headHash: verification.headHash, keyedFrom: verification.keyedFrom,
                                atMilliseconds: atMilliseconds, mac: "")
        c.mac = key.mac(Data(c.signedText.utf8))
        return c
    }

    var signedText: String { "\(Self.prefix).\(entries).\(headHash).\(keyedFrom ?? 0).\(atMilliseconds)" }

    public var text: String { "\(signedText).\(mac)" }

    public var at: Date { Date(timeIntervalSince1970: Double(atMilliseconds) / 1_000) }

    public init(entries: Int64, headHash: String, keyedFrom: Int64?, atMilliseconds: Int64, mac: String) {
        self.entries = entries
        self.headHash = headHash
        self.keyedFrom = keyedFrom
        self.atMilliseconds = atMilliseconds
        self.mac = mac
    }

    /// Reads the text form; every field range-checked.
    public init(parsing text: String) throws(AuditError) {
        let shown = text.count > 60 ? String(text.prefix(60)) + "…" : text
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == Self.prefix else {
            throw .badCheckpoint(text: shown, reason: "expected \(Self.prefix).ENTRIES.HEAD.KEYEDFROM.ATMS.MAC")
        }
        func isHex64(_ s: String) -> Bool { s.count == 64 && s.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) } }
        guard let entries = Int64(parts[1]), entries >= 0 else { throw .badCheckpoint(text: shown, reason: "entries \"\(parts[1])\" is not a count") }
        guard isHex64(parts[2]) else { throw .badCheckpoint(text: shown, reason: "head hash is not 64 hex digits") }
        guard let keyedFrom = Int64(parts[3]), keyedFrom >= 0 else { throw .badCheckpoint(text: shown, reason: "keyed-from \"\(parts[3])\" is not a sequence") }
        guard let at = Int64(parts[4]), at >= 0 else { throw .badCheckpoint(text: shown, reason: "time \"\(parts[4])\" is not milliseconds") }
        guard isHex64(parts[5]) else { throw .badCheckpoint(text: shown, reason: "signature is not 64 hex digits") }
        self.init(entries: entries, headHash: parts[2], keyedFrom: keyedFrom == 0 ? nil : keyedFrom, atMilliseconds: at, mac: parts[5])
    }

    /// Whether `key` signed this checkpoint (a forged or altered one is not).
    public func isSigned(by key: AuditKey) -> Bool { key.mac(Data(signedText.utf8)) == mac }

    /// What is wrong with the log now, judged against this checkpoint; nil when the log still holds the entries
    /// it recorded. `verification` is of the whole current chain; `entryAtCheckpoint` is the current entry with the
    /// checkpoint's sequence (`entries`), if any.
    public func problem(with verification: AuditVerification, entryAtCheckpoint: AuditEntry?) -> String? {
        let when = ISO8601DateFormatter().string(from: at)
        if Int64(verification.entriesChecked) < entries {
            return verification.entriesChecked == 0 && verification.isIntact
                ? "the log is empty but the checkpoint of \(when) recorded \(entries) entries (the log was wiped)"
                : "the log's intact chain holds \(verification.entriesChecked) entries but the checkpoint of \(when) recorded \(entries) "
                    + "(entries were removed from the end)"
        }
        let currentHead = entries == 0 ? AuditChain.genesisHash : entryAtCheckpoint?.hash
        if currentHead != headHash {
            return "entry \(entries)'s hash differs from the checkpoint of \(when) (the log was rewritten and re-chained)"
        }
        if let keyedFrom, verification.keyedFrom != keyedFrom {
            return "the chain is keyed from entry \(verification.keyedFrom.map(String.init) ?? "nowhere"), "
                + "the checkpoint of \(when) recorded \(keyedFrom) (the switch-over point was moved)"
        }
        return nil
    }
}
