import Foundation
import ZoneCastCore

extension AutoModel {
    /// The scores of the inner windows k = 1...K, in that order (nil for a window the history does not reach back
    /// far enough for). The windows are scored side by side on the machine's cores: each one's scores are a pure
    /// function of the input, so they, and the choice made from them, are the same whatever the number of cores or
    /// the order the windows finish in; the caller sums them in window order. (Each window's candidates were already
    /// fitted side by side, but its ranks, blends and top cells ran on one core while the other waited.) A failure
    /// is thrown for the earliest failing window, as when the windows ran one after the other.
    func innerWindows(_ input: ForecastInput, windows K: Int, windowSeconds W: Double, trainingSeconds L: Double,
                      budgets: [Int]) throws -> [AutoModelCache.Entry?] {
        let out = ConcurrentSlots<Result<AutoModelCache.Entry?, any Error>>(count: K)
        DispatchQueue.concurrentPerform(iterations: K) { i in
            out.set(i, Result { try innerWindow(i + 1, input, windowSeconds: W, trainingSeconds: L, budgets: budgets) })
        }
        return try out.values.map { try $0!.get() }
    }

    /// Inner window k, [o, o + W) with o = t0 - k W: the cached scores, or every option fitted on [o - L, o) and scored.
    func innerWindow(_ k: Int, _ input: ForecastInput, windowSeconds W: Double, trainingSeconds L: Double,
                     budgets: [Int]) throws -> AutoModelCache.Entry? {
        let h = input.history
        let o = input.window.start.timeIntervalSince1970 - Double(k) * W
        let from = o - L
        guard let earliest = h.time.min(), earliest <= from + 30 * 86_400 else { return nil }  // too little history
        // Events used: those available by o and starting after o - L (training), and the target events starting
        // in [o, o + W) (validation; in the history, so available by t0).
        let target = CategoryIndex.mask(input.targets)
        let train = h.filtered { h.time[$0] >= from && h.time[$0] + h.precisionSeconds[$0] <= o }
        let test = h.filtered { h.time[$0] >= o && h.time[$0] < o + W && target[CategoryIndex.of(h.category[$0])] }
        let key = AutoModelCache.Key(origin: o, trainingSeconds: L, windowSeconds: W, targets: input.targets.map(\.rawValue).sorted(),
                                     grid: input.grid.hashValue, options: options.map(\.label), budgets: budgets,
                                     digest: Self.digest(train) ^ (Self.digest(test) &* 31))
        if let cached = cache.entry(key) { return cached }
        let inner = ForecastInput(history: train, grid: input.grid, window: ForecastWindow(start: Date(timeIntervalSince1970: o), durationSeconds: W),
                                  targets: input.targets, weights: input.weights)
        let scored = try score(inner, test: test, budgets: budgets)
        cache.store(key, scored)
        return scored
    }
}
