import ZoneCastHTML
import Foundation
import ZoneCastCore
import ZoneCastForecast

/// The factor analysis as a table and an SVG heat map: rows lead or attract, columns follow or are attracted.
public enum FactorReport {
    public static func heatMapSVG(title: String, categories: [HarmCategory], value: (HarmCategory, HarmCategory) -> Double?,
                                  significant: (HarmCategory, HarmCategory) -> Bool, format: (Double) -> String, scale: ClosedRange<Double>) -> String {
        let cell = 64, left = 170, top = 150
        let n = categories.count
        let width = left + n * cell + 20, height = top + n * cell + 40
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" font-family=\"sans-serif\" font-size=\"12\">"
        s += "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(LegacyHTML.escape(title))</text>"
        for (j, c) in categories.enumerated() {
            let x = left + j * cell + cell / 2
            s += "<text transform=\"translate(\(x),\(top - 8)) rotate(-50)\">\(LegacyHTML.escape(c.displayName))</text>"
        }
        for (i, a) in categories.enumerated() {
            let y = top + i * cell
            s += "<text x=\"\(left - 8)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"end\">\(LegacyHTML.escape(a.displayName))</text>"
            for (j, b) in categories.enumerated() {
                let x = left + j * cell
                if let v = value(a, b) {
                    let t = (v - scale.lowerBound) / max(1e-12, scale.upperBound - scale.lowerBound)
                    s += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(ColorRamp.hex(t))\" stroke=\"#fff\"><title>\(LegacyHTML.escape("\(a.displayName) -> \(b.displayName): \(format(v))"))</title></rect>"
                    s += "<text x=\"\(x + cell / 2)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"middle\"\(t > 0.6 ? " fill=\"#fff\"" : "")>\(LegacyHTML.escape(format(v)))\(significant(a, b) ? "*" : "")</text>"
                } else {
                    s += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"#eee\" stroke=\"#fff\"/>"
                }
            }
        }
        s += "<text x=\"10\" y=\"\(height - 12)\" fill=\"#555\">* significant at 5% (permutation test). Rows: first category; columns: second.</text>"
        return s + "</svg>"
    }

    public static func html(coLocation: CoLocationAnalysis, leadLag: LeadLagAnalysis?, title: String, synthetic: Bool, period: String) -> String {
        let cats = coLocation.categories
        var body = synthetic ? "<div class=\"synthetic\">SYNTHETIC DATA: fictional incidents from ZoneCast's generator.</div>" : ""
        body += "<p class=\"note\">\(LegacyHTML.escape(period))</p>"
        body += "<h2>Spatial co-location (co-location quotient, Leslie &amp; Kronenfeld 2011)</h2>"
        body += "<p class=\"note\">CLQ(A &rarr; B) &gt; 1: B is the nearest neighbour of A more often than the overall mix predicts.</p>"
        let maxQ = max(2, coLocation.pairs.map(\.quotient).max() ?? 2)
        body += heatMapSVG(title: "Co-location quotient", categories: cats, value: { coLocation.pair($0, $1)?.quotient },
                           significant: { (coLocation.pair($0, $1)?.pValueAttraction ?? 1) <= 0.05 }, format: { String(format: "%.2f", $0) }, scale: 0...maxQ)
        body += LegacyHTML.table(header: ["A", "B", "CLQ(A→B)", "p (attraction)", "A points", "B points"],
                           rows: coLocation.pairs.filter { $0.from != $0.to }.sorted { $0.quotient > $1.quotient }.map {
                               [$0.from.displayName, $0.to.displayName, String(format: "%.3f", $0.quotient), String(format: "%.3f", $0.pValueAttraction), String($0.pointsFrom), String($0.pointsTo)]
                           }, leftColumns: 2)
        if let leadLag, !leadLag.pairs.isEmpty {
            let ll = Set(leadLag.pairs.flatMap { [$0.leader, $0.follower] }).sorted()
            body += "<h2>Lead-lag: does A near a place raise B there in the next window, beyond B's own history?</h2>"
            body += "<p class=\"note\">Likelihood-ratio statistic of nested Poisson models over \(leadLag.windows) windows and \(leadLag.occupiedCells) occupied cells; effect = coefficient of log(1 + A nearby).</p>"
            let maxLR = max(4, leadLag.pairs.map(\.likelihoodRatio).max() ?? 4)
            body += heatMapSVG(title: "Lead-lag likelihood ratio (row leads column)", categories: ll,
                               value: { a, b in a == b ? nil : leadLag.pair(leader: a, follower: b)?.likelihoodRatio },
                               significant: { a, b in (leadLag.pair(leader: a, follower: b)?.pValuePermutation ?? leadLag.pair(leader: a, follower: b)?.pValueChiSquared ?? 1) <= 0.05 },
                               format: { String(format: "%.1f", $0) }, scale: 0...maxLR)
            body += LegacyHTML.table(header: ["leader A", "follower B", "effect", "s.e.", "LR", "p (χ²)", "p (permutation)"],
                               rows: leadLag.pairs.sorted { $0.likelihoodRatio > $1.likelihoodRatio }.map {
                                   [$0.leader.displayName, $0.follower.displayName, String(format: "%.3f", $0.effect), String(format: "%.3f", $0.standardError),
                                    String(format: "%.2f", $0.likelihoodRatio), String(format: "%.4f", $0.pValueChiSquared), $0.pValuePermutation.map { String(format: "%.3f", $0) } ?? "-"]
                               }, leftColumns: 2)
        }
        return LegacyHTML.page(title: title, body: body)
    }
}
