import Foundation
public import ZoneCastCore

/// Multi-factor harm surface: for each category c, a time-decayed kernel density, combined with harm weights.
///
///   risk(cell) = sum_c w_c * (ln 2 / h_c) * window_days * sum_{i in c} 2^(-age_i / h_c) K_{b_c}(cell - x_i)
///
/// where age_i is the event's age in days at the origin, h_c the decay half-life in days, K_b a Gaussian kernel of
/// standard deviation b_c metres (integrated over the cell by binning then separable convolution), and w_c the
/// harm weight. Since sum_i 2^(-age/h) over a steady stream of rate r is r h / ln 2, each term estimates the
/// expected number of c incidents in the window, so the surface is expected harm (days of imprisonment
/// equivalent) per cell. Kernel density for crime mapping: Chainey, Tompson & Uhlig (2008); time decay after
/// Bowers, Johnson & Pease (2004). Cost: O(events + categories x cells x kernel width).
public struct HarmSurfaceModel: ForecastModel {
    public struct Factor: Hashable, Sendable, Codable {
        public var category: HarmCategory
        public var bandwidthMeters: Double
        public var halfLifeDays: Double

        public init(category: HarmCategory, bandwidthMeters: Double = 200, halfLifeDays: Double = 365) {
            self.category = category
            self.bandwidthMeters = bandwidthMeters
            self.halfLifeDays = halfLifeDays
        }
    }

    public var factors: [Factor]
    /// Use the forecast targets as the factors (with `targetBandwidthMeters` and `targetHalfLifeDays`) instead of
    /// `factors`: the classic single-layer kernel density of what is being forecast.
    public var targetsOnly: Bool
    public var targetBandwidthMeters: Double
    public var targetHalfLifeDays: Double

    public init(factors: [Factor] = Self.defaultFactors, targetsOnly: Bool = false, targetBandwidthMeters: Double = 200, targetHalfLifeDays: Double = 365) {
        self.factors = factors
        self.targetsOnly = targetsOnly
        self.targetBandwidthMeters = targetBandwidthMeters
        self.targetHalfLifeDays = targetHalfLifeDays
    }

    /// Defaults (200 m, 365-day half-life) were chosen by backtest sweeps (`zonecast backtest --set kde.halfLife=...`):
    /// on Chicago homicides 2016-2018 the hit rate at 1 % of the area was 0.082 with a 60-day half-life, 0.117 at
    /// 180 days and 0.118 at 365; on Kansas City GVA shootings 2016-2017, 0.229, 0.277 and 0.287. Places stay
    /// dangerous for years; short memories chase noise.
    ///
    /// Every harm category except "other": violence, crashes and overdoses together, as the initiative combines them.
    public static let defaultFactors: [Factor] = HarmCategory.allCases.filter { $0 != .other }.map { Factor(category: $0) }

    public var name: String { targetsOnly ? "kde" : "harm" }

    public func forecast(_ input: ForecastInput) throws -> ModelForecast {
        try input.checkNoLookAhead(model: name)
        let active = targetsOnly
            ? input.targets.sorted().map { Factor(category: $0, bandwidthMeters: targetBandwidthMeters, halfLifeDays: targetHalfLifeDays) } : factors
        for f in active {
            guard f.bandwidthMeters > 0 else {
                throw ForecastError.invalidParameter(model: name, name: "\(f.category.rawValue).bandwidthMeters", value: f.bandwidthMeters)
            }
            guard f.halfLifeDays > 0 else {
                throw ForecastError.invalidParameter(model: name, name: "\(f.category.rawValue).halfLifeDays", value: f.halfLifeDays)
            }
        }
        let grid = input.grid, h = input.history
        let origin = input.window.start.timeIntervalSince1970
        var total = [Double](repeating: 0, count: grid.cellCount)
        var parameters: [String: Double] = [:]
        // Bin once per category (the first factor of a category sets its half-life), then smooth each category's
        // layer. Tables by category index rather than dictionaries: see `CategoryIndex`.
        var bins = [[Double]?](repeating: nil, count: CategoryIndex.count)
        var wanted = [Factor?](repeating: nil, count: CategoryIndex.count)
        for f in active.reversed() { wanted[CategoryIndex.of(f.category)] = f }
        for i in 0..<h.count {
            let k = CategoryIndex.of(h.category[i])
            guard let f = wanted[k], let c = grid.cell(x: h.x[i], y: h.y[i]) else { continue }
            let ageDays = (origin - (h.time[i] + h.precisionSeconds[i] / 2)) / 86_400
            if bins[k] == nil { bins[k] = [Double](repeating: 0, count: grid.cellCount) }
            bins[k]![c] += exp2(-max(0, ageDays) / f.halfLifeDays)
        }
        for f in active {
            guard let layer = bins[CategoryIndex.of(f.category)] else { continue }
            let smoothed = GaussianSmoother.smooth(layer, columns: grid.columns, rows: grid.rows, cellSizeMeters: grid.cellSizeMeters,
                                                   bandwidthMeters: f.bandwidthMeters)
            let scale = (targetsOnly ? 1 : input.weights[f.category]) * M_LN2 / f.halfLifeDays * input.window.durationDays
            for k in 0..<total.count where smoothed[k] != 0 { total[k] += smoothed[k] * scale }
            parameters["\(f.category.rawValue).bandwidthMeters"] = f.bandwidthMeters
            parameters["\(f.category.rawValue).halfLifeDays"] = f.halfLifeDays
        }
        return ModelForecast(surface: RiskSurface(grid: grid, window: input.window, values: total), parameters: parameters)
    }
}
