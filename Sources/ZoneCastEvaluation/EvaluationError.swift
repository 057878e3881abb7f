public import Foundation

/// Everything scoring and backtesting can refuse, each case carrying the value and the place it was refused, so
/// a CLI message can say which model, which origin and which setting went wrong.
public enum EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An area budget outside (0, 1].
    case invalidAreaFraction(Double)
    /// A numeric setting out of range (`name` is the setting, `reason` what it must be).
    case invalidSetting(name: String, value: Double, reason: String)
    /// A backtest with no target category.
    case noTargets
    /// The grid has no active cell, so no area can be flagged.
    case emptyGrid
    /// A backtest with no model.
    case noModels
    /// Two models share a name; results are keyed by name.
    case duplicateModelName(String)
    /// No window [origin, origin + window) fits inside [from, to].
    case noOrigins(from: Date, to: Date, windowHours: Double)
    /// The surface and the observed counts (or the backtest grid) are on different grids.
    case gridMismatch(model: String, origin: Date?)
    /// A surface value that cannot be ranked or scored (NaN or infinite).
    case invalidSurfaceValue(model: String, origin: Date?, cell: Int, value: Double)
    /// A model was handed (or would have been handed) an event that could have happened at or after the origin.
    case lookAhead(model: String, eventTime: Date, origin: Date)
    /// The model itself threw while forecasting.
    case modelFailed(model: String, origin: Date, reason: String)
    /// The bootstrap was asked for an impossible number of replicates or confidence level.
    case invalidBootstrap(replicates: Int, confidenceLevel: Double)

    public var description: String {
        switch self {
        case .invalidAreaFraction(let f): "area fraction must be in (0, 1], got \(f)"
        case .invalidSetting(let n, let v, let r): "\(n) = \(v) is invalid: \(r)"
        case .noTargets: "a backtest needs at least one target harm category"
        case .emptyGrid: "the grid has no active cell"
        case .noModels: "a backtest needs at least one model"
        case .duplicateModelName(let n): "two models are named \"\(n)\"; model names must be unique"
        case .noOrigins(let f, let t, let w): "no \(w) h window fits between \(f) and \(t)"
        case .gridMismatch(let m, let o): "\(m): surface grid differs from the evaluation grid\(o.map { " (origin \($0))" } ?? "")"
        case .invalidSurfaceValue(let m, let o, let c, let v): "\(m): cell \(c) holds \(v), not a finite number\(o.map { " (origin \($0))" } ?? "")"
        case .lookAhead(let m, let e, let o): "\(m): history holds an event possibly at \(e), at or after the forecast origin \(o)"
        case .modelFailed(let m, let o, let r): "\(m) failed at origin \(o): \(r)"
        case .invalidBootstrap(let b, let c): "bootstrap needs >= 1 replicate and a confidence level in (0, 1), got \(b) and \(c)"
        }
    }
}
