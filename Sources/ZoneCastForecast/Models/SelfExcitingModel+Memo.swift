import Foundation
import ZoneCastCore

extension SelfExcitingModel {
    /// Fits the process to `events` (all of them: filter categories first) observed from the start of the
    /// earliest event's interval to `observationEnd` (seconds since the epoch; default: the end of the latest
    /// event's interval).
    ///
    /// A fit is a pure function of the settings, the events and the observation end, and the same one is asked for
    /// more than once: `boosted` fits the process on the history `sepp` has just fitted for its triggering feature,
    /// in a backtest and in `auto`'s inner windows alike. The last few fits are kept (`FitMemo`, keyed by every
    /// setting, the events' digest and count and the observation end), so the second asks costs a lookup.
    public func fit(_ events: EventSet, observationEnd: Double? = nil) throws -> SelfExcitingFit {
        let key = MemoKey(settings: memoSettings, seed: seed, events: events.count, digest: AutoModel.digest(events), observationEnd: observationEnd)
        if let known = Self.memo.value(key) { return known }
        let fit = try fitAfresh(events, observationEnd: observationEnd)
        Self.memo.store(key, fit)
        return fit
    }

    struct MemoKey: Hashable {
        var settings: [Double]
        var seed: UInt64
        var events: Int
        var digest: UInt64
        var observationEnd: Double?
    }

    static let memo = FitMemo<MemoKey, SelfExcitingFit>(capacity: 16)

    /// Every setting the fit depends on but the seed.
    var memoSettings: [Double] {
        [backgroundBandwidthMeters, maxTriggerDays, maxTriggerMeters, Double(maxIterations), tolerance,
         bounds.branchingRatio.lowerBound, bounds.branchingRatio.upperBound, bounds.omegaPerDay.lowerBound, bounds.omegaPerDay.upperBound,
         bounds.sigmaMeters.lowerBound, bounds.sigmaMeters.upperBound, initial.branchingRatio, initial.omegaPerDay, initial.sigmaMeters,
         initial.backgroundRatePerDay, Double(backgroundNeighbours), minimumBackgroundBandwidthMeters, maximumBackgroundBandwidthMeters,
         positionalAccuracyMeters]
    }
}

/// A small thread-safe memo of the last `capacity` results of a pure computation (oldest dropped first).
final class FitMemo<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Key: Value] = [:]
    private var order: [Key] = []
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func value(_ key: Key) -> Value? { lock.lock(); defer { lock.unlock() }; return entries[key] }

    func store(_ key: Key, _ value: Value) {
        lock.lock(); defer { lock.unlock() }
        if entries.updateValue(value, forKey: key) == nil { order.append(key) }
        while order.count > capacity { entries[order.removeFirst()] = nil }
    }
}
