import Foundation
import ZoneCastForecast

/// How a deployable shape did: the cells actually patrolled (e.g. the optimiser's four compact zones) against
/// the same number of top cells, pooled over windows, so the cost of compact, patrollable zones is visible.
public struct DeploymentScore: Hashable, Sendable, Codable {
    /// Mean flagged cells per window and their area.
    public var meanCells: Double
    public var meanKm2: Double
    public var meanAreaFraction: Double
    public var hits: Int
    public var testEvents: Int
    /// Hindsight maximum for the same number of cells (the PEI* denominator).
    public var bestPossibleHits: Int
    public var hitRate: Double?
    public var pai: Double?
    public var pei: Double?
    /// The same metrics for the top cells of equal count.
    public var topCellHits: Int
    public var topCellHitRate: Double?
    public var topCellPAI: Double?

    /// Accumulates one window.
    mutating func add(flagged: [Int], surface: RiskSurface, observed: ObservedCounts) {
        let k = flagged.count
        let grid = surface.grid
        windows += 1
        sumCells += Double(k)
        sumFraction += Double(k) / Double(max(1, grid.activeCells.count))
        hits += flagged.reduce(0) { $0 + observed.countByCell[$1] }
        testEvents += observed.totalEvents
        bestPossibleHits += observed.bestPossibleHits(cells: k)
        topCellHits += surface.topCells(k).reduce(0) { $0 + observed.countByCell[$1] }
        cellAreaKm2 = grid.cellAreaKm2
        finish()
    }

    var windows = 0, sumCells = 0.0, sumFraction = 0.0, cellAreaKm2 = 0.0

    init() {
        meanCells = 0; meanKm2 = 0; meanAreaFraction = 0; hits = 0; testEvents = 0; bestPossibleHits = 0; topCellHits = 0
    }

    private mutating func finish() {
        let w = Double(max(1, windows))
        meanCells = sumCells / w
        meanKm2 = meanCells * cellAreaKm2
        meanAreaFraction = sumFraction / w
        guard testEvents > 0 else { return }
        hitRate = Double(hits) / Double(testEvents)
        topCellHitRate = Double(topCellHits) / Double(testEvents)
        if meanAreaFraction > 0 {
            pai = hitRate! / meanAreaFraction
            topCellPAI = topCellHitRate! / meanAreaFraction
        }
        pei = bestPossibleHits > 0 ? Double(hits) / Double(bestPossibleHits) : nil
    }

    enum CodingKeys: String, CodingKey {
        case meanCells, meanKm2, meanAreaFraction, hits, testEvents, bestPossibleHits, hitRate, pai, pei, topCellHits, topCellHitRate, topCellPAI
    }
}
