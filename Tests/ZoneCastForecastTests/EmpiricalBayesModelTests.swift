import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastForecast
import ZoneCastSynthetic

@Suite("Empirical-Bayes counts (eb)")
struct EmpiricalBayesModelTests {
    static let origin = Date(timeIntervalSince1970: 400 * 86_400)
    static let window = ForecastWindow(start: origin, hours: 96)

    static func add(_ e: inout EventSet, column: Int, row: Int, times: Int = 1, daysBefore: Double = 10, cellSize: Double = 100,
                    _ category: HarmCategory = .homicide) {
        for _ in 0..<times {
            e.append(x: (Double(column) + 0.5) * cellSize, y: (Double(row) + 0.5) * cellSize,
                     time: origin.timeIntervalSince1970 - daysBefore * 86_400, category: category)
        }
    }

    @Test("given counts and means by hand, then the log-likelihood equals the negative binomial's with ln Gamma, less ln y!, and its derivatives match differences")
    func likelihoodAgainstLogGamma() {
        let y: [Double] = [0, 1, 3, 0, 7, 2], m = [0.4, 1.2, 2.5, 0.01, 3.0, 0.9]
        for alpha in [0.01, 0.3, 1, 4.5, 100] {
            var reference = 0.0
            for i in y.indices {
                reference += lgamma(y[i] + alpha) - lgamma(alpha) + alpha * log(alpha / (alpha + m[i])) + y[i] * log(m[i] / (alpha + m[i]))
            }
            let ours = EmpiricalBayesModel.logLikelihood(alpha: alpha, counts: y, priorMeans: m)
            #expect(abs(ours - reference) < 1e-9 * max(1, abs(reference)), "alpha \(alpha)")
            // The derivatives in ln alpha against central differences.
            let t = log(alpha), h = 1e-4
            func l(_ t: Double) -> Double { EmpiricalBayesModel.logLikelihood(alpha: exp(t), counts: y, priorMeans: m) }
            let (first, second) = EmpiricalBayesModel.slope(t: t, counts: y, priorMeans: m)
            #expect(abs(first - (l(t + h) - l(t - h)) / (2 * h)) < 1e-5 * max(1, abs(first)), "alpha \(alpha)")
            #expect(abs(second - (l(t + h) - 2 * l(t) + l(t - h)) / (h * h)) < 1e-3 * max(1, abs(second)), "alpha \(alpha)")
        }
    }

    @Test("given counts drawn from a Poisson-gamma with known alpha, when alpha is fitted, then it is recovered within 15 %, and the search beats a fine grid")
    func recoversAlpha() {
        var rng = SeededGenerator(seed: 17)
        for trueAlpha in [0.3, 2.0] {
            var y: [Double] = [], m: [Double] = []
            for i in 0..<40_000 {
                let mean = 0.2 + Double(i % 50) / 10   // 0.2 ... 5.1
                let lambda = gamma(shape: trueAlpha, &rng) * mean / trueAlpha
                y.append(Double(rng.poisson(mean: lambda)))
                m.append(mean)
            }
            let (alpha, ll) = EmpiricalBayesModel.maximumLikelihoodAlpha(counts: y, priorMeans: m)
            #expect(abs(alpha / trueAlpha - 1) < 0.15, "true \(trueAlpha), fitted \(alpha)")
            let grid = stride(from: log(0.01), through: log(100.0), by: 0.01).map { EmpiricalBayesModel.logLikelihood(alpha: exp($0), counts: y, priorMeans: m) }
            #expect(ll >= grid.max()! - 1e-6)
        }
    }

    @Test("given events stacked on one address year after year, then alpha is small and that cell leads; given lone events around an empty centre, then the centre outranks a lone event's cell")
    func shrinksByTheData() throws {
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 40, rows: 40)
        // Stacked: 12 events on one cell, single events scattered widely.
        var stacked = EventSet()
        Self.add(&stacked, column: 20, row: 20, times: 12)
        for k in 0..<30 { Self.add(&stacked, column: (k * 7) % 40, row: (k * 13) % 40) }
        let s = try EmpiricalBayesModel().forecast(ForecastInput(history: stacked, grid: grid, window: Self.window))
        let stackedCell: Int = 20 * 40 + 20
        #expect(s.surface.ranking().first == stackedCell)
        let alphaStacked = try #require(s.parameters["alpha"])

        // A ring of single events around (20, 20), which itself has none, and one lone event far away.
        var ring = EventSet()
        for (dc, dr) in [(-2, 0), (2, 0), (0, -2), (0, 2), (-1, -1), (1, 1), (-1, 1), (1, -1), (-2, 1), (2, -1), (1, 2), (-1, -2)] {
            Self.add(&ring, column: 20 + dc, row: 20 + dr)
        }
        Self.add(&ring, column: 3, row: 35)
        let r = try EmpiricalBayesModel().forecast(ForecastInput(history: ring, grid: grid, window: Self.window))
        let v = r.surface.values
        #expect(v[20 * 40 + 20] > v[35 * 40 + 3])
        let alphaRing = try #require(r.parameters["alpha"])
        #expect(alphaStacked < alphaRing, "stacked \(alphaStacked), ring \(alphaRing)")
    }

    @Test("given one prior and a fitted alpha, then each cell is m (y + alpha) / (m + alpha) x window / lookback, m the others' density scaled to the counts")
    func posteriorByHand() throws {
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 30, rows: 30)
        var e = EventSet()
        Self.add(&e, column: 10, row: 10, times: 3)
        Self.add(&e, column: 11, row: 10)
        Self.add(&e, column: 18, row: 19, times: 2)
        Self.add(&e, column: 12, row: 12, daysBefore: 400)   // older than the lookback
        let prior = EmpiricalBayesModel.Prior(bandwidthMeters: 150, wideWeight: 0)
        let model = EmpiricalBayesModel(lookbackDays: 365, priors: [prior])
        let f = try model.forecast(ForecastInput(history: e, grid: grid, window: Self.window))
        let alpha = try #require(f.parameters["alpha"])
        var counts = [Double](repeating: 0, count: grid.cellCount)
        counts[10 * 30 + 10] = 3; counts[10 * 30 + 11] = 1; counts[19 * 30 + 18] = 2
        let smooth = GaussianSmoother.smooth(counts, columns: 30, rows: 30, cellSizeMeters: 100, bandwidthMeters: 150)
        let own = GaussianSmoother.centreWeight(cellSizeMeters: 100, bandwidthMeters: 150)
        var m = counts.indices.map { k -> Double in let v = smooth[k] - own * counts[k]; return v > 1e-12 * max(1, smooth[k]) ? v : 0 }
        let mass = m.reduce(0, +)
        m = m.map { max($0 * 6 / mass, 1e-12) }
        for cell in [10 * 30 + 10, 10 * 30 + 11, 19 * 30 + 18, 12 * 30 + 12, 0] {
            let expected = m[cell] * (counts[cell] + alpha) / (m[cell] + alpha) * 4 / 365
            #expect(abs(f.surface.values[cell] - expected) <= 1e-12 + 1e-9 * expected, "cell \(cell)")
        }
        #expect(abs(EmpiricalBayesModel.logLikelihood(alpha: alpha, counts: counts, priorMeans: m) - f.parameters["logLikelihood"]!) < 1e-6)
    }

    @Test("given 100,000 cells, 95 % of them empty, when sampled for the likelihood, then every event cell is kept, about 20,000 empty ones are, each weighted 95,000 / 20,000, and the weighted likelihood is within 3 % of the full one (about four standard errors)")
    func sampledLikelihood() {
        var y: [Double] = [], m: [Double] = []
        for i in 0..<100_000 {
            y.append(i % 20 == 7 ? Double(1 + i % 3) : 0)
            m.append(0.02 + Double((i * 7_919) % 1_000) / 1_000)
        }
        let sample = EmpiricalBayesModel.likelihoodSample(counts: y)
        let eventCells = y.indices.filter { y[$0] > 0 }
        #expect(Set(eventCells).isSubset(of: Set(sample.cells)))
        let empties = sample.cells.count - eventCells.count
        // q = 20,000 / 95,000 each: the binomial's standard deviation is about 126 cells.
        #expect(abs(Double(empties) - 20_000) < 630, "\(empties) empty cells sampled")
        let weightSum: Double = sample.weights.reduce(0, +)
        #expect(abs(weightSum / 100_000 - 1) < 0.01)
        for alpha in [0.1, 1.0, 10] {
            let full = EmpiricalBayesModel.logLikelihood(alpha: alpha, counts: y, priorMeans: m)
            let sampled = EmpiricalBayesModel.logLikelihood(alpha: alpha, counts: sample.cells.map { y[$0] }, priorMeans: sample.cells.map { m[$0] },
                                                            weights: sample.weights)
            #expect(abs(sampled / full - 1) < 0.03, "alpha \(alpha): \(sampled) against \(full)")
        }
        #expect(EmpiricalBayesModel.likelihoodSample(counts: [0, 1, 0, 0]).weights == [1, 1, 1, 1])
    }

    @Test("given a unit value far from the edges, then the smoother leaves centreWeight of it in its own cell")
    func centreWeight() {
        for b in [60.0, 150, 450] {
            var v = [Double](repeating: 0, count: 61 * 61)
            v[30 * 61 + 30] = 1
            let s = GaussianSmoother.smooth(v, columns: 61, rows: 61, cellSizeMeters: 100, bandwidthMeters: b)
            #expect(abs(s[30 * 61 + 30] - GaussianSmoother.centreWeight(cellSizeMeters: 100, bandwidthMeters: b)) < 1e-15)
        }
    }

    @Test("given no target event, or a prior that puts nothing in any other cell, then the surface is zero or the plain counts, with a note; bad settings and look-ahead are refused")
    func edges() throws {
        let grid = Grid(originX: 0, originY: 0, cellSizeMeters: 100, columns: 200, rows: 5)
        var none = EventSet()
        Self.add(&none, column: 1, row: 1, .robbery)
        let z = try EmpiricalBayesModel().forecast(ForecastInput(history: none, grid: grid, window: Self.window))
        #expect(z.surface.total == 0)
        var apart = EventSet()
        Self.add(&apart, column: 0, row: 2)
        Self.add(&apart, column: 199, row: 2)
        let model = EmpiricalBayesModel(priors: [.init(bandwidthMeters: 1, wideWeight: 0)])   // a kernel within one cell
        let a = try model.forecast(ForecastInput(history: apart, grid: grid, window: Self.window))
        #expect(a.notes.contains { $0.contains("unshrunk") })
        let fourPerYear: Double = 4.0 / 365
        #expect(abs(a.surface.values[400] - fourPerYear) < 1e-12)  // cell 2 * 200
        #expect(throws: ForecastError.self) { try EmpiricalBayesModel(lookbackDays: 0).forecast(ForecastInput(history: apart, grid: grid, window: Self.window)) }
        #expect(throws: ForecastError.self) {
            try EmpiricalBayesModel(priors: [.init(bandwidthMeters: -1, wideWeight: 0)]).forecast(ForecastInput(history: apart, grid: grid, window: Self.window))
        }
        var future = EventSet()
        Self.add(&future, column: 1, row: 1, daysBefore: -1)
        #expect(throws: ForecastError.self) { try EmpiricalBayesModel().forecast(ForecastInput(history: future, grid: grid, window: Self.window)) }
        #expect(try ModelCatalog.parse("eb", settings: ["eb.lookbackDays=120"]).first.map { ($0 as? EmpiricalBayesModel)?.lookbackDays } == 120)
    }
}

/// A Gamma(shape, 1) draw (Marsaglia & Tsang 2000, ACM TOMS 26:363; shape < 1 by Gamma(shape + 1) U^(1/shape)), for
/// simulating Poisson-gamma counts. The synthetic generator has no gamma draw of its own.
private func gamma(shape: Double, _ rng: inout SeededGenerator) -> Double {
    if shape < 1 { return gamma(shape: shape + 1, &rng) * pow(rng.uniformPositive(), 1 / shape) }
    let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
    while true {
        let x = rng.normal(), v0 = 1 + c * x
        guard v0 > 0 else { continue }
        let v = v0 * v0 * v0, u = rng.uniformPositive()
        if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
    }
}
