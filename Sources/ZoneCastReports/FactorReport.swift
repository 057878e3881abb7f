public import ZoneCastHTML
import Foundation
public import ZoneCastCore
public import ZoneCastForecast

/// The factor analysis as a table and an SVG heat map: rows lead or attract, columns follow or are attracted.
public enum FactorReport {
    public static func heatMapSVG(title: String, categories: [HarmCategory], value: (HarmCategory, HarmCategory) -> Double?,
                                  significant: (HarmCategory, HarmCategory) -> Bool, format: (Double) -> String, scale: ClosedRange<Double>) -> HTML {
        let cell = 64, left = 170, top = 150
        let n = categories.count
        let width = left + n * cell + 20, height = top + n * cell + 40
        let columns = categories.enumerated().map { j, c -> HTML in
            "<text transform=\"translate(\(left + j * cell + cell / 2),\(top - 8)) rotate(-50)\">\(c.displayName)</text>"
        }
        let rows = categories.enumerated().map { i, a -> HTML in
            let y = top + i * cell
            let cells = categories.enumerated().map { j, b -> HTML in
                let x = left + j * cell
                guard let v = value(a, b) else {
                    return "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"#eee\" stroke=\"#fff\"/>"
                }
                let t = (v - scale.lowerBound) / max(1e-12, scale.upperBound - scale.lowerBound)
                let light: HTML? = t > 0.6 ? " fill=\"#fff\"" : nil
                let star: HTML? = significant(a, b) ? "*" : nil
                let tip = "\(a.displayName) -> \(b.displayName): \(format(v))"
                return """
                    <rect x="\(x)" y="\(y)" width="\(cell)" height="\(cell)" fill="\(ColorRamp.colour(t))" stroke="#fff">\
                    <title>\(tip)</title></rect>\
                    <text x="\(x + cell / 2)" y="\(y + cell / 2 + 4)" text-anchor="middle"\(light)>\(format(v))\(star)</text>
                    """
            }
            return "<text x=\"\(left - 8)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"end\">\(a.displayName)</text>\(cells)"
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" \
            font-family="sans-serif" font-size="12"><text x="10" y="20" font-size="14" font-weight="bold">\(title)</text>\(columns)\(rows)\
            <text x="10" y="\(height - 12)" fill="#555">* significant at 5% (permutation test). Rows: first category; columns: second.</text></svg>
            """
    }

    public static func html(coLocation: CoLocationAnalysis, leadLag: LeadLagAnalysis?, title: String, synthetic: Bool, period: String) -> HTML {
        let banner: HTML? = synthetic ? "<div class=\"synthetic\">SYNTHETIC DATA: fictional incidents from ZoneCast's generator.</div>" : nil
        let maxQ = max(2, coLocation.pairs.map(\.quotient).max() ?? 2)
        let heatMap = heatMapSVG(title: "Co-location quotient", categories: coLocation.categories, value: { coLocation.pair($0, $1)?.quotient },
                                 significant: { (coLocation.pair($0, $1)?.pValueAttraction ?? 1) <= 0.05 }, format: { String(format: "%.2f", $0) },
                                 scale: 0...maxQ)
        let rows = coLocation.pairs.filter { $0.from != $0.to }.sorted { $0.quotient > $1.quotient }.map {
            [$0.from.displayName, $0.to.displayName, String(format: "%.3f", $0.quotient), String(format: "%.3f", $0.pValueAttraction),
             String($0.pointsFrom), String($0.pointsTo)]
        }
        let body: HTML = """
            \(banner)<p class="note">\(period)</p><h2>Spatial co-location (co-location quotient, Leslie &amp; Kronenfeld 2011)</h2>\
            <p class="note">CLQ(A &rarr; B) &gt; 1: B is the nearest neighbour of A more often than the overall mix predicts.</p>\(heatMap)\
            \(HTML.table(header: ["A", "B", "CLQ(A→B)", "p (attraction)", "A points", "B points"], rows: rows, leftColumns: 2))\
            \(leadLag.flatMap(leadLagSection))
            """
        return ReportDocument.page(title: title, body: body)
    }

    static func leadLagSection(_ leadLag: LeadLagAnalysis) -> HTML? {
        guard !leadLag.pairs.isEmpty else { return nil }
        let ll = Set(leadLag.pairs.flatMap { [$0.leader, $0.follower] }).sorted()
        let maxLR = max(4, leadLag.pairs.map(\.likelihoodRatio).max() ?? 4)
        let heatMap = heatMapSVG(title: "Lead-lag likelihood ratio (row leads column)", categories: ll,
                                 value: { a, b in a == b ? nil : leadLag.pair(leader: a, follower: b)?.likelihoodRatio },
                                 significant: { a, b in
                                     let pair = leadLag.pair(leader: a, follower: b)
                                     return (pair?.pValuePermutation ?? pair?.pValueChiSquared ?? 1) <= 0.05
                                 },
                                 format: { String(format: "%.1f", $0) }, scale: 0...maxLR)
        let rows = leadLag.pairs.sorted { $0.likelihoodRatio > $1.likelihoodRatio }.map {
            [$0.leader.displayName, $0.follower.displayName, String(format: "%.3f", $0.effect), String(format: "%.3f", $0.standardError),
             String(format: "%.2f", $0.likelihoodRatio), String(format: "%.4f", $0.pValueChiSquared),
             $0.pValuePermutation.map { String(format: "%.3f", $0) } ?? "-"]
        }
        return """
            <h2>Lead-lag: does A near a place raise B there in the next window, beyond B's own history?</h2>\
            <p class="note">Likelihood-ratio statistic of nested Poisson models over \(leadLag.windows) windows and \(leadLag.occupiedCells) \
            occupied cells; effect = coefficient of log(1 + A nearby).</p>\(heatMap)\
            \(HTML.table(header: ["leader A", "follower B", "effect", "s.e.", "LR", "p (χ²)", "p (permutation)"], rows: rows, leftColumns: 2))
            """
    }
}
