import Foundation

extension BacktestResult {
    /// A plain-text table for the terminal: one row per model and area budget, pooled metrics with their
    /// bootstrap intervals ("-" where undefined, e.g. no test events), then per-model timings. Pure formatting.
    public func table() -> String {
        let level = Int((settings.confidenceLevel * 100).rounded())
        var lines: [String] = []
        lines.append("\(windows) windows of \(Self.number(settings.windowHours, 0)) h every \(Self.number(settings.cadenceHours, 0)) h, "
            + "\(settings.trainingDays.formatted0) training days; \(testEvents) test events (\(unscorableTestEvents) outside the active area); "
            + "targets: \(settings.targets.joined(separator: ", ")); intervals: \(level) % bootstrap over windows (B = \(settings.bootstrapReplicates)); "
            + "police-initiated records \(settings.includePoliceInitiated ? "INCLUDED in the models' inputs" : "excluded from the models' inputs")")
        let header = ["model", "area %", "cells", "km2", "hits/N", "hit rate", "PAI", "PEI*", "harm captured"]
        var rows: [[String]] = []
        for m in models {
            for b in m.budgets {
                rows.append([m.model, Self.number(b.areaFraction * 100, 1), "\(b.cells)", Self.number(b.km2, 2), "\(b.hits)/\(b.testEvents)",
                             Self.withInterval(b.hitRate, b.hitRateLower, b.hitRateUpper, 3),
                             Self.withInterval(b.pai, b.paiLower, b.paiUpper, 2),
                             Self.withInterval(b.pei, b.peiLower, b.peiUpper, 3),
                             Self.withInterval(b.harmCaptured, b.harmCapturedLower, b.harmCapturedUpper, 3)])
            }
        }
        let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
        func render(_ r: [String]) -> String {
            r.indices.map { i in
                i == 0 ? r[i].padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - r[i].count) + r[i]
            }
                .joined(separator: "  ")
        }
        lines.append(render(header))
        lines.append(contentsOf: rows.map(render))
        for m in models {
            lines.append("\(m.model): fit \(Self.number(m.fitSeconds, 2)) s, wall \(Self.number(m.wallSeconds, 2)) s, "
                + "mean Poisson deviance \(Self.number(m.meanPoissonDeviance, 1)) (uniform \(Self.number(m.meanUniformDeviance, 1)))")
        }
        return lines.joined(separator: "\n")
    }

    static func number(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }

    static func withInterval(_ v: Double?, _ lo: Double?, _ hi: Double?, _ digits: Int) -> String {
        guard let v else { return "-" }
        guard let lo, let hi else { return number(v, digits) }
        return "\(number(v, digits)) [\(number(lo, digits)), \(number(hi, digits))]"
    }
}

private extension Double {
    var formatted0: String { String(format: "%.0f", self) }
}
