public import Foundation
public import ZoneCastCore

/// What a model is given: the history strictly before the window, the grid, the window, what to forecast and
/// how to weigh harms. Models must not look at anything else (the backtester checks `history` ends by
/// `window.start`).
public struct ForecastInput: Sendable {
    public var history: EventSet
    public var grid: Grid
    public var window: ForecastWindow
    public var targets: Set<HarmCategory>
    public var weights: HarmWeights

    public init(history: EventSet, grid: Grid, window: ForecastWindow, targets: Set<HarmCategory> = HarmCategory.violent,
                weights: HarmWeights = .cambridgeDefaults) {
        self.history = history
        self.grid = grid
        self.window = window
        self.targets = targets
        self.weights = weights
    }
}

/// A model's forecast and what it learned (fitted parameters, for the report).
public struct ModelForecast: Sendable {
    public var surface: RiskSurface
    public var parameters: [String: Double]
    public var notes: [String]
    /// For a model that chooses among others (`auto`): the option it used for this window.
    public var selected: String?

    public init(surface: RiskSurface, parameters: [String: Double] = [:], notes: [String] = [], selected: String? = nil) {
        self.surface = surface
        self.parameters = parameters
        self.notes = notes
        self.selected = selected
    }
}

/// A forecasting model. Each implementation documents its formula and reference.
public protocol ForecastModel: Sendable {
    /// Short stable name used on the command line and in reports ("naive", "kde", ...).
    var name: String { get }
    func forecast(_ input: ForecastInput) throws -> ModelForecast
}

public enum ForecastError: Error, Equatable, Sendable, CustomStringConvertible {
    case lookAhead(model: String, eventTime: Date, origin: Date)
    case invalidParameter(model: String, name: String, value: Double)
    case emptyGrid
    case unknownModel(String, known: [String])
    case invalidSetting(String)
    /// Nothing to learn from: no target incident before the origin (in the training period, when there is one).
    case noTrainingData(NoTrainingData)

    public var description: String {
        switch self {
        case .lookAhead(let m, let e, let o): "\(m): history holds an event at \(e), at or after the forecast origin \(o)"
        case .invalidParameter(let m, let n, let v): "\(m): parameter \(n) = \(v) is out of range"
        case .emptyGrid: "the grid has no active cell"
        case .unknownModel(let m, let known): "unknown model \"\(m)\" (known: \(known.joined(separator: ", ")))"
        case .invalidSetting(let m): "invalid model setting \(m)"
        case .noTrainingData(let d): d.description
        }
    }
}

extension ForecastInput {
    /// Throws if any history event could have happened at or after the origin.
    public func checkNoLookAhead(model: String) throws {
        if let latest = history.latestPossibleTime, latest > window.start.timeIntervalSince1970 {
            throw ForecastError.lookAhead(model: model, eventTime: Date(timeIntervalSince1970: latest), origin: window.start)
        }
    }
}
