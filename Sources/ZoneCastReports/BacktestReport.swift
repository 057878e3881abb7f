import ZoneCastHTML
import Foundation
import ZoneCastCore
import ZoneCastEvaluation
import ZoneCastForecast

/// A backtest as a self-contained HTML page: a metrics table with intervals, hit-rate curves over area, the 1 %
/// hit rate over time, and a map of one forecast with the incidents that followed.
public enum BacktestReport {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]

    public struct MapSnapshot: Sendable {
        public var model: String
        public var surface: RiskSurface
        public var testPoints: [PlanarPoint]
        public var boundary: [[PlanarPoint]]

        public init(model: String, surface: RiskSurface, testPoints: [PlanarPoint], boundary: [[PlanarPoint]]) {
            self.model = model
            self.surface = surface
            self.testPoints = testPoints
            self.boundary = boundary
        }
    }

    public static func html(_ r: BacktestResult, title: String, synthetic: Bool, snapshot: MapSnapshot?, notes: [String] = []) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "UTC")
        var body = synthetic ? "<div class=\"synthetic\">SYNTHETIC DATA: fictional incidents from ZoneCast's generator.</div>" : ""
        body += "<p class=\"note\">Rolling origin from \(f.string(from: r.settings.from)) to \(f.string(from: r.settings.to)), every \(format(r.settings.cadenceHours)) h, windows of \(format(r.settings.windowHours)) h, \(format(r.settings.trainingDays)) days of training before each origin; \(r.windows) windows, \(r.testEvents) test incidents (\(LegacyHTML.escape(r.settings.targets.joined(separator: ", ")))). Grid: \(r.grid.activeCells) active cells of \(format(r.grid.cellSizeMeters)) m (\(String(format: "%.1f", r.grid.activeAreaKm2)) km²). Police-initiated records \(r.settings.includePoliceInitiated ? "INCLUDED" : "excluded"). Intervals: \(Int(r.settings.confidenceLevel * 100)) % bootstrap over windows (\(r.settings.bootstrapReplicates) replicates).</p>"
        for n in notes { body += "<p class=\"note\">\(LegacyHTML.escape(n))</p>" }
        body += "<h2>Scores</h2>"
        var rows: [[String]] = []
        for m in r.models {
            for b in m.budgets {
                rows.append([m.model, String(format: "%.1f %%", b.areaFraction * 100), String(b.cells), String(format: "%.2f", b.km2), String(b.hits),
                             pct(b.hitRate, b.hitRateLower, b.hitRateUpper), num(b.pai, b.paiLower, b.paiUpper), num(b.pei, b.peiLower, b.peiUpper),
                             pct(b.harmCaptured, b.harmCapturedLower, b.harmCapturedUpper)])
            }
        }
        body += LegacyHTML.table(header: ["model", "area", "cells", "km²", "hits", "hit rate", "PAI", "PEI*", "harm captured"], rows: rows)
        body += LegacyHTML.table(header: ["model", "windows", "test incidents", "mean Poisson deviance", "uniform surface deviance", "fit s", "wall s"],
                           rows: r.models.map { [$0.model, String($0.windows), String($0.testEvents), String(format: "%.1f", $0.meanPoissonDeviance),
                                                 String(format: "%.1f", $0.meanUniformDeviance), String(format: "%.2f", $0.fitSeconds), String(format: "%.2f", $0.wallSeconds)] })
        let deployed = r.models.compactMap { m in m.deployment.map { (m.model, $0) } }
        if !deployed.isEmpty {
            body += "<h2>Deployed zones against top cells of equal area</h2><p class=\"note\">What compact, patrollable zones cost (or gain) against the same area of the highest-risk cells, wherever they are.</p>"
            body += LegacyHTML.table(header: ["model", "cells", "km²", "area", "zone hit rate", "zone PAI", "zone PEI*", "top-cell hit rate", "top-cell PAI"],
                               rows: deployed.map { name, d in
                                   [name, String(format: "%.1f", d.meanCells), String(format: "%.2f", d.meanKm2), String(format: "%.2f %%", d.meanAreaFraction * 100),
                                    pct(d.hitRate, nil, nil), num(d.pai, nil, nil), num(d.pei, nil, nil), pct(d.topCellHitRate, nil, nil), num(d.topCellPAI, nil, nil)]
                               })
        }
        body += "<h2>Hit rate against area flagged</h2>" + hitRateCurve(r)
        body += "<h2>Hit rate at 1 % of the area over time</h2><p class=\"note\">Pooled over the 10 windows up to each date (hits / incidents), so windows with one or two incidents do not swamp the line.</p>" + overTime(r, fraction: r.settings.areaFractions.contains(0.01) ? 0.01 : r.settings.areaFractions[0])
        if let snapshot {
            body += "<h2>Forecast map (\(LegacyHTML.escape(snapshot.model)), last window) and the incidents that followed</h2>" + map(snapshot, fraction: 0.01)
        }
        let params = r.models.filter { !$0.parameters.isEmpty }
        if !params.isEmpty {
            body += "<h2>Fitted parameters (last window)</h2>"
            for m in params {
                body += "<h3>\(LegacyHTML.escape(m.model))</h3>" + LegacyHTML.table(header: ["parameter", "value"], rows: m.parameters.sorted { $0.key < $1.key }.map { [$0.key, String(format: "%.6g", $0.value)] })
                for n in m.notes { body += "<p class=\"note\">\(LegacyHTML.escape(n))</p>" }
            }
        }
        return LegacyHTML.page(title: title, body: body, note: "Hit rate n/N; PAI = (n/N)/(a/A) (Chainey, Tompson & Uhlig 2008); PEI* = n/n*, n* the best possible hits for the same area in hindsight (Hunt 2016).")
    }

    static func format(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
    static func pct(_ v: Double?, _ lo: Double?, _ hi: Double?) -> String {
        guard let v else { return "-" }
        if let lo, let hi { return String(format: "%.1f %% (%.1f–%.1f)", v * 100, lo * 100, hi * 100) }
        return String(format: "%.1f %%", v * 100)
    }
    static func num(_ v: Double?, _ lo: Double?, _ hi: Double?) -> String {
        guard let v else { return "-" }
        if let lo, let hi { return String(format: "%.2f (%.2f–%.2f)", v, lo, hi) }
        return String(format: "%.2f", v)
    }

    /// Pooled hit rate at each budget, a line per model, x on a log scale of area fraction.
    static func hitRateCurve(_ r: BacktestResult) -> String {
        let w = 640.0, h = 320.0, left = 60.0, bottom = 40.0, top = 20.0, right = 150.0
        let fractions = r.settings.areaFractions.sorted()
        guard let lo = fractions.first, let hi = fractions.last, hi > lo else { return "" }
        let maxRate = max(0.05, r.models.flatMap { $0.budgets.compactMap(\.hitRateUpper) + $0.budgets.compactMap(\.hitRate) }.max() ?? 0.05)
        func x(_ a: Double) -> Double { left + (log(a) - log(lo)) / (log(hi) - log(lo)) * (w - left - right) }
        func y(_ v: Double) -> Double { top + (1 - v / maxRate) * (h - top - bottom) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"11\">"
        s += axes(w: w, h: h, left: left, bottom: bottom, top: top, right: right)
        for a in fractions { s += "<text x=\"\(x(a))\" y=\"\(h - bottom + 15)\" text-anchor=\"middle\">\(String(format: "%g", a * 100))%</text>" }
        for k in 0...4 { let v = maxRate * Double(k) / 4; s += "<text x=\"\(left - 6)\" y=\"\(y(v) + 4)\" text-anchor=\"end\">\(String(format: "%.0f", v * 100))%</text>" }
        for (i, m) in r.models.enumerated() {
            let color = palette[i % palette.count]
            let pts = m.budgets.sorted { $0.areaFraction < $1.areaFraction }.compactMap { b in b.hitRate.map { (x(b.areaFraction), y($0), b) } }
            // Interval band.
            let band = m.budgets.sorted { $0.areaFraction < $1.areaFraction }.compactMap { b -> (Double, Double, Double)? in
                guard let l = b.hitRateLower, let u = b.hitRateUpper else { return nil }
                return (x(b.areaFraction), y(l), y(u))
            }
            if band.count >= 2 {
                let path = band.map { "\($0.0),\($0.2)" } + band.reversed().map { "\($0.0),\($0.1)" }
                s += "<polygon points=\"\(path.joined(separator: " "))\" fill=\"\(color)\" opacity=\"0.12\"/>"
            }
            s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(pts.map { "\($0.0),\($0.1)" }.joined(separator: " "))\"/>"
            for p in pts { s += "<circle cx=\"\(p.0)\" cy=\"\(p.1)\" r=\"3\" fill=\"\(color)\"><title>\(LegacyHTML.escape(m.model)): \(String(format: "%.1f%%", (p.2.hitRate ?? 0) * 100)) at \(String(format: "%g", p.2.areaFraction * 100))% of the area</title></circle>" }
            s += "<text x=\"\(w - right + 10)\" y=\"\(top + 14 + Double(i) * 16)\" fill=\"\(color)\">\(LegacyHTML.escape(m.model))</text>"
        }
        s += "<text x=\"\(left)\" y=\"\(h - 4)\">area flagged (log scale)</text>"
        return s + "</svg>"
    }

    static func overTime(_ r: BacktestResult, fraction: Double) -> String {
        let w = 800.0, h = 260.0, left = 50.0, bottom = 30.0, top = 15.0, right = 150.0
        // Trailing pooled hit rate over `span` windows: sum of hits / sum of incidents.
        let span = 10
        let series: [[(Date, Double?)]] = r.models.map { m in
            let scores = m.perWindow.map { w in (w.start, w.budgets.first { $0.areaFraction == fraction }) }
            return scores.indices.map { i in
                let slice = scores[max(0, i - span + 1)...i]
                let hits = slice.reduce(0) { $0 + ($1.1?.hits ?? 0) }, n = slice.reduce(0) { $0 + ($1.1?.testEvents ?? 0) }
                return (scores[i].0, n > 0 ? Double(hits) / Double(n) : nil)
            }
        }
        guard let first = r.models.first?.perWindow.first?.start, let last = r.models.first?.perWindow.last?.start, last > first else { return "" }
        func x(_ d: Date) -> Double { left + d.timeIntervalSince(first) / last.timeIntervalSince(first) * (w - left - right) }
        func y(_ v: Double) -> Double { top + (1 - v) * (h - top - bottom) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"11\">"
        s += axes(w: w, h: h, left: left, bottom: bottom, top: top, right: right)
        for k in 0...4 { let v = Double(k) / 4; s += "<text x=\"\(left - 6)\" y=\"\(y(v) + 4)\" text-anchor=\"end\">\(Int(v * 100))%</text>" }
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM"
        f.timeZone = TimeZone(identifier: "UTC")
        s += "<text x=\"\(left)\" y=\"\(h - 8)\">\(f.string(from: first))</text><text x=\"\(w - right)\" y=\"\(h - 8)\" text-anchor=\"end\">\(f.string(from: last))</text>"
        for (i, points) in series.enumerated() {
            let color = palette[i % palette.count]
            // Gaps where a window had no test incident.
            var segments: [[String]] = [[]]
            for (d, v) in points {
                if let v { segments[segments.count - 1].append("\(x(d)),\(y(v))") } else if !segments[segments.count - 1].isEmpty { segments.append([]) }
            }
            for seg in segments where seg.count > 1 { s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.2\" opacity=\"0.8\" points=\"\(seg.joined(separator: " "))\"/>" }
            s += "<text x=\"\(w - right + 10)\" y=\"\(top + 14 + Double(i) * 16)\" fill=\"\(color)\">\(LegacyHTML.escape(r.models[i].model))</text>"
        }
        return s + "</svg>"
    }

    static func axes(w: Double, h: Double, left: Double, bottom: Double, top: Double, right: Double) -> String {
        "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(h - bottom)\" stroke=\"#888\"/><line x1=\"\(left)\" y1=\"\(h - bottom)\" x2=\"\(w - right)\" y2=\"\(h - bottom)\" stroke=\"#888\"/>"
    }

    /// The surface as shaded cells (only cells with risk), the boundary, the flagged cells outlined, and the
    /// test incidents as dots: hits black, misses hollow.
    public static func map(_ m: MapSnapshot, fraction: Double) -> String {
        let g = m.surface.grid
        let width = 720.0
        let scale = width / (Double(g.columns) * g.cellSizeMeters)
        let height = Double(g.rows) * g.cellSizeMeters * scale
        func px(_ p: PlanarPoint) -> (Double, Double) { ((p.xMeters - g.originX) * scale, height - (p.yMeters - g.originY) * scale) }
        let maxV = m.surface.values.max() ?? 0
        let k = max(1, Int((fraction * Double(g.activeCells.count)).rounded(.down)))
        let flagged = Set(m.surface.ranking().prefix(k))
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height.rounded(.up)))\" width=\"\(Int(width))\" height=\"\(Int(height.rounded(.up)))\" style=\"background:#fafafa\">"
        let cw = g.cellSizeMeters * scale
        if maxV > 0 {
            for c in g.activeCells where m.surface.values[c] > maxV * 0.02 {
                let (x, y) = px(PlanarPoint(xMeters: g.originX + Double(g.column(of: c)) * g.cellSizeMeters, yMeters: g.originY + Double(g.row(of: c) + 1) * g.cellSizeMeters))
                s += "<rect x=\"\(String(format: "%.1f", x))\" y=\"\(String(format: "%.1f", y))\" width=\"\(String(format: "%.2f", cw))\" height=\"\(String(format: "%.2f", cw))\" fill=\"\(ColorRamp.hex((m.surface.values[c] / maxV).squareRoot()))\"/>"
            }
        }
        for ring in m.boundary where ring.count > 2 {
            s += "<polygon fill=\"none\" stroke=\"#555\" stroke-width=\"1\" points=\"\(ring.map { let (x, y) = px($0); return String(format: "%.1f,%.1f", x, y) }.joined(separator: " "))\"/>"
        }
        for c in flagged {
            let (x, y) = px(PlanarPoint(xMeters: g.originX + Double(g.column(of: c)) * g.cellSizeMeters, yMeters: g.originY + Double(g.row(of: c) + 1) * g.cellSizeMeters))
            s += "<rect x=\"\(String(format: "%.1f", x))\" y=\"\(String(format: "%.1f", y))\" width=\"\(String(format: "%.2f", cw))\" height=\"\(String(format: "%.2f", cw))\" fill=\"none\" stroke=\"#0057b8\" stroke-width=\"1.5\"/>"
        }
        for p in m.testPoints {
            let (x, y) = px(p)
            let hit = g.cell(containing: p).map(flagged.contains) ?? false
            s += "<circle cx=\"\(String(format: "%.1f", x))\" cy=\"\(String(format: "%.1f", y))\" r=\"3\" \(hit ? "fill=\"#000\"" : "fill=\"none\" stroke=\"#000\"")/>"
        }
        s += "</svg><p class=\"note\">Blue outlines: the \(k) cells (\(String(format: "%g", fraction * 100)) % of the area) flagged by the forecast. Filled dots: incidents in flagged cells; hollow: elsewhere.</p>"
        return s
    }
}
