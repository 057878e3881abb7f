import Foundation
import ZoneCastCore
public import ZoneCastForecast
import ZoneCastZoning

extension ProposalService {
    /// The forecast model a proposal's provenance names, built the same way wherever the proposal's forecast is
    /// computed (the proposal, its replay, its map surface, its police-initiated sensitivity): auto's inner validation
    /// windows keep the proposal's training span, and the recorded static layers go to the boosted model.
    public static func forecastModel(_ p: ProposalProvenance) throws -> any ForecastModel {
        try ModelCatalog.make(p.model, settings: p.model == "auto" ? ["auto.trainingDays": String(p.trainingDays)] : [:],
                              staticLayers: p.staticLayers ?? [])
    }

    /// A recorded proposal's forecast recomputed for its map and its sensitivity checks: for auto, the option the
    /// proposal selected, without choosing again (the choice costs every candidate's fit on every inner window, and
    /// a map is drawn far more often than a proposal is made; `replay` is what re-checks the choice).
    public static func recordedForecast(_ p: ProposalProvenance, input: ForecastInput) throws -> ModelForecast {
        let model = try forecastModel(p)
        if let auto = model as? AutoModel, let selected = p.selectedModel { return try auto.forecast(input, option: selected) }
        return try model.forecast(input)
    }

    /// The boosted model behind a proposal's forecast: the model asked for, or the candidate auto selected (a blend
    /// is not explained: its ranks mix several models). Nil for every other model.
    static func boostedModel(_ p: ProposalProvenance, selected: String?) throws -> BoostedTreesModel? {
        let model = try forecastModel(p)
        if let boosted = model as? BoostedTreesModel { return boosted }
        guard let auto = model as? AutoModel, let selected else { return nil }
        return auto.options.first { $0.label == selected }?.model as? BoostedTreesModel
    }

    /// Per zone, the sentence naming the features that raised its forecast most in the boosted model
    /// (`FeatureAttribution.top` by family, `ZoneDrivers.sentence`); nil for a zone nothing raised, and for every zone
    /// when the forecast is not the boosted model's. The model is fitted again, asked for the zones' cells'
    /// contributions: the fit is deterministic, so they are contributions to the very forecast the zones were chosen on.
    static func driverSentences(_ p: ProposalProvenance, selected: String?, input: ForecastInput, zones: [Zone]) throws -> [String?] {
        guard !zones.isEmpty, let boosted = try boostedModel(p, selected: selected) else { return zones.map { _ in nil } }
        let cells = Set(zones.flatMap(\.cells)).sorted()
        guard let contributions = try boosted.explain(input, cells: cells).contributions else { return zones.map { _ in nil } }
        return zones.map { ZoneDrivers.sentence(FeatureAttribution.top(contributions, zoneCells: $0.cells, cellSizeMeters: p.cellSizeMeters)) }
    }
}
