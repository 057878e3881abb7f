import Foundation

/// The alpha path with cross-validation, the final fit and the forecast surface.
extension LearnedFactorModel {
    func fitAndPredict(_ input: ForecastInput, _ data: TrainingData) throws -> (forecast: ModelForecast, report: LearnedFactorReport) {
        let grid = input.grid, F = data.features.count, n = data.y.count
        let identity = (0..<F).map { $0 >= F - extraLayers.count && extraLayers[$0 - (F - extraLayers.count)].transform == .identity }
        var X = [Double](repeating: 0, count: n * F)
        for r in 0..<n { for f in 0..<F { X[r * F + f] = Self.transform(data.raw[r * F + f], rho: data.rho[f], identity: identity[f]) } }
        let names = data.features.map(\.name)
        let windows = data.origins.map { ForecastWindow(start: Date(timeIntervalSince1970: $0), durationSeconds: data.windowSeconds) }
        var notes = data.notes
        let meanHarm = data.targetEvents > 0 ? data.targetHarm / Double(data.targetEvents) : 0
        var report = LearnedFactorReport(origin: input.window.start, windowDays: input.window.durationDays, alpha: .nan,
                                         crossValidation: [], trainingWindows: windows, sampledRows: n,
                                         positiveRows: data.y.filter { $0 > 0 }.count, targetEvents: data.targetEvents,
                                         zeroKeepProbabilities: data.keepProbability, intercept: .nan,
                                         interceptStandardError: .nan, coefficients: [], meanHarmPerEvent: meanHarm,
                                         converged: false, iterations: 0, notes: [])
        for f in 0..<F where !identity[f] {
            // rho as expected events per cell per window implied by the layer (densities) or the layer mean (extras).
            if let h = data.features[f].halfLifeDays { report.featureScales[names[f]] = data.rho[f] * M_LN2 / h * input.window.durationDays }
            else { report.featureScales[names[f]] = data.rho[f] }
        }
        var parameters: [String: Double] = ["trainingWindows": Double(data.origins.count), "sampledRows": Double(n),
                                            "positiveRows": Double(report.positiveRows), "targetEvents": Double(data.targetEvents)]

        guard data.targetEvents > 0, report.positiveRows > 0 else {
            notes.append("no target events in the training windows: the forecast is 0 everywhere")
            report.notes = notes
            parameters["alpha"] = .nan
            parameters["cvDeviance"] = .nan
            let surface = RiskSurface(grid: grid, window: input.window, values: [Double](repeating: 0, count: grid.cellCount))
            return (ModelForecast(surface: surface, parameters: parameters, notes: notes), report)
        }

        // Time-ordered cross-validation over the alpha grid.
        let nWin = data.origins.count
        let alphas = Array(Set(alphaGrid)).sorted(by: >)
        var devSum = [Double](repeating: 0, count: alphas.count), devWeight = [Double](repeating: 0, count: alphas.count)
        var foldsScored = [Int](repeating: 0, count: alphas.count)
        let block = max(1, nWin / (cvFolds + 1))
        for j in 0..<cvFolds {
            let validStart = nWin - (cvFolds - j) * block, validEnd = validStart + block
            guard validStart >= 1, validEnd <= nWin else { continue }
            let trainRows = (0..<n).filter { data.rowWindow[$0] < validStart }
            let validRows = (0..<n).filter { data.rowWindow[$0] >= validStart && data.rowWindow[$0] < validEnd }
            guard trainRows.contains(where: { data.y[$0] > 0 }), !validRows.isEmpty else { continue }
            let (Xt, yt, wt) = subset(X, F, data, trainRows)
            var warm: [Double]? = nil
            for (a, alpha) in alphas.enumerated() {
                guard let fit = try? PoissonRegression(alpha: alpha, standardize: true)
                    .fit(design: Xt, featureCount: F, y: yt, weights: wt, names: names, initial: warm) else { continue }
                warm = fit.coefficients
                let raw = fit.rawCoefficients
                for r in validRows {
                    var eta = raw[0]
                    for f in 0..<F { eta += raw[f + 1] * X[r * F + f] }
                    devSum[a] += data.weight[r] * PoissonRegression.unitDeviance(y: data.y[r], mu: exp(poissonCappedEta(eta)))
                    devWeight[a] += data.weight[r]
                }
                foldsScored[a] += 1
            }
        }
        var chosen = alphas.contains(1) ? 1.0 : alphas[alphas.count / 2], best = Double.infinity
        for (a, alpha) in alphas.enumerated() {
            let mean = devWeight[a] > 0 ? devSum[a] / devWeight[a] : .nan
            report.crossValidation.append(.init(alpha: alpha, meanDeviance: mean, folds: foldsScored[a]))
            if mean < best { best = mean; chosen = alpha }   // alphas descend, so ties keep the larger
        }
        report.crossValidation.sort { $0.alpha < $1.alpha }
        if !best.isFinite { notes.append("too few training windows for cross-validation: alpha = \(chosen) by default") }

        // Final fit on every training window.
        let fit = try PoissonRegression(alpha: chosen, standardize: true).fit(design: X, featureCount: F, y: data.y, weights: data.weight, names: names)
        if !fit.converged { notes.append("Newton did not converge in \(fit.iterations) iterations") }
        if !fit.aliased.isEmpty { notes.append("constant over the training rows, held at 0: \(fit.aliased.joined(separator: ", "))") }
        report.alpha = chosen
        report.intercept = fit.coefficients[0]
        report.interceptStandardError = fit.standardErrors[0]
        report.converged = fit.converged
        report.iterations = fit.iterations
        report.coefficients = (0..<F).map { f in
            LearnedFactorReport.Coefficient(feature: data.features[f], estimate: fit.coefficients[f + 1],
                                            standardError: fit.standardErrors[f + 1], robustStandardError: fit.robustStandardErrors[f + 1])
        }
        report.notes = notes

        // Predict the window at the origin.
        let raw = fit.rawCoefficients
        let scale = outputHarm ? meanHarm : 1
        var values = [Double](repeating: 0, count: grid.cellCount)
        for cell in grid.activeCells {
            var eta = raw[0]
            for f in 0..<F where raw[f + 1] != 0 {
                eta += raw[f + 1] * Self.transform(data.originLayers[f][cell], rho: data.rho[f], identity: identity[f])
            }
            values[cell] = exp(poissonCappedEta(eta)) * scale
        }

        parameters["alpha"] = chosen
        parameters["cvDeviance"] = best.isFinite ? best : .nan
        parameters["meanHarmPerEvent"] = meanHarm
        parameters["converged"] = fit.converged ? 1 : 0
        parameters["coef.intercept"] = fit.coefficients[0]
        parameters["se.intercept"] = fit.standardErrors[0]
        for c in report.coefficients {
            parameters["coef.\(c.name)"] = c.estimate
            parameters["se.\(c.name)"] = c.standardError
        }
        let surface = RiskSurface(grid: grid, window: input.window, values: values)
        return (ModelForecast(surface: surface, parameters: parameters, notes: notes), report)
    }

    private func subset(_ X: [Double], _ F: Int, _ data: TrainingData, _ rows: [Int]) -> ([Double], [Double], [Double]) {
        var Xs = [Double](), ys = [Double](), ws = [Double]()
        Xs.reserveCapacity(rows.count * F); ys.reserveCapacity(rows.count); ws.reserveCapacity(rows.count)
        for r in rows {
            Xs.append(contentsOf: X[(r * F)..<(r * F + F)]); ys.append(data.y[r]); ws.append(data.weight[r])
        }
        return (Xs, ys, ws)
    }
}
