/// What can go wrong with the audit log's key and checkpoints (the chain's own breaks are `AuditVerification`
/// problems, not errors: a broken chain is a finding, not a failure to look).
public enum AuditError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The key's bytes are unusable (too short or too long for HMAC-SHA256 as used here).
    case badKey(String)
    /// A checkpoint's text cannot be read; `text` is what was given (shortened).
    case badCheckpoint(text: String, reason: String)

    public var description: String {
        switch self {
        case .badKey(let reason): "audit key: \(reason)"
        case .badCheckpoint(let text, let reason): "audit checkpoint \"\(text)\": \(reason)"
        }
    }
}
