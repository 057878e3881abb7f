import Foundation
import Testing
import ZoneCastCore
import ZoneCastForecast
import ZoneCastIngest
import ZoneCastPlanning
import ZoneCastStore
import ZoneCastSynthetic
@testable import ZoneCastOversight
import ZoneCastZoning

@Suite("Feedback-loop guard: the runaway simulation and the police-initiated sensitivity")
struct FeedbackLoopTests {
    /// Five places whose true rates are a seed-chosen permutation of 0.8, 1.0, 1.2, 1.5 and 2.0 incidents a day; the
    /// historically patrolled place (three recorded incidents before day 1) is a seed-chosen place that is NOT the
    /// one with the highest true rate.
    static func scenario(seed: UInt64) -> FeedbackLoopSimulation {
        var rng = SplitMix64(seed: seed &* 7919)
        var rates = [0.8, 1.0, 1.2, 1.5, 2.0]
        for i in stride(from: rates.count - 1, to: 0, by: -1) { rates.swapAt(i, rng.index(below: i + 1)) }
        let highest = rates.firstIndex(of: 2.0)!
        let others = rates.indices.filter { $0 != highest }
        let historic = others[rng.index(below: others.count)]
        var initial = [Double](repeating: 0, count: 5)
        initial[historic] = 3
        return FeedbackLoopSimulation(trueRates: rates, days: 365, patrols: 1, discoveryProbability: 0.5, reportingProbability: 0.5, initialEstimates: initial)
    }

    @Test("given patrols sent each day to the top place by its estimate, when the estimate learns only from police-discovered incidents, then the historically patrolled place keeps the patrols (share at the highest-true-rate place < 0.3 over 8 seeds); when it learns from reported harm, patrols follow the true rates (> 0.8 in every seed)")
    func runawayLoop() async {
        var discoveredShares: [Double] = [], reportedShares: [Double] = []
        for seed in UInt64(1)...8 {
            let sim = Self.scenario(seed: seed)
            let historic = sim.initialEstimates.firstIndex(of: 3)!
            let discovered = sim.run(.discovered, seed: seed)
            let reported = sim.run(.reported, seed: seed)
            // Discovery-driven: the place that had the first patrols keeps (nearly) all of them.
            #expect(discovered.firstPatrolled == [historic], "seed \(seed)")
            #expect(discovered.shareAtFirstPatrolled > 0.95, "seed \(seed): \(discovered.shareAtFirstPatrolled)")
            // Nothing is ever observed where patrols are not.
            for r in 0..<5 where discovered.patrolDays[r] == 0 { #expect(discovered.observedIncidents[r] == 0) }
            // Report-driven: every place is observed and patrols end where the truth is worst.
            #expect(reported.shareAtHighestTrueRate > 0.8, "seed \(seed): \(reported.shareAtHighestTrueRate)")
            #expect(reported.lastPatrolled == Array(sim.highestTrueRatePlaces), "seed \(seed)")
            discoveredShares.append(discovered.shareAtHighestTrueRate)
            reportedShares.append(reported.shareAtHighestTrueRate)
        }
        let meanDiscoveredShare: Double = discoveredShares.reduce(0, +) / 8
        #expect(meanDiscoveredShare < 0.3)
        #expect(reportedShares.reduce(0, +) / 8 > 0.8)
    }

    @Test("given the same history, when only the true rates change, then discovery-driven patrols do not move at all (they ignore the truth) while report-driven ones move to the new worst place")
    func regardlessOfTrueRates() async {
        let a = FeedbackLoopSimulation(trueRates: [1.0, 2.0, 0.5], days: 200, initialEstimates: [1, 0, 0])
        let b = FeedbackLoopSimulation(trueRates: [0.5, 0.5, 3.0], days: 200, initialEstimates: [1, 0, 0])
        #expect(a.run(.discovered, seed: 3).patrolDays == [200, 0, 0])
        #expect(b.run(.discovered, seed: 3).patrolDays == [200, 0, 0])
        #expect(a.run(.reported, seed: 3).patrolShare[1] > 0.8)
        #expect(b.run(.reported, seed: 3).patrolShare[2] > 0.8)
    }

    @Test("the simulation is deterministic for a seed and its draws have the right means (Poisson λ = 2: mean 2 ± 0.05 over 20,000 draws)")
    func deterministic() async {
        let sim = FeedbackLoopSimulation.standard(days: 100)
        #expect(sim.run(.reported, seed: 9) == sim.run(.reported, seed: 9))
        var rng = SplitMix64(seed: 1)
        let draws = (0..<20_000).map { _ in FeedbackLoopSimulation.poisson(2, &rng) }
        let drawMean: Double = Double(draws.reduce(0, +)) / 20_000
        #expect(abs(drawMean - 2) < 0.05)
        let bin = (0..<20_000).map { _ in FeedbackLoopSimulation.binomial(4, 0.25, &rng) }
        let binMean: Double = Double(bin.reduce(0, +)) / 20_000
        #expect(abs(binMean - 1) < 0.03)
    }

    @Test("given surfaces without [4, 3, 2, 1] and with [4, 6, 2, 1] police-initiated records and zones A = {0}, B = {1}, when compared, then B's score doubles (+100 %), A's share falls from 0.4 to 4/13, the ranks swap, and only B survives a re-optimised plan {1, 3}")
    func sensitivityHandCase() async {
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 2, rows: 2)
        let window = ForecastWindow(start: Date(timeIntervalSince1970: 0), hours: 96)
        let without = RiskSurface(grid: grid, window: window, values: [4, 3, 2, 1])
        let with = RiskSurface(grid: grid, window: window, values: [4, 6, 2, 1])
        let s = PoliceInitiatedSensitivity.compare(cycleID: "C", zones: [(id: "A", cells: [0]), (id: "B", cells: [1])], without: without, with: with,
                                                   policeInitiatedRecords: 7, reoptimised: [[1, 3]])
        #expect(abs(s.totalWithout - 10) < 1e-12 && abs(s.totalWith - 13) < 1e-12)
        let a = s.zones[0], b = s.zones[1]
        #expect(abs(a.percentChange! - 0) < 1e-9 && abs(b.percentChange! - 100) < 1e-9)
        #expect(abs(a.shareWithout - 0.4) < 1e-12 && abs(a.shareWith - 4.0 / 13) < 1e-12)
        #expect(abs(b.shareChangePoints - 100 * (6.0 / 13 - 0.3)) < 1e-9)
        #expect(a.rankWithout == 1 && a.rankWith == 2 && b.rankWithout == 2 && b.rankWith == 1)
        #expect(a.topCellShareWith == 1 && b.topCellShareWith == 1)
        #expect(a.stillChosen == false && b.stillChosen == true)
        #expect(abs(s.largestChange! - 100) < 1e-9)
        #expect(!s.unchanged)
        #expect(PoliceInitiatedSensitivity.compare(cycleID: "C", zones: [(id: "A", cells: [0])], without: without, with: without, policeInitiatedRecords: 0).unchanged)
    }

    @Test("given a proposal on a synthetic year (police-initiated records excluded), when recomputed with them included, then the 'without' scores equal the proposal's own zone values, the records were counted, and every zone gets a row")
    func sensitivityOnProposal() async throws {
        let generator = SyntheticIncidentGenerator(rowCount: 12_000, seed: 21)
        var text = ""
        _ = try SyntheticCSV.write(generator, chunkBytes: 1 << 16) { text += String(decoding: $0, as: UTF8.self) }
        let store = InMemoryIncidentStore()
        let city = try Presets.jurisdiction("synthetic-city")
        try await store.setJurisdiction(city)
        let info = ImportBatchInfo(source: "synthetic", mappingName: "synthetic", fileName: "s.csv", fileSHA256: "s", startedAt: Date())
        _ = try await Importer(mapping: try Presets.mapping(named: "synthetic"), jurisdiction: city, now: Date(timeIntervalSince1970: 1_893_456_000))
            .importRecords(CSVReader(source: MemoryChunkSource(text)), info: info, into: store)
        // The harm model explicitly: the check below of records that cannot move the zones is about its weights.
        let cycle = try await ProposalService(model: "harm").propose(store: store, at: ISO8601DateFormatter().date(from: "2024-06-01T05:00:00Z")!, id: "C1")
        let surfaces = try await ProposalService.policeInitiatedSurfaces(of: cycle, store: store)
        let s = PoliceInitiatedSensitivity.compare(cycleID: cycle.id, zones: cycle.zones.map { ($0.id, $0.zone.cells) }, without: surfaces.without,
                                                   with: surfaces.with, policeInitiatedRecords: surfaces.policeInitiatedRecords, reoptimised: surfaces.reoptimised)
        #expect(surfaces.policeInitiatedRecords > 0)
        #expect(surfaces.policeInitiatedByCategory.values.reduce(0, +) == surfaces.policeInitiatedRecords)
        // The harm model gives "other" no weight: if every police-initiated record is "other", nothing can move.
        if surfaces.policeInitiatedByCategory.keys.allSatisfy({ $0 == .other }) { #expect(s.unchanged && s.largestChange == 0) }
        #expect(s.zones.count == cycle.zones.count)
        for (z, row) in zip(cycle.zones, s.zones) {
            #expect(abs(row.scoreWithout - z.zone.value) <= 1e-9 * max(1, z.zone.value), "\(z.id)")
            #expect(row.stillChosen != nil)
        }
    }
}
