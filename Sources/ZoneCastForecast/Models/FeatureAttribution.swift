import Foundation
import ZoneCastCore

/// Each feature's contribution to the boosted model's forecast of some cells: TreeSHAP values (Lundberg, Erion,
/// Chen et al. 2020, "From local explanations to global understanding with explainable AI for trees", Nature
/// Machine Intelligence 2:56) on the margin, log E[count], so a cell's contributions plus the bias sum to the log of
/// its forecast. Unlike gain importance, which says what the model uses anywhere, these say what raised or lowered
/// the forecast here.
public struct CellContributions: Sendable, Hashable {
    public let features: [String]
    /// Grid indices of the cells explained, in the order of `values`' rows.
    public let cells: [Int]
    /// cells.count x (features.count + 1) values, row-major, the bias (the model's baseline log count) last.
    public let values: [Double]

    public init(features: [String], cells: [Int], values: [Double]) {
        precondition(values.count == cells.count * (features.count + 1), "one row of features + bias per cell")
        self.features = features
        self.cells = cells
        self.values = values
    }
}

/// What drove a zone: one feature (or family of features) and its contribution.
public struct FeatureContribution: Sendable, Hashable {
    /// The feature's name (`n.homicide.365d.r1`), or its family (`n.homicide`, `kde`, `since`, `sepp`, `static.<layer>`,
    /// `season`) when grouped.
    public var feature: String
    /// Plain language, for a zone's explanation.
    public var description: String
    /// Mean over the zone's cells of the contribution to log E[count].
    public var meanLogContribution: Double
    /// e^mean: the factor by which this raised (> 1) or lowered (< 1) the zone's forecast against the model's baseline.
    public var rateRatio: Double { exp(meanLogContribution) }

    public init(feature: String, description: String, meanLogContribution: Double) {
        self.feature = feature
        self.description = description
        self.meanLogContribution = meanLogContribution
    }
}

/// Pure functions from contributions to the features a zone's explanation can name.
public enum FeatureAttribution {
    /// The `limit` features (or, `byFamily`, families: a category's counts over every period and ring are one) with the
    /// largest positive mean contribution over `zoneCells` (cells without contributions are skipped; none: empty).
    /// Ties go to the name first in alphabetical order, so the text is the same on every run.
    public static func top(_ c: CellContributions, zoneCells: [Int], limit: Int = 3, byFamily: Bool = true,
                           cellSizeMeters: Double = 150) -> [FeatureContribution] {
        let row = Dictionary(c.cells.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = Set(zoneCells).sorted().compactMap { row[$0] }  // sorted: the same sums, bit for bit, in every process
        guard !rows.isEmpty, limit > 0 else { return [] }
        let width = c.features.count + 1
        var sums: [String: Double] = [:]
        for (f, name) in c.features.enumerated() {
            let key = byFamily ? family(name) : name
            var s = 0.0
            for r in rows { s += c.values[r * width + f] }
            sums[key, default: 0] += s / Double(rows.count)
        }
        return sums.filter { $0.value > 0 }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(limit)
            .map { FeatureContribution(feature: $0.key, description: describe($0.key, cellSizeMeters: cellSizeMeters), meanLogContribution: $0.value) }
    }

    /// The family of a boosted feature name: `n.<category>`, `kde`, `since`, `sepp`, `static.<layer>` or `season`.
    public static func family(_ feature: String) -> String {
        let parts = feature.split(separator: ".").map(String.init)
        switch parts.first {
        case "n" where parts.count > 1: return "n.\(parts[1])"
        case "static" where parts.count > 1: return "static.\(parts[1])"
        case "kde", "since", "sepp": return parts[0]
        case "season", "weekend": return "season"
        default: return feature
        }
    }

    /// Plain language for a feature or family name (`n.homicide.365d.r1`: "homicide in the last 365 days within 1 cell
    /// around (3 x 3, 450 m across)").
    public static func describe(_ feature: String, cellSizeMeters: Double = 150) -> String {
        let parts = feature.split(separator: ".").map(String.init)
        func category(_ raw: String) -> String { raw.replacingOccurrences(of: "_", with: " ") }
        switch parts.first {
        case "n" where parts.count == 2:
            return "recent \(category(parts[1])) incidents in and around the cells"
        case "n" where parts.count == 4:
            let ring = Int(parts[3].dropFirst()) ?? 0
            let side = Int((Double(2 * ring + 1) * cellSizeMeters).rounded())
            let place = ring == 0 ? "in the cell" : "within \(ring) cell\(ring == 1 ? "" : "s") around (\(2 * ring + 1) x \(2 * ring + 1), \(side) m across)"
            return "\(category(parts[1])) in the last \(parts[2].dropLast()) days \(place)"
        case "kde":
            return parts.count == 1 ? "the long-run density of past incidents" : "the density of past incidents (\(parts.dropFirst().joined(separator: ", ")))"
        case "since":
            return "how recently an incident happened here"
        case "sepp":
            return "near-repeat risk after recent incidents nearby"
        case "static" where parts.count >= 2:
            let what = parts.count == 2 ? "" : (parts[2] == "dist" ? ": distance to the nearest" : ": how many nearby")
            return "\(parts[1].replacingOccurrences(of: "_", with: " "))\(what)"
        case "season", "weekend":
            return "the time of year and the weekend share of the window"
        default:
            return feature
        }
    }
}

extension BoostedTreesModel {
    /// The forecast for `input` and each feature's contribution to it in `cells` (e.g. a proposal's zone cells; pass
    /// them to `FeatureAttribution.top`). Nil contributions when the model had too little history to fit. The fit is
    /// the one `forecast` makes, so the explanation is of the forecast shown.
    public func explain(_ input: ForecastInput, cells: [Int]) throws -> (forecast: ModelForecast, contributions: CellContributions?) {
        let f = try fit(input, explaining: cells)
        return (f.forecast, f.contributions)
    }
}
