import Foundation
import ZoneCastCore

/// The baseline every report shows: target incidents per cell in the last `lookbackDays`, scaled to the window
/// (expected count = count x window days / lookback days).
public struct NaiveModel: ForecastModel {
    public var lookbackDays: Double

    public init(lookbackDays: Double = 365) { self.lookbackDays = lookbackDays }

    public var name: String { "naive" }

    public func forecast(_ input: ForecastInput) throws -> ModelForecast {
        try input.checkNoLookAhead(model: name)
        guard lookbackDays > 0 else { throw ForecastError.invalidParameter(model: name, name: "lookbackDays", value: lookbackDays) }
        let values = Self.targetCounts(input, lookbackDays: lookbackDays)
        let scale = input.window.durationDays / lookbackDays
        return ModelForecast(surface: RiskSurface(grid: input.grid, window: input.window, values: values.map { $0 * scale }),
                             parameters: ["lookbackDays": lookbackDays])
    }

    /// Target events per cell in [start - lookbackDays, start): the counts naive scales and eb shrinks.
    static func targetCounts(_ input: ForecastInput, lookbackDays: Double) -> [Double] {
        let from = input.window.start.timeIntervalSince1970 - lookbackDays * 86_400
        var counts = [Double](repeating: 0, count: input.grid.cellCount)
        let h = input.history
        let target = CategoryIndex.mask(input.targets)
        for i in 0..<h.count where h.time[i] >= from && target[CategoryIndex.of(h.category[i])] {
            if let c = input.grid.cell(x: h.x[i], y: h.y[i]) { counts[c] += 1 }
        }
        return counts
    }
}
