import Foundation

/// The models by the names reports, the command line and proposals use, with the settings a sweep may change.
public enum ModelCatalog {
    public static let names = ["naive", "eb", "kde", "harm", "prospective", "sepp", "learned", "boosted", "auto"]

    public static let descriptions: [String: String] = [
        "naive": "target incidents per cell in the last 365 days (the baseline)",
        "eb": "empirical-Bayes counts: each cell's count shrunk toward its neighbours' density by a fitted amount (Poisson-gamma)",
        "kde": "time-decayed kernel density of the target categories",
        "harm": "multi-factor harm surface: every category's decayed density, combined with harm weights",
        "prospective": "prospective hotspotting (Bowers, Johnson & Pease 2004)",
        "sepp": "self-exciting point process fitted by EM (Mohler et al. 2011)",
        "learned": "learned factor model: regularised Poisson regression on category densities",
        "auto": "the model chosen at each origin by scoring every candidate on the windows just before it",
        "boosted": "gradient-boosted trees (XGBoost, Poisson objective) on counts, densities, recency and triggering",
    ]

    /// Settings a sweep can change, as `model.key=value` (`--set kde.bandwidth=300`).
    public static let settings: [String: String] = [
        "naive.lookbackDays": "days of history counted",
        "eb.lookbackDays": "days of history counted",
        "kde.bandwidth": "kernel standard deviation, metres", "kde.halfLife": "decay half-life, days",
        "harm.bandwidth": "kernel standard deviation for every factor, metres", "harm.halfLife": "decay half-life for every factor, days",
        "prospective.bandwidth": "spatial bandwidth, metres", "prospective.weeks": "temporal bandwidth, weeks",
        "sepp.backgroundBandwidth": "one fixed background kernel, metres (instead of the k-nearest-neighbour bandwidths)",
        "sepp.backgroundNeighbours": "k of the variable background bandwidth (0: fixed)",
        "sepp.positionalAccuracy": "radius stacked coordinates are spread within, metres", "sepp.maxTriggerDays": "triggering window, days",
        "sepp.maxTriggerMeters": "triggering radius, metres",
        "learned.trainingWindows": "past windows fitted", "learned.bandwidths": "feature bandwidths, metres, separated by /",
        "learned.halfLives": "feature half-lives, days, separated by /",
        "boosted.trainingWindows": "past windows trained on (the last validationWindows for early stopping)",
        "boosted.validationWindows": "most recent windows held out for early stopping",
        "auto.windows": "inner validation windows before each origin",
        "auto.areaFractions": "area budgets the choice is scored at, shares of the area separated by / (default 0.01)",
        "auto.areasKm2": "area budgets in km², separated by / (default 2.6: four zones of 0.65 km²)",
        "auto.standardErrors": "lead over the reference (eb) in standard errors an option needs (default 1; 0: the raw best)",
        "auto.candidates": "default (naive, kde settings, their blend, eb) or thorough (also sepp, learned, boosted and blends: slower)",
        "auto.trainingDays": "days of history the backtest or forecast gives each origin (inner windows keep the same span)",
        "boosted.maxRounds": "most boosting rounds", "boosted.maxDepth": "tree depth", "boosted.learningRate": "shrinkage (eta)",
    ]

    /// Whether `name` with `settings` reads analyst-supplied static layers: boosted, and auto when its candidates are
    /// the thorough ones (the default candidates hold no boosted model).
    public static func usesStaticLayers(_ name: String, settings: [String: String] = [:]) -> Bool {
        name == "boosted" || (name == "auto" && settings["auto.candidates"] == "thorough")
    }

    /// The model `name` with `settings`; `staticLayers` go to the boosted model (alone or among auto's thorough
    /// candidates) and are refused for a model that would ignore them, so a layer is never silently left out.
    public static func make(_ name: String, settings: [String: String] = [:], staticLayers: [BoostedTreesModel.StaticLayer] = []) throws -> any ForecastModel {
        guard staticLayers.isEmpty || usesStaticLayers(name, settings: settings) || !names.contains(name) else {
            throw ForecastError.invalidSetting("static layers (\(staticLayers.map(\.name).joined(separator: ", "))) are read by boosted, and by auto "
                                               + "with auto.candidates=thorough, not by \(name)")
        }
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
        case "eb": return EmpiricalBayesModel(lookbackDays: try number("lookbackDays") ?? 365)
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
            if let v = try number("backgroundBandwidth") { m.backgroundBandwidthMeters = v; m.backgroundNeighbours = 0 }
            if let v = settings["sepp.backgroundNeighbours"] {
                guard let k = Int(v), k >= 0 else { throw ForecastError.invalidSetting("sepp.backgroundNeighbours=\(v): expected a whole number >= 0") }
                m.backgroundNeighbours = k
            }
            if let v = settings["sepp.positionalAccuracy"] {
                guard let d = Double(v), d.isFinite, d >= 0 else { throw ForecastError.invalidSetting("sepp.positionalAccuracy=\(v): expected a number >= 0") }
                m.positionalAccuracyMeters = d
            }
            if let v = try number("maxTriggerDays") { m.maxTriggerDays = v }
            if let v = try number("maxTriggerMeters") { m.maxTriggerMeters = v }
            return m
        case "learned":
            var m = LearnedFactorModel()
            if let v = try number("trainingWindows") { m.trainingWindows = Int(v) }
            if let v = try list("bandwidths") { m.bandwidthsMeters = v }
            if let v = try list("halfLives") { m.halfLivesDays = v }
            return m
        case "boosted":
            var m = BoostedTreesModel()
            if let v = try number("trainingWindows") { m.trainingWindows = Int(v) }
            if let v = try number("validationWindows") { m.validationWindows = Int(v) }
            if let v = try number("maxRounds") { m.maxRounds = Int(v) }
            if let v = try number("maxDepth") { m.maxDepth = Int(v) }
            if let v = try number("learningRate") { m.learningRate = v }
            m.staticLayers = staticLayers
            return m
        case "auto":
            var m = AutoModel()
            if let v = try number("windows") { m.validationWindows = Int(v) }
            if let v = try list("areaFractions") { m.areaFractions = v }
            if let v = try list("areasKm2") { m.areasKm2 = v }
            if let v = try number("trainingDays") { m.trainingDays = v }
            if let v = settings["auto.standardErrors"] {
                guard let d = Double(v), d.isFinite, d >= 0 else { throw ForecastError.invalidSetting("auto.standardErrors=\(v): expected a number >= 0") }
                m.standardErrors = d
            }
            switch settings["auto.candidates"] {
            case nil, "default": break
            case "thorough": m.options = AutoModel.thoroughOptions(staticLayers: staticLayers)
            case let v?: throw ForecastError.invalidSetting("auto.candidates=\(v): expected default or thorough")
            }
            return m
        default: throw ForecastError.unknownModel(name, known: names)
        }
    }

    /// "naive,kde" or "all", with `--set model.key=value` settings. `staticLayers` go to the models that read them
    /// (`usesStaticLayers`); at least one listed model must.
    public static func parse(_ list: String, settings: [String] = [], staticLayers: [BoostedTreesModel.StaticLayer] = []) throws -> [any ForecastModel] {
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
        guard staticLayers.isEmpty || names.contains(where: { usesStaticLayers($0, settings: map) }) else {
            _ = try make(names[0], settings: map, staticLayers: staticLayers)  // throws, naming the layers and the model
            return []
        }
        return try names.map { try make($0, settings: map, staticLayers: usesStaticLayers($0, settings: map) ? staticLayers : []) }
    }
}
