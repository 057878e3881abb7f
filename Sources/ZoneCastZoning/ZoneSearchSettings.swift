/// How hard the optimiser searches. The defaults keep a proposal on a 200,000-cell grid well inside a quarter
/// of a second; larger values search more (a reference run for checking the defaults, say) at a linear cost.
public struct ZoneSearchSettings: Hashable, Sendable, Codable {
    /// Highest-value cells considered as seeds at all (one bounded-heap pass over the grid picks them).
    public var candidatePoolSize: Int
    /// Seeds grown into candidate zones each time a zone is chosen. Seeds are taken in ranking order, skipping
    /// cells already inside a candidate of the same round, so they spread over distinct hot spots.
    public var seedsPerZone: Int
    /// Partial plans kept after each zone is added.
    public var beamWidth: Int
    /// Best candidate zones tried as the next zone of each kept partial plan.
    public var branching: Int
    /// Rounds of re-optimising each zone with the others fixed.
    public var polishRounds: Int
    /// Candidates per re-optimised zone that also get ruin-and-regrow (the current zone always does).
    public var intensifiedCandidates: Int

    public init(candidatePoolSize: Int = 4_096, seedsPerZone: Int = 24, beamWidth: Int = 4, branching: Int = 4,
                polishRounds: Int = 2, intensifiedCandidates: Int = 1) {
        self.candidatePoolSize = candidatePoolSize
        self.seedsPerZone = seedsPerZone
        self.beamWidth = beamWidth
        self.branching = branching
        self.polishRounds = polishRounds
        self.intensifiedCandidates = intensifiedCandidates
    }

    func check() throws(ZoningError) {
        for (name, v, minimum) in [("candidatePoolSize", candidatePoolSize, 1), ("seedsPerZone", seedsPerZone, 1),
                                   ("beamWidth", beamWidth, 1), ("branching", branching, 1),
                                   ("polishRounds", polishRounds, 0), ("intensifiedCandidates", intensifiedCandidates, 0)]
            where v < minimum {
            throw .invalidSetting(name: name, value: Double(v), reason: "must be >= \(minimum)")
        }
    }
}
