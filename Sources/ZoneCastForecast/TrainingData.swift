public import Foundation
public import ZoneCastCore

/// Why a forecast has nothing to learn from, with what the user needs to choose another origin: the origin, the
/// training period asked for, and the span of the data held. Without this check a forecast at 2019-06-01 on 2017
/// data "succeeds" with every cell scored 0.
public struct NoTrainingData: Hashable, Sendable, Codable, CustomStringConvertible {
    public var model: String
    public var origin: Date
    /// Start of the training period; nil when the model uses all history before the origin.
    public var trainingFrom: Date?
    /// The target categories, sorted.
    public var targets: [HarmCategory]
    /// First and last event time in the data given to the forecast (any category); nil when it held none.
    public var dataFrom: Date?
    public var dataTo: Date?
    public var timeZoneIdentifier: String

    public var description: String {
        let tz = TimeZone(identifier: timeZoneIdentifier) ?? TimeZone(secondsFromGMT: 0)!
        let origin = PlainWords.dateTime(origin, timeZone: tz, zone: true)
        let period = trainingFrom.map { "between \(PlainWords.day($0, timeZone: tz)) and the forecast origin \(origin)" }
            ?? "before the forecast origin \(origin)"
        let what = targets.count == HarmCategory.allCases.count
            ? "incident" : "incident of the target categories (\(targets.map(\.rawValue).joined(separator: ", ")))"
        let held: String
        if let dataFrom, let dataTo {
            held = "the data runs from \(PlainWords.day(dataFrom, timeZone: tz)) to \(PlainWords.day(dataTo, timeZone: tz))"
        } else {
            held = "there is no data at all"
        }
        return "\(model): no training data: no \(what) \(period); \(held). Choose an origin within or just after the data, or import newer records"
    }
}

extension EventSet {
    /// Throws `ForecastError.noTrainingData` when no event of `targets` both lies in [`trainingFrom`, `origin`) and
    /// ends before the origin (an event known only to the day counts once its whole day has passed, as in
    /// `before(_:)`). `trainingFrom` nil: all history before the origin counts.
    public func requireTrainingData(model: String, origin: Date, trainingFrom: Date?, targets: Set<HarmCategory>,
                                    timeZone: TimeZone) throws(ForecastError) {
        let o = origin.timeIntervalSince1970, from = trainingFrom?.timeIntervalSince1970 ?? -.infinity
        for i in 0..<count where targets.contains(category[i]) && time[i] >= from && time[i] + precisionSeconds[i] <= o { return }
        throw .noTrainingData(NoTrainingData(model: model, origin: origin, trainingFrom: trainingFrom, targets: targets.sorted(),
                                             dataFrom: time.min().map(Date.init(timeIntervalSince1970:)),
                                             dataTo: time.max().map(Date.init(timeIntervalSince1970:)), timeZoneIdentifier: timeZone.identifier))
    }
}
