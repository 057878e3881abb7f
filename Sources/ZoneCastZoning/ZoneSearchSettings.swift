/// How hard the optimiser searches. The defaults keep a proposal on a 200,000-cell grid well inside a quarter
/// of a second; larger values search more (a reference run for checking the defaults, say) at a linear cost.
public struct ZoneSearchSettings: Hashable, Sendable, Codable {
    /// Highest-value cells considered as seeds at all (one bounded-heap pass over the grid picks them).
    public var candidatePoolSize: Int
    /// The first seeds of each round, taken in ranking order even inside an earlier candidate of the round, so
    /// the best hot spot is grown from several starts (shifted variants of its zone).
    public var denseSeeds: Int
    /// Further seeds of each round, in ranking order but skipping cells already inside a candidate of the
    /// same round, so they spread over distinct hot spots.
    public var seedsPerZone: Int
    /// Partial plans kept after each zone is added.
    public var beamWidth: Int
    /// Best candidate zones tried as the next zone of each kept partial plan.
    public var branching: Int
    /// Rounds of re-optimising each zone with the others fixed.
    public var polishRounds: Int
    /// Seeds per zone in pair regrowth (the zone's best cells; its partner's best cell plus as many blocked cells).
    public var pairSeeds: Int
    /// Cells tried per ruin-and-regrow phase (lowest value first).
    public var ruinTrials: Int
    /// Candidates per re-optimised zone that also get ruin-and-regrow (the current zone always does).
    public var intensifiedCandidates: Int

    public init(candidatePoolSize: Int = 4_096, denseSeeds: Int = 16, seedsPerZone: Int = 32, beamWidth: Int = 8,
                branching: Int = 8, polishRounds: Int = 2, pairSeeds: Int = 3, ruinTrials: Int = 12, intensifiedCandidates: Int = 2) {
        self.ruinTrials = ruinTrials
        self.pairSeeds = pairSeeds
        self.candidatePoolSize = candidatePoolSize
        self.denseSeeds = denseSeeds
        self.seedsPerZone = seedsPerZone
        self.beamWidth = beamWidth
        self.branching = branching
        self.polishRounds = polishRounds
        self.intensifiedCandidates = intensifiedCandidates
    }

    func check() throws(ZoningError) {
        for (name, v, minimum) in [("candidatePoolSize", candidatePoolSize, 1), ("denseSeeds", denseSeeds, 0), ("seedsPerZone", seedsPerZone, 1),
                                   ("beamWidth", beamWidth, 1), ("branching", branching, 1),
                                   ("polishRounds", polishRounds, 0), ("pairSeeds", pairSeeds, 1), ("ruinTrials", ruinTrials, 0),
                                   ("intensifiedCandidates", intensifiedCandidates, 0)]
            where v < minimum {
            throw .invalidSetting(name: name, value: Double(v), reason: "must be >= \(minimum)")
        }
    }
}
