import ArgumentParser
import ZoneCastForecast

/// The models the command line knows, by the names reports use.
enum ModelCatalog {
    static let names = ["naive", "kde", "harm", "prospective", "sepp", "learned"]

    static let descriptions: [String: String] = [
        "naive": "target incidents per cell in the last 365 days (the baseline)",
        "kde": "time-decayed kernel density of the target categories",
        "harm": "multi-factor harm surface: every category's decayed density, combined with harm weights",
        "prospective": "prospective hotspotting (Bowers, Johnson & Pease 2004)",
        "sepp": "self-exciting point process fitted by EM (Mohler et al. 2011)",
        "learned": "learned factor model: regularised Poisson regression on category densities",
    ]

    static func make(_ name: String) throws -> any ForecastModel {
        switch name {
        case "naive": return NaiveModel()
        case "kde": return HarmSurfaceModel(targetsOnly: true)
        case "harm": return HarmSurfaceModel()
        case "prospective": return ProspectiveHotspotModel()
        case "sepp": return SelfExcitingModel()
        case "learned": return LearnedFactorModel()
        default: throw ValidationError("unknown model \"\(name)\" (known: \(names.joined(separator: ", ")))")
        }
    }

    /// "naive,kde" or "all".
    static func parse(_ list: String) throws -> [any ForecastModel] {
        let names = list == "all" ? Self.names : list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty else { throw ValidationError("--model needs at least one model") }
        return try names.map(make)
    }
}
