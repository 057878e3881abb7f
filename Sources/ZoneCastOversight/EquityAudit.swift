public import Foundation
public import ZoneCastCore
public import ZoneCastForecast

/// An area of the equity audit: a beat, tract or neighbourhood, by name.
public struct EquityArea: Hashable, Sendable, Codable {
    public var name: String
    public var boundary: GeoMultiPolygon

    public init(name: String, boundary: GeoMultiPolygon) {
        self.name = name
        self.boundary = boundary
    }
}

/// A problem with uploaded areas, naming the feature and what is wrong with it.
public struct EquityError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

public enum EquityAreas {
    /// Properties tried, in order, for an area's name when none is given.
    public static let nameProperties = ["name", "NAME", "Name", "beat", "BEAT", "tract", "TRACT", "NAMELSAD", "GEOID", "neighborhood", "neighbourhood",
                                        "NBHD_NAME", "district", "DISTRICT", "id", "ID"]
    public static let maxAreas = 2_000

    /// Reads areas from a GeoJSON FeatureCollection of Polygon or MultiPolygon features, each with a name property
    /// (`nameProperty`, or the first of `nameProperties` present; a number is used as text). Errors name the feature
    /// (its index and name) and the problem; names must be unique.
    public static func parse(_ data: Data, nameProperty: String? = nil) throws(EquityError) -> [EquityArea] {
        guard let root = JSONValue.parse(data) else { throw EquityError("the file is not valid JSON") }
        guard let dict = root.objectValue, dict["type"]?.stringValue == "FeatureCollection" else {
            throw EquityError("expected a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\")")
        }
        guard let features = dict["features"]?.arrayValue else { throw EquityError("the FeatureCollection has no \"features\" array") }
        guard !features.isEmpty else { throw EquityError("the FeatureCollection has no features") }
        guard features.count <= maxAreas else { throw EquityError("\(features.count) features: at most \(maxAreas) areas") }
        var areas: [EquityArea] = []
        var seen: [String: Int] = [:]
        for (i, feature) in features.enumerated() {
            guard let f = feature.objectValue, f["type"]?.stringValue == "Feature" else { throw EquityError("feature \(i + 1): not a GeoJSON Feature") }
            let props = f["properties"]?.objectValue ?? [:]
            let keys = nameProperty.map { [$0] } ?? nameProperties
            var name: String?
            for k in keys {
                if let s = props[k]?.stringValue, !s.trimmingCharacters(in: .whitespaces).isEmpty { name = s.trimmingCharacters(in: .whitespaces); break }
                if let n = props[k]?.numberValue { name = n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n); break }
            }
            guard let name else {
                throw EquityError("feature \(i + 1): no name property "
                                  + "(\(nameProperty.map { "\"\($0)\"" } ?? "one of " + nameProperties.prefix(6).joined(separator: ", ") + "…"))")
            }
            guard name.count <= 200, !name.unicodeScalars.contains(where: { $0.value < 32 }) else {
                throw EquityError("feature \(i + 1): the name is longer than 200 characters or holds control characters")
            }
            let label = "feature \(i + 1) (\"\(name)\")"
            if let previous = seen[name] { throw EquityError("\(label): the name repeats feature \(previous)") }
            seen[name] = i + 1
            guard let geometry = f["geometry"], geometry != .null, let type = geometry.objectValue?["type"]?.stringValue else {
                throw EquityError("\(label): no geometry")
            }
            guard type == "Polygon" || type == "MultiPolygon" else { throw EquityError("\(label): geometry is a \(type), expected a Polygon or MultiPolygon") }
            let boundary: GeoMultiPolygon
            do {
                boundary = try GeoJSON.multiPolygon(from: try JSONEncoder().encode(geometry))
            } catch let e as CoreError {
                throw EquityError("\(label): \(e)")
            } catch {
                throw EquityError("\(label): \(error)")
            }
            areas.append(EquityArea(name: name, boundary: boundary))
        }
        return areas
    }
}

/// Equity audit: does zone selection follow harm, or does it fall more often on some areas than their share of
/// harm warrants?
///
/// Inputs (values only): the areas, the approved zones with how long each was in force (`ZonePeriod`: its grid
/// cells and days), and the harm of incidents in the same period (`HarmPoint`: location and weight).
///
/// For area `a`:
/// - overlap `f_a(c)` of grid cell `c`: the fraction of an `s × s` lattice of points inside the cell (at offsets
///   `(k + ½)/s` of the cell) that fall in `a` (exact for areas whose edges follow cell edges);
/// - zone cell-days `D_a = Σ_zones days · Σ_{c∈zone} f_a(c)`; zone share `z_a = D_a / Σ_zones days · |zone|`
///   (denominator: every zone cell-day, including those outside all areas);
/// - harm share `h_a = H_a / H` with `H_a` the harm of incidents inside `a` and `H` all the incidents' harm;
/// - selection ratio `R_a = z_a / h_a` (1: zones follow harm; nil when `h_a = 0`);
/// - a one-sided binomial check with zone periods as units (zones, not cells, are what commanders decide):
///   `k_a = round(Σ_zones Σ_{c∈zone} f_a(c)/|zone|)` of `n` zone periods; p = P(X ≥ k_a), X ~ Binomial(n, h_a).
///   Consecutive cycles often keep the same zone, so periods are not independent and the p-value is optimistic;
///   it is a screen, not proof.
/// - flag `.overSelected` when `R_a ≥ threshold` (default 1.5), p < `alpha` (default 0.05) and `n ≥ minimumPeriods`
///   (default 5); `.selectedWithoutHarm` when an area with no recorded harm was a zone, over at least
///   `minimumPeriods` zone periods with harm recorded elsewhere; `.insufficientData` when the ratio is high, or an
///   area without harm was a zone, but the data are too few to say; `.underSelected` (informational) when `R_a ≤ 1/threshold`
///   with `h_a ≥ 5 %`.
public struct EquityAudit: Hashable, Sendable, Codable {
    public struct ZonePeriod: Hashable, Sendable, Codable {
        public var cycleID: String
        public var zoneID: String
        public var cells: [Int]
        public var days: Double
        public init(cycleID: String, zoneID: String, cells: [Int], days: Double) {
            self.cycleID = cycleID
            self.zoneID = zoneID
            self.cells = cells
            self.days = days
        }
    }

    public struct HarmPoint: Hashable, Sendable, Codable {
        public var location: GeoPoint
        public var harm: Double
        public init(location: GeoPoint, harm: Double) {
            self.location = location
            self.harm = harm
        }
    }

    public enum Flag: String, Hashable, Sendable, Codable {
        case none, overSelected = "over_selected", selectedWithoutHarm = "selected_without_harm", insufficientData = "insufficient_data",
             underSelected = "under_selected"
    }

    public struct Row: Hashable, Sendable, Codable {
        public var area: String
        public var zoneCellDays: Double
        public var zoneShare: Double
        public var zonePeriods: Double
        public var incidents: Int
        public var harm: Double
        public var harmShare: Double
        public var ratio: Double?
        public var pValue: Double?
        public var flag: Flag
    }

    public struct Settings: Hashable, Sendable, Codable {
        public var threshold: Double
        public var alpha: Double
        public var minimumPeriods: Int
        public var samplesPerSide: Int
        public init(threshold: Double = 1.5, alpha: Double = 0.05, minimumPeriods: Int = 5, samplesPerSide: Int = 4) {
            precondition(threshold > 1, "threshold must exceed 1")
            precondition(alpha > 0 && alpha < 1, "alpha must be in (0, 1)")
            precondition(samplesPerSide >= 1, "samplesPerSide must be at least 1")
            self.threshold = threshold
            self.alpha = alpha
            self.minimumPeriods = minimumPeriods
            self.samplesPerSide = samplesPerSide
        }
    }

    public var settings: Settings
    public var rows: [Row]
    /// Zone cell-days and harm outside every area (the areas need not cover the jurisdiction).
    public var outside: Row
    public var totalZoneCellDays: Double
    public var totalHarm: Double
    public var zonePeriods: Int

    public var flagged: [Row] { rows.filter { $0.flag == .overSelected || $0.flag == .selectedWithoutHarm } }

    public static func compute(areas: [EquityArea], grid: Grid, projection: TransverseMercator, zones: [ZonePeriod], harm: [HarmPoint],
                               settings: Settings = Settings()) -> EquityAudit {
        let prepared = projection.prepared()
        let s = settings.samplesPerSide
        let boxes = areas.map(\.boundary.boundingBox)
        func inside(_ a: Int, _ p: GeoPoint) -> Bool {
            if let b = boxes[a], p.latitude < b.minLatitude || p.latitude > b.maxLatitude || p.longitude < b.minLongitude || p.longitude > b.maxLongitude {
                return false
            }
            return areas[a].boundary.contains(p)
        }
        // Overlap of each zone cell with each area (a point lattice inside the cell).
        var overlap: [Int: [Double]] = [:]
        for cell in Set(zones.flatMap(\.cells)) {
            var counts = [Double](repeating: 0, count: areas.count)
            let col = Double(grid.column(of: cell)), row = Double(grid.row(of: cell))
            for i in 0..<s {
                for j in 0..<s {
                    let x = grid.originX + (col + (Double(i) + 0.5) / Double(s)) * grid.cellSizeMeters
                    let y = grid.originY + (row + (Double(j) + 0.5) / Double(s)) * grid.cellSizeMeters
                    let g = prepared.unproject(PlanarPoint(xMeters: x, yMeters: y))
                    if let a = areas.indices.first(where: { inside($0, g) }) { counts[a] += 1 }
                }
            }
            overlap[cell] = counts.map { $0 / Double(s * s) }
        }
        var cellDays = [Double](repeating: 0, count: areas.count), periods = [Double](repeating: 0, count: areas.count)
        var totalCellDays = 0.0
        for z in zones where !z.cells.isEmpty {
            totalCellDays += Double(z.cells.count) * z.days
            var fractionSum = [Double](repeating: 0, count: areas.count)
            for c in z.cells { for a in areas.indices { fractionSum[a] += overlap[c]![a] } }
            for a in areas.indices {
                cellDays[a] += fractionSum[a] * z.days
                periods[a] += fractionSum[a] / Double(z.cells.count)
            }
        }
        var harmByArea = [Double](repeating: 0, count: areas.count), countByArea = [Int](repeating: 0, count: areas.count)
        var totalHarm = 0.0, outsideHarm = 0.0, outsideCount = 0
        for h in harm {
            totalHarm += h.harm
            if let a = areas.indices.first(where: { inside($0, h.location) }) {
                harmByArea[a] += h.harm
                countByArea[a] += 1
            } else {
                outsideHarm += h.harm
                outsideCount += 1
            }
        }
        let n = zones.filter { !$0.cells.isEmpty }.count
        func row(_ name: String, cellDays d: Double, periods k: Double, incidents: Int, harm h: Double, flagged: Bool) -> Row {
            let z = totalCellDays > 0 ? d / totalCellDays : 0
            let hs = totalHarm > 0 ? h / totalHarm : 0
            let ratio: Double? = hs > 0 ? z / hs : nil
            let p: Double? = hs > 0 && n > 0 ? binomialUpperTail(n: n, k: Int(k.rounded()), p: hs) : nil
            var flag = Flag.none
            if flagged {
                if let ratio {
                    if ratio >= settings.threshold {
                        flag = n >= settings.minimumPeriods && (p ?? 1) < settings.alpha ? .overSelected : .insufficientData
                    } else if ratio <= 1 / settings.threshold && hs >= 0.05 {
                        flag = .underSelected
                    }
                } else if z > 0 {
                    // Early in a cycle, or with no harm recorded anywhere yet, every area with a zone has none.
                    flag = n >= settings.minimumPeriods && totalHarm > 0 ? .selectedWithoutHarm : .insufficientData
                }
            }
            return Row(area: name, zoneCellDays: d, zoneShare: z, zonePeriods: k, incidents: incidents, harm: h, harmShare: hs, ratio: ratio, pValue: p,
                       flag: flag)
        }
        let rows = areas.indices.map {
            row(areas[$0].name, cellDays: cellDays[$0], periods: periods[$0], incidents: countByArea[$0], harm: harmByArea[$0], flagged: true)
        }
        let outside = row("(outside every area)", cellDays: totalCellDays - cellDays.reduce(0, +), periods: Double(n) - periods.reduce(0, +),
                          incidents: outsideCount, harm: outsideHarm, flagged: false)
        return EquityAudit(settings: settings, rows: rows, outside: outside, totalZoneCellDays: totalCellDays, totalHarm: totalHarm, zonePeriods: n)
    }

    /// P(X ≥ k) for X ~ Binomial(n, p), summed exactly in log space.
    public static func binomialUpperTail(n: Int, k: Int, p: Double) -> Double {
        if k <= 0 { return 1 }
        if k > n { return 0 }
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        var total = 0.0
        for x in k...n {
            let logChoose: Double = lgamma(Double(n + 1)) - lgamma(Double(x + 1)) - lgamma(Double(n - x + 1))
            let logTerm: Double = logChoose + Double(x) * log(p) + Double(n - x) * log1p(-p)
            total += exp(logTerm)
        }
        return min(1, total)
    }
}
