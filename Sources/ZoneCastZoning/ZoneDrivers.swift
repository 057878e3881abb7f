import Foundation
public import ZoneCastForecast

/// The sentence a zone's explanation adds to name what drove it in the boosted model: the features (or families) with
/// the largest positive contributions over the zone's cells (`FeatureAttribution.top`), each with the factor by which
/// it raised the zone's forecast against the model's baseline.
public enum ZoneDrivers {
    /// E.g. "In the boosted model, the forecast here is raised most by homicide in the last 365 days within 1 cell
    /// around (3 x 3, 450 m across) (x2.1) and the long-run density of past incidents (x1.4)." Nil when nothing raised
    /// it (then the explanation says nothing rather than something empty).
    public static func sentence(_ top: [FeatureContribution]) -> String? {
        let parts = top.filter { $0.meanLogContribution > 0 }.map { "\($0.description) (x\(String(format: "%.1f", $0.rateRatio)))" }
        guard let last = parts.last else { return nil }
        let list = parts.count == 1 ? last : parts.dropLast().joined(separator: ", ") + " and " + last
        return "In the boosted model, the forecast here is raised most by \(list)."
    }
}
