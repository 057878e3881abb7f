import Foundation
import ZoneCastCore

/// Prospective hotspotting (Bowers, Johnson & Pease 2004, Br. J. Criminol. 44:641): every recent target event
/// adds 1 / ((1 + d)(1 + t)) to each cell within the spatial bandwidth, with d the distance between the cell and
/// the event's cell in cell widths and t the event's age in whole weeks; events beyond either bandwidth add 0.
/// Each event touches only the cells within its bandwidth, never every cell.
public struct ProspectiveHotspotModel: ForecastModel {
    public var spatialBandwidthMeters: Double
    public var temporalBandwidthWeeks: Double

    public init(spatialBandwidthMeters: Double = 400, temporalBandwidthWeeks: Double = 8) {
        self.spatialBandwidthMeters = spatialBandwidthMeters
        self.temporalBandwidthWeeks = temporalBandwidthWeeks
    }

    public var name: String { "prospective" }

    public func forecast(_ input: ForecastInput) throws -> ModelForecast {
        try input.checkNoLookAhead(model: name)
        guard spatialBandwidthMeters >= 0 else {
            throw ForecastError.invalidParameter(model: name, name: "spatialBandwidthMeters", value: spatialBandwidthMeters)
        }
        guard temporalBandwidthWeeks >= 0 else {
            throw ForecastError.invalidParameter(model: name, name: "temporalBandwidthWeeks", value: temporalBandwidthWeeks)
        }
        let grid = input.grid, h = input.history
        let origin = input.window.start.timeIntervalSince1970
        let bandCells = spatialBandwidthMeters / grid.cellSizeMeters
        let reach = Int(bandCells.rounded(.down))
        var values = [Double](repeating: 0, count: grid.cellCount)
        for i in 0..<h.count where input.targets.contains(h.category[i]) {
            let weeks = ((origin - h.time[i]) / (7 * 86_400)).rounded(.down)
            guard weeks >= 0, weeks <= temporalBandwidthWeeks, let cell = grid.cell(x: h.x[i], y: h.y[i]) else { continue }
            let c0 = grid.column(of: cell), r0 = grid.row(of: cell)
            let timeFactor = 1 / (1 + weeks)
            for dr in -reach...reach {
                let r = r0 + dr
                guard r >= 0, r < grid.rows else { continue }
                for dc in -reach...reach {
                    let c = c0 + dc
                    guard c >= 0, c < grid.columns else { continue }
                    let d = (Double(dr * dr + dc * dc)).squareRoot()
                    guard d <= bandCells else { continue }
                    values[r * grid.columns + c] += timeFactor / (1 + d)
                }
            }
        }
        return ModelForecast(surface: RiskSurface(grid: grid, window: input.window, values: values),
                             parameters: ["spatialBandwidthMeters": spatialBandwidthMeters, "temporalBandwidthWeeks": temporalBandwidthWeeks])
    }
}
