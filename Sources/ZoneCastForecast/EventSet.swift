public import Foundation
public import ZoneCastCore

/// Incidents as the models see them: columns of numbers, no strings. Times are seconds since the epoch of the
/// start of each incident's precision interval; `precisionSeconds` is that interval's length (60, 3600, 86400).
public struct EventSet: Sendable, Hashable {
    public var x: [Double] = []
    public var y: [Double] = []
    public var time: [Double] = []
    public var precisionSeconds: [Double] = []
    public var category: [HarmCategory] = []

    public init() {}

    public init(_ incidents: some Sequence<Incident>, includePoliceInitiated: Bool = false) {
        for i in incidents where includePoliceInitiated || !i.policeInitiated {
            append(x: i.position.xMeters, y: i.position.yMeters, time: i.occurredAt.timeIntervalSince1970,
                   precisionSeconds: Double(i.occurredPrecision.intervalSeconds), category: i.category)
        }
    }

    public mutating func append(x: Double, y: Double, time: Double, precisionSeconds: Double = 60, category: HarmCategory) {
        self.x.append(x)
        self.y.append(y)
        self.time.append(time)
        self.precisionSeconds.append(precisionSeconds)
        self.category.append(category)
    }

    public var count: Int { x.count }
    public var isEmpty: Bool { x.isEmpty }

    public func filtered(_ keep: (Int) -> Bool) -> EventSet {
        var out = EventSet()
        for i in 0..<count where keep(i) {
            out.append(x: x[i], y: y[i], time: time[i], precisionSeconds: precisionSeconds[i], category: category[i])
        }
        return out
    }

    /// Events that occurred before `date` (their whole precision interval ends by then: no look-ahead).
    public func before(_ date: Date) -> EventSet {
        let t = date.timeIntervalSince1970
        return filtered { time[$0] + precisionSeconds[$0] <= t }
    }

    public func within(_ window: ForecastWindow) -> EventSet {
        let a = window.start.timeIntervalSince1970, b = window.end.timeIntervalSince1970
        return filtered { time[$0] >= a && time[$0] < b }
    }

    public func only(_ categories: Set<HarmCategory>) -> EventSet { filtered { categories.contains(category[$0]) } }

    /// Latest instant any event could have happened at.
    public var latestPossibleTime: Double? { (0..<count).map { time[$0] + precisionSeconds[$0] }.max() }
}
