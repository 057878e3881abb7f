import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastForecast

/// The carried layers, the point-process memo, auto's default candidates, and zone attribution (issue #16).
struct ForecastReuseTests {
    static let day = 86_400.0
    static let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 30, rows: 30)
    static let origin = 1_700_000_000.0

    /// A seeded stream: assaults around two hot spots and robberies scattered, over `days` days before the origin.
    static func world(seed: UInt64, days: Int = 200) -> EventSet {
        var rng = SplitMix64(seed: seed)
        func unit() -> Double { Double(rng.next() >> 11) / 9_007_199_254_740_992 }
        var e = EventSet()
        for d in 0..<days {
            for _ in 0..<3 {
                let hot = unit() < 0.5 ? (800.0, 900.0) : (2_100.0, 1_700.0)
                let x = hot.0 + (unit() - 0.5) * 400, y = hot.1 + (unit() - 0.5) * 400
                let t = origin - Double(days - d) * day + unit() * day
                e.append(x: x, y: y, time: t, precisionSeconds: unit() < 0.2 ? 86_400 : 60, category: .aggravatedAssault)
            }
            e.append(x: unit() * 3_000, y: unit() * 3_000, time: origin - Double(days - d) * day + 3_600, category: .robbery)
        }
        return e
    }

    @Test("given events over 200 days when the decayed layers are carried through 5 origins then each equals a fresh smoothing of the decayed bins")
    func carriedLayersMatchFreshSmoothing() throws {
        let e = Self.world(seed: 11).only([.aggravatedAssault])
        let rows = (0..<e.count).compactMap { i -> (Double, Double, Int)? in
            guard let c = Self.grid.cell(x: e.x[i], y: e.y[i]) else { return nil }
            return (e.time[i] + e.precisionSeconds[i], e.time[i] + e.precisionSeconds[i] / 2, c)
        }.sorted { $0.0 < $1.0 }
        let layers = [DecayedLayerSweep.Layer(bandwidthMeters: 250, ratePerDay: M_LN2 / 60, scale: 1),
                      DecayedLayerSweep.Layer(bandwidthMeters: 100, ratePerDay: 0.3, scale: 0.4)]
        let sweep = DecayedLayerSweep(grid: Self.grid, layers: layers, available: rows.map(\.0), middle: rows.map(\.1), cell: rows.map(\.2))
        for k in stride(from: 40, through: 0, by: -10) {
            let o = Self.origin - Double(k) * Self.day
            sweep.advance(to: o)
            for (l, layer) in layers.enumerated() {
                var bins = [Double](repeating: 0, count: Self.grid.cellCount)
                for r in rows where r.0 <= o { bins[r.2] += layer.scale * exp(-layer.ratePerDay * max(0, o - r.1) / Self.day) }
                let fresh = GaussianSmoother.smooth(bins, columns: 30, rows: 30, cellSizeMeters: 100, bandwidthMeters: layer.bandwidthMeters)
                let worst = (0..<Self.grid.cellCount).map { abs(fresh[$0] - sweep.value(layer: l, cell: $0)) }.max() ?? 0
                #expect(worst < 1e-9 * max(1, fresh.max() ?? 1), "layer \(l) at k=\(k): largest difference \(worst)")
            }
        }
    }

    @Test("given one history fitted twice and once with another end when fitting the point process then the memo returns the fit only for that input")
    func pointProcessMemo() throws {
        let e = Self.world(seed: 12, days: 120).only([.aggravatedAssault])
        let m = SelfExcitingModel()
        let a = try m.fit(e, observationEnd: Self.origin), b = try m.fit(e, observationEnd: Self.origin)
        let fresh = try m.fitAfresh(e, observationEnd: Self.origin)
        #expect(a == b && a == fresh)
        let later = try m.fit(e, observationEnd: Self.origin + 30 * Self.day)
        #expect(later.observationEnd == Self.origin + 30 * Self.day && later != a)
        var other = m
        other.positionalAccuracyMeters = 10
        #expect(try other.fit(e, observationEnd: Self.origin) == other.fitAfresh(e, observationEnd: Self.origin))
    }

    @Test("given the default auto when listing its candidates then the reference is eb (the naive-kde rank average still a candidate) and slow models are only in the thorough set")
    func autoCandidates() throws {
        let labels = AutoModel.defaultOptions().map(\.label)
        #expect(AutoModel().reference == "eb" && labels.contains("eb") && labels.contains("blend(naive,kde)"))
        #expect(!labels.contains("sepp") && !labels.contains("boosted") && !labels.contains("learned"))
        let thorough = AutoModel.thoroughOptions().map(\.label)
        #expect(thorough.contains("boosted") && thorough.contains("blend(kde,sepp,learned,boosted)") && Set(labels).isSubset(of: thorough))
        let picked = try ModelCatalog.parse("auto", settings: ["auto.candidates=thorough"])
        #expect((picked.first as? AutoModel)?.options.count == thorough.count)
        #expect(throws: ForecastError.self) { try ModelCatalog.parse("auto", settings: ["auto.candidates=everything"]) }
    }

    @Test("given contributions of three cells by hand when ranking a zone's features then families sum, means are over the zone and negatives are left out")
    func attributionByHand() {
        let features = ["n.homicide.28d.r0", "n.homicide.365d.r1", "kde.b250m.h365d", "since.r0"]
        // Rows: cell 5, cell 6, cell 9; the bias last.
        let c = CellContributions(features: features, cells: [5, 6, 9], values: [0.2, 0.4, 0.1, -0.3, -1,
                                                                                0.0, 0.6, 0.5, -0.1, -1,
                                                                                9.0, 9.0, 9.0, 9.0, -1])
        let top = FeatureAttribution.top(c, zoneCells: [5, 6, 7], limit: 3)
        #expect(top.map(\.feature) == ["n.homicide", "kde"])                 // since is negative: it lowered the forecast
        #expect(abs(top[0].meanLogContribution - 0.6) < 1e-12)              // (0.2 + 0.4 + 0.0 + 0.6) / 2 cells
        #expect(abs(top[1].meanLogContribution - 0.3) < 1e-12 && abs(top[1].rateRatio - exp(0.3)) < 1e-12)
        let single = FeatureAttribution.top(c, zoneCells: [5, 6], limit: 1, byFamily: false)
        #expect(single.map(\.feature) == ["n.homicide.365d.r1"])
        #expect(FeatureAttribution.top(c, zoneCells: [42]).isEmpty)
        #expect(FeatureAttribution.describe("n.homicide.365d.r1") == "homicide in the last 365 days within 1 cell around (3 x 3, 450 m across)")
        #expect(FeatureAttribution.family("static.liquor.dist") == "static.liquor")
    }

    @Test("given a boosted fit when explaining cells then each cell's contributions and bias sum to the log of its forecast")
    func contributionsSumToTheForecast() throws {
        let world = Self.world(seed: 13)
        let window = ForecastWindow(start: Date(timeIntervalSince1970: Self.origin), durationSeconds: 4 * Self.day)
        let input = ForecastInput(history: world, grid: Self.grid, window: window, targets: [.aggravatedAssault])
        var model = BoostedTreesModel(maxRounds: 40)
        model.outputHarm = false
        let cells = [Self.grid.cell(x: 800, y: 900)!, Self.grid.cell(x: 2_900, y: 100)!]
        let (forecast, contributions) = try model.explain(input, cells: cells)
        let c = try #require(contributions)
        #expect(c.cells == cells)
        #expect(forecast.surface == (try model.forecast(input)).surface)   // explaining does not change the forecast
        let width = c.features.count + 1
        for (r, cell) in cells.enumerated() {
            let margin = c.values[(r * width)..<((r + 1) * width)].reduce(0, +)
            let value = forecast.surface.values[cell]
            #expect(abs(exp(margin) / value - 1) < 1e-3, "cell \(cell): e^margin \(exp(margin)), forecast \(value)")
        }
        let hot = FeatureAttribution.top(c, zoneCells: [cells[0]])
        #expect(!hot.isEmpty)
    }

    @Test("given a GeoJSON point layer when read as a static layer then points project with the jurisdiction's projection; bad names and files are refused")
    func staticLayerFromGeoJSON() throws {
        let tm = TransverseMercator(ellipsoid: .grs80, latitudeOfOriginDegrees: 39.1, centralMeridianDegrees: -94.58, scaleFactor: 1,
                                    falseEastingMeters: 0, falseNorthingMeters: 0)
        let text = #"{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [-94.58, 39.1]}},"#
            + #"{"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": [[-94.57, 39.1], [-94.58, 39.11]]}}]}"#
        let layer = try BoostedTreesModel.StaticLayer.geoJSON(Data(text.utf8), name: "liquor", projection: tm)
        #expect(layer.points.count == 3 && abs(layer.points[0].xMeters) < 1e-6 && abs(layer.points[0].yMeters) < 1e-6)
        #expect(abs(layer.points[1].xMeters - 863) < 5 && abs(layer.points[2].yMeters - 1_111) < 5)
        #expect(throws: ForecastError.self) { try BoostedTreesModel.StaticLayer.geoJSON(Data(text.utf8), name: "liquor outlets", projection: tm) }
        let polygon = Data(#"{"type": "Polygon", "coordinates": []}"#.utf8)
        #expect(throws: ForecastError.self) { try BoostedTreesModel.StaticLayer.geoJSON(polygon, name: "x", projection: tm) }
    }
}
