import Crypto
public import Foundation
import ZoneCastCore

/// One line of the audit log: who did what to which subject, and when. Entries are chained: each carries the hash
/// of the one before, so editing, deleting or reordering any entry breaks every hash after it
/// (`zonecast audit verify`). The store also refuses UPDATE and DELETE on the table; the chain is what catches
/// someone who bypasses the application and edits the database file.
public struct AuditEntry: Hashable, Sendable, Codable {
    public var sequence: Int64
    /// Milliseconds since 1970: the hash covers this integer, so no floating-point rounding can break the chain.
    public var atMilliseconds: Int64
    public var actor: String
    public var action: String
    public var subject: String
    public var detail: String
    public var previousHash: String
    public var hash: String

    public init(sequence: Int64, atMilliseconds: Int64, actor: String, action: String, subject: String, detail: String, previousHash: String, hash: String) {
        self.sequence = sequence
        self.atMilliseconds = atMilliseconds
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }

    public var at: Date { Date(timeIntervalSince1970: Double(atMilliseconds) / 1_000) }
}

/// What the caller knows of an audit entry; the store assigns the sequence and the hashes inside the same
/// transaction as the change it records.
public struct AuditDraft: Hashable, Sendable, Codable {
    public var at: Date
    public var actor: String
    public var action: AuditAction
    public var subject: String
    public var detail: String

    public init(at: Date, actor: String, action: AuditAction, subject: String, detail: String = "") {
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
    }

    public var atMilliseconds: Int64 { Int64((at.timeIntervalSince1970 * 1_000).rounded()) }

    /// The draft as it is stored: its text fields with control characters made visible (`AuditText.stored`), so
    /// the bytes hashed are the bytes every backend keeps.
    public var stored: AuditDraft {
        var d = self
        d.actor = AuditText.stored(actor)
        d.subject = AuditText.stored(subject)
        d.detail = AuditText.stored(detail)
        return d
    }

    /// The entry that follows `previous` (nil: the first entry), hashed with HMAC-SHA256 under `key` when given,
    /// else plain SHA-256 (a chain not yet keyed).
    public func entry(after previous: AuditEntry?, key: AuditKey? = nil) -> AuditEntry {
        let sequence = (previous?.sequence ?? 0) + 1
        let previousHash = previous?.hash ?? AuditChain.genesisHash
        let d = stored
        var e = AuditEntry(sequence: sequence, atMilliseconds: atMilliseconds, actor: d.actor, action: action.rawValue, subject: d.subject, detail: d.detail,
                           previousHash: previousHash, hash: "")
        e.hash = AuditChain.hash(of: e, key: key)
        return e
    }
}

/// Audit text as stored. SQLite (through GRDB) drops everything after a NUL and PostgreSQL's text cannot hold one,
/// so an entry hashed over the text as given could never verify again (one sign-in as `demo-admin%00x` broke
/// `audit verify` for good). Whatever the edge lets through, the chain layer stores and hashes this form:
/// C0 controls other than tab and newline, DEL and C1 controls become a visible `\u{XX}` escape.
public enum AuditText {
    public static func stored(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out.append(contentsOf: "\\u{\(hex.count < 2 ? "0" + hex : hex)}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        (s.value < 0x20 && s != "\t" && s != "\n") || (0x7F...0x9F).contains(s.value)
    }
}

/// What gets audited. Views of zone locations are logged as well as changes: location is the secret.
public enum AuditAction: String, CaseIterable, Hashable, Sendable, Codable {
    case signIn = "sign-in", signInFailed = "sign-in-failed", signOut = "sign-out", passwordChanged = "password-changed"
    case viewZones = "view-zones", viewZone = "view-zone", viewBriefing = "view-briefing", export
    /// Oversight figures without zone locations (outcomes, dosage, equity), e.g. an auditor's view.
    case viewOversight = "view-oversight"
    case propose, adjustProposal = "adjust-proposal", decideZone = "decide-zone", approveCycle = "approve-cycle"
    case scheduleMeeting = "schedule-meeting", updateMeeting = "update-meeting"
    case recordIntelligence = "record-intelligence", triageIntelligence = "triage-intelligence", raisePriority = "raise-priority"
    case communityTip = "community-tip"
    case assignUnits = "assign-units", logPatrol = "log-patrol"
    /// The non-enforcement monitor raised an alert for commanders (enforcement above the threshold in a zone).
    case enforcementAlert = "enforcement-alert"
    /// Dosage fell below the thresholds in a zone (little patrol): a notice for commanders.
    case lowPatrolAlert = "low-patrol-alert"
    /// An alert's e-mail: the relay's reply, or why it was not sent (the notice is kept either way).
    case alertMail = "alert-mail"
    /// An admin changed the alert thresholds or recipients.
    case alertSettings = "alert-settings"
    /// An admin changed the field settings (whether in-zone checks keep coordinates).
    case fieldSettings = "field-settings"
    case createToken = "create-token", revokeToken = "revoke-token", apiAccess = "api-access"
    case manageAccount = "manage-account", importData = "import"
}

/// The hash chain's arithmetic, kept pure so every store and the verifier share it.
public enum AuditChain {
    public static let genesisHash = String(repeating: "0", count: 64)

    /// SHA-256 over the previous hash and every field, each length-prefixed so no two different entries can
    /// serialise to the same bytes: how entries written before the chain was keyed were hashed.
    public static func hash(of e: AuditEntry) -> String { SHA256.hash(data: message(of: e)).hexText }

    /// HMAC-SHA256 under `key` of the same bytes (plain SHA-256 when `key` is nil).
    public static func hash(of e: AuditEntry, key: AuditKey?) -> String {
        guard let key else { return hash(of: e) }
        return key.mac(message(of: e))
    }

    /// The bytes an entry's hash covers.
    static func message(of e: AuditEntry) -> Data {
        var bytes = Data()
        func put(_ s: String) {
            let u = Array(s.utf8)
            bytes.append(contentsOf: withUnsafeBytes(of: UInt32(u.count).bigEndian, Array.init))
            bytes.append(contentsOf: u)
        }
        put(e.previousHash)
        put(String(e.sequence))
        put(String(e.atMilliseconds))
        put(e.actor)
        put(e.action)
        put(e.subject)
        put(e.detail)
        return bytes
    }

    /// The first break in the chain, if any: a changed field, a deleted or inserted entry, a reordering. Entries
    /// from `keying.keyedFrom` on must carry the HMAC under `keying.key`; without the key they cannot be checked,
    /// which is reported as a problem too (nothing is called intact that was not checked).
    ///
    /// `after` continues an intact verification of the entries before `entries` (its count and head hash), so a
    /// reader that has checked the chain once need only check what was appended since.
    public static func verify<S: Sequence>(_ entries: S, keying: AuditKeying = .unkeyed, after base: AuditVerification? = nil) -> AuditVerification
    where S.Element == AuditEntry {
        var previous = base?.headHash ?? genesisHash, expectedSequence = Int64(base?.entriesChecked ?? 0) + 1, count = base?.entriesChecked ?? 0
        func broken(_ sequence: Int64, _ reason: String) -> AuditVerification {
            AuditVerification(entriesChecked: count, headHash: previous, problem: .init(sequence: sequence, reason: reason), keyedFrom: keying.keyedFrom)
        }
        for e in entries {
            if e.sequence != expectedSequence {
                return broken(e.sequence, "expected entry \(expectedSequence) next, found \(e.sequence) (an entry was deleted or inserted)")
            }
            if e.previousHash != previous {
                return broken(e.sequence, "its link to entry \(e.sequence - 1) does not match (an earlier entry was changed or removed)")
            }
            let keyed = keying.isKeyed(e.sequence)
            if keyed && keying.key == nil {
                return broken(e.sequence, "it is keyed (HMAC-SHA256) and no audit key was given to check it")
            }
            if hash(of: e, key: keyed ? keying.key : nil) != e.hash {
                return broken(e.sequence, keyed ? "its contents do not match its keyed hash (the entry was edited, or written without this audit key)"
                                                : "its contents do not match its hash (the entry was edited)")
            }
            previous = e.hash
            expectedSequence += 1
            count += 1
        }
        return AuditVerification(entriesChecked: count, headHash: previous, problem: nil, keyedFrom: keying.keyedFrom)
    }
}

public struct AuditVerification: Hashable, Sendable {
    public struct Problem: Hashable, Sendable {
        public var sequence: Int64
        public var reason: String
    }

    public var entriesChecked: Int
    /// The hash of the last good entry: recording it elsewhere (a briefing, a ticket) also anchors the chain's tail.
    public var headHash: String
    public var problem: Problem?
    /// The first keyed entry (nil: the chain is not keyed): entries before it have plain SHA-256 hashes, which
    /// anyone who can write the database can recompute.
    public var keyedFrom: Int64?

    public init(entriesChecked: Int, headHash: String, problem: Problem?, keyedFrom: Int64? = nil) {
        self.entriesChecked = entriesChecked
        self.headHash = headHash
        self.problem = problem
        self.keyedFrom = keyedFrom
    }

    public var isIntact: Bool { problem == nil }
}
