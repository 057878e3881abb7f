
/// The models by the names reports, the command line and proposals use, with the settings a sweep may change.
public enum ModelCatalog {
    public static let names = ["naive", "kde", "harm", "prospective", "sepp", "learned"]

    public static let descriptions: [String: String] = [
        "naive": "target incidents per cell in the last 365 days (the baseline)",
        "kde": "time-decayed kernel density of the target categories",
        "harm": "multi-factor harm surface: every category's decayed density, combined with harm weights",
        "prospective": "prospective hotspotting (Bowers, Johnson & Pease 2004)",
        "sepp": "self-exciting point process fitted by EM (Mohler et al. 2011)",
        "learned": "learned factor model: regularised Poisson regression on category densities",
    ]

    /// Settings a sweep can change, as `model.key=value` (`--set kde.bandwidth=300`).
    public static let settings: [String: String] = [
        "naive.lookbackDays": "days of history counted",
        "kde.bandwidth": "kernel standard deviation, metres", "kde.halfLife": "decay half-life, days",
        "harm.bandwidth": "kernel standard deviation for every factor, metres", "harm.halfLife": "decay half-life for every factor, days",
        "prospective.bandwidth": "spatial bandwidth, metres", "prospective.weeks": "temporal bandwidth, weeks",
        "sepp.backgroundBandwidth": "background kernel, metres", "sepp.maxTriggerDays": "triggering window, days",
        "sepp.maxTriggerMeters": "triggering radius, metres",
        "learned.trainingWindows": "past windows fitted", "learned.bandwidths": "feature bandwidths, metres, separated by /",
        "learned.halfLives": "feature half-lives, days, separated by /",
    ]

    public static func make(_ name: String, settings: [String: String] = [:]) throws -> any ForecastModel {
        func number(_ key: String) throws -> Double? {
            guard let v = settings["\(name).\(key)"] else { return nil }
            guard let d = Double(v), d.isFinite, d > 0 else { throw ForecastError.invalidSetting("\(name).\(key)=\(v): expected a positive number") }
            return d
        }
        func list(_ key: String) throws -> [Double]? {
            guard let v = settings["\(name).\(key)"] else { return nil }
            let values = v.split(separator: "/").compactMap { Double($0) }.filter { $0 > 0 }
            guard !values.isEmpty else { throw ForecastError.invalidSetting("\(name).\(key)=\(v): expected numbers separated by /") }
            return values
        }
        switch name {
        case "naive": return NaiveModel(lookbackDays: try number("lookbackDays") ?? 365)
        case "kde", "harm":
            var m = HarmSurfaceModel(targetsOnly: name == "kde")
            let b = try number("bandwidth"), h = try number("halfLife")
            m.factors = m.factors.map { .init(category: $0.category, bandwidthMeters: b ?? $0.bandwidthMeters, halfLifeDays: h ?? $0.halfLifeDays) }
            m.targetBandwidthMeters = b ?? m.targetBandwidthMeters
            m.targetHalfLifeDays = h ?? m.targetHalfLifeDays
            return m
        case "prospective":
            return ProspectiveHotspotModel(spatialBandwidthMeters: try number("bandwidth") ?? 400, temporalBandwidthWeeks: try number("weeks") ?? 8)
        case "sepp":
            var m = SelfExcitingModel()
            if let v = try number("backgroundBandwidth") { m.backgroundBandwidthMeters = v }
            if let v = try number("maxTriggerDays") { m.maxTriggerDays = v }
            if let v = try number("maxTriggerMeters") { m.maxTriggerMeters = v }
            return m
        case "learned":
            var m = LearnedFactorModel()
            if let v = try number("trainingWindows") { m.trainingWindows = Int(v) }
            if let v = try list("bandwidths") { m.bandwidthsMeters = v }
            if let v = try list("halfLives") { m.halfLivesDays = v }
            return m
        default: throw ForecastError.unknownModel(name, known: names)
        }
    }

    /// "naive,kde" or "all", with `--set model.key=value` settings.
    public static func parse(_ list: String, settings: [String] = []) throws -> [any ForecastModel] {
        var map: [String: String] = [:]
        for s in settings {
            let parts = s.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, Self.settings[parts[0]] != nil else {
                throw ForecastError.invalidSetting("\(s): expected model.key=value with a key among \(Self.settings.keys.sorted().joined(separator: ", "))")
            }
            map[parts[0]] = parts[1]
        }
        let names = list == "all" ? Self.names : list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty else { throw ForecastError.invalidSetting("no model named") }
        return try names.map { try make($0, settings: map) }
    }
}
