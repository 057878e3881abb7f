public import Foundation
import ZoneCastCore
public import ZoneCastForecast

/// What happens to each zone when a new proposal is made against the zones in force.
public enum ZoneStatus: String, Hashable, Sendable, Codable {
    case new, kept, retired
}

public struct ZoneDecision: Hashable, Sendable, Codable {
    public var zone: Zone
    public var status: ZoneStatus
    /// Plain-language reason, generated from the numbers below.
    public var reason: String
    /// For a retired zone: the harm its replacement captures, relative to its own (1.25 = 25 % more).
    public var replacementRatio: Double?
}

/// The stability rules: a zone in force stays unless a replacement captures at least `replacementGain` more
/// forecast harm (default 20 %), and no zone changes within `minimumHoldHours` (default 72) of taking effect.
/// Churn has a cost the forecast does not see: officers learn a place and its people, and residents learn the
/// officers. Replacements are judged one zone at a time, weakest first, each against the best zone the optimiser
/// can place with every other zone held fixed; empty slots are then filled.
public struct ZoneStabilityPolicy: Hashable, Sendable, Codable {
    public var replacementGain: Double
    public var minimumHoldHours: Double

    public init(replacementGain: Double = 0.20, minimumHoldHours: Double = 72) {
        self.replacementGain = replacementGain
        self.minimumHoldHours = minimumHoldHours
    }

    /// Decides the next plan. `active` are the zones in force (measured on any surface: they are re-measured on
    /// `surface`), `activeSince` when they took effect, `at` the new cycle's start.
    public func propose(surface: RiskSurface, active: [Zone], activeSince: Date?, at: Date,
                        optimizer: ZoneOptimizer) throws(ZoningError) -> (plan: ZonePlan, decisions: [ZoneDecision]) {
        let measured = active.map { Zone(cells: $0.cells, surface: surface) }
        let total = surface.total
        // A zone in force that the current limits no longer allow (an area newly excluded, a smaller cap) is
        // retired whatever its harm, and whatever the hold period.
        var disallowed: [ZoneDecision] = []
        var current: [Zone] = []
        for z in measured {
            let problems = optimizer.constraints.violations(ofCells: z.cells, grid: surface.grid)
            if problems.isEmpty { current.append(z) } else {
                disallowed.append(ZoneDecision(zone: z, status: .retired, reason: "no longer allowed: \(problems.joined(separator: "; "))",
                                               replacementRatio: nil))
            }
        }
        func share(_ z: Zone) -> String { total > 0 ? String(format: "%.1f %%", 100 * z.value / total) : "0 %" }
        if let since = activeSince, !current.isEmpty, at.timeIntervalSince(since) < minimumHoldHours * 3_600 {
            let hours = at.timeIntervalSince(since) / 3_600
            let decisions = current.map {
                ZoneDecision(zone: $0, status: .kept,
                             reason: String(format: "in force for %.0f h, less than the %.0f h minimum before zones may change", hours, minimumHoldHours),
                             replacementRatio: nil)
            }
            if disallowed.isEmpty { return (ZonePlan(zones: current, surfaceTotal: total), decisions) }
            let filled = try optimizer.optimize(surface, fixed: current)
            let keptCells = Set(current.map(\.cells))
            let added = filled.zones.filter { !keptCells.contains($0.cells) }.enumerated().map { k, z in
                ZoneDecision(zone: z, status: .new,
                             reason: k < disallowed.count ? "replaces a zone the limits no longer allow; holds \(share(z)) of the city's forecast harm"
                                                          : "fills an empty slot with \(share(z)) of the city's forecast harm",
                             replacementRatio: nil)
            }
            return (filled, disallowed + decisions + added)
        }
        var kept = current
        var decisions: [ZoneDecision] = disallowed
        for zone in current.sorted(by: { $0.value < $1.value }) {
            let others = kept.filter { $0.cells != zone.cells }
            let alternative = try optimizer.optimize(surface, fixed: others)
            let fixedCells = Set(others.map(\.cells))
            guard let best = alternative.zones.filter({ !fixedCells.contains($0.cells) }).max(by: { $0.value < $1.value }) else {
                decisions.append(ZoneDecision(zone: zone, status: .kept, reason: "no replacement zone fits beside the other zones", replacementRatio: nil))
                continue
            }
            let ratio = zone.value > 0 ? best.value / zone.value : (best.value > 0 ? .infinity : 1)
            if best.cells != zone.cells, ratio >= 1 + replacementGain {
                kept = others + [best]
                decisions.append(ZoneDecision(
                    zone: zone, status: .retired,
                    reason: String(format: "a replacement captures %@ more forecast harm (%.0f %% against the %.0f %% threshold); "
                                       + "this zone now holds %@ of the city's forecast harm",
                                   ratio.isFinite ? String(format: "%.0f %%", (ratio - 1) * 100) : "infinitely",
                                   (ratio.isFinite ? (ratio - 1) * 100 : 999), replacementGain * 100, share(zone)),
                    replacementRatio: ratio))
                decisions.append(ZoneDecision(
                    zone: best, status: .new,
                    reason: String(format: "replaces a zone it beats by %@ of forecast harm; holds %@ of the city's forecast harm",
                                   ratio.isFinite ? String(format: "%.0f %%", (ratio - 1) * 100) : "all", share(best)),
                    replacementRatio: nil))
            } else {
                decisions.append(ZoneDecision(
                    zone: zone, status: .kept,
                    reason: best.cells == zone.cells
                        ? String(format: "still the best place for this slot; holds %@ of the city's forecast harm", share(zone))
                        : String(format: "the best replacement would capture only %.0f %% more forecast harm, below the %.0f %% threshold; "
                                     + "holds %@ of the city's forecast harm",
                                 max(0, (ratio - 1) * 100), replacementGain * 100, share(zone)),
                    replacementRatio: ratio))
            }
        }
        let filled = try optimizer.optimize(surface, fixed: kept)
        let keptCells = Set(kept.map(\.cells))
        for z in filled.zones where !keptCells.contains(z.cells) {
            decisions.append(ZoneDecision(zone: z, status: .new,
                                          reason: current.isEmpty ? "highest forecast harm available (\(share(z)) of the city's)"
                                                                  : "fills an empty slot with \(share(z)) of the city's forecast harm",
                                          replacementRatio: nil))
        }
        return (filled, decisions)
    }
}
