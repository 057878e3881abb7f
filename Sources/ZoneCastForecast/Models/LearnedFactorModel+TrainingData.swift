import Foundation
import ZoneCastCore

/// Settings checks and the training rows: density features at past origins and the target counts of the windows
/// that followed, with case-control sampling of the empty cells.
extension LearnedFactorModel {
    /// Everything the fit needs; internal so tests can check it.
    struct TrainingData {
        var features: [LearnedFeature]
        /// Training origins, oldest first (seconds since the epoch).
        var origins: [Double]
        var windowSeconds: Double
        /// Per row: window index (into `origins`), cell, count, case-control weight.
        var rowWindow: [Int] = []
        var rowCell: [Int] = []
        var y: [Double] = []
        var weight: [Double] = []
        /// Raw feature values per row, row-major (`features.count` per row).
        var raw: [Double] = []
        /// Raw layers at the forecast origin, one per feature.
        var originLayers: [[Double]] = []
        /// Per-feature scale: mean over active cells of the forecast-origin layer (0 for `.identity` extras).
        var rho: [Double] = []
        var keepProbability: [Double] = []
        var targetEvents = 0
        var targetHarm = 0.0
        var notes: [String] = []
    }

    func validate(_ input: ForecastInput) throws {
        func check(_ ok: Bool, _ n: String, _ v: Double) throws {
            if !ok { throw ForecastError.invalidParameter(model: name, name: n, value: v) }
        }
        for b in bandwidthsMeters { try check(b > 0 && b.isFinite, "bandwidthMeters", b) }
        for h in halfLivesDays { try check(h > 0 && h.isFinite, "halfLifeDays", h) }
        try check(trainingWindows >= 1, "trainingWindows", Double(trainingWindows))
        try check(!alphaGrid.isEmpty, "alphaGrid.count", 0)
        for a in alphaGrid { try check(a >= 0 && a.isFinite, "alpha", a) }
        try check(cvFolds >= 1, "cvFolds", Double(cvFolds))
        try check(zeroRowsPerWindow >= 1, "zeroRowsPerWindow", Double(zeroRowsPerWindow))
        try check(minimumHistoryDays >= 0, "minimumHistoryDays", minimumHistoryDays)
        try check(input.window.durationSeconds > 0, "window.durationSeconds", input.window.durationSeconds)
        guard !input.grid.activeCells.isEmpty else { throw ForecastError.emptyGrid }
    }

    func densityFeatures(for history: EventSet) -> [LearnedFeature] {
        let cats = categories.map { Array(Set($0)).sorted() } ?? Array(Set(history.category).subtracting([.other])).sorted()
        var out: [LearnedFeature] = []
        for c in cats { for b in bandwidthsMeters { for h in halfLivesDays { out.append(LearnedFeature(category: c, bandwidthMeters: b, halfLifeDays: h)) } } }
        return out
    }

    func trainingData(_ input: ForecastInput) throws -> TrainingData {
        try input.checkNoLookAhead(model: name)
        try validate(input)
        let grid = input.grid, h = input.history
        let t0 = input.window.start.timeIntervalSince1970, W = input.window.durationSeconds
        let densities = densityFeatures(for: h)
        let features = densities + extraLayers.map { LearnedFeature(name: $0.name) }
        let F = features.count

        // Past origins, oldest first, each with enough history before it.
        let earliest = h.time.min() ?? .infinity
        var origins: [Double] = []
        for k in stride(from: trainingWindows, through: 1, by: -1) {
            let o = t0 - Double(k) * W
            if o >= earliest + minimumHistoryDays * 86_400 { origins.append(o) }
        }
        var data = TrainingData(features: features, origins: origins, windowSeconds: W)
        if origins.count < trainingWindows {
            data.notes.append("\(trainingWindows - origins.count) of \(trainingWindows) training windows skipped: "
                              + "less than \(minimumHistoryDays) days of history before them")
        }

        // Target counts per training window (sparse), from history events of the target categories.
        let nWin = origins.count
        var counts = [[Int: Int]](repeating: [:], count: nWin)
        if let first = origins.first {
            for i in 0..<h.count where input.targets.contains(h.category[i]) {
                let t = h.time[i]
                guard t >= first, t < t0, let cell = grid.cell(x: h.x[i], y: h.y[i]), grid.active[cell] else { continue }
                let k = min(nWin - 1, Int(((t - first) / W).rounded(.down)))
                guard t >= origins[k], t < origins[k] + W else { continue }
                counts[k][cell, default: 0] += 1
                data.targetEvents += 1
                data.targetHarm += input.weights[h.category[i]]
            }
        }

        // Case-control sample per window; rows ordered by window then cell.
        let active = grid.activeCells
        var rowsOfWindow = [Range<Int>](repeating: 0..<0, count: nWin)
        for k in 0..<nWin {
            let q = CaseControlSampling.keepProbability(zeroRows: active.count - counts[k].count, targetZeroRows: zeroRowsPerWindow)
            data.keepProbability.append(q)
            let windowSeed = seed ^ (UInt64(bitPattern: Int64(origins[k].rounded())) &* 0xD1B5_4A32_D192_ED03)
            let start = data.y.count
            for cell in active {
                let c = counts[k][cell] ?? 0
                if c > 0 {
                    data.rowWindow.append(k); data.rowCell.append(cell); data.y.append(Double(c)); data.weight.append(1)
                } else if CaseControlSampling.keeps(seed: windowSeed, key: UInt64(cell), probability: q) {
                    data.rowWindow.append(k); data.rowCell.append(cell); data.y.append(0); data.weight.append(q >= 1 ? 1 : 1 / q)
                }
            }
            rowsOfWindow[k] = start..<data.y.count
        }

        // Sweep the density layers forward through the training origins to the forecast origin.
        data.raw = [Double](repeating: 0, count: data.y.count * F)
        var sweep = DensitySweep(model: self, grid: grid, history: h, features: densities)
        for k in 0..<nWin {
            sweep.advance(to: origins[k])
            let rows = rowsOfWindow[k]
            for f in 0..<densities.count {
                sweep.withLayer(f) { layer in
                    for r in rows { data.raw[r * F + f] = layer[data.rowCell[r]] }
                }
            }
            if !extraLayers.isEmpty {
                let pastInput = ForecastInput(history: h.before(Date(timeIntervalSince1970: origins[k])), grid: grid,
                                              window: ForecastWindow(start: Date(timeIntervalSince1970: origins[k]), durationSeconds: W),
                                              targets: input.targets, weights: input.weights)
                for (e, extra) in extraLayers.enumerated() {
                    let values = try extra.compute(pastInput)
                    guard values.count == grid.cellCount else {
                        throw ForecastError.invalidParameter(model: name, name: "\(extra.name).count", value: Double(values.count))
                    }
                    for r in rows { data.raw[r * F + densities.count + e] = values[data.rowCell[r]] }
                }
            }
        }
        sweep.advance(to: t0)
        data.originLayers = (0..<densities.count).map { sweep.layer($0) }
        for extra in extraLayers {
            let values = try extra.compute(input)
            guard values.count == grid.cellCount else {
                throw ForecastError.invalidParameter(model: name, name: "\(extra.name).count", value: Double(values.count))
            }
            data.originLayers.append(values)
        }
        for f in 0..<F {
            if f >= densities.count, extraLayers[f - densities.count].transform == .identity { data.rho.append(0); continue }
            var s = 0.0
            for c in active { s += max(0, data.originLayers[f][c]) }
            data.rho.append(s / Double(active.count))
        }
        return data
    }

    /// The transform from a raw value to the regression's feature.
    @inline(__always)
    static func transform(_ v: Double, rho: Double, identity: Bool) -> Double {
        if identity { return v.isFinite ? v : 0 }
        guard rho > 0, v > 0, v.isFinite else { return 0 }
        return log1p(v / rho)
    }
}
