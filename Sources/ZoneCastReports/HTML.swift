public import ZoneCastHTML
/// A self-contained report document: inline CSS, no external fonts, scripts or images, so it opens on a closed
/// network.
public enum ReportDocument {
    static let css: HTML = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:2rem;color:#1b1f24;max-width:1100px}
        h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
        table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}
        th,td{border:1px solid #ccd;padding:.25rem .5rem;text-align:right}th{background:#f2f4f8}td.l,th.l{text-align:left}
        .note{color:#555;font-size:.9rem}.synthetic{background:#fff3cd;border:1px solid #e0c36b;padding:.5rem;margin:1rem 0}
        svg{max-width:100%;height:auto}
        @media print{body{margin:0}}
        """

    public static func page(title: String, body: HTML, note: String? = nil) -> HTML {
        let noteParagraph: HTML? = note.map { "<p class=\"note\">\($0)</p>" }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title>
            <style>
            \(css)
            </style></head><body>
            <h1>\(title)</h1>
            \(noteParagraph)
            \(body)
            </body></html>
            """
    }
}

/// Sequential colour ramp (light yellow to dark red), for heat maps and risk surfaces.
public enum ColorRamp {
    static let stops: [(Double, Double, Double)] = [(255, 255, 204), (254, 217, 118), (253, 141, 60), (227, 26, 28), (128, 0, 38)]

    /// t in [0, 1] to a colour on the ramp.
    public static func colour(_ t: Double) -> CSSColour {
        let x = max(0, min(1, t.isFinite ? t : 0)) * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(x)), f = x - Double(i)
        let a = stops[i], b = stops[i + 1]
        return CSSColour(red: a.0 + (b.0 - a.0) * f, green: a.1 + (b.1 - a.1) * f, blue: a.2 + (b.2 - a.2) * f)
    }

    /// t in [0, 1] to "#rrggbb".
    public static func hex(_ t: Double) -> String {
        let x = max(0, min(1, t.isFinite ? t : 0)) * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(x)), f = x - Double(i)
        let a = stops[i], b = stops[i + 1]
        func c(_ u: Double, _ v: Double) -> String {
            let n = Int((u + (v - u) * f).rounded())
            let h = String(n, radix: 16)
            return h.count == 1 ? "0" + h : h
        }
        return "#" + c(a.0, b.0) + c(a.1, b.1) + c(a.2, b.2)
    }
}
