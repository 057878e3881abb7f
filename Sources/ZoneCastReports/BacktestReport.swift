public import ZoneCastHTML
import Foundation
public import ZoneCastCore
public import ZoneCastEvaluation
public import ZoneCastForecast

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

    public static func html(_ r: BacktestResult, title: String, synthetic: Bool, snapshot: MapSnapshot?, notes: [String] = []) -> HTML {
        let banner: HTML? = synthetic ? "<div class=\"synthetic\">SYNTHETIC DATA: fictional incidents from ZoneCast's generator.</div>" : nil
        let fraction = r.settings.areaFractions.contains(0.01) ? 0.01 : r.settings.areaFractions[0]
        let mapSection: HTML? = snapshot.map { s -> HTML in
            "<h2>Forecast map (\(s.model), last window) and the incidents that followed</h2>\(map(s, fraction: 0.01))"
        }
        let body: HTML = """
            \(banner)\(settingsNote(r))\(notes.map { n -> HTML in "<p class=\"note\">\(n)</p>" })<h2>Scores</h2>\(scoreTables(r))\(deployment(r))\
            <h2>Hit rate against area flagged</h2>\(hitRateCurve(r))\
            <h2>Hit rate at 1 % of the area over time</h2><p class="note">Pooled over the 10 windows up to each date (hits / incidents), \
            so windows with one or two incidents do not swamp the line.</p>\(overTime(r, fraction: fraction))\(mapSection)\(parameters(r))
            """
        return ReportDocument.page(title: title, body: body, note: """
            Hit rate n/N; PAI = (n/N)/(a/A) (Chainey, Tompson & Uhlig 2008); \
            PEI* = n/n*, n* the best possible hits for the same area in hindsight (Hunt 2016).
            """)
    }

    static func settingsNote(_ r: BacktestResult) -> HTML {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "UTC")
        let s = r.settings
        return """
            <p class="note">Rolling origin from \(f.string(from: s.from)) to \(f.string(from: s.to)), every \(format(s.cadenceHours)) h, \
            windows of \(format(s.windowHours)) h, \(format(s.trainingDays)) days of training before each origin; \(r.windows) windows, \
            \(r.testEvents) test incidents (\(s.targets.joined(separator: ", "))). Grid: \(r.grid.activeCells) active cells of \
            \(format(r.grid.cellSizeMeters)) m (\(r.grid.activeAreaKm2, decimals: 1) km²). \
            Police-initiated records \(s.includePoliceInitiated ? "INCLUDED" : "excluded"). \
            Intervals: \(Int(s.confidenceLevel * 100)) % bootstrap over windows (\(s.bootstrapReplicates) replicates).</p>
            """
    }

    static func scoreTables(_ r: BacktestResult) -> HTML {
        let rows: [[String]] = r.models.flatMap { m in
            m.budgets.map { b in
                [m.model, String(format: "%.1f %%", b.areaFraction * 100), String(b.cells), String(format: "%.2f", b.km2), String(b.hits),
                 pct(b.hitRate, b.hitRateLower, b.hitRateUpper), num(b.pai, b.paiLower, b.paiUpper), num(b.pei, b.peiLower, b.peiUpper),
                 pct(b.harmCaptured, b.harmCapturedLower, b.harmCapturedUpper)]
            }
        }
        let fits: [[String]] = r.models.map {
            [$0.model, String($0.windows), String($0.testEvents), String(format: "%.1f", $0.meanPoissonDeviance),
             String(format: "%.1f", $0.meanUniformDeviance), String(format: "%.2f", $0.fitSeconds), String(format: "%.2f", $0.wallSeconds)]
        }
        return HTML.table(header: ["model", "area", "cells", "km²", "hits", "hit rate", "PAI", "PEI*", "harm captured"], rows: rows)
            + HTML.table(header: ["model", "windows", "test incidents", "mean Poisson deviance", "uniform surface deviance", "fit s", "wall s"],
                         rows: fits)
    }

    static func deployment(_ r: BacktestResult) -> HTML? {
        let deployed = r.models.compactMap { m in m.deployment.map { (m.model, $0) } }
        guard !deployed.isEmpty else { return nil }
        let rows: [[String]] = deployed.map { name, d in
            [name, String(format: "%.1f", d.meanCells), String(format: "%.2f", d.meanKm2), String(format: "%.2f %%", d.meanAreaFraction * 100),
             pct(d.hitRate, nil, nil), num(d.pai, nil, nil), num(d.pei, nil, nil), pct(d.topCellHitRate, nil, nil), num(d.topCellPAI, nil, nil)]
        }
        let header = ["model", "cells", "km²", "area", "zone hit rate", "zone PAI", "zone PEI*", "top-cell hit rate", "top-cell PAI"]
        return """
            <h2>Deployed zones against top cells of equal area</h2><p class="note">What compact, patrollable zones cost (or gain) \
            against the same area of the highest-risk cells, wherever they are.</p>\(HTML.table(header: header, rows: rows))
            """
    }

    static func parameters(_ r: BacktestResult) -> HTML? {
        let params = r.models.filter { !$0.parameters.isEmpty }
        guard !params.isEmpty else { return nil }
        let sections = params.map { m -> HTML in
            let rows = m.parameters.sorted { $0.key < $1.key }.map { [$0.key, String(format: "%.6g", $0.value)] }
            return """
                <h3>\(m.model)</h3>\(HTML.table(header: ["parameter", "value"], rows: rows))\
                \(m.notes.map { n -> HTML in "<p class=\"note\">\(n)</p>" })
                """
        }
        return "<h2>Fitted parameters (last window)</h2>\(sections)"
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

    /// A coordinate to a tenth of a pixel.
    static func n(_ v: Double) -> String { SVGNumber.tenths(v) }

    /// "x,y x,y ..." for a polyline or polygon: numbers only.
    static func points(_ pts: [(Double, Double)]) -> String { pts.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ") }

    /// Pooled hit rate at each budget, a line per model, x on a log scale of area fraction.
    static func hitRateCurve(_ r: BacktestResult) -> HTML {
        let w = 640.0, h = 320.0, left = 60.0, bottom = 40.0, top = 20.0, right = 150.0
        let fractions = r.settings.areaFractions.sorted()
        guard let lo = fractions.first, let hi = fractions.last, hi > lo else { return .empty }
        let maxRate = max(0.05, r.models.flatMap { $0.budgets.compactMap(\.hitRateUpper) + $0.budgets.compactMap(\.hitRate) }.max() ?? 0.05)
        func x(_ a: Double) -> Double { left + (log(a) - log(lo)) / (log(hi) - log(lo)) * (w - left - right) }
        func y(_ v: Double) -> Double { top + (1 - v / maxRate) * (h - top - bottom) }
        let xLabels = fractions.map { a -> HTML in
            "<text x=\"\(n(x(a)))\" y=\"\(n(h - bottom + 15))\" text-anchor=\"middle\">\(String(format: "%g", a * 100))%</text>"
        }
        let yLabels = (0...4).map { k -> HTML in
            let v = maxRate * Double(k) / 4
            return "<text x=\"\(n(left - 6))\" y=\"\(n(y(v) + 4))\" text-anchor=\"end\">\(String(format: "%.0f", v * 100))%</text>"
        }
        let lines = r.models.enumerated().map { i, m -> HTML in
            let color = palette[i % palette.count]
            let budgets = m.budgets.sorted { $0.areaFraction < $1.areaFraction }
            let pts = budgets.compactMap { b in b.hitRate.map { (x(b.areaFraction), y($0), b) } }
            // Interval band.
            let band = budgets.compactMap { b -> (Double, Double, Double)? in
                guard let l = b.hitRateLower, let u = b.hitRateUpper else { return nil }
                return (x(b.areaFraction), y(l), y(u))
            }
            let outline = band.map { ($0.0, $0.2) } + band.reversed().map { ($0.0, $0.1) }
            let polygon: HTML? = band.count >= 2 ? "<polygon points=\"\(points(outline))\" fill=\"\(color)\" opacity=\"0.12\"/>" : nil
            let dots = pts.map { p -> HTML in
                let rate = String(format: "%.1f%%", (p.2.hitRate ?? 0) * 100), area = String(format: "%g", p.2.areaFraction * 100)
                return """
                    <circle cx="\(n(p.0))" cy="\(n(p.1))" r="3" fill="\(color)"><title>\(m.model): \(rate) at \(area)% of the area</title></circle>
                    """
            }
            return """
                \(polygon)<polyline fill="none" stroke="\(color)" stroke-width="2" points="\(points(pts.map { ($0.0, $0.1) }))"/>\(dots)\
                <text x="\(n(w - right + 10))" y="\(n(top + 14 + Double(i) * 16))" fill="\(color)">\(m.model)</text>
                """
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(w)) \(Int(h))" width="\(Int(w))" height="\(Int(h))" \
            font-family="sans-serif" font-size="11">\(axes(w: w, h: h, left: left, bottom: bottom, top: top, right: right))\
            \(xLabels)\(yLabels)\(lines)<text x="\(n(left))" y="\(n(h - 4))">area flagged (log scale)</text></svg>
            """
    }

    static func overTime(_ r: BacktestResult, fraction: Double) -> HTML {
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
        guard let first = r.models.first?.perWindow.first?.start, let last = r.models.first?.perWindow.last?.start, last > first else { return .empty }
        func x(_ d: Date) -> Double { left + d.timeIntervalSince(first) / last.timeIntervalSince(first) * (w - left - right) }
        func y(_ v: Double) -> Double { top + (1 - v) * (h - top - bottom) }
        let yLabels = (0...4).map { k -> HTML in
            let v = Double(k) / 4
            return "<text x=\"\(n(left - 6))\" y=\"\(n(y(v) + 4))\" text-anchor=\"end\">\(Int(v * 100))%</text>"
        }
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM"
        f.timeZone = TimeZone(identifier: "UTC")
        let lines = series.enumerated().map { i, points -> HTML in
            let color = palette[i % palette.count]
            // Gaps where a window had no test incident.
            var segments: [[(Double, Double)]] = [[]]
            for (d, v) in points {
                if let v { segments[segments.count - 1].append((x(d), y(v))) } else if !segments[segments.count - 1].isEmpty { segments.append([]) }
            }
            let polylines = segments.filter { $0.count > 1 }.map { seg -> HTML in
                "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.2\" opacity=\"0.8\" points=\"\(Self.points(seg))\"/>"
            }
            return "\(polylines)<text x=\"\(n(w - right + 10))\" y=\"\(n(top + 14 + Double(i) * 16))\" fill=\"\(color)\">\(r.models[i].model)</text>"
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(w)) \(Int(h))" width="\(Int(w))" height="\(Int(h))" \
            font-family="sans-serif" font-size="11">\(axes(w: w, h: h, left: left, bottom: bottom, top: top, right: right))\(yLabels)\
            <text x="\(n(left))" y="\(n(h - 8))">\(f.string(from: first))</text><text x="\(n(w - right))" y="\(n(h - 8))" text-anchor="end">\
            \(f.string(from: last))</text>\(lines)</svg>
            """
    }

    static func axes(w: Double, h: Double, left: Double, bottom: Double, top: Double, right: Double) -> HTML {
        """
        <line x1="\(n(left))" y1="\(n(top))" x2="\(n(left))" y2="\(n(h - bottom))" stroke="#888"/>\
        <line x1="\(n(left))" y1="\(n(h - bottom))" x2="\(n(w - right))" y2="\(n(h - bottom))" stroke="#888"/>
        """
    }

    /// The surface as shaded cells (only cells with risk), the boundary, the flagged cells outlined, and the
    /// test incidents as dots: hits black, misses hollow.
    public static func map(_ m: MapSnapshot, fraction: Double) -> HTML {
        let g = m.surface.grid
        let width = 720.0
        let scale = width / (Double(g.columns) * g.cellSizeMeters)
        let height = Double(g.rows) * g.cellSizeMeters * scale
        func px(_ p: PlanarPoint) -> (Double, Double) { ((p.xMeters - g.originX) * scale, height - (p.yMeters - g.originY) * scale) }
        func corner(_ c: Int) -> (Double, Double) {
            px(PlanarPoint(xMeters: g.originX + Double(g.column(of: c)) * g.cellSizeMeters, yMeters: g.originY + Double(g.row(of: c) + 1) * g.cellSizeMeters))
        }
        let maxV = m.surface.values.max() ?? 0
        let k = max(1, Int((fraction * Double(g.activeCells.count)).rounded(.down)))
        let flagged = Set(m.surface.ranking().prefix(k))
        let cw = g.cellSizeMeters * scale
        let shaded = (maxV > 0 ? g.activeCells.filter { m.surface.values[$0] > maxV * 0.02 } : []).map { c -> HTML in
            let (x, y) = corner(c)
            return """
                <rect x="\(x, decimals: 1)" y="\(y, decimals: 1)" width="\(cw, decimals: 2)" height="\(cw, decimals: 2)" \
                fill="\(ColorRamp.colour((m.surface.values[c] / maxV).squareRoot()))"/>
                """
        }
        let rings = m.boundary.filter { $0.count > 2 }.map { ring -> HTML in
            let pts = ring.map { p -> String in let (x, y) = px(p); return String(format: "%.1f,%.1f", x, y) }.joined(separator: " ")
            return "<polygon fill=\"none\" stroke=\"#555\" stroke-width=\"1\" points=\"\(pts)\"/>"
        }
        let outlines = flagged.map { c -> HTML in
            let (x, y) = corner(c)
            return """
                <rect x="\(x, decimals: 1)" y="\(y, decimals: 1)" width="\(cw, decimals: 2)" height="\(cw, decimals: 2)" \
                fill="none" stroke="#0057b8" stroke-width="1.5"/>
                """
        }
        let dots = m.testPoints.map { p -> HTML in
            let (x, y) = px(p)
            let hit = g.cell(containing: p).map(flagged.contains) ?? false
            let style: HTML = hit ? "fill=\"#000\"" : "fill=\"none\" stroke=\"#000\""
            return "<circle cx=\"\(x, decimals: 1)\" cy=\"\(y, decimals: 1)\" r=\"3\" \(style)/>"
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height.rounded(.up)))" width="\(Int(width))" \
            height="\(Int(height.rounded(.up)))" style="background:#fafafa">\(shaded)\(rings)\(outlines)\(dots)</svg>\
            <p class="note">Blue outlines: the \(k) cells (\(String(format: "%g", fraction * 100)) % of the area) flagged by the forecast. \
            Filled dots: incidents in flagged cells; hollow: elsewhere.</p>
            """
    }
}
