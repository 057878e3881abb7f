/// Everything zoning can refuse, each case carrying the offending value and where it came from, so a CLI or web
/// message can say which setting, which cell or which zone went wrong.
public enum ZoningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A constraint or search setting out of range (`name` is the setting, `reason` what it must be).
    case invalidSetting(name: String, value: Double, reason: String)
    /// A surface value that cannot be summed or ranked (NaN or infinite).
    case invalidSurfaceValue(cell: Int, value: Double)
    /// A cell index outside the grid (`context` says where it was given: "excluded", "zone 2", ...).
    case cellOutOfRange(cell: Int, cellCount: Int, context: String)
    /// An exclusion mask whose size differs from the grid's cell count.
    case maskSizeMismatch(maskCount: Int, cellCount: Int)
    /// A cell set (or plan) that breaks the constraints; `context` names it, `reasons` are the violations.
    case constraintViolated(context: String, reasons: [String])
    /// More fixed zones than `maxZones` allows.
    case tooManyFixedZones(count: Int, maxZones: Int)
    /// The exhaustive solver would have to enumerate more connected cell sets than its limit.
    case enumerationLimitExceeded(limit: Int)

    public var description: String {
        switch self {
        case .invalidSetting(let n, let v, let r): "\(n) = \(v) is invalid: \(r)"
        case .invalidSurfaceValue(let c, let v): "cell \(c) holds \(v), not a finite number"
        case .cellOutOfRange(let c, let n, let ctx): "\(ctx): cell \(c) is outside the grid's \(n) cells"
        case .maskSizeMismatch(let m, let n): "exclusion mask has \(m) entries but the grid has \(n) cells"
        case .constraintViolated(let ctx, let rs): "\(ctx) breaks the zoning constraints: \(rs.joined(separator: "; "))"
        case .tooManyFixedZones(let c, let m): "\(c) fixed zones given but at most \(m) zones are allowed"
        case .enumerationLimitExceeded(let l): "exhaustive search would enumerate more than \(l) connected cell sets; use ZoneOptimizer"
        }
    }
}
